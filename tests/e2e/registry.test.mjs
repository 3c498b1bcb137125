// End-to-end test of the registry of existing CPTS in the page (map layers, overlaps of the
// diagnosed territory) and of "Mes territoires" (saved territories), against the real server.
//
//   (cd tests/e2e && npm ci) && cargo build --release && node --test tests/e2e/
//
// Screenshots go to artifacts/e2e-registry-*.png.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as harness from './harness.mjs';

const AUTHOR = 'e2e@cpts-atlas.test';
const AIX_SAINTE_VICTOIRE = 'cpts-aix-sainte-victoire';
const CONFLICT_CODES = ['13001', '13113']; // Aix-en-Provence and Venelles
const UNCOVERED_CODE = '13111'; // Vauvenargues: no registry CPTS
const DANGER_RGB = 'rgb(180, 35, 24)'; // --danger

let server;
let browser;
let page;
let prompts;
let pageProblems = [];

const api = (pathname, options) => harness.call(server.baseUrl, pathname, options);
const diagnosisAfter = (action) => harness.diagnosisAfter(page, action);
const text = (selector) => harness.text(page, selector);
const screenshot = (name) => harness.screenshot(page, `registry-${name}`);
const sorted = (values) => [...values].sort();

/** Waits until a registry layer row is no longer loading; returns its state. */
async function layerSettled(id) {
  await page.waitForSelector(`#layer-${id}:not([data-state="loading"]):not([data-state="off"])`);
  return page.getAttribute(`#layer-${id}`, 'data-state');
}

const selectCodes = (codes) => harness.selectCodes(page, codes);

/** The saved territories of AUTHOR, as the API lists them. */
/** The author's saved territories, read with the write token (authors are withheld without it). */
async function savedByApi() {
  const { status, payload } = await api(`/api/territories?${new URLSearchParams({ author: AUTHOR })}`,
    { token: harness.WRITE_TOKEN });
  assert.equal(status, 200, JSON.stringify(payload));
  return payload;
}

const savedItem = (name) => page.locator(`#saved-list li[data-name="${name}"]`);

