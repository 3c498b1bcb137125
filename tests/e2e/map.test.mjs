// End-to-end test of the page: a real server binary, Debian's Chromium driven by playwright-core.
//
//   (cd tests/e2e && npm ci) && cargo build --release && node --test tests/e2e/
//
// The server and the browser are started by harness.mjs (CPTS_ATLAS_BIN: the server binary,
// default target/release/cpts-atlas). Screenshots go to artifacts/e2e-*.png.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as harness from './harness.mjs';

// Three communes north of Marseille: 13001 Aix-en-Provence, 13032 Éguilles, 13113 Venelles.
const SEARCHES = [
  { query: 'Aix-en-Provence', code: '13001' },
  { query: '13032', code: '13032' },
  { query: 'Venelles', code: '13113' },
];
const CODES = SEARCHES.map(({ code }) => code);

let server;
let browser;
let page;
let pageProblems = [];

const diagnosisAfter = (action) => harness.diagnosisAfter(page, action);
const text = (selector) => harness.text(page, selector);
const displayedInteger = (selector) => harness.displayedInteger(page, selector);
const mapSettled = () => harness.mapSettled(page);
const search = (query) => harness.search(page, query);
const screenshot = (name) => harness.screenshot(page, name);
const downloadText = (button) => harness.downloadText(page, button);
const assertPanelMatches = (body) => harness.assertPanelMatches(page, server.baseUrl, body);

