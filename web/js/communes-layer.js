// The communes base layer: the outlines of the communes in view, fetched from /api/communes
// once the view settles (zoom >= MIN_ZOOM only), drawn on a canvas under everything else.
// A moving view aborts the fetch in flight. #map-status tells what the layer is doing; its
// data-state is one of hint (zoomed out), moving, loading, ready and error.

import { api, isAbort, LatestRequest } from './api.js';
import { debounce, el } from './dom.js';
import { formatCoverage, formatInhabitants } from './format.js';

export const MIN_ZOOM = 8;
const SETTLE_DELAY_MS = 250;

const BASE_STYLE = { color: '#5c6670', weight: 0.6, fillColor: '#ffffff', fillOpacity: 0.55 };
const SELECTED_STYLE = { ...BASE_STYLE, color: '#b3400b', weight: 2 };
const HOVER_STYLE = { weight: 2.5, color: '#1c4f82' };

export class CommunesLayer {
  /**
   * @param {L.Map} map
   * @param {object} options
   * @param {(code: string) => boolean} options.isSelected  whether a commune is highlighted
   * @param {(code: string) => object|undefined} options.coverageOf  the territory feature's properties, if any
   * @param {(properties: object) => void} options.onClick
   * @param {(error: Error) => void} options.onError
   */
  constructor(map, { isSelected, coverageOf, onClick, onError }) {
    this.map = map;
    this.isSelected = isSelected;
    this.coverageOf = coverageOf;
    this.onError = onError;
    this.status = document.getElementById('map-status');
    this.requests = new LatestRequest();

    map.createPane('communes').style.zIndex = 350;
    this.layer = L.geoJSON(null, {
      pane: 'communes',
      renderer: L.canvas({ pane: 'communes', padding: 0.2 }),
      pmIgnore: true,
      attribution: 'Communes : IGN Admin Express, populations : INSEE',
      style: (feature) => (this.isSelected(feature.properties.code) ? SELECTED_STYLE : BASE_STYLE),
      onEachFeature: (feature, layer) => {
        layer.bindTooltip(() => this.#tooltip(feature.properties), { sticky: true, direction: 'top' });
        layer.on({
          mouseover: () => layer.setStyle(HOVER_STYLE),
          mouseout: () => this.layer.resetStyle(layer),
          click: () => onClick(feature.properties),
        });
      },
    }).addTo(map);

    const settled = debounce(() => this.#load(), SETTLE_DELAY_MS);
    map.on('movestart', () => {
      settled.cancel();
      this.requests.abort();
      this.status.dataset.state = 'moving'; // the text stays until the view settles
    });
    map.on('moveend', settled);
    this.#load();
  }

  /** Restyles the communes after the selection changed. */
  refresh() {
    this.layer.eachLayer((layer) => this.layer.resetStyle(layer));
  }

  async #load() {
    const zoom = Math.round(this.map.getZoom());
    if (zoom < MIN_ZOOM) {
      this.requests.abort();
      this.layer.clearLayers();
      this.#setStatus('hint', 'Zoomez pour afficher les communes');
      return;
    }
    const signal = this.requests.next();
    this.#setStatus('loading', 'Chargement des communes…');
    try {
      const collection = await api.communes(this.map.getBounds().toBBoxString(), zoom, signal);
      this.layer.clearLayers();
      this.layer.addData(collection);
      const count = collection.features.length;
      this.#setStatus('ready', count > 1 ? `${count} communes affichées` : `${count} commune affichée`);
    } catch (error) {
      if (isAbort(error)) return;
      this.#setStatus('error', 'Communes indisponibles');
      this.onError(error);
    }
  }

  #setStatus(state, text) {
    this.status.dataset.state = state;
    this.status.textContent = text;
  }

  #tooltip({ code, name, population }) {
    const inTerritory = this.coverageOf(code);
    return el('div', { className: 'commune-tooltip' },
      el('strong', {}, name), ` (${code})`, el('br'), formatInhabitants(population),
      inTerritory ? el('div', { className: 'tooltip-coverage' },
        `Dans le territoire : ${formatCoverage(inTerritory.coverage)}`) : null);
  }
}
