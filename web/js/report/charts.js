// SVG bar charts of the report, drawn without any library: one value per row (population by
// commune), or a territory against its comparison areas (densities by profession).

import { n2, svg } from './svg.js';

const WIDTH = 640;
const LABEL_WIDTH = 190;
const VALUE_WIDTH = 110;
const ROW = 20;
const BAR = 13;
/** Colours of the series: the territory first, then département, région, France. */
export const SERIES_COLOURS = ['#e8590c', '#1c4f82', '#6b9bc8', '#b8c4d0'];

const truncate = (text, max = 30) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Horizontal bars, one per item `{ label, value, muted }`, the value written after the bar by
 * `format`. `title` names the chart for screen readers.
 */
export function barChart(items, { format, title }) {
  const max = Math.max(...items.map((item) => item.value), 0) || 1;
  const barSpace = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = items.length * ROW + 6;
  const rows = items.map((item, i) => {
    const y = 3 + i * ROW;
    const width = Math.max((item.value / max) * barSpace, item.value > 0 ? 1 : 0);
    return svg('g', { 'data-label': item.label },
      svg('text', { x: LABEL_WIDTH - 6, y: y + BAR - 2, 'text-anchor': 'end', 'font-size': 11, fill: '#1f2933' },
        truncate(item.label)),
      svg('rect', { x: LABEL_WIDTH, y, width: n2(width), height: BAR, fill: item.muted ? '#b8c4d0' : SERIES_COLOURS[0] }),
      svg('text', { x: n2(LABEL_WIDTH + width + 4), y: y + BAR - 2, 'font-size': 11, fill: '#1f2933' }, format(item.value)));
  });
  return svg('svg', { class: 'chart bar-chart', viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': title },
    svg('title', {}, title), ...rows);
}

/**
 * Grouped horizontal bars: for each row `{ label, values: [number|null, ...] }` one bar per
 * series (territory, département, région, France); a missing value is written "n.d.".
 */
export function comparisonChart(rows, { series, format, title }) {
  const values = rows.flatMap((row) => row.values).filter(Number.isFinite);
  const max = Math.max(...values, 0) || 1;
  const barSpace = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const bar = 9;
  const group = series.length * (bar + 2) + 8;
  const height = rows.length * group + 4;
  const groups = rows.map((row, r) => {
    const top = 4 + r * group;
    return svg('g', { 'data-label': row.label },
      svg('text', { x: LABEL_WIDTH - 6, y: top + (series.length * (bar + 2)) / 2 + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#1f2933' },
        truncate(row.label)),
      ...series.map((name, s) => {
        const value = row.values[s];
        const y = top + s * (bar + 2);
        if (!Number.isFinite(value)) {
          return svg('text', { x: LABEL_WIDTH + 2, y: y + bar - 1, 'font-size': 9, fill: '#5c6670' }, `${name} : n.d.`);
        }
        const width = Math.max((value / max) * barSpace, value > 0 ? 1 : 0);
        return svg('g', {},
          svg('rect', { x: LABEL_WIDTH, y, width: n2(width), height: bar, fill: SERIES_COLOURS[s % SERIES_COLOURS.length] },
            svg('title', {}, `${name} : ${format(value)}`)),
          svg('text', { x: n2(LABEL_WIDTH + width + 3), y: y + bar - 1, 'font-size': 9, fill: '#1f2933' }, format(value)));
      }));
  });
  return svg('svg', { class: 'chart comparison-chart', viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': title },
    svg('title', {}, title), ...groups);
}
