// End-to-end test of "Proposer des territoires" (ARS initiative): the proposal for the
// Alpes-de-Haute-Provence drawn on the map, a commune moved to another candidate (both
// re-diagnosed), and the proposal saved as territories, against the real server.
//
// Screenshots go to artifacts/e2e-proposals-*.png.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as harness from './harness.mjs';

const AUTHOR = 'ars-e2e@cpts-atlas.test';
let server;
let browser;
let page;
let problems = [];

const api = (pathname, options) => harness.call(server.baseUrl, pathname, options);

before(async () => {
  server = await harness.startServer();
  ({ browser, page, problems } = await harness.openPage(server.baseUrl));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a proposal is drawn, a commune moved, the proposal saved', async () => {
  const { status, payload } = await api('/api/proposals?departement=04');
  assert.equal(status, 200);
  const expected = payload.features.filter((f) => f.properties.kind === 'candidate').map((f) => f.properties);
  assert.ok(expected.length >= 2, 'the 04 white zones form at least two candidates');

  await page.fill('#proposal-departement', '04');
  await page.click('#proposal-run');
  await page.waitForFunction((n) => document.querySelectorAll('#proposal-list > li').length === n, expected.length);
  const shown = await page.locator('#proposal-list > li').evaluateAll((items) => items.map((li) => li.dataset.id));
  assert.deepEqual(shown, expected.map((c) => c.id));
  const firstText = harness.plainText(await page.locator('#proposal-list > li').first().textContent());
  assert.ok(firstText.includes(`${expected[0].population.toLocaleString('fr-FR').replace(/\u202f/g, ' ')} hab.`), firstText);
  await harness.screenshot(page, 'proposals-drawn');

  // Move the smallest candidate's only commune into the largest: the largest is re-diagnosed.
  const small = expected[expected.length - 1];
  const large = expected[0];
  const code = small.codes[0];
  await page.evaluate((c) => {
    window.proposals.layer.eachLayer((l) => { if (l.feature.properties.code === c) l.fire('click'); });
  }, code);
  await page.selectOption('#proposal-target', large.id);
  await page.click('#proposal-move-apply');
  const codes = [...large.codes, code];
  const { payload: diagnosis } = await api('/api/diagnosis', { method: 'POST', body: { communes: codes } });
  await page.waitForFunction(([id, population]) => window.proposals.candidates
    .find((c) => c.id === id)?.population === population, [large.id, diagnosis.population]);
  assert.equal(diagnosis.population, large.population + small.population);

  // Save with the write token: every candidate becomes a territory.
  await page.fill('#saved-author', AUTHOR);
  await page.fill('#saved-token', harness.WRITE_TOKEN);
  await page.click('#proposal-save');
  await page.waitForFunction(() => /enregistrés/.test(document.querySelector('#proposal-status').textContent));
  const { payload: saved } = await api(`/api/territories?${new URLSearchParams({ author: AUTHOR })}`);
  const candidatesLeft = await page.evaluate(() => window.proposals.candidates.length);
  assert.equal(saved.length, candidatesLeft);
  const savedLarge = saved.find((t) => t.name.includes(large.id));
  assert.deepEqual([...savedLarge.spec.codes].sort(), [...codes].sort());
  await harness.screenshot(page, 'proposals-saved');
  assert.deepEqual(problems, []);
});
