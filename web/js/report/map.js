// The territory's map for the report: its communes' outlines as SVG, projected equirectangular
// (longitudes shrunk by the cosine of the mean latitude), with partly covered communes hatched,
// the drawn perimeter if any, the largest communes named, and a scale bar. No tiles.

import { n2, svg } from './svg.js';

const WIDTH = 640;
const MAX_HEIGHT = 520;
const MARGIN = 12;
const KM_PER_DEGREE = 111.32;
const LABELLED = 8;

/** Every ring of a Polygon or MultiPolygon geometry. */
const ringsOf = (geometry) => {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return geometry.coordinates;
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.flat();
  return [];
};

/** The drawn perimeter's geometry from a Feature, FeatureCollection or geometry. */
const perimeterRings = (geojson) => {
  if (!geojson) return [];
  if (geojson.type === 'Feature') return perimeterRings(geojson.geometry);
  if (geojson.type === 'FeatureCollection') return geojson.features.flatMap((f) => perimeterRings(f.geometry));
  return ringsOf(geojson);
};

function projection(rings) {
  let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of rings) {
    for (const [lon, lat] of ring) {
      minLon = Math.min(minLon, lon); maxLon = Math.max(maxLon, lon);
      minLat = Math.min(minLat, lat); maxLat = Math.max(maxLat, lat);
    }
  }
  const cos = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
  const spanX = Math.max((maxLon - minLon) * cos, 1e-6);
  const spanY = Math.max(maxLat - minLat, 1e-6);
  const scale = Math.min((WIDTH - 2 * MARGIN) / spanX, (MAX_HEIGHT - 2 * MARGIN) / spanY);
  const height = Math.ceil(spanY * scale + 2 * MARGIN);
  const offsetX = (WIDTH - spanX * scale) / 2;
  return {
    height,
    kmPerPixel: KM_PER_DEGREE / scale,
    project: ([lon, lat]) => [n2(offsetX + (lon - minLon) * cos * scale), n2(MARGIN + (maxLat - lat) * scale)],
  };
}

const pathOf = (rings, project) => rings
  .map((ring) => `M${ring.map((point) => project(point).join(',')).join('L')}Z`).join('');

/** Centre of the bounding box of a feature's largest ring, in map pixels. */
function labelPoint(geometry, project) {
  const rings = ringsOf(geometry);
  if (!rings.length) return null;
  const largest = rings.reduce((best, ring) => (ring.length > best.length ? ring : best));
  const points = largest.map(project);
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}

/** A round length (1, 2 or 5 × 10^k km) about a fifth of the map's width. */
function scaleBar(kmPerPixel, height) {
  const target = (WIDTH / 5) * kmPerPixel;
  const power = 10 ** Math.floor(Math.log10(target));
  const km = [5, 2, 1].map((m) => m * power).find((v) => v <= target) ?? power;
  const length = km / kmPerPixel;
  const y = height - MARGIN;
  const label = km >= 1 ? `${km} km` : `${Math.round(km * 1000)} m`;
  return svg('g', { class: 'scale-bar' },
    svg('rect', { x: MARGIN, y: y - 4, width: n2(length), height: 4, fill: '#1f2933' }),
    svg('text', { x: MARGIN, y: y - 8, 'font-size': 11, fill: '#1f2933' }, label));
}

/**
 * The map of `diagnosis.territory` (features with `code`, `name`, `coverage`, `population`);
 * `perimeter` is the drawn GeoJSON, if the territory was drawn. Returns a <figure>.
 */
export function territoryMap(diagnosis, perimeter) {
  const features = diagnosis.territory?.features?.filter((f) => f.geometry) ?? [];
  const drawn = perimeterRings(perimeter);
  const rings = [...features.flatMap((f) => ringsOf(f.geometry)), ...drawn];
  const figure = document.createElement('figure');
  figure.className = 'territory-map';
  if (!rings.length) {
    figure.append(Object.assign(document.createElement('p'), {
      className: 'note', textContent: 'Aucun contour à cartographier (arrondissements sans contour).',
    }));
    return figure;
  }
  const { height, kmPerPixel, project } = projection(rings);
  const hatch = svg('pattern', {
    id: 'hatch-partial', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)',
  }, svg('rect', { width: 6, height: 6, fill: '#fde2cc' }), svg('rect', { width: 2.5, height: 6, fill: '#f59f61' }));
  const communes = features.map((f) => {
    const partial = f.properties.coverage < 1;
    return svg('path', {
      d: pathOf(ringsOf(f.geometry), project),
      'fill-rule': 'evenodd',
      fill: partial ? 'url(#hatch-partial)' : '#f59f61',
      stroke: '#7c2d12',
      'stroke-width': 0.6,
      'data-code': f.properties.code,
      'data-partial': String(partial),
    }, svg('title', {}, `${f.properties.name} (${f.properties.code})`));
  });
  const labels = [...features]
    .sort((a, b) => b.properties.population_counted - a.properties.population_counted)
    .slice(0, LABELLED)
    .map((f) => {
      const at = labelPoint(f.geometry, project);
      return at && svg('text', {
        x: n2(at[0]), y: n2(at[1]), 'text-anchor': 'middle', 'font-size': 11, 'font-weight': 600,
        fill: '#1f2933', stroke: '#ffffff', 'stroke-width': 3, 'paint-order': 'stroke',
      }, f.properties.name);
    });
  const outline = drawn.length ? svg('path', {
    d: pathOf(drawn, project), fill: 'none', stroke: '#1c4f82', 'stroke-width': 2, 'stroke-dasharray': '6 3',
  }) : null;
  const map = svg('svg', {
    class: 'map', viewBox: `0 0 ${WIDTH} ${height}`, role: 'img',
    'aria-label': `Carte des ${features.length} communes du territoire`,
  }, svg('defs', {}, hatch), svg('g', {}, ...communes), outline, svg('g', {}, ...labels), scaleBar(kmPerPixel, height));
  const legend = document.createElement('div');
  legend.className = 'legend';
  const item = (swatchClass, text) => {
    const span = document.createElement('span');
    const swatch = document.createElement('span');
    swatch.className = `swatch ${swatchClass}`;
    span.append(swatch, text);
    return span;
  };
  const unit = features.every((f) => f.properties.iris) ? ['IRIS', 'inclus', 'hachuré']
    : features.some((f) => f.properties.iris || f.properties.arrondissement) ? ['Unité', 'incluse', 'hachurée']
      : ['Commune', 'incluse', 'hachurée'];
  legend.append(item('whole', `${unit[0]} entièrement ${unit[1]}`));
  if (features.some((f) => f.properties.coverage < 1)) legend.append(item('partial', `${unit[0]} en partie ${unit[1]} (${unit[2]})`));
  if (drawn.length) legend.append(item('perimeter', 'Périmètre dessiné (tirets bleus)'));
  const caption = document.createElement('figcaption');
  caption.textContent = 'Projection équirectangulaire simple, nord en haut. Contours : IGN ADMIN EXPRESS-COG 2018 simplifié '
    + '(communes fusionnées dissoutes selon le COG 2026).';
  figure.append(map, legend, caption);
  return figure;
}
