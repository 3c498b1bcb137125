// The IRIS layer: outlines of the IRIS loaded by the server (Rhône, Lyon, Lille by default),
// fetched from /api/iris once the view settles at zoom >= MIN_ZOOM. Outlines only, not
// interactive: clicks and hovering go through to the communes underneath. Where no IRIS are
// loaded the layer is simply empty.

import { api, isAbort, LatestRequest } from './api.js';
import { debounce } from './dom.js';

export const MIN_ZOOM = 13;
const SETTLE_DELAY_MS = 250;

/** Residential IRIS in a plain line, activity and miscellaneous ones dashed. */
function style({ properties: { type } }) {
  return {
    color: '#6741d9',
    weight: 1,
    opacity: 0.8,
    dashArray: type === 'H' || type === 'Z' ? null : '3 4',
    fill: false,
    interactive: false,
  };
}

export class IrisLayer {
  /**
   * @param {L.Map} map
   * @param {(error: Error) => void} onError
   * @param {() => void} [onChange]  called when the outlines shown were replaced
   */
  constructor(map, onError, onChange = () => {}) {
    this.map = map;
    this.onError = onError;
    this.onChange = onChange;
    this.requests = new LatestRequest();
    const pane = map.createPane('iris');
    pane.style.zIndex = 360;
    pane.style.pointerEvents = 'none';
    this.layer = L.geoJSON(null, {
      pane: 'iris', style, pmIgnore: true, interactive: false,
      attribution: 'IRIS : IGN Contours IRIS, INSEE',
    }).addTo(map);
    const settled = debounce(() => this.#load(), SETTLE_DELAY_MS);
    map.on('movestart', () => {
      settled.cancel();
      this.requests.abort();
    });
    map.on('moveend', settled);
    this.#load();
  }

  /** Number of IRIS outlines shown. */
  get count() {
    return this.layer.getLayers().length;
  }

  async #load() {
    if (Math.round(this.map.getZoom()) < MIN_ZOOM) {
      this.requests.abort();
      this.layer.clearLayers();
      this.onChange();
      return;
    }
    const signal = this.requests.next();
    try {
      const collection = await api.iris(this.map.getBounds().toBBoxString(), signal);
      this.layer.clearLayers();
      this.layer.addData(collection);
      this.onChange();
    } catch (error) {
      if (!isAbort(error)) this.onError(error);
    }
  }
}
