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

// The communes of the territory that an existing CPTS already covers: red for a conflict,
// orange for a minor contact; declared splits are not highlighted. A commune only partly in a
// drawn territory is drawn whole, so it is only outlined: the shared part is where the outline
// meets the drawn perimeter. Above the territory, not interactive either.
const OVERLAP_STYLES = {
  conflict: { color: '#b42318', weight: 2.5, fillColor: '#d92d20', fillOpacity: 0.5 },
  sliver: { color: '#b54708', weight: 1.5, dashArray: '4 3', fillColor: '#f79009', fillOpacity: 0.3 },
};
const PARTIAL_STYLE = { dashArray: '6 4', fillOpacity: 0.08 };

export function createOverlapLayer(map) {
  const pane = map.createPane('overlap-highlight');
  pane.style.zIndex = 385;
  pane.style.pointerEvents = 'none';
  return L.geoJSON(null, {
    pane: 'overlap-highlight',
    pmIgnore: true,
    interactive: false,
    style: ({ properties }) => ({
      ...OVERLAP_STYLES[properties.overlapKind],
      ...(properties.coverage < 1 ? PARTIAL_STYLE : {}),
      interactive: false,
      className: `overlap-highlight overlap-highlight-${properties.overlapKind}`,
    }),
  }).addTo(map);
}

/** Highlights the territory's communes shared with registry CPTS (nothing for null). */
export function showOverlaps(layer, diagnosis) {
  layer.clearLayers();
  if (!diagnosis?.overlaps?.length) return;
  const kinds = new Map();
  for (const overlap of diagnosis.overlaps) {
    if (!(overlap.kind in OVERLAP_STYLES)) continue;
    for (const { code } of overlap.shared_communes) {
      // A commune in a conflict with one CPTS and a minor contact with another shows the conflict.
      if (kinds.get(code) !== 'conflict') kinds.set(code, overlap.kind);
    }
  }
  const features = diagnosis.territory.features
    .filter((feature) => kinds.has(feature.properties.code))
    .map((feature) => ({ ...feature, properties: { ...feature.properties, overlapKind: kinds.get(feature.properties.code) } }));
  layer.addData({ type: 'FeatureCollection', features });
}
