// The communes base layer: the outlines of the communes in view, fetched from /api/communes
// once the view settles (zoom >= MIN_ZOOM only), drawn on a canvas under everything else.
// A moving view aborts the fetch in flight. #map-status tells what the layer is doing; its
// data-state is one of hint (zoomed out), moving, loading, ready and error.

import { api, isAbort, LatestRequest } from './api.js';
import { debounce, el } from './dom.js';
import { formatCoverage, formatInhabitants, plural } from './format.js';

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
   * @param {(code: string) => Node[]} [options.notesOf]  more lines for a commune's tooltip
   * @param {(features: object[]) => void} [options.onLoad]  called with the features drawn when the communes in view were replaced
   * @param {(code: string) => object|null} [options.fillOf]  a fill (thematic colouring) for a commune
   */
  constructor(map, {
    isSelected, coverageOf, onClick, onError, notesOf = () => [], onLoad = () => {}, fillOf = () => null,
  }) {
    this.map = map;
    this.fillOf = fillOf;
    this.isSelected = isSelected;
    this.coverageOf = coverageOf;
    this.notesOf = notesOf;
    this.onLoad = onLoad;
    this.onError = onError;
    this.status = document.getElementById('map-status');
    this.requests = new LatestRequest();

    map.createPane('communes').style.zIndex = 350;
    this.layer = L.geoJSON(null, {
      pane: 'communes',
      renderer: L.canvas({ pane: 'communes', padding: 0.2 }),
      pmIgnore: true,
      attribution: 'Communes : IGN Admin Express, populations : INSEE',
      style: ({ properties: { code } }) => {
        const fill = this.fillOf(code);
        const style = this.isSelected(code) ? SELECTED_STYLE : BASE_STYLE;
        return fill ? { ...style, ...fill, ...(this.isSelected(code) ? { color: SELECTED_STYLE.color, weight: 2 } : {}) } : style;
      },
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
    // Zoomed in, the overlays above let the pointer through to the communes (see style.css).
    this.map.getContainer().dataset.communes = zoom < MIN_ZOOM ? 'hidden' : 'shown';
    if (zoom < MIN_ZOOM) {
      this.requests.abort();
      this.layer.clearLayers();
      this.#setStatus('hint', 'Zoomez pour afficher les communes');
      this.onLoad([]);
      return;
    }
    const signal = this.requests.next();
    this.#setStatus('loading', 'Chargement des communes…');
    try {
      const collection = await api.communes(this.map.getBounds().toBBoxString(), zoom, signal);
      this.layer.clearLayers();
      this.layer.addData(collection);
      const count = collection.features.length;
      this.#setStatus('ready', plural(count, 'commune affichée', 'communes affichées'));
      this.onLoad(collection.features);
    } catch (error) {
      if (isAbort(error)) return;
      this.#setStatus('error', 'Communes indisponibles');
      this.onError(error);
    }
  }

  /** The properties of the communes drawn. */
  communesShown() {
    return this.featuresShown().map((feature) => feature.properties);
  }

  /** The GeoJSON features of the communes drawn. */
  featuresShown() {
    const shown = [];
    this.layer.eachLayer((layer) => shown.push(layer.feature));
    return shown;
  }

  /** The département of the commune at the centre of the view, or null (zoomed out, at sea). */
  departementAtCenter() {
    const { lng, lat } = this.map.getCenter();
    let found = null;
    this.layer.eachLayer((layer) => {
      const { geometry, properties } = layer.feature;
      if (!found && layer.getBounds().contains([lat, lng]) && containsPoint(geometry, lng, lat)) {
        found = properties.departement ?? null;
      }
    });
    return found;
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
        `Dans le territoire : ${formatCoverage(inTerritory.coverage)}`) : null,
      ...this.notesOf(code));
  }
}

/** Whether a GeoJSON Polygon or MultiPolygon contains a point (even-odd rule over all rings). */
function containsPoint(geometry, x, y) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates]
    : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  let inside = false;
  for (const ring of polygons.flat()) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}
