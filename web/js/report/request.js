// What the report diagnoses, from its address: a saved territory (`territory=<id>`, its name and
// missions as saved), or `communes=`, `epci=` or `geometry=` with `missions=` and `name=`.

import { api } from '../api.js';
import { plural } from '../format.js';

const list = (value) => (value ? value.split(',').map((s) => s.trim()).filter(Boolean) : []);

/** `{ name, body, perimeter, saved }`: the diagnosis request body and what the page shows of it. */
export async function territoryRequest(params) {
  const id = params.get('territory');
  if (id) {
    const saved = await api.territory(id);
    const { spec } = saved;
    let body;
    if (spec.codes) body = { communes: spec.codes };
    else if (spec.geojson) body = { geometry: spec.geojson };
    else if (spec.epci) body = { epci: spec.epci };
    else throw new Error('Ce type de territoire enregistré n’est pas pris en charge par le rapport.');
    return { name: saved.name, body: { ...body, missions: saved.missions }, perimeter: spec.geojson ?? null, saved };
  }
  const missions = list(params.get('missions'));
  let body;
  let perimeter = null;
  if (params.get('communes')) body = { communes: list(params.get('communes')) };
  else if (params.get('epci')) body = { epci: params.get('epci') };
  else if (params.get('geometry')) {
    try {
      perimeter = JSON.parse(params.get('geometry'));
    } catch {
      throw new Error('Le périmètre donné dans l’adresse n’est pas un GeoJSON lisible.');
    }
    body = { geometry: perimeter };
  } else {
    throw new Error('Aucun territoire indiqué : ouvrez le rapport depuis la carte ou la liste « Mes territoires ».');
  }
  return { name: params.get('name') || null, body: { ...body, missions }, perimeter, saved: null };
}

/** `Bayeux et 2 autres communes`: a name from the diagnosis' most populated commune. */
export function suggestedName(diagnosis) {
  const communes = diagnosis.territory.features.map((f) => f.properties)
    .sort((a, b) => b.population_counted - a.population_counted);
  if (!communes.length) return 'Territoire';
  const others = communes.length - 1;
  const rest = communes.slice(1);
  const [one, many] = rest.every((c) => c.iris) ? ['autre IRIS', 'autres IRIS']
    : rest.every((c) => c.arrondissement) ? ['autre arrondissement', 'autres arrondissements']
      : rest.some((c) => c.iris || c.arrondissement) ? ['autre unité', 'autres unités']
        : ['autre commune', 'autres communes'];
  return others ? `${communes[0].name} et ${plural(others, one, many)}` : communes[0].name;
}
