// End-to-end test of the dossier downloads: « Télécharger la lettre d'intention » and the budget
// prévisionnel from the map panel for selected communes, and the lettre of a saved territory from
// the saved list — each download happens and is the right kind of file (a DOCX or XLSX package
// whose parts are named in the ZIP directory). tests/dossier.rs reads their contents.
//
//   (cd tests/e2e && npm ci) && cargo build --release && node --test tests/e2e/dossier.test.mjs
//
// Screenshot: artifacts/e2e-dossier.png (the panel's buttons).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import * as harness from './harness.mjs';

// Bayeux and four communes around (Calvados: the loaded directory covers them).
const BAYEUX = ['14047', '14663', '14515', '14676', '14406'];

let server;
let browser;
let page;
let problems = [];

before(async () => {
  server = await harness.startServer();
  ({ browser, page, problems } = await harness.openPage(server.baseUrl));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Clicks `target` and returns the download's suggested name and bytes. */
async function downloaded(target) {
  const [download] = await Promise.all([page.waitForEvent('download'), target.click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

/** A ZIP (Office Open XML package) holding the part `part`. */
function assertPackage(bytes, part) {
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a ZIP file');
  assert.ok(bytes.includes(Buffer.from('[Content_Types].xml')), 'an Office Open XML package');
  assert.ok(bytes.includes(Buffer.from(part)), `the package holds ${part}`);
}

test('the panel downloads the lettre d’intention and the budget of the selected communes', async () => {
  assert.equal(await page.isDisabled('#download-letter'), true, 'disabled without a territory');
  await harness.selectCodes(page, BAYEUX);
  assert.equal(await page.isDisabled('#download-letter'), false);
  assert.equal(await harness.text(page, '#download-letter'), 'Télécharger la lettre d\'intention');

  const letter = await downloaded(page.locator('#download-letter'));
  assert.match(letter.name, /^lettre-intention-\d{4}-\d{2}-\d{2}\.docx$/);
  assertPackage(letter.bytes, 'word/document.xml');
  assert.ok(letter.bytes.includes(Buffer.from('word/media/')), 'the lettre holds the map picture');

  const budget = await downloaded(page.locator('#download-budget'));
  assert.match(budget.name, /^budget-previsionnel-\d{4}-\d{2}-\d{2}\.xlsx$/);
  assertPackage(budget.bytes, 'xl/workbook.xml');
  await harness.screenshot(page, 'dossier');
  assert.deepEqual(problems, []);
});

test('the saved list downloads the lettre d’intention of a saved territory', async () => {
  const draft = { name: 'CPTS du Bessin (essai)', spec: { codes: BAYEUX }, missions: [], author: 'e2e-dossier' };
  const { status, payload: saved } = await harness.call(server.baseUrl, '/api/territories',
    { method: 'POST', body: draft, token: harness.WRITE_TOKEN });
  assert.equal(status, 201, JSON.stringify(saved));
  await page.click('#saved-refresh');
  const link = page.locator(`#saved-list li[data-id="${saved.id}"] a.saved-letter`);
  assert.equal(await link.getAttribute('href'), `/api/territories/${saved.id}/letter`);
  const letter = await downloaded(link);
  assert.match(letter.name, /^lettre-intention-.*\.docx$/);
  assertPackage(letter.bytes, 'word/document.xml');
  // The saved territory's name is in the document's properties (docProps/custom.xml, deflated):
  // the size says it is a real lettre, not an error page.
  assert.ok(letter.bytes.length > 20_000, `${letter.bytes.length} bytes`);
});
