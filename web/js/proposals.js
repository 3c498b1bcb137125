// "Proposer des territoires" (ARS initiative): candidate CPTS territories over the communes no
// CPTS covers (/api/proposals), coloured on the map; a commune can be moved to another
// candidate, and the proposal saved as territories.
//
// A move that would leave a candidate in several pieces, or put a commune where it touches no
// commune of its new candidate, is refused with a French message. Contiguity is computed in the
// page from the outlines of the proposal's communes (contiguity.js: outlines that touch), so no
// request is needed to refuse. An accepted move re-diagnoses both candidates through
// /api/diagnosis (population, size, funding, APL, density), and the size status follows the
// bounds asked for.
//
// The layer can be hidden (the map's clicks then select communes again) or cleared.
// The state is returned for the tests (window.proposals): candidates, communeOf, layer,
// lastRefusal.

import { api } from './api.js';
import { neighbours, parts } from './contiguity.js';
import { candidateReasons } from './cut-reasons.js';
import { el } from './dom.js';
import { formatDecimal, formatEuros, formatInhabitants, plural } from './format.js';
import { clearOfPanels } from './map-fit.js';

// Okabe-Ito and Tol's colour-blind safe qualitative colours.
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#332288',
  '#117733', '#882255', '#44aa99', '#999933', '#aa4499', '#88ccee', '#ddcc77'];
const STATUS = {
  within: '',
  below_minimum: ' — sous le minimum',
  above_maximum: ' — au-dessus du maximum',
};

/** The APL summary of a candidate from a full diagnosis: the latest edition. */
function aplOf(diagnosis) {
  const editions = diagnosis.apl?.available ? diagnosis.apl.editions ?? [] : [];
  const last = editions[editions.length - 1];
  return last ? { available: true, edition: last.edition, apl: last.apl } : { available: false };
}

