// Names of the communes on the map from zoom 10, taken from the communes layer's own features
// (no tiles): at zoom 10 the communes of 3 000 inhabitants or more, then smaller ones as the map
// zooms in. Labels sit at the centroid of each commune's largest ring, in a pane that lets the
// pointer through; the most populated communes are placed first, and a label that would
// overlap one already placed is left out.

export const LABEL_MIN_ZOOM = 10;
/** Smallest population labelled at a zoom (the last one holds beyond). */
const MIN_POPULATION = { 10: 3000, 11: 1000, 12: 200, 13: 0 };
// The size of a label on screen, about (11 px bold text).
const CHAR_WIDTH_PX = 6.5;
const HEIGHT_PX = 14;

const ringArea = (ring) => {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) sum += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return sum / 2;
};

/** [lat, lng] of the centroid of the largest outer ring of a Polygon or MultiPolygon, or null. */
export function labelPoint(geometry) {
  const polygons = geometry?.type === 'Polygon' ? [geometry.coordinates]
    : geometry?.type === 'MultiPolygon' ? geometry.coordinates : [];
  let best = null;
  let bestArea = 0;
  for (const [outer] of polygons) {
    const area = Math.abs(ringArea(outer));
    if (area > bestArea) [best, bestArea] = [outer, area];
  }
  if (!best) return null;
  const signed = ringArea(best);
  let x = 0;
  let y = 0;
  for (let i = 0, j = best.length - 1; i < best.length; j = i, i += 1) {
    const f = best[j][0] * best[i][1] - best[i][0] * best[j][1];
    x += (best[j][0] + best[i][0]) * f;
    y += (best[j][1] + best[i][1]) * f;
  }
  return [y / (6 * signed), x / (6 * signed)];
}

export class CommuneLabels {
  constructor(map) {
    this.map = map;
    const pane = map.createPane('commune-labels');
    pane.style.zIndex = 450;
    pane.style.pointerEvents = 'none';
    this.layer = L.layerGroup([], { pane: 'commune-labels' }).addTo(map);
  }

  /** Replaces the labels by those of `features` (the communes drawn) for the current zoom. */
  update(features) {
    this.layer.clearLayers();
    const zoom = Math.round(this.map.getZoom());
    if (zoom < LABEL_MIN_ZOOM) return;
    const min = MIN_POPULATION[Math.min(zoom, 13)];
    const placed = [];
    const byPopulation = features.filter((f) => f.properties.population >= min)
      .sort((a, b) => b.properties.population - a.properties.population);
    for (const { geometry, properties: { name, code } } of byPopulation) {
      const point = labelPoint(geometry);
      if (!point) continue;
      const { x, y } = this.map.latLngToContainerPoint(point);
      const half = (name.length * CHAR_WIDTH_PX) / 2;
      const box = [x - half, y - HEIGHT_PX / 2, x + half, y + HEIGHT_PX / 2];
      if (placed.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) continue;
      placed.push(box);
      const html = document.createElement('span');
      html.textContent = name;
      html.dataset.code = code;
      this.layer.addLayer(L.marker(point, {
        pane: 'commune-labels',
        interactive: false,
        keyboard: false,
        pmIgnore: true,
        icon: L.divIcon({ className: 'commune-label', html, iconSize: null }),
      }));
    }
  }
}
