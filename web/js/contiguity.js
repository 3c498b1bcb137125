// Contiguity of a set of communes, from their outlines: two communes are neighbours when they
// share a stretch of border (at least two vertices on each other's border; a single shared
// corner does not count, as in the server's adjacency, src/engine/adjacency.rs).
// Used where the server's `contiguity` is not sent, and by the proposal editor.

import { plural } from './format.js';

const rings = (geometry) => {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return geometry.coordinates;
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.flat();
  return [];
};

// Outlines of different sources (a commune beside an arrondissement) do not share their
// vertices: a vertex is on a border when it lies within TOLERANCE_KM of one of its edges. Degrees of longitude are scaled by cos(latitude).
const TOLERANCE_KM = 0.03;
const KM_PER_DEGREE = 111.32;
const CELL = 0.01; // degrees, the grid that indexes the edges

/** Squared distance in km² from p to the segment ab, all [lon, lat], at longitude factor k. */
function distance2(p, a, b, k) {
  const ax = (a[0] - p[0]) * k;
  const ay = a[1] - p[1];
  const dx = (b[0] - a[0]) * k;
  const dy = b[1] - a[1];
  const length2 = dx * dx + dy * dy;
  const t = length2 ? Math.min(1, Math.max(0, -(ax * dx + ay * dy) / length2)) : 0;
  const x = ax + t * dx;
  const y = ay + t * dy;
  return (x * x + y * y) * KM_PER_DEGREE * KM_PER_DEGREE;
}

const cellKey = (i, j) => `${i},${j}`;

/** Grid cell -> the edges [code, a, b] crossing it. */
function edgeIndex(features) {
  const cells = new Map();
  for (const { geometry, properties: { code } } of features) {
    for (const ring of rings(geometry)) {
      for (let n = 1; n < ring.length; n += 1) {
        const a = ring[n - 1];
        const b = ring[n];
        for (let i = Math.floor(Math.min(a[0], b[0]) / CELL); i <= Math.floor(Math.max(a[0], b[0]) / CELL); i += 1) {
          for (let j = Math.floor(Math.min(a[1], b[1]) / CELL); j <= Math.floor(Math.max(a[1], b[1]) / CELL); j += 1) {
            const k = cellKey(i, j);
            if (!cells.has(k)) cells.set(k, []);
            cells.get(k).push([code, a, b]);
          }
        }
      }
    }
  }
  return cells;
}

/** code -> Set of the codes of its neighbours among `features` (GeoJSON features with `properties.code`). */
export function neighbours(features) {
  const adjacent = new Map(features.map((f) => [f.properties.code, new Set()]));
  const cells = edgeIndex(features);
  const limit = TOLERANCE_KM * TOLERANCE_KM;
  const touching = new Map(); // "a|b" -> vertices of a on b's border
  for (const { geometry, properties: { code } } of features) {
    for (const ring of rings(geometry)) {
      for (const p of ring.slice(1)) { // a closed ring repeats its first vertex
        const k = Math.cos((p[1] * Math.PI) / 180);
        const ci = Math.floor(p[0] / CELL);
        const cj = Math.floor(p[1] / CELL);
        const near = new Set();
        for (let i = ci - 1; i <= ci + 1; i += 1) {
          for (let j = cj - 1; j <= cj + 1; j += 1) {
            for (const [other, a, b] of cells.get(cellKey(i, j)) ?? []) {
              if (other !== code && !near.has(other) && distance2(p, a, b, k) <= limit) near.add(other);
            }
          }
        }
        for (const other of near) {
          const pair = code < other ? `${code}|${other}` : `${other}|${code}`;
          const count = (touching.get(pair) ?? 0) + 1;
          touching.set(pair, count);
          // Two vertices on the other's border: a stretch of shared border, not a corner.
          if (count === 2) {
            adjacent.get(code).add(other);
            adjacent.get(other).add(code);
          }
        }
      }
    }
  }
  return adjacent;
}

/**
 * The connected parts of `codes` under `adjacent` (from `neighbours`), largest first, each in
 * the order of `codes`. A code with no outline is a part by itself.
 */
export function parts(codes, adjacent) {
  const wanted = new Set(codes);
  const seen = new Set();
  const found = [];
  for (const start of codes) {
    if (seen.has(start)) continue;
    const part = new Set([start]);
    seen.add(start);
    const queue = [start];
    while (queue.length) {
      for (const next of adjacent.get(queue.shift()) ?? []) {
        if (wanted.has(next) && !seen.has(next)) {
          seen.add(next);
          part.add(next);
          queue.push(next);
        }
      }
    }
    found.push(codes.filter((c) => part.has(c)));
  }
  return found.sort((a, b) => b.length - a.length);
}

/** The parts of a diagnosis' territory: the server's `contiguity` when sent, else from the outlines. */
export function territoryParts(diagnosis) {
  if (Array.isArray(diagnosis.contiguity?.parts_detail)) return diagnosis.contiguity.parts_detail;
  const { features } = diagnosis.territory;
  return parts(features.map((f) => f.properties.code), neighbours(features));
}

const SHOWN = 4;

/**
 * The parts of a territory in several pieces, each in words (`Caen, Ifs et 2 autres
 * communes`), largest first; an empty list for a territory in one piece.
 */
export function partsInWords(diagnosis) {
  const pieces = territoryParts(diagnosis);
  if (pieces.length < 2) return [];
  const names = new Map(diagnosis.territory.features.map((f) => [f.properties.code, f.properties.name]));
  return pieces.map((part) => part.slice(0, SHOWN).map((code) => names.get(code) ?? code).join(', ')
    + (part.length > SHOWN ? ` et ${plural(part.length - SHOWN, 'autre commune', 'autres communes')}` : ''));
}
