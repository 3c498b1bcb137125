// The map's legend (bottom left, foldable): one line for every colour the map shows at the
// moment, and only those: the territory and its partly covered communes, its overlaps with
// existing CPTS, the département borders, the drawn perimeter, the proposal's candidates and
// the layers of the layer panel that are on. #map-legend's items carry data-key.

import { el } from './dom.js';

/** key -> [swatch class, French text] */
export const LEGEND_ENTRIES = {
  territory: ['swatch-territory', 'Territoire (commune entière)'],
  territory_partial: ['swatch-territory-partial', 'Commune en partie dans le territoire'],
  conflict: ['swatch-conflict', 'Conflit avec une CPTS existante'],
  sliver: ['swatch-sliver', 'Contact mineur avec une CPTS existante'],
  perimeter: ['swatch-perimeter', 'Périmètre dessiné'],
  departements: ['swatch-departement', 'Limite de département'],
  proposal: ['swatch-proposal', 'Territoires candidats (une couleur par candidat)'],
  cpts: ['swatch-cpts', 'CPTS existante'],
  cpts_approximate: ['swatch-cpts-approximate', 'CPTS existante, contour approximatif'],
  pair_conflict: ['swatch-conflict', 'Conflit entre deux CPTS'],
  pair_sliver: ['swatch-sliver', 'Contact mineur entre deux CPTS'],
  pair_declared_split: ['swatch-declared_split', 'Commune partagée déclarée'],
  uncovered: ['swatch-uncovered', 'Commune sans CPTS'],
  partly_covered: ['swatch-partly_covered', 'Commune en partie couverte'],
  apl_under: ['swatch-apl-under', 'APL < 2,5 (sous-dotée, contour foncé)'],
  apl_low: ['swatch-apl-low', 'APL de 2,5 à 3'],
  apl_mid: ['swatch-apl-mid', 'APL de 3 à 4'],
  apl_good: ['swatch-apl-good', 'APL de 4 à 5'],
  apl_high: ['swatch-apl-high', 'APL de 5 et plus'],
  hospital: ['swatch-hospital', 'Établissement de santé'],
  hospital_second: ['swatch-hospital-second', 'Établissement de second recours'],
  arrondissement: ['swatch-arrondissement', 'Arrondissement (un clic l’ajoute ou le retire)'],
  iris: ['swatch-iris', 'IRIS (un clic l’ajoute ou le retire)'],
};

export class MapLegend {
  constructor(map) {
    this.list = el('ul', { className: 'legend-items', id: 'map-legend-items' });
    const control = L.control({ position: 'bottomleft' });
    control.onAdd = () => {
      const node = el('details', { id: 'map-legend', className: 'map-legend leaflet-bar', open: map.getSize().x >= 500, hidden: true },
        el('summary', {}, 'Légende'), this.list);
      L.DomEvent.disableClickPropagation(node);
      L.DomEvent.disableScrollPropagation(node);
      this.node = node;
      return node;
    };
    control.addTo(map);
  }

  /** Shows the entries of `keys` (LEGEND_ENTRIES), in that table's order. */
  show(keys) {
    const wanted = new Set(keys);
    const shown = Object.entries(LEGEND_ENTRIES).filter(([key]) => wanted.has(key));
    this.list.replaceChildren(...shown.map(([key, [swatch, text]]) => el('li', { dataset: { key } },
      el('span', { className: `swatch ${swatch}`, ariaHidden: 'true' }), text)));
    this.node.hidden = shown.length === 0;
  }
}
