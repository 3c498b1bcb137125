// End-to-end test of "Lieux de soins" and "Partenaires" in the diagnosis panel (INSEE BPE
// 2019, FINESS), for Guéret and Villeurbanne, against the real server; and the report's blocks.
//
//   (cd tests/e2e && npm ci) && cargo build --release && node --test tests/e2e/care-places.test.mjs
//
// Screenshots: artifacts/e2e-care-places-gueret.png, artifacts/e2e-care-places-villeurbanne.png.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as harness from './harness.mjs';

let server;
let browser;
let page;
let pageProblems = [];

const text = (selector) => harness.text(page, selector);
const oneDecimal = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

before(async () => {
  server = await harness.startServer();
  ({ browser, page, problems: pageProblems } = await harness.openPage(server.baseUrl));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function checkPanel(codes, name) {
  const exchange = await harness.selectCodes(page, codes);
  assert.equal(exchange.status, 200, JSON.stringify(exchange.payload));
  const { payload: expected } = await harness.postDiagnosis(server.baseUrl, { communes: codes });
  const available = Object.entries(expected.care_places).filter(([, p]) => p.available);
  assert.ok(available.length > 20, 'the BPE care places are shipped');
  await page.waitForSelector('#care-places-table');
  assert.equal(await page.locator('#care-places-table tbody tr').count(), available.length);
  for (const [id, p] of available) {
    const row = `#care-places-table tr[data-type="${id}"]`;
    assert.equal(await page.getAttribute(row, 'data-flag'), String(p.none_within_30_km), id);
    assert.equal(await harness.displayedInteger(page, `${row} .care-inside`) >= p.inside, true, id);
    const nearest = harness.plainText(await text(`${row} .care-nearest`));
    if (p.nearest_outside) {
      assert.equal(nearest, harness.plainText(`${p.nearest_outside.name} (${p.nearest_outside.code}) — ${oneDecimal.format(p.nearest_outside.distance_km)} km`), id);
    }
    assert.equal((await text(`${row} .care-flag`)).includes('aucun à moins de 30 km'), p.none_within_30_km, id);
  }
  const flagged = available.filter(([, p]) => p.none_within_30_km);
  assert.equal(await page.locator('#care-places-warning').count(), flagged.length ? 1 : 0);
  assert.match(await text('#care-places-source'), /^Source : INSEE, Base permanente des équipements.*millésime 2019/);
  assert.equal(await page.getAttribute('#health-partners', 'data-complete'), String(expected.partners.complete));
  assert.match(await text('#partners-note'), /hospitaliers seulement/);
  await page.locator('#health-care-places').screenshot({ path: path.join(harness.ROOT, 'artifacts', `e2e-care-places-${name}.png`) });
  return expected;
}

test('Guéret: emergency inside, the checklist and the partners as the API gives them', async () => {
  const expected = await checkPanel(['23096'], 'gueret');
  assert.ok(expected.care_places.emergency.inside >= 1);
  assert.equal(await text('#care-places-table tr[data-type="emergency"] .care-flag'), '');
  await page.locator('#partners-counted summary').click();
  assert.equal(await page.locator('#partners-counted li').count(), expected.partners.bpe_counts.length);
  assert.match(await text('#partners-counted'), /nom non disponible \(FINESS complet non chargé\)/);
  assert.deepEqual(pageProblems, []);
});

test('Villeurbanne: the checklist as the API gives it', async () => {
  const expected = await checkPanel(['69266'], 'villeurbanne');
  assert.ok(expected.care_places.pharmacy.inside > 10);
  assert.deepEqual(pageProblems, []);
});