before(async () => {
  server = await harness.startServer();
  ({ browser, page, prompts, problems: pageProblems } = await harness.openPage(server.baseUrl, {
    // The save without the token is refused (401), which Chromium logs as a failed resource.
    expected: (message) => harness.isRefusal(message, '/api/territories', /401/),
  }));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the CPTS layer draws the 70 registry CPTS, with their tooltip and popup', async () => {
  const { status, payload: registry } = await api('/api/cpts');
  assert.equal(status, 200);
  assert.equal(registry.features.length, 70);
  assert.equal(await page.getAttribute('#layer-cpts', 'data-state'), 'off');
  assert.equal(await page.locator('.registry-pane path').count(), 0, 'nothing is fetched before the layer is on');

  await harness.openLayers(page);

  await page.check('#layer-cpts-toggle');
  assert.equal(await layerSettled('cpts'), 'ready');
  assert.equal(await page.getAttribute('#layer-cpts', 'data-count'), '70');
  assert.equal(await page.locator('.leaflet-registry-cpts-pane path.cpts-outline').count(), 70);
  assert.equal(await page.locator(`path.cpts-outline[data-cpts="${AIX_SAINTE_VICTOIRE}"]`).count(), 1);
  assert.match(await text('#layer-cpts-status'), /^70 CPTS · 5 contours approximatifs/);

  // Zoomed in, a commune's tooltip names its CPTS.
  await harness.search(page, 'Aix-en-Provence');
  await page.click('#search-results li[data-code="13001"] .result-name');
  await harness.mapSettled(page);
  const map = await page.locator('#map').boundingBox();
  const center = [map.x + map.width / 2, map.y + map.height / 2];
  await page.mouse.move(center[0] - 5, center[1]);
  await page.mouse.move(...center);
  const tooltip = page.locator('.leaflet-tooltip .commune-tooltip');
  await tooltip.waitFor();
  assert.match(harness.plainText(await tooltip.textContent()), /Aix-en-Provence \(13001\).*CPTS existante : CPTS Aix Sainte Victoire/);

  // Zoomed out, where no commune is drawn, a click on a CPTS opens its popup.
  while ((await page.getAttribute('#map-status', 'data-state')) !== 'hint') {
    await page.click('.leaflet-control-zoom-out');
    await page.waitForTimeout(400); // the zoom animation (250 ms) starts on the next frame
    await harness.mapSettled(page);
  }
  await page.mouse.move(0, 0);
  await page.mouse.click(...center);
  const card = page.locator(`.leaflet-popup .cpts-card[data-id="${AIX_SAINTE_VICTOIRE}"]`);
  await card.waitFor();
  await page.waitForFunction(() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1');
  const expected = registry.features.find((f) => f.properties.id === AIX_SAINTE_VICTOIRE).properties;
  const shown = harness.plainText(await card.textContent());
  assert.ok(shown.includes(`${expected.members.length} communes membres`), shown);
  assert.ok(shown.includes(`Site : ${expected.site}`), shown);
  assert.ok(shown.includes(expected.tier.label), shown);
  assert.equal(await card.locator('a').getAttribute('href'), `https://${expected.site}`);
  await screenshot('cpts');
  await page.click('.leaflet-popup-close-button');
});

test('the overlaps between CPTS and the uncovered communes of a département are drawn', async () => {
  const { payload: overlaps } = await api('/api/overlaps');
  await harness.openLayers(page);
  await page.check('#layer-overlaps-toggle');
  assert.equal(await layerSettled('overlaps'), 'ready');
  assert.equal(await page.getAttribute('#layer-overlaps', 'data-count'), String(overlaps.features.length));
  const declared = overlaps.features.filter((f) => f.properties.kind === 'declared_split').length;
  assert.ok(declared >= 4, `${declared} declared splits`);
  assert.ok((await text('#layer-overlaps-status')).includes(`${declared} partages déclarés`));
  // Pairs over the same communes (Nice is split between three CPTS) share one shape.
  const shapes = new Set(overlaps.features.map(({ properties: p }) =>
    sorted([...p.shared_communes, ...p.declared_splits].map((c) => c.code)).join()));
  assert.equal(await page.locator('.leaflet-registry-overlaps-pane path.cpts-pair').count(), shapes.size);
  assert.ok(await page.locator('.leaflet-registry-overlaps-pane path.cpts-pair-declared_split').count() >= 2);
  // Declared splits are dashed and grey, unlike conflicts.
  const split = page.locator('.leaflet-registry-overlaps-pane path.cpts-pair-declared_split').first();
  assert.equal(await split.getAttribute('stroke-dasharray'), '5 4');
  assert.equal(await split.getAttribute('stroke'), '#344054');

  const { payload: coverage } = await api('/api/coverage?departement=13');
  const uncovered = coverage.features.filter((f) => f.properties.status === 'uncovered');
  await harness.openLayers(page);
  await page.check('#layer-coverage-toggle');
  await layerSettled('coverage'); // zoomed out: a hint to zoom or to pick a département
  await page.selectOption('#coverage-departement', '13');
  await page.waitForSelector('#layer-coverage[data-state="ready"][data-departement="13"]');
  assert.equal(await page.getAttribute('#layer-coverage', 'data-count'), String(coverage.features.length));
  assert.equal(await page.locator('.leaflet-registry-coverage-pane path.coverage-uncovered').count(), uncovered.length);
  const population = uncovered.reduce((sum, f) => sum + f.properties.population, 0);
  const summary = await text('#layer-coverage-status');
  assert.ok(summary.startsWith('Bouches-du-Rhône (13) : '), summary);
  assert.ok(summary.includes(`${uncovered.length} commune non couverte (${population.toLocaleString('fr-FR').replace(/\s/g, ' ')} hab.)`), summary);
  // Picking a département flies to its uncovered communes.
  await page.waitForFunction(() => document.getElementById('map-status').dataset.state !== 'ready', null,
    { timeout: 3_000 }).catch(() => {}); // already flown and reloaded
  await harness.mapSettled(page);
  await screenshot('layers');

  // A département outside the registry is not shown as uncovered.
  await page.selectOption('#coverage-departement', '');
  await page.uncheck('#layer-overlaps-toggle');
  await page.uncheck('#layer-coverage-toggle');
  assert.equal(await page.locator('.leaflet-registry-coverage-pane path').count(), 0);
});

test('a territory overlapping an existing CPTS shows the conflict in red', async () => {
  const none = await selectCodes([UNCOVERED_CODE]);
  assert.equal(none.status, 200, JSON.stringify(none.payload));
  assert.deepEqual(none.payload.overlaps, []);
  // "No overlap" only where the server says that its registry covers the whole territory.
  if (none.payload.registry_coverage?.status === 'full') {
    assert.equal(await page.getAttribute('#overlaps', 'data-state'), 'none');
    assert.ok(await page.isVisible('#overlaps-none'));
    assert.match(await text('#overlaps-none'), /^Aucun chevauchement avec les CPTS existantes \(registre : .+\)\.$/);
  } else {
    assert.equal(await page.getAttribute('#overlaps', 'data-state'), 'unchecked');
    assert.ok(await page.isHidden('#overlaps-none'));
    assert.match(await text('#overlaps-unchecked'), /^Chevauchements : non vérifié/);
  }

  const { status, payload } = await selectCodes(CONFLICT_CODES);
  assert.equal(status, 200, JSON.stringify(payload));
  const conflict = payload.overlaps.find((o) => o.id === AIX_SAINTE_VICTOIRE);
  assert.equal(conflict?.kind, 'conflict', JSON.stringify(payload.overlaps));
  assert.equal(await page.getAttribute('#overlaps', 'data-state'), 'conflict');
  assert.ok(await page.isHidden('#overlaps-none'));

  const item = page.locator(`#overlap-list li[data-kind="conflict"][data-id="${AIX_SAINTE_VICTOIRE}"]`);
  const shown = harness.plainText(await item.textContent());
  assert.ok(shown.includes('Conflit avec CPTS Aix Sainte Victoire'), shown);
  const share = Math.round(conflict.population_share * 100);
  assert.ok(shown.includes(`soit ${share} % de la population du territoire`), shown);
  for (const { name } of conflict.shared_communes) assert.ok(shown.includes(name), `${name} in ${shown}`);
  const colors = await item.evaluate((node) => {
    const style = getComputedStyle(node);
    return { color: style.color, border: style.borderLeftColor };
  });
  assert.deepEqual(colors, { color: DANGER_RGB, border: DANGER_RGB });

  // The shared communes are highlighted in red on the map.
  const highlighted = page.locator('.leaflet-overlap-highlight-pane path.overlap-highlight-conflict');
  assert.equal(await highlighted.count(), conflict.shared_communes.length);
  assert.equal(await highlighted.first().getAttribute('stroke'), '#b42318');

  await page.click('#fit-territory');
  await harness.mapSettled(page);
  await page.locator('#overlaps').scrollIntoViewIfNeeded();
  await screenshot('conflict');
});

test('saving without the write token shows the 401 refusal in French with the API message', async () => {
  const refusal = await api('/api/territories', {
    method: 'POST', body: { name: 'x', spec: { codes: CONFLICT_CODES }, missions: [], author: AUTHOR },
  });
  assert.equal(refusal.status, 401);

  await page.fill('#saved-author', AUTHOR);
  await page.fill('#saved-token', '');
  // The list follows the author typed.
  await page.waitForFunction((author) => document.getElementById('saved-status').textContent
    .endsWith(`par ${author}.`), AUTHOR);
  assert.ok(await page.isEnabled('#saved-save'));
  prompts.push('Sans jeton');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/territories'),
    page.click('#saved-save'),
  ]);
  assert.equal(response.status(), 401);
  assert.equal(response.request().headers().authorization, undefined);
  await page.waitForSelector('#saved-error:not([hidden])');
  assert.match(await text('#saved-error-message'), /^Enregistrement impossible\. Jeton d’écriture manquant ou incorrect/);
  // The server's English words are only in the message's tooltip.
  assert.equal(await page.getAttribute('#saved-error', 'title'),
    `Réponse du serveur (HTTP 401) : ${refusal.payload.error.message}`);
  await page.locator('#saved').scrollIntoViewIfNeeded();
  await screenshot('401');
  await page.click('#saved-error-close');
  assert.deepEqual(await savedByApi(), []);
});

