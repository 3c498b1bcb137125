// The communes of the diagnosed territory, as returned in the diagnosis' `territory`
// FeatureCollection, shaded by how much of each is covered. Not interactive: hovering and
// clicking go through to the communes base layer underneath.

const FILL = '#e8590c';

function style({ properties: { coverage } }) {
  const partial = coverage < 1;
  return {
    color: FILL,
    weight: partial ? 1 : 1.5,
    dashArray: partial ? '4 3' : null,
    fillColor: FILL,
    fillOpacity: 0.1 + 0.45 * coverage,
    interactive: false,
  };
}

export function createTerritoryLayer(map) {
  const pane = map.createPane('territory');
  pane.style.zIndex = 380;
  pane.style.pointerEvents = 'none';
  return L.geoJSON(null, { pane: 'territory', style, pmIgnore: true, interactive: false }).addTo(map);
}

/** Replaces what the layer shows with the diagnosis' territory (nothing for null). */
export function showTerritory(layer, diagnosis) {
  layer.clearLayers();
  if (diagnosis) layer.addData(diagnosis.territory);
}
