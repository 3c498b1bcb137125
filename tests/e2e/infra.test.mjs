// End-to-end test of the infra-communal layers: zoomed on Marseille, an arrondissement (zoom 12-13)
// and an IRIS (zoom 14) are clicked into the territory like communes, next to a commune; an IRIS
// inside the arrondissement already chosen is refused in French (a double count); a second click
// removes an IRIS. Each diagnosis is the API's for the same codes. Screenshots: artifacts/e2e-infra-*.png.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as harness from './harness.mjs';

// Points inside Marseille 1er (Noailles) and 8e (Bonneveine), and Allauch (13002) by search.
const FIRST = [43.2975, 5.3830];
const EIGHTH = [43.2470, 5.3850];

let server;
let browser;
let page;
let pageProblems = [];

const diagnosisAfter = (action) => harness.diagnosisAfter(page, action);
const screenshot = (name) => harness.screenshot(page, `infra-${name}`);
const assertPanelMatches = (body) => harness.assertPanelMatches(page, server.baseUrl, body);

before(async () => {
  server = await harness.startServer();
  ({ browser, page, problems: pageProblems } = await harness.openPage(server.baseUrl, {
    // The refused double count is logged by Chromium as a failed resource.
    expected: (message) => harness.isRefusal(message, '/api/diagnosis'),
  }));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Centres the map on `[lat, lon]` at `zoom`, waiting for the layer `kind` to be drawn. */
async function zoomOn([lat, lon], zoom, kind) {
  const loaded = page.waitForResponse((response) => new URL(response.url()).pathname === `/api/${kind}`);
  await page.evaluate(([la, lo, z]) => window.atlasMap.setView([la, lo], z, { animate: false }), [lat, lon, zoom]);
  assert.equal((await loaded).status(), 200);
  await page.waitForFunction((k) => window[`${k}Layer`].count > 0, kind);
  await harness.mapSettled(page);
}

/** Clicks the map at `[lat, lon]`, which must be in view. */
async function clickAt([lat, lon]) {
  const box = await page.locator('#map').boundingBox();
  const { x, y } = await page.evaluate(([la, lo]) => window.atlasMap.latLngToContainerPoint([la, lo]), [lat, lon]);
  await page.mouse.click(box.x + x, box.y + y);
}

test('an arrondissement and an IRIS are clicked into a territory with a commune', async () => {
  await harness.search(page, 'Allauch');
  const commune = await diagnosisAfter(() => page.click('#search-results li[data-code="13002"] button.add'));
  assert.equal(commune.status, 200);

  // Zoom 13: the arrondissements of Marseille, no IRIS.
  await zoomOn(FIRST, 13, 'arrondissements');
  assert.equal(await page.evaluate(() => window.irisLayer.count), 0);
  const first = await diagnosisAfter(() => clickAt(FIRST));
  assert.equal(first.status, 200, JSON.stringify(first.payload));
  const arrondissement = first.body.communes.find((code) => code !== '13002');
  assert.match(arrondissement, /^132\d\d$/);
  const member = first.payload.communes.find((m) => m.code === arrondissement);
  assert.equal(member.arrondissement, true);
  assert.ok(member.area_km2 > 0, 'the arrondissement has an area (its outline)');
  await assertPanelMatches(first.body);
  assert.ok(await page.isVisible(`#commune-list li[data-code="${arrondissement}"]`));
  await screenshot('arrondissement');

  // Zoom 14: the IRIS, clickable; one of the 8th arrondissement joins the territory.
  await zoomOn(EIGHTH, 14, 'iris');
  assert.equal(await page.evaluate(() => window.arrondissementsLayer.count), 0);
  const iris = await diagnosisAfter(() => clickAt(EIGHTH));
  assert.equal(iris.status, 200, JSON.stringify(iris.payload));
  const irisCode = iris.body.communes.find((code) => code.length === 9);
  assert.match(irisCode, /^13208\d{4}$/);
  assert.deepEqual([...iris.body.communes].sort(), ['13002', arrondissement, irisCode].sort());
  const irisMember = iris.payload.communes.find((m) => m.code === irisCode);
  assert.equal(irisMember.iris, true);
  assert.ok(irisMember.population_counted > 0);
  await assertPanelMatches(iris.body);
  await screenshot('iris');

  // An IRIS inside the arrondissement already chosen would count its people twice: refused in
  // French, the territory kept.
  await zoomOn(FIRST, 14, 'iris');
  const refused = await diagnosisAfter(() => clickAt(FIRST));
  assert.equal(refused.status, 422);
  assert.equal(refused.payload.error.code, 'double_counted');
  assert.equal(await harness.text(page, '#error-message'),
    'Une commune et ses arrondissements ou ses IRIS sont comptés deux fois : gardez l’un ou l’autre.');
  await page.waitForFunction(() => document.querySelectorAll('#commune-list li').length === 3);
  await screenshot('refused');
  await page.click('#error-close');

  // A second click on the IRIS removes it.
  await zoomOn(EIGHTH, 14, 'iris');
  const removed = await diagnosisAfter(() => clickAt(EIGHTH));
  assert.equal(removed.status, 200);
  assert.deepEqual([...removed.body.communes].sort(), ['13002', arrondissement].sort());
  await assertPanelMatches(removed.body);
});

test('the page logged no error or warning', () => {
  assert.deepEqual(pageProblems, []);
});