test('a saved territory is reopened after a reload, renamed, then deleted', async () => {
  const name = 'Aix et Venelles (e2e)';
  await page.fill('#saved-token', harness.WRITE_TOKEN);
  const optional = page.locator('#missions input:not([disabled])').first();
  const mission = await optional.getAttribute('value');
  const funded = await diagnosisAfter(() => optional.check());
  assert.deepEqual(sorted(funded.body.communes), CONFLICT_CODES);

  prompts.push(name);
  await page.click('#saved-save');
  await savedItem(name).waitFor();
  assert.ok(await page.isHidden('#saved-error'));
  const [saved] = await savedByApi();
  assert.equal(saved.name, name);
  assert.equal(saved.author, AUTHOR);
  assert.deepEqual(sorted(saved.spec.codes), CONFLICT_CODES);
  assert.deepEqual(saved.missions, [mission]);
  assert.equal(await savedItem(name).getAttribute('data-id'), String(saved.id));

  // After a reload the author and the token are still there, and the territory is listed.
  await page.reload();
  await page.waitForSelector('#missions input');
  assert.equal(await page.inputValue('#saved-author'), AUTHOR);
  assert.equal(await page.inputValue('#saved-token'), harness.WRITE_TOKEN);
  await savedItem(name).waitFor();
  assert.equal(await page.getAttribute('#diagnosis', 'data-state'), 'empty');
  assert.ok(!(await page.isChecked(`#missions input[value="${mission}"]`)));

  const opened = await diagnosisAfter(() => savedItem(name).locator('.saved-open').click());
  assert.equal(opened.status, 200, JSON.stringify(opened.payload));
  assert.deepEqual(sorted(opened.body.communes), CONFLICT_CODES);
  assert.ok(opened.body.missions.includes(mission), JSON.stringify(opened.body));
  assert.ok(await page.isChecked(`#missions input[value="${mission}"]`));
  const expected = await harness.assertPanelMatches(page, server.baseUrl, opened.body);
  assert.ok(expected.funding.lines.some((line) => line.mission === mission));
  assert.equal(await page.getAttribute('#overlaps', 'data-state'), 'conflict');
  assert.match(await savedItem(name).getAttribute('class'), /\bcurrent\b/);
  await harness.mapSettled(page);
  await page.locator('#saved').scrollIntoViewIfNeeded();
  await screenshot('reopened');

  const renamed = 'Aix Sainte-Victoire, projet renommé';
  prompts.push(renamed);
  await savedItem(name).locator('.saved-rename').click();
  await savedItem(renamed).waitFor();
  assert.equal((await api(`/api/territories/${saved.id}`)).payload.name, renamed);
  assert.equal(await savedItem(name).count(), 0);

  await savedItem(renamed).locator('.saved-delete').click(); // the confirm dialog is accepted
  await page.waitForSelector(`#saved-list li[data-id="${saved.id}"]`, { state: 'detached' });
  assert.equal((await api(`/api/territories/${saved.id}`)).status, 404);
  assert.match(await text('#saved-status'), /est supprimé\. Aucun territoire enregistré par e2e@cpts-atlas\.test\./);
  await screenshot('deleted');
});

