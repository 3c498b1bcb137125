// Two health layers, listed in the layer panel below the registry ones and fetched for the view
// while they are on:
//
//   - "APL des médecins généralistes (DREES)": colours the communes drawn by the communes base
//     layer (zoom >= MIN_ZOOM only) by their APL (/api/apl?bbox=), the under-served ones
//     (below the threshold the server sends, 2.5) outlined in dark red;
//   - "Établissements de santé (FINESS)": circle markers (/api/hospitals?bbox=), with a tooltip.
//
// Rows follow the registry rows' conventions: stable ids, data-state (off, loading, ready,
// error, hint) and data-count (communes coloured, establishments drawn).

import { api, isAbort, LatestRequest } from './api.js';
import { MIN_ZOOM } from './communes-layer.js';
import { debounce, el } from './dom.js';
import { formatCount, plural } from './format.js';

const decimal = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 2 });

/**
 * APL classes, lowest first: [upper bound (excluded), class name, fill colour, legend]. A
 * diverging orange-purple scale (ColorBrewer PuOr), readable by colour-blind eyes.
 */
export const APL_CLASSES = [
  [2.5, 'apl-under', '#b35806', '< 2,5 (sous-dotée)'],
  [3, 'apl-low', '#f1a340', '2,5 à 3'],
  [4, 'apl-mid', '#fee0b6', '3 à 4'],
  [5, 'apl-good', '#998ec3', '4 à 5'],
  [Infinity, 'apl-high', '#542788', '≥ 5'],
];
// Establishments are told apart from the APL fills by lightness and size, not hue: white dots
// ringed in black, second-line ones larger and black ringed in white.
const HOSPITAL_STYLE = { radius: 4.5, color: '#1f2933', weight: 1.5, fillColor: '#ffffff', fillOpacity: 1 };
const SECOND_LINE_STYLE = { radius: 7, color: '#ffffff', weight: 2, fillColor: '#1f2933', fillOpacity: 1 };
const SETTLE_DELAY_MS = 250;

const aplClass = (value) => APL_CLASSES.find(([upper]) => value < upper);

