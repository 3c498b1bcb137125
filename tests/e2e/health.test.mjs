// End-to-end test of the health indicators: "Offre de soins et accès" in the diagnosis panel,
// and the APL and FINESS layers of the layer panel, against the real server.
//
//   (cd tests/e2e && npm ci) && cargo build --release && node --test tests/e2e/
//
// Screenshot: artifacts/e2e-health.png.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as harness from './harness.mjs';

const BAYEUX_LISIEUX = ['14047', '14366']; // Normandie: covered by the loaded directory
const AIX = ['13001']; // no directory of general practitioners covers it

let server;
let browser;
let page;
let pageProblems = [];

const text = (selector) => harness.text(page, selector);
const gpRow = '#supply-table tr[data-profession="general_practitioner"]';
const oneDecimal = (n) => Number(n.toFixed(1));
const displayedNumber = async (selector) => Number((await text(selector)).replace(/[^\d,]/g, '').replace(',', '.'));

async function layerSettled(id) {
  await page.waitForSelector(`#layer-${id}:not([data-state="loading"]):not([data-state="off"])`);
  return page.getAttribute(`#layer-${id}`, 'data-state');
}

async function selectCodes(codes) {
  const exchange = await harness.selectCodes(page, codes);
  assert.equal(exchange.status, 200, JSON.stringify(exchange.payload));
  return exchange;
}

