// SVG elements for the report's map and charts: drawn in the page, kept as is in the download.

const NS = 'http://www.w3.org/2000/svg';

/** `svg('rect', { x: 0, width: 10 }, child...)`: attributes set as given, text children as text. */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

/** A number for an SVG attribute: two decimals at most. */
export const n2 = (value) => Math.round(value * 100) / 100;