before(async () => {
  server = await harness.startServer();
  ({ browser, page, problems: pageProblems } = await harness.openPage(server.baseUrl, {
    // The rejected diagnosis of the error test is logged by Chromium as a failed resource.
    expected: (message) => harness.isRefusal(message, '/api/diagnosis'),
  }));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('communes added from the search box get the API diagnosis', async () => {
  let last;
  for (const { query, code } of SEARCHES) {
    await search(query);
    last = await diagnosisAfter(() => page.click(`#search-results li[data-code="${code}"] button.add`));
    assert.equal(last.status, 200, JSON.stringify(last.payload));
  }
  assert.deepEqual([...last.body.communes].sort(), [...CODES].sort());
  await mapSettled(); // adding a commune out of view flies to it

  const expected = await assertPanelMatches({ communes: CODES });
  assert.equal(await page.locator('#commune-list li').count(), expected.commune_count);
  assert.equal(await page.locator('#search-results li[data-code="13113"] button.add').textContent(), 'Ajoutée');

  // The CSV is the server's: the very bytes `POST /api/diagnosis/communes?f=csv&excel=true`
  // answers for the body the page sent (the page writes no CSV of its own).
  const csv = await harness.downloadFile(page, '#export-csv', '/api/diagnosis/communes');
  assert.equal(csv.name, 'territory-communes.csv');
  assert.equal(csv.request.url(), `${server.baseUrl}/api/diagnosis/communes?f=csv&excel=true`);
  assert.deepEqual(JSON.parse(csv.request.postData()).communes, CODES);
  const direct = await fetch(csv.request.url(), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: csv.request.postData(),
  });
  assert.equal(direct.status, 200);
  assert.ok(csv.bytes.equals(Buffer.from(await direct.arrayBuffer())), 'the download is the server\'s CSV');
  // For a spreadsheet set to French: a BOM, `;`, decimal commas.
  const text = csv.bytes.toString('utf8');
  assert.ok(text.startsWith('\uFEFFcode;name;departement;region;epci;arrondissement;iris;population;coverage;'), text.slice(0, 80));
  const rows = text.trimEnd().split('\n').slice(1).map((line) => line.split(';'));
  assert.deepEqual(rows.map(([code]) => code).sort(), [...CODES].sort());
  // 13001 Aix-en-Provence: 'Aix-en-Provence', département 13, région 93, whole (coverage 1).
  const aix = rows.find(([code]) => code === '13001');
  assert.deepEqual([aix[1], aix[2], aix[3], aix[8]], ['Aix-en-Provence', '13', '93', '1,0']);
  await screenshot('selection');

  // Funding an optional mission re-diagnoses with that mission.
  const optional = page.locator('#missions input:not([disabled])').first();
  const mission = await optional.getAttribute('value');
  const funded = await diagnosisAfter(() => optional.check());
  assert.ok(funded.body.missions.includes(mission), JSON.stringify(funded.body));
  const withMission = await assertPanelMatches(funded.body);
  assert.ok(withMission.funding.lines.some((line) => line.mission === mission));
});

test('an unknown code is refused with a French message and the selection is kept', async () => {
  await page.click('.import summary');
  await page.fill('#import-codes', '99999');
  const { status, payload, body } = await diagnosisAfter(() => page.click('#import-form button[type="submit"]'));
  assert.ok(status >= 400 && status < 500, `status ${status}`);
  assert.ok(body.communes.includes('99999'));
  assert.ok(await page.isVisible('#error'));
  // The page words the error code in French; the server's English stays in the tooltip.
  assert.equal(payload.error.code, 'unknown_codes');
  assert.equal(await text('#error-message'),
    'Code inconnu : 99999. Vérifiez les codes INSEE (communes, arrondissements ou IRIS) : ce serveur ne les connaît pas.');
  assert.ok((await page.getAttribute('#error', 'title')).endsWith(payload.error.message));
  assert.equal(await displayedInteger('#commune-count'), CODES.length);
  await screenshot('error');
  await page.click('#error-close');
  assert.ok(await page.isHidden('#error'));
});

test('a polygon drawn on the map gets the API diagnosis of its geometry', async () => {
  await search('Aix-en-Provence');
  await page.click('#search-results li[data-code="13001"] .result-name');
  await mapSettled();
  assert.equal(await page.getAttribute('#map-status', 'data-state'), 'ready');

  await page.click('#mode-draw'); // the confirm dialog is accepted; drawing starts
  assert.equal(await page.getAttribute('#mode-draw', 'aria-pressed'), 'true');
  assert.equal(await page.getAttribute('#diagnosis', 'data-state'), 'empty');

  const box = await page.locator('#map').boundingBox();
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const vertices = [[-160, -110], [150, -130], [180, 100], [-120, 140]].map(([dx, dy]) => [cx + dx, cy + dy]);
  for (const [x, y] of vertices) await page.mouse.click(x, y);
  const drawn = await diagnosisAfter(() => page.mouse.click(...vertices[0]));
  assert.equal(drawn.status, 200, JSON.stringify(drawn.payload));
  assert.equal(drawn.body.geometry.type, 'Polygon');
  assert.equal(drawn.body.geometry.coordinates[0].length, vertices.length + 1);
  const expected = await assertPanelMatches(drawn.body);
  assert.ok(expected.population > 0);

  const geojson = JSON.parse(await downloadText('#export-geojson'));
  assert.equal(geojson.type, 'FeatureCollection');
  assert.deepEqual(geojson.features[0].geometry, drawn.body.geometry);
  await screenshot('drawing');

  // Dragging a vertex in geoman's edit mode re-diagnoses the new shape.
  await page.click('.leaflet-pm-icon-edit');
  const [vx, vy] = vertices[2];
  const edited = await diagnosisAfter(async () => {
    await page.mouse.move(vx, vy);
    await page.mouse.down();
    await page.mouse.move(vx + 60, vy + 50, { steps: 5 });
    await page.mouse.up();
  });
  assert.equal(edited.status, 200, JSON.stringify(edited.payload));
  assert.notDeepEqual(edited.body.geometry, drawn.body.geometry);
  await assertPanelMatches(edited.body);
  await page.click('.leaflet-pm-icon-edit');
  await screenshot('edited');
});

test('IRIS and arrondissement codes can be pasted, and arrondissement outlines show at high zoom', async () => {
  if (!(await page.locator('.import').evaluate((details) => details.open))) await page.click('.import summary');
  await page.fill('#import-codes', '693830301 69381');
  const pasted = await diagnosisAfter(() => page.click('#import-form button[type="submit"]'));
  assert.equal(pasted.status, 200, JSON.stringify(pasted.payload));
  assert.deepEqual([...pasted.body.communes].sort(), ['69381', '693830301']);
  await assertPanelMatches(pasted.body);
  const iris = pasted.payload.communes.find((member) => member.code === '693830301');
  assert.equal(iris.iris, true);
  assert.equal(await page.getAttribute('#commune-list li[data-code="693830301"]', 'data-method'), iris.method);
  assert.equal(await page.getAttribute('#commune-list li[data-code="69381"]', 'data-method'), 'whole');

  // The territory's view (zoom 13) shows Lyon's arrondissements (the IRIS come at zoom 14).
  const loaded = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/arrondissements');
  await page.click('#fit-territory');
  assert.equal((await loaded).status(), 200);
  await page.waitForFunction(() => window.arrondissementsLayer.count > 0);
  await mapSettled();
  await screenshot('iris');
});

test('on a narrow screen the panel stacks below the map', async () => {
  await page.setViewportSize({ width: 600, height: 900 });
  const map = await page.locator('#map').boundingBox();
  const panel = await page.locator('#panel').boundingBox();
  assert.ok(panel.y >= map.y + map.height - 1, `panel at ${panel.y}, map ends at ${map.y + map.height}`);
  await screenshot('narrow');
});

test('the page logged no error or warning and broke no content security rule', () => {
  assert.deepEqual(pageProblems, []);
});
