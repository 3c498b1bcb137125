// End-to-end test of the printable diagnostic territorial (/report): opened from the map panel
// for selected communes and from the saved territories, its figures against the API's answer,
// printed to an A4 PDF, downloaded as one self-contained HTML file read with no network.
//
//   (cd tests/e2e && npm ci) && cargo build --release && node --test tests/e2e/report.test.mjs
//
// Screenshots: artifacts/e2e-report.png (screen), artifacts/e2e-report-print.png (print media),
// artifacts/e2e-report-drawn.png; the PDF: artifacts/e2e-report.pdf.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as harness from './harness.mjs';

// Caen and five communes around (Calvados: the loaded directory and ages cover them).
const CAEN = ['14118', '14327', '14366', '14047', '14341', '14068'];
const OPTIONAL = 'quality_relevance';
// A drawn square around Caen's centre: it cuts communes, which the report hatches.
const SQUARE = {
  type: 'Polygon',
  coordinates: [[[-0.40, 49.16], [-0.33, 49.16], [-0.33, 49.21], [-0.40, 49.21], [-0.40, 49.16]]],
};

let server;
let browser;
let page;
let pageProblems = [];
const reportProblems = [];

const digits = (value) => Number(harness.plainText(value).replace(/\D/g, ''));
const oneDecimal = (n) => n.toLocaleString('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Watches a report tab: its errors go to reportProblems; resolves once it rendered. */
async function reportReady(report) {
  report.on('pageerror', (error) => reportProblems.push(`page error: ${error.message}`));
  report.on('console', (message) => {
    if (['error', 'warning'].includes(message.type())) reportProblems.push(`console ${message.type()}: ${message.text()}`);
  });
  await report.waitForSelector('#report:not([data-state="loading"])');
  assert.equal(await report.getAttribute('#report', 'data-state'), 'ready', await report.textContent('#report'));
  return report;
}

/** Number of pages of a PDF file's bytes. */
const pdfPages = (bytes) => (bytes.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;

before(async () => {
  server = await harness.startServer();
  ({ browser, page, problems: pageProblems } = await harness.openPage(server.baseUrl));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the panel opens the report of the selected communes: figures, missions, charts, print, download', async () => {
  await page.click('.import summary');
  await page.fill('#import-codes', CAEN.join(' '));
  await harness.diagnosisAfter(page, () => page.click('#import-form button[type="submit"]'));
  await harness.diagnosisAfter(page, () => page.check(`#missions input[value="${OPTIONAL}"]`));
  assert.equal(await page.isDisabled('#open-report'), false);
  const [opened] = await Promise.all([page.context().waitForEvent('page'), page.click('#open-report')]);
  const report = await reportReady(opened);
  assert.match(new URL(report.url()).hash, /communes=14118%2C14327/);

  const missions = (await harness.call(server.baseUrl, '/api/missions')).payload;
  const { status, payload: d } = await harness.postDiagnosis(server.baseUrl, {
    communes: CAEN, missions: [...missions.missions.filter((m) => m.mandatory).map((m) => m.id), OPTIONAL],
  });
  assert.equal(status, 200);
  const text = (selector) => harness.text(report, selector);

  // The summary and the header.
  assert.equal(await text('#report-title'), 'Caen et 5 autres communes');
  assert.equal(digits(await text('#summary-population')), d.population);
  assert.equal(await text('#summary-tier'), d.tier.label);
  assert.equal(digits(await text('#summary-funding')), d.funding.total);
  assert.equal(digits(await text('#funding-total')), d.funding.total);
  assert.ok(d.funding.lines.some((l) => l.mission === OPTIONAL));
  assert.equal(await report.locator('#funding-table tbody tr').count(), d.funding.lines.length);
  assert.equal(digits(await text('#summary-density')), Math.round(d.density_per_km2));

  // Map: one outline per commune; charts: one bar per commune (6 < 12, no "autres").
  assert.equal(await report.locator('svg.map path[data-code]').count(), d.territory.features.length);
  assert.equal(await report.locator('#population-chart svg g[data-label]').count(), CAEN.length);
  const caen = d.territory.features.find((f) => f.properties.code === '14118').properties;
  assert.equal(digits(await text('#population-chart g[data-label="Caen"] text:last-of-type')), caen.population);
  assert.equal(await report.locator('#communes-table tbody tr').count(), d.commune_count);

  // Density against the département, the région and France (API figures, rounded).
  assert.deepEqual(d.density_comparisons.map((p) => p.level), ['departement', 'region', 'france']);
  for (const place of d.density_comparisons) {
    const row = `#density-table tr[data-level="${place.level}"] td:last-child`;
    assert.equal(digits(await text(row)), Math.round(place.density_per_km2), place.name);
  }

  // Supply with its comparisons: the directory does not cover France, so the GPs' France cell is
  // n.d.; the chart shows France as soon as one profession's figure (the BPE's) has it.
  const gp = d.supply.general_practitioner;
  const gpRow = '#supply-table tr[data-profession="general_practitioner"]';
  assert.equal(await text(`${gpRow} td:nth-child(3)`), oneDecimal(gp.density_per_10k));
  const calvados = gp.comparisons.find((c) => c.level === 'departement');
  assert.equal(await text(`${gpRow} td[data-level="departement"]`), oneDecimal(calvados.density_per_10k));
  assert.equal(await text(`${gpRow} td[data-level="france"]`), 'n.d.');
  const franceShown = Object.values(d.supply).some((s) => s.available
    && s.comparisons.some((c) => c.level === 'france' && c.density_per_10k != null));
  assert.match(await text('#supply-chart figcaption'), franceShown ? /France\.$/ : /France : non disponible/);
  assert.equal(await report.locator('#apl-table tbody tr').count(), d.apl.editions.length);

  // Missions: the ACI deadlines and the follow-up indicators of the grid, valued where the data has them.
  const deadline = async (id) => report.locator(`.mission[data-mission="${id}"] .deadlines`);
  assert.equal(await (await deadline('access_to_care')).getAttribute('data-start'), '6');
  assert.equal(await (await deadline('access_to_care')).getAttribute('data-deployed'), '18');
  assert.equal(await (await deadline('care_pathways')).getAttribute('data-deployed'), '24');
  assert.equal(await (await deadline('prevention')).getAttribute('data-start'), '12');
  assert.equal(await (await deadline(OPTIONAL)).getAttribute('data-deadline'), 'none');
  for (const line of d.funding.lines) {
    const mission = missions.missions.find((m) => m.id === line.mission);
    assert.equal(await report.locator(`.mission[data-mission="${line.mission}"] tr[data-indicator]`).count(),
      mission.indicators?.length ?? 0, line.mission);
  }
  const indicator = (id) => `.mission[data-mission="access_to_care"] tr[data-indicator="${id}"]`;
  assert.equal(await report.getAttribute(indicator('share_without_gp'), 'data-available'), 'false');
  assert.match(await text(`${indicator('share_without_gp')} .indicator-value`), /^non disponible fichier CPAM/);
  assert.match(await text(`${indicator('emergency_visits_without_admission')} td:last-child`), /ATIH/);
  const apl = d.apl.editions.at(-1).apl.toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  assert.equal(await text(`${indicator('apl_general_practitioners')} .indicator-value`), `${apl} consultations/an/hab.`);
  assert.equal(await text(`${indicator('gp_density')} .indicator-value`), `${oneDecimal(gp.density_per_10k)} pour 10 000 hab.`);
  // A signature date turns the months into dates.
  await report.fill('#signature-date', '2026-01-15');
  // The date also chooses the funding grid: the report is diagnosed again, then redrawn.
  const rediagnosed = report.waitForResponse((r) => new URL(r.url()).pathname === '/api/diagnosis');
  await report.locator('#signature-date').dispatchEvent('change');
  assert.equal((await rediagnosed).request().postDataJSON().contract_date, '2026-01-15');
  await report.waitForFunction(() => /soit au plus tard le 15 juillet 2026 et le 15 juillet 2027/
    .test(document.querySelector('.mission[data-mission="access_to_care"] .deadlines')?.textContent ?? ''));

  await report.screenshot({ path: path.join(harness.ROOT, 'artifacts/e2e-report.png'), fullPage: true });

  // Print: A4, several pages, no toolbar.
  const pdf = await report.pdf({ format: 'A4', printBackground: true });
  writeFileSync(path.join(harness.ROOT, 'artifacts/e2e-report.pdf'), pdf);
  assert.ok(pdfPages(pdf) > 1, `${pdfPages(pdf)} page(s)`);
  assert.ok(pdf.length > 50_000, `${pdf.length} bytes`);
  await report.emulateMedia({ media: 'print' });
  assert.ok(await report.isHidden('#toolbar'));
  await report.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
  await report.screenshot({ path: path.join(harness.ROOT, 'artifacts/e2e-report-print.png'), fullPage: true });
  await report.emulateMedia({ media: 'screen' });

  // Download: one self-contained file, which reads the same with no script and no network.
  const [download] = await Promise.all([report.waitForEvent('download'), report.click('#download-report')]);
  assert.match(download.suggestedFilename(), /^diagnostic-caen-et-5-autres-communes-\d{4}-\d{2}-\d{2}\.html$/);
  const html = readFileSync(await download.path(), 'utf8');
  assert.ok(html.startsWith('<!doctype html>'));
  assert.doesNotMatch(html, /<script|<link|\bsrc=/i);
  assert.doesNotMatch(html, /https?:\/\/(?!www\.w3\.org\/)/);
  assert.doesNotMatch(html, /id="toolbar"/);
  assert.match(html, /<style>[^]*@page[^]*<\/style>/);
  assert.ok((html.match(/<svg/g) ?? []).length >= 3, 'map and charts inline');
  const offline = await browser.newContext({ javaScriptEnabled: false, offline: true });
  const requests = [];
  const copy = await offline.newPage();
  copy.on('request', (request) => requests.push(request.url()));
  await copy.setContent(html);
  assert.equal(digits(await harness.text(copy, '#summary-population')), d.population);
  assert.equal(await copy.locator('svg.map path[data-code]').count(), d.territory.features.length);
  assert.deepEqual(requests, []);
  await offline.close();
  await report.close();
});

test('a saved drawn territory opens from the saved list, with its name, missions and hatched partial communes', async () => {
  const draft = { name: 'CPTS Caen centre (essai)', spec: { geojson: SQUARE }, missions: ['professional_support'], author: 'e2e-report' };
  const { status, payload: saved } = await harness.call(server.baseUrl, '/api/territories',
    { method: 'POST', body: draft, token: harness.WRITE_TOKEN });
  assert.equal(status, 201, JSON.stringify(saved));
  await page.click('#saved-refresh');
  const link = page.locator(`#saved-list li[data-id="${saved.id}"] a.saved-report`);
  assert.equal(await link.getAttribute('href'), `/report?territory=${saved.id}`);
  const [opened] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
  const report = await reportReady(opened);

  const { payload: d } = await harness.postDiagnosis(server.baseUrl, { geometry: SQUARE, missions: ['professional_support'] });
  assert.equal(await harness.text(report, '#report-title'), draft.name);
  assert.equal(digits(await harness.text(report, '#summary-population')), d.population);
  assert.ok(d.partial_commune_count > 0);
  assert.equal(await report.locator('svg.map path[data-partial="true"]').count(), d.partial_commune_count);
  assert.equal(await report.locator('#communes-table .estimate-tag').count(), d.partial_commune_count);
  assert.equal(await report.locator('.mission[data-mission="professional_support"]').count(), 1);
  assert.equal(await report.locator(`.mission[data-mission="${OPTIONAL}"]`).count(), 0);
  await report.screenshot({ path: path.join(harness.ROOT, 'artifacts/e2e-report-drawn.png') });
  await report.close();
});

test('an unknown saved territory says so', async () => {
  const report = await page.context().newPage();
  await report.goto(`${server.baseUrl}/report?territory=999999`);
  await report.waitForSelector('#report[data-state="error"]');
  assert.match(await harness.text(report, '#report-status'), /^Rapport impossible : /);
  assert.ok(await report.isDisabled('#print-report'));
  await report.close();
});

test('with the CPAM file loaded, the access indicators take today\'s value from it', async () => {
  // The synthetic CPAM fixture, summed here for Bayeux and Caen.
  const fixture = path.join(harness.ROOT, 'tests/fixtures/patients-without-gp-synthetic.csv');
  const rows = readFileSync(fixture, 'utf8').split('\n').filter((line) => /^\d/.test(line)).map((line) => line.split(';'));
  const sum = (column) => rows.filter(([code]) => ['14047', '14118'].includes(code)).reduce((t, row) => t + Number(row[column]), 0);
  const cpam = await harness.startServer({ args: ['--patients', fixture] });
  const report = await page.context().newPage();
  try {
    await report.goto(`${cpam.baseUrl}/report#communes=14047,14118`);
    await reportReady(report);
    const value = (id) => harness.text(report, `.mission[data-mission="access_to_care"] tr[data-indicator="${id}"] .indicator-value`);
    const share = (sum(2) / sum(1)).toLocaleString('fr-FR', { style: 'percent', maximumFractionDigits: 0 });
    assert.equal(await value('share_without_gp'), harness.plainText(share));
    assert.equal(digits(await value('without_gp_ald')), sum(3));
    assert.equal(digits(await value('without_gp_70_plus')), sum(4));
    assert.equal(digits(await value('without_gp_c2s')), sum(5));
    assert.match(await harness.text(report, '#report-patients .source'), /synthétique.*2025/);

    // The map's panel shows the same count (it once read a field the API does not have).
    await report.goto(`${cpam.baseUrl}/`);
    await report.waitForSelector('#map');
    await harness.selectCodes(report, ['14047', '14118']);
    await report.waitForSelector('#patients-without-gp');
    assert.equal(digits(await harness.text(report, '#patients-without-gp strong')), sum(2));
  } finally {
    await report.close();
    await cpam.stop();
  }
});

test('the pages logged no error or warning and broke no content security rule', () => {
  assert.deepEqual(pageProblems, []);
  assert.deepEqual(reportProblems, []);
});