export class HealthLayers {
  /**
   * @param {L.Map} map
   * @param {object} options
   * @param {HTMLElement} options.panel  the layer panel the rows go into
   * @param {() => object[]} options.communesShown  the properties of the communes drawn
   * @param {() => void} options.restyleCommunes
   * @param {(error: Error) => void} options.onError
   */
  constructor(map, { panel, communesShown, restyleCommunes, onError }) {
    this.map = map;
    this.communesShown = communesShown;
    this.restyleCommunes = restyleCommunes;
    this.onError = onError;
    this.apl = null; // { edition, source, threshold, values: Map code -> apl } for the view
    this.aplRequests = new LatestRequest();
    this.hospitalRequests = new LatestRequest();

    const pane = map.createPane('health-hospitals');
    pane.style.zIndex = 392; // above the territory and its overlaps, so that its establishments show
    pane.classList.add('registry-pane'); // zoomed in, the communes keep their clicks
    this.hospitalsLayer = L.geoJSON(null, {
      pane: 'health-hospitals',
      pmIgnore: true,
      attribution: 'Établissements : FINESS',
      pointToLayer: ({ properties }, latlng) => L.circleMarker(latlng, {
        ...(properties.second_line ? SECOND_LINE_STYLE : HOSPITAL_STYLE),
        pane: 'health-hospitals',
        className: `hospital${properties.second_line ? ' hospital-second-line' : ''}`,
      }),
      onEachFeature: ({ properties: p }, layer) => layer.bindTooltip(() => el('div', { className: 'hospital-tooltip' },
        el('strong', {}, p.name), el('br'), p.category,
        p.second_line ? el('div', { className: 'note' }, 'Établissement de second recours') : null,
        el('div', { className: 'note' }, `FINESS ${p.finess}`)), { direction: 'top' }),
    });

    this.rows = {
      apl: this.#row('apl', {
        label: 'APL des médecins généralistes (DREES)',
        swatch: 'swatch-apl',
        legend: APL_CLASSES.map(([, className, , text]) => [`swatch-${className}`, text]),
        legendTitle: 'Consultations accessibles par an et par habitant',
        on: () => this.#loadApl(),
        off: () => {
          this.aplRequests.abort();
          this.restyleCommunes();
        },
      }),
      hospitals: this.#row('hospitals', {
        label: 'Établissements de santé (FINESS)',
        swatch: 'swatch-hospital',
        legend: [['swatch-hospital', 'établissement'], ['swatch-hospital-second', 'second recours']],
        on: () => {
          this.hospitalsLayer.addTo(map);
          this.#loadHospitals();
        },
        off: () => {
          this.hospitalRequests.abort();
          map.removeLayer(this.hospitalsLayer);
        },
      }),
    };
    panel.append(
      el('p', { className: 'layers-group' }, 'Offre de soins'),
      this.rows.apl.node,
      this.rows.hospitals.node,
      el('p', { className: 'layers-source' }, 'Sources : DREES, APL aux médecins généralistes ; FINESS'));

    const settled = debounce(() => this.#loadHospitals(), SETTLE_DELAY_MS);
    map.on('movestart', () => {
      settled.cancel();
      this.hospitalRequests.abort();
    });
    map.on('moveend', settled);
  }

  /** The communes base layer replaced the communes in view. */
  viewChanged() {
    if (this.rows.apl.toggle.checked) this.#loadApl();
  }

  /** The fill of a commune when the APL layer is on and knows it, else null. */
  fillOf(code) {
    if (!this.rows.apl.toggle.checked || !this.apl) return null;
    const value = this.apl.values.get(code);
    if (!Number.isFinite(value)) return null;
    const [, className, fillColor] = aplClass(value);
    return className === 'apl-under'
      ? { fillColor, fillOpacity: 0.75, color: '#7a271a', weight: 2 }
      : { fillColor, fillOpacity: 0.6 };
  }

  /** A line for a commune's tooltip when the APL layer is on. */
  notesOf(code) {
    if (!this.rows.apl.toggle.checked || !this.apl) return [];
    const value = this.apl.values.get(code);
    if (!Number.isFinite(value)) return [el('div', { className: 'note' }, 'APL non disponible')];
    return [el('div', { className: `tooltip-apl ${aplClass(value)[1]}` },
      `APL ${this.apl.edition} : ${decimal.format(value)}`,
      value < this.apl.threshold ? ' — commune sous-dotée' : '')];
  }

  /** The APL class of a commune shown (null when not coloured): for the tests. */
  aplClassOf(code) {
    return this.fillOf(code) ? aplClass(this.apl.values.get(code))[1] : null;
  }

  #row(id, { label, swatch, legend, legendTitle, on, off }) {
    const toggle = el('input', { type: 'checkbox', id: `layer-${id}-toggle` });
    const status = el('p', { className: 'layer-status', id: `layer-${id}-status`, ariaLive: 'polite' });
    const node = el('div', { className: 'layer-row', id: `layer-${id}`, dataset: { state: 'off', count: '0' } },
      el('label', { className: 'layer-name' }, toggle, el('span', { className: `swatch ${swatch}`, ariaHidden: 'true' }), label),
      legendTitle ? el('p', { className: 'layer-legend legend-title' }, legendTitle) : null,
      el('p', { className: 'layer-legend', id: `layer-${id}-legend` }, ...legend.map(([className, text]) =>
        el('span', {}, el('span', { className: `swatch ${className}`, ariaHidden: 'true' }), text))),
      status);
    const row = { node, toggle, status };
    toggle.addEventListener('change', () => {
      if (toggle.checked) on();
      else {
        off();
        this.#setState(row, 'off', row.node.dataset.count);
      }
    });
    return row;
  }

  #setState(row, state, count, text) {
    row.node.dataset.state = state;
    row.node.dataset.count = String(count);
    if (text !== undefined) row.status.textContent = text;
  }

  async #fetch(row, requests, work) {
    const signal = requests.next();
    this.#setState(row, 'loading', 0, 'Chargement…');
    try {
      await work(signal);
    } catch (error) {
      if (isAbort(error)) return;
      this.#setState(row, 'error', 0, 'Couche indisponible');
      this.onError(error);
    }
  }

  async #loadApl() {
    const row = this.rows.apl;
    if (!row.toggle.checked) return;
    if (Math.round(this.map.getZoom()) < MIN_ZOOM || !this.communesShown().length) {
      this.aplRequests.abort();
      this.#setState(row, 'hint', 0, `Zoomez (niveau ${MIN_ZOOM} et plus) pour colorer les communes.`);
      return;
    }
    await this.#fetch(row, this.aplRequests, async (signal) => {
      const answer = await api.apl(this.map.getBounds().toBBoxString(), signal);
      if (!row.toggle.checked) return;
      this.apl = {
        edition: answer.edition,
        source: answer.source,
        threshold: answer.under_served_threshold,
        values: new Map(Object.entries(answer.values)),
      };
      this.restyleCommunes();
      const shown = this.communesShown().filter(({ code }) => Number.isFinite(this.apl.values.get(code)));
      const under = shown.filter(({ code }) => this.apl.values.get(code) < this.apl.threshold);
      row.node.dataset.underServed = String(under.length);
      this.#setState(row, 'ready', shown.length, shown.length
        ? `Édition ${answer.edition} : ${plural(shown.length, 'commune colorée', 'communes colorées')}, `
          + `dont ${formatCount(under.length)} sous ${decimal.format(this.apl.threshold)} (sous-dotées)`
        : `Édition ${answer.edition} : aucune valeur pour les communes affichées`);
    });
  }

  async #loadHospitals() {
    const row = this.rows.hospitals;
    if (!row.toggle.checked) return;
    await this.#fetch(row, this.hospitalRequests, async (signal) => {
      const collection = await api.hospitals(this.map.getBounds().toBBoxString(), signal);
      if (!row.toggle.checked) return;
      this.hospitalsLayer.clearLayers();
      this.hospitalsLayer.addData(collection);
      const count = collection.features.length;
      const second = collection.features.filter((f) => f.properties.second_line).length;
      this.#setState(row, 'ready', count, count
        ? `${plural(count, 'établissement', 'établissements')} dans la vue, dont ${formatCount(second)} de second recours`
        : 'Aucun établissement dans la vue');
    });
  }
}
