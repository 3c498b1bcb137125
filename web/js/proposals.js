// "Proposer des territoires" (ARS initiative): candidate CPTS territories over the communes no
// CPTS covers (/api/proposals), coloured on the map; a commune can be moved to another
// candidate (both are re-diagnosed by /api/diagnosis), and the proposal saved as territories.

import { api } from './api.js';
import { el } from './dom.js';
import { formatEuros, formatInhabitants } from './format.js';

const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6',
  '#bcf60c', '#008080', '#9a6324', '#800000', '#808000', '#000075', '#fabebe', '#aaffc3'];
const STATUS = {
  within: '',
  below_minimum: ' — sous le minimum',
  above_maximum: ' — au-dessus du maximum',
};

/** Builds the section `#proposals` and its map layer; returns the state (for the tests). */
export function setupProposals(map, { viewDepartement, onError }) {
  const section = document.getElementById('proposals');
  const departement = el('input', { id: 'proposal-departement', type: 'text', size: 4, value: '04' });
  const min = el('input', { id: 'proposal-min', type: 'number', value: 20000, step: 1000 });
  const max = el('input', { id: 'proposal-max', type: 'number', value: 250000, step: 1000 });
  const run = el('button', { type: 'submit', id: 'proposal-run' }, 'Proposer');
  const status = el('p', { id: 'proposal-status', className: 'help' });
  const list = el('ol', { id: 'proposal-list', className: 'saved-list' });
  const mover = el('div', { id: 'proposal-move', hidden: true });
  const save = el('button', { type: 'button', id: 'proposal-save', disabled: true }, 'Enregistrer la proposition');
  const form = el('form', { className: 'saved-form' },
    el('div', { className: 'field' }, el('label', { htmlFor: 'proposal-departement' }, 'Département'), departement),
    el('div', { className: 'field' }, el('label', { htmlFor: 'proposal-min' }, 'Population minimale'), min),
    el('div', { className: 'field' }, el('label', { htmlFor: 'proposal-max' }, 'Population maximale'), max),
    el('div', { className: 'actions' }, run, save));
  section.append(
    el('h2', { id: 'proposals-title' }, 'Proposer des territoires (ARS)'),
    el('p', { className: 'help' }, 'Découpe les communes sans CPTS en territoires candidats contigus. '
      + 'Cliquez une commune pour la déplacer vers un autre candidat.'),
    form, status, mover, list);
  const current = viewDepartement?.();
  if (current) departement.value = current;

  const state = { candidates: [], communeOf: new Map(), layer: null };
  const colourOf = (id) => PALETTE[state.candidates.findIndex((c) => c.id === id) % PALETTE.length];

  function restyle() {
    state.layer?.eachLayer((layer) => layer.setStyle({
      color: '#333', weight: 1, fillOpacity: 0.55,
      fillColor: colourOf(state.communeOf.get(layer.feature.properties.code)),
    }));
  }

  function renderList() {
    list.replaceChildren(...state.candidates.map((c) => el('li', { dataset: { id: c.id } },
      el('strong', { style: `color:${colourOf(c.id)}` }, `■ ${c.id} ${c.name}`),
      el('div', {}, `${formatInhabitants(c.population)}, ${c.tier.label}, ${formatEuros(c.funding.total)} / an, `
        + `${c.codes.length} commune(s)${STATUS[c.size_status] ?? ''}`),
      c.apl?.available ? el('div', { className: 'note' }, `APL ${c.apl.edition} : ${c.apl.apl.toFixed(2)}`) : null,
      el('details', {}, el('summary', {}, 'Pourquoi ce découpage'),
        el('ul', {}, ...c.cut_reasons.map((r) => el('li', {}, r)))))));
  }

  async function rediagnose(candidate) {
    if (!candidate.codes.length) {
      state.candidates = state.candidates.filter((c) => c !== candidate);
      return;
    }
    const d = await api.diagnosis({ communes: candidate.codes });
    Object.assign(candidate, { population: d.population, tier: d.tier, funding: d.funding });
  }

  async function move(code, targetId) {
    const from = state.candidates.find((c) => c.id === state.communeOf.get(code));
    const to = state.candidates.find((c) => c.id === targetId);
    if (!from || !to || from === to) return;
    from.codes = from.codes.filter((x) => x !== code);
    to.codes = [...to.codes, code];
    to.cut_reasons = [...to.cut_reasons, `commune ${code} déplacée ici depuis ${from.id}`];
    state.communeOf.set(code, to.id);
    mover.hidden = true;
    try {
      await Promise.all([rediagnose(from), rediagnose(to)]);
    } catch (error) {
      onError(error);
    }
    restyle();
    renderList();
  }

  function choose(feature) {
    const { code, name } = feature.properties;
    const select = el('select', { id: 'proposal-target' }, ...state.candidates.map((c) =>
      el('option', { value: c.id, selected: c.id === state.communeOf.get(code) }, `${c.id} ${c.name}`)));
    mover.replaceChildren(
      el('label', { htmlFor: 'proposal-target' }, `Déplacer ${name} (${code}) vers `), select,
      el('button', { type: 'button', id: 'proposal-move-apply', onclick: () => move(code, select.value) }, 'Déplacer'));
    mover.hidden = false;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.textContent = 'Calcul en cours…';
    try {
      const query = new URLSearchParams({ departement: departement.value.trim(), min: min.value, max: max.value, zoom: 10 });
      const fc = await api.proposals(query);
      state.candidates = fc.features.filter((f) => f.properties.kind === 'candidate').map((f) => f.properties);
      const communes = fc.features.filter((f) => f.properties.kind === 'commune');
      state.communeOf = new Map(communes.map((f) => [f.properties.code, f.properties.candidate]));
      state.layer?.remove();
      state.layer = L.geoJSON({ type: 'FeatureCollection', features: communes }, {
        onEachFeature: (f, layer) => {
          layer.bindTooltip(`${f.properties.name} (${f.properties.code})`);
          layer.on('click', () => choose(f));
        },
      }).addTo(map);
      restyle();
      renderList();
      const p = fc.proposal;
      status.textContent = `${p.uncovered_communes} communes sans CPTS, ${state.candidates.length} territoires candidats.`;
      save.disabled = state.candidates.length === 0;
      if (communes.length) map.fitBounds(state.layer.getBounds());
    } catch (error) {
      status.textContent = '';
      onError(error);
    }
  });

  save.addEventListener('click', async () => {
    const author = document.getElementById('saved-author')?.value.trim() || 'ARS';
    const token = document.getElementById('saved-token')?.value.trim() || undefined;
    const territories = state.candidates.map((c) => ({
      name: `Proposition ${c.id} ${c.name}`, spec: { codes: c.codes }, missions: [], author,
    }));
    try {
      const saved = await api.saveProposal({ territories }, token);
      status.textContent = `${saved.length} territoires enregistrés.`;
    } catch (error) {
      onError(error);
    }
  });

  return state;
}