/** Builds the section `#proposals` and its map layer; returns the state (for the tests). */
export function setupProposals(map, { viewDepartement, onError, onShownChange = () => {} }) {
  const section = document.getElementById('proposals');
  const departement = el('input', { id: 'proposal-departement', type: 'text', size: 4, value: '04' });
  const min = el('input', { id: 'proposal-min', type: 'number', value: 20000, step: 1000 });
  const target = el('input', { id: 'proposal-target-population', type: 'number', value: 60000, step: 1000 });
  const max = el('input', { id: 'proposal-max', type: 'number', value: 250000, step: 1000 });
  const run = el('button', { type: 'submit', id: 'proposal-run' }, 'Proposer');
  const status = el('p', { id: 'proposal-status', className: 'help', ariaLive: 'polite' });
  const list = el('ol', { id: 'proposal-list', className: 'saved-list' });
  const mover = el('div', { id: 'proposal-move', className: 'proposal-move', hidden: true });
  const refusal = el('p', { id: 'proposal-refusal', className: 'proposal-refusal', role: 'alert', hidden: true });
  const save = el('button', { type: 'button', id: 'proposal-save', disabled: true }, 'Enregistrer la proposition');
  const shown = el('input', { type: 'checkbox', id: 'proposal-shown', checked: true });
  const clear = el('button', { type: 'button', id: 'proposal-clear', className: 'secondary' }, 'Effacer la proposition');
  const display = el('div', { className: 'proposal-display', id: 'proposal-display', hidden: true },
    el('label', { className: 'layer-name', htmlFor: 'proposal-shown' }, shown, 'Afficher la proposition sur la carte'),
    clear);
  const form = el('form', { className: 'saved-form' },
    el('div', { className: 'field' }, el('label', { htmlFor: 'proposal-departement' }, 'Département'), departement),
    el('div', { className: 'field' }, el('label', { htmlFor: 'proposal-min' }, 'Population minimale'), min),
    el('div', { className: 'field' }, el('label', { htmlFor: 'proposal-target-population' }, 'Population visée'), target),
    el('div', { className: 'field' }, el('label', { htmlFor: 'proposal-max' }, 'Population maximale'), max),
    el('div', { className: 'actions' }, run, save));
  section.append(
    el('h2', { id: 'proposals-title' }, 'Proposer des territoires (ARS)'),
    el('p', { className: 'help' }, 'Découpe les communes sans CPTS en territoires candidats contigus. '
      + 'Cliquez une commune pour la déplacer vers un autre candidat ; un déplacement qui couperait un candidat '
      + 'en morceaux est refusé. Masquez la proposition pour sélectionner à nouveau des communes sur la carte.'),
    form, status, display, refusal, mover, list);
  const current = viewDepartement?.();
  if (current) departement.value = current;

  const state = {
    candidates: [], communeOf: new Map(), layer: null, adjacent: new Map(), names: new Map(), lastRefusal: null,
    rules: null,
  };
  const colourOf = (id) => PALETTE[state.candidates.findIndex((c) => c.id === id) % PALETTE.length];
  const nameOf = (code) => `${state.names.get(code) ?? code} (${code})`;

  function restyle() {
    state.layer?.eachLayer((layer) => layer.setStyle({
      color: '#333', weight: 1, fillOpacity: 0.6,
      fillColor: colourOf(state.communeOf.get(layer.feature.properties.code)),
    }));
  }

  function renderList() {
    list.replaceChildren(...state.candidates.map((c) => el('li', { dataset: { id: c.id } },
      el('strong', {}, el('span', { className: 'proposal-swatch', style: `background:${colourOf(c.id)}`, ariaHidden: 'true' }),
        ` ${c.id} ${c.name}`),
      el('div', { className: 'proposal-figures' }, `${formatInhabitants(c.population)}, ${c.tier.label}, `
        + `${formatEuros(c.funding.total)} par an, ${plural(c.codes.length, 'commune')}${STATUS[c.size_status] ?? ''}`),
      c.apl?.available
        ? el('div', { className: 'note proposal-apl' }, `APL ${c.apl.edition} : ${formatDecimal(c.apl.apl, 2)} consultations par an et par habitant`)
        : el('div', { className: 'note proposal-apl' }, 'APL non disponible'),
      el('details', {}, el('summary', {}, 'Pourquoi ce découpage'),
        el('ul', { className: 'proposal-reasons' },
          ...candidateReasons(c).map((r) => el('li', { title: r.original ?? '' }, r.text)),
          ...(c.moved ?? []).map((code) => el('li', {}, `${nameOf(code)} déplacée ici à la main.`)))))));
  }

  function sizeStatus(population) {
    if (!state.rules) return 'within';
    if (population < state.rules.min_population) return 'below_minimum';
    if (population > state.rules.max_population) return 'above_maximum';
    return 'within';
  }

  async function rediagnose(candidate) {
    if (!candidate.codes.length) {
      state.candidates = state.candidates.filter((c) => c !== candidate);
      return;
    }
    const d = await api.diagnosis({ communes: candidate.codes });
    Object.assign(candidate, {
      population: d.population,
      tier: d.tier,
      funding: d.funding,
      apl: aplOf(d),
      area_km2: d.area_km2,
      density_per_km2: d.density_per_km2,
      size_status: sizeStatus(d.population),
    });
  }

  /** Why moving `code` from `from` to `to` is refused (French), or null when it may be done. */
  function refusalOf(code, from, to) {
    const touches = [...(state.adjacent.get(code) ?? [])].some((c) => to.codes.includes(c));
    if (!touches) {
      return `Déplacement refusé : ${nameOf(code)} ne touche aucune commune du candidat ${to.id} ${to.name}, `
        + 'qui serait en plusieurs morceaux.';
    }
    const rest = from.codes.filter((c) => c !== code);
    const pieces = rest.length ? parts(rest, state.adjacent) : [];
    if (pieces.length > 1) {
      const described = pieces.map((p) => (p.length > 1 ? `${nameOf(p[0])} et ${plural(p.length - 1, 'autre commune', 'autres communes')}` : nameOf(p[0])));
      return `Déplacement refusé : retirer ${nameOf(code)} couperait le candidat ${from.id} ${from.name} `
        + `en ${pieces.length} morceaux (${described.join(' ; ')}).`;
    }
    return null;
  }

  async function move(code, targetId) {
    const from = state.candidates.find((c) => c.id === state.communeOf.get(code));
    const to = state.candidates.find((c) => c.id === targetId);
    if (!from || !to || from === to) return;
    const refused = refusalOf(code, from, to);
    state.lastRefusal = refused;
    refusal.textContent = refused ?? '';
    refusal.hidden = !refused;
    if (refused) return;
    from.codes = from.codes.filter((x) => x !== code);
    to.codes = [...to.codes, code];
    to.moved = [...(to.moved ?? []), code];
    state.communeOf.set(code, to.id);
    mover.hidden = true;
    status.textContent = `${nameOf(code)} déplacée de ${from.id} vers ${to.id} : diagnostic des deux candidats en cours…`;
    try {
      await Promise.all([rediagnose(from), rediagnose(to)]);
      status.textContent = `${nameOf(code)} déplacée de ${from.id} vers ${to.id} ; les deux candidats sont recalculés.`;
    } catch (error) {
      status.textContent = '';
      onError(error);
    }
    restyle();
    renderList();
  }

  function choose(feature) {
    const { code, name } = feature.properties;
    refusal.hidden = true;
    const select = el('select', { id: 'proposal-target' }, ...state.candidates.map((c) =>
      el('option', { value: c.id, selected: c.id === state.communeOf.get(code) }, `${c.id} ${c.name}`)));
    mover.replaceChildren(
      el('label', { htmlFor: 'proposal-target' }, `Déplacer ${name} (${code}) vers `), select,
      el('button', { type: 'button', id: 'proposal-move-apply', onclick: () => move(code, select.value) }, 'Déplacer'));
    mover.hidden = false;
  }

  function setShown(visible) {
    shown.checked = visible;
    if (!state.layer) return;
    if (visible) state.layer.addTo(map);
    else {
      state.layer.remove();
      mover.hidden = true;
    }
    onShownChange(visible && state.candidates.length > 0);
  }

  function clearProposal() {
    state.layer?.remove();
    Object.assign(state, { candidates: [], communeOf: new Map(), layer: null, adjacent: new Map(), lastRefusal: null });
    list.replaceChildren();
    mover.hidden = true;
    refusal.hidden = true;
    display.hidden = true;
    save.disabled = true;
    status.textContent = '';
    onShownChange(false);
  }

  shown.addEventListener('change', () => setShown(shown.checked));
  clear.addEventListener('click', clearProposal);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.textContent = 'Calcul en cours…';
    try {
      const query = new URLSearchParams({
        departement: departement.value.trim(), min: min.value, target: target.value, max: max.value, zoom: 10,
      });
      const fc = await api.proposals(query);
      clearProposal();
      state.candidates = fc.features.filter((f) => f.properties.kind === 'candidate').map((f) => f.properties);
      const communes = fc.features.filter((f) => f.properties.kind === 'commune');
      state.communeOf = new Map(communes.map((f) => [f.properties.code, f.properties.candidate]));
      state.names = new Map(communes.map((f) => [f.properties.code, f.properties.name]));
      state.adjacent = neighbours(communes);
      state.rules = fc.proposal.rules ?? null;
      state.layer = L.geoJSON({ type: 'FeatureCollection', features: communes }, {
        pmIgnore: true,
        onEachFeature: (f, layer) => {
          layer.bindTooltip(`${f.properties.name} (${f.properties.code})`);
          layer.on('click', () => choose(f));
        },
      });
      restyle();
      renderList();
      const p = fc.proposal;
      status.textContent = `${plural(p.uncovered_communes, 'commune sans CPTS', 'communes sans CPTS')}, `
        + `${plural(state.candidates.length, 'territoire candidat', 'territoires candidats')}.`;
      const coverage = p.registry_coverage?.status;
      if (coverage && coverage !== 'full') {
        status.textContent += ' Attention : le registre des CPTS existantes ne couvre pas tout le département, '
          + 'des communes peuvent déjà avoir une CPTS.';
      }
      save.disabled = state.candidates.length === 0;
      display.hidden = communes.length === 0;
      setShown(true);
      if (communes.length) map.fitBounds(state.layer.getBounds(), clearOfPanels(map));
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
      status.textContent = `${plural(saved.length, 'territoire enregistré', 'territoires enregistrés')}.`;
    } catch (error) {
      onError(error);
    }
  });

  return state;
}