before(async () => {
  server = await harness.startServer();
  ({ browser, page, problems: pageProblems } = await harness.openPage(server.baseUrl));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the diagnosis shows the supply, APL, establishments and patients of Bayeux + Lisieux', async () => {
  assert.ok(await page.isHidden('#health'), 'no health section before a diagnosis');
  await selectCodes(BAYEUX_LISIEUX);
  const { status, payload: expected } = await harness.postDiagnosis(server.baseUrl, { communes: BAYEUX_LISIEUX });
  assert.equal(status, 200);
  assert.equal(await page.getAttribute('#health', 'data-state'), 'ready');

  const gp = expected.supply.general_practitioner;
  assert.equal(gp.available, true);
  assert.equal(await text(`${gpRow} th`), gp.label_fr);
  assert.equal(await harness.displayedInteger(page, `${gpRow} .supply-count`), gp.count);
  assert.equal(await displayedNumber(`${gpRow} .supply-density`), oneDecimal(gp.density_per_10k));
  const departement = gp.comparisons.find((c) => c.level === 'departement');
  assert.match(await text(`${gpRow} td[data-level="departement"]`),
    new RegExp(`^${oneDecimal(departement.density_per_10k).toString().replace('.', ',')}$`));
  assert.equal(await text('#supply-table thead th:nth-child(4)'), departement.name);
  const available = Object.values(expected.supply).filter((s) => s.available).length;
  assert.equal(await page.locator('#supply-table tbody tr').count(), available);
  // Professions no directory lists (the BPE counts every other one) are named compactly, with
  // the reason in French.
  assert.match(await text('#supply-unavailable'), /Non disponible : aucun annuaire chargé ne recense cette profession — Autres spécialistes/);
  assert.match(await text('#supply-source'), /^Source : ARS Normandie.*, millésime 06\/03\/2021/);

  assert.equal(await page.locator('#apl-table tbody tr').count(), expected.apl.editions.length);
  assert.match(await text('#apl-change'), /^Évolution 2022 → 2023 : -0,14 \(-3,9 %\)$/);
  assert.match(await text('#apl-source'), /^Source : DREES.*millésimes 2022, 2023$/);

  assert.equal(await page.locator('#hospitals-inside li').count(), expected.hospitals.inside.length);
  assert.equal(await page.locator('#hospitals-nearest li').count(), expected.hospitals.nearest_outside.length);
  assert.match(await text('#hospitals-nearest li:first-child'), /CENTRE HOSPITALIER DE PONT L'EVEQUE — .* · 12,6 km$/);
  assert.equal(await page.locator('#hospitals-warning').count(), expected.hospitals.no_second_line_within_30_km ? 1 : 0);
  assert.match(await text('#hospitals-source'), /^Source : FINESS.*, millésime 06\/03\/2020$/);

  assert.equal(expected.patients_without_gp.available, false);
  assert.match(await text('#patients-missing'), /^Donnée CPAM non fournie\./);
  assert.equal(await page.locator('#patients-proxies li').count(), expected.patients_without_gp.proxies.length);
  for (const item of await page.locator('#patients-proxies li').all()) {
    assert.match(harness.plainText(await item.textContent()), /^indicateur indirect /);
  }
});

test('for Aix-en-Provence, outside every finer directory, the general practitioners come from the BPE', async () => {
  const { payload } = await selectCodes(AIX);
  const gp = payload.supply.general_practitioner;
  assert.equal(gp.available, true);
  assert.match(gp.source, /Base permanente des équipements|BPE/);
  assert.equal(await page.locator(gpRow).count(), 1);
  assert.equal(await harness.displayedInteger(page, `${gpRow} .supply-count`), gp.count);
  assert.match(await text('#patients-missing'), /Donnée CPAM non fournie/);
});

test('the APL layer colours the communes near Bayeux, the FINESS layer draws the establishments', async () => {
  await selectCodes(BAYEUX_LISIEUX);
  await page.click('#fit-territory');
  await harness.mapSettled(page);
  assert.equal(await page.getAttribute('#map-status', 'data-state'), 'ready');
  assert.ok(await page.isHidden('#layer-apl-legend'), 'no legend while the layer is off');

  const answered = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/apl');
  await harness.openLayers(page);
  await page.check('#layer-apl-toggle');
  assert.equal((await answered).status(), 200);
  assert.equal(await layerSettled('apl'), 'ready');
  assert.ok(await page.isVisible('#layer-apl-legend'));
  assert.match(await text('#layer-apl-legend'), /< 2,5 \(sous-dotée\)/);
  assert.ok(Number(await page.getAttribute('#layer-apl', 'data-count')) > 10);
  assert.match(await text('#layer-apl-status'), /^Édition 2023 : \d+ communes colorées, dont \d+ sous 2,5/);

  const { payload: apl } = await harness.call(server.baseUrl, '/api/apl?bbox=-0.8,49.2,-0.6,49.35');
  assert.equal(apl.values['14047'], 4.26);
  assert.equal(await page.evaluate(() => window.healthLayers.aplClassOf('14047')), 'apl-good');
  const underServed = Object.entries(apl.values).find(([, value]) => value < 2.5)?.[0];
  if (underServed) assert.equal(await page.evaluate((code) => window.healthLayers.aplClassOf(code), underServed), 'apl-under');
  assert.ok(Number(await page.getAttribute('#layer-apl', 'data-under-served')) > 0);

  await harness.openLayers(page);

  await page.check('#layer-hospitals-toggle');
  assert.equal(await layerSettled('hospitals'), 'ready');
  const count = Number(await page.getAttribute('#layer-hospitals', 'data-count'));
  assert.ok(count > 0);
  assert.equal(await page.locator('.leaflet-health-hospitals-pane path.hospital').count(), count);

  await page.locator('#health').evaluate((node) => node.scrollIntoView({ block: 'start' }));
  await harness.screenshot(page, 'health');

  // Off again: the communes lose their colours.
  await page.uncheck('#layer-apl-toggle');
  assert.equal(await page.getAttribute('#layer-apl', 'data-state'), 'off');
  assert.equal(await page.evaluate(() => window.healthLayers.aplClassOf('14047')), null);
  await page.uncheck('#layer-hospitals-toggle');
  assert.equal(await page.locator('.leaflet-health-hospitals-pane path.hospital').count(), 0);
});

test('the page logged no error or warning and broke no content security rule', () => {
  assert.deepEqual(pageProblems, []);
});
