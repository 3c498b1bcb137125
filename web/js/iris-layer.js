// The infra-communal layers: the arrondissements municipaux of Paris, Lyon and Marseille (from
// zoom 12, /api/arrondissements) and the IRIS (from zoom 14, /api/iris), fetched for the view
// once it settles. Like the communes, a click adds one to the territory or removes it (in
// 'select' mode); the server refuses a double count (an IRIS inside a commune already chosen).
// IRIS that are a whole commune have no outline of their own: clicks there reach the commune.

import { api, isAbort, LatestRequest } from './api.js';
import { debounce, el } from './dom.js';
import { formatInhabitants } from './format.js';

const SETTLE_DELAY_MS = 250;
const SELECTED = { color: '#b3400b', weight: 2.5, fillColor: '#b3400b', fillOpacity: 0.18 };
const HOVER = { weight: 3, color: '#1c4f82' };

/** Residential IRIS in a plain line, activity and miscellaneous ones dashed. */
const irisStyle = ({ properties: { type } }) => ({
  color: '#6741d9',
  weight: 1,
  opacity: 0.8,
  dashArray: type === 'H' || type === 'Z' ? null : '3 4',
  fillColor: '#6741d9',
  fillOpacity: 0.02,
});
const arrondissementStyle = () => ({
  color: '#0b7285', weight: 1.5, opacity: 0.9, fillColor: '#0b7285', fillOpacity: 0.03,
});

const KINDS = {
  arrondissements: {
    minZoom: 12,
    maxZoom: 13,
    zIndex: 355,
    fetch: (bbox, signal) => api.arrondissements(bbox, signal),
    style: arrondissementStyle,
    attribution: 'Arrondissements : contours fusionnés des IRIS (IGN, INSEE)',
    label: '', // their names say it: "Marseille 1er Arrondissement"
  },
  iris: {
    minZoom: 14,
    maxZoom: Infinity,
    zIndex: 360,
    fetch: (bbox, signal) => api.iris(bbox, signal),
    style: irisStyle,
    attribution: 'IRIS : IGN Contours IRIS, INSEE',
    label: 'IRIS',
  },
};

export class InfraLayer {
  /**
   * @param {L.Map} map
   * @param {'arrondissements'|'iris'} kind
   * @param {object} options
   * @param {(code: string) => boolean} options.isSelected  whether it is in the territory
   * @param {(properties: object) => void} options.onClick
   * @param {(error: Error) => void} options.onError
   * @param {() => void} [options.onChange]  called when the outlines shown were replaced
   */
  constructor(map, kind, { isSelected, onClick, onError, onChange = () => {} }) {
    this.map = map;
    this.kind = KINDS[kind];
    this.isSelected = isSelected;
    this.onError = onError;
    this.onChange = onChange;
    this.requests = new LatestRequest();
    map.createPane(kind).style.zIndex = this.kind.zIndex;
    const style = (feature) => ({
      ...this.kind.style(feature),
      ...(this.isSelected(feature.properties.code) ? SELECTED : {}),
    });
    this.layer = L.geoJSON(null, {
      pane: kind,
      style,
      pmIgnore: true,
      attribution: this.kind.attribution,
      onEachFeature: (feature, layer) => {
        layer.bindTooltip(() => this.#tooltip(feature.properties), { sticky: true, direction: 'top' });
        layer.on({
          mouseover: () => layer.setStyle(HOVER),
          mouseout: () => this.layer.resetStyle(layer),
          click: () => onClick(feature.properties),
        });
      },
    }).addTo(map);
    const settled = debounce(() => this.#load(), SETTLE_DELAY_MS);
    map.on('movestart', () => {
      settled.cancel();
      this.requests.abort();
    });
    map.on('moveend', settled);
    this.#load();
  }

  /** Number of outlines shown. */
  get count() {
    return this.layer.getLayers().length;
  }

  /** Restyles the outlines after the territory changed. */
  refresh() {
    this.layer.eachLayer((layer) => this.layer.resetStyle(layer));
  }

  async #load() {
    const zoom = Math.round(this.map.getZoom());
    if (zoom < this.kind.minZoom || zoom > this.kind.maxZoom) {
      this.requests.abort();
      this.layer.clearLayers();
      this.onChange();
      return;
    }
    const signal = this.requests.next();
    try {
      const collection = await this.kind.fetch(this.map.getBounds().toBBoxString(), signal);
      this.layer.clearLayers();
      this.layer.addData(collection);
      this.onChange();
    } catch (error) {
      if (!isAbort(error)) this.onError(error);
    }
  }

  #tooltip({ code, name, population }) {
    return el('div', { className: 'commune-tooltip' },
      el('strong', {}, this.kind.label ? `${this.kind.label} ${name}` : name), ` (${code})`, el('br'),
      population == null ? 'population non disponible' : `${this.kind === KINDS.iris ? '≈ ' : ''}${formatInhabitants(population)}`,
      el('div', { className: 'note' }, this.isSelected(code)
        ? 'Cliquez pour le retirer du territoire' : 'Cliquez pour l’ajouter au territoire'));
  }
}