test('a saved drawn perimeter reopens in drawing mode with its geometry', async () => {
  const geometry = {
    type: 'Polygon',
    coordinates: [[[5.35, 43.48], [5.5, 43.48], [5.5, 43.58], [5.35, 43.58], [5.35, 43.48]]],
  };
  const created = await api('/api/territories', {
    method: 'POST',
    token: harness.WRITE_TOKEN,
    body: { name: 'Périmètre dessiné (e2e)', spec: { geojson: geometry }, missions: [], author: AUTHOR },
  });
  assert.equal(created.status, 201, JSON.stringify(created.payload));
  await page.click('#saved-refresh');
  const item = savedItem('Périmètre dessiné (e2e)');
  await item.waitFor();
  assert.match(await item.textContent(), /périmètre dessiné/);

  const opened = await diagnosisAfter(() => item.locator('.saved-open').click());
  assert.equal(opened.status, 200, JSON.stringify(opened.payload));
  assert.deepEqual(opened.body.geometry, geometry);
  assert.equal(await page.getAttribute('#mode-draw', 'aria-pressed'), 'true');
  await harness.assertPanelMatches(page, server.baseUrl, opened.body);
  // The perimeter is on the map, editable with geoman's tools, and the overlaps are listed.
  assert.equal(await page.locator('.leaflet-overlay-pane path.leaflet-interactive').count(), 1);
  assert.ok(await page.isVisible('.leaflet-pm-icon-edit'));
  assert.ok(opened.payload.overlaps.length > 0);
  assert.equal(await page.locator('#overlap-list li').count(), opened.payload.overlaps.length);
  await harness.mapSettled(page);
  await screenshot('drawn');
  await item.locator('.saved-delete').click();
  await item.waitFor({ state: 'detached' });
});

test('the page logged no error or warning and broke no content security rule', () => {
  assert.deepEqual(pageProblems, []);
});
