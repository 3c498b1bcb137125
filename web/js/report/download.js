// The report as one self-contained HTML file: the rendered page with its stylesheet inlined,
// its SVG inline, no script, no link, no toolbar: readable and printable offline.

import { download } from '../exports.js';

/** `Bayeux et 2 autres communes` -> `bayeux-et-2-autres-communes`. */
const slug = (text) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
  .replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'territoire';

/** `diagnostic-<territory>-<YYYY-MM-DD>.html` */
export const reportFilename = (name, date = new Date()) =>
  `diagnostic-${slug(name)}-${date.toISOString().slice(0, 10)}.html`;

/** The page's HTML, self-contained: `css` inlined in a <style>. */
export function selfContainedHtml(document, css) {
  const root = document.documentElement.cloneNode(true);
  for (const node of root.querySelectorAll('script, link, .toolbar, noscript')) node.remove();
  const style = document.createElement('style');
  style.textContent = css;
  root.querySelector('head').append(style);
  return `<!doctype html>\n${root.outerHTML}\n`;
}

export async function downloadReport(document, name) {
  const response = await fetch(document.getElementById('report-style').href);
  if (!response.ok) throw new Error(`feuille de style indisponible (HTTP ${response.status})`);
  download(reportFilename(name), selfContainedHtml(document, await response.text()), 'text/html;charset=utf-8');
}
