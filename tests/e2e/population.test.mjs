// End-to-end test of "Âges, évolution de la population et fragilité" in the diagnosis panel and
// the report, for Guéret (Creuse) and Villeurbanne (Rhône), against the real server.
//
//   cargo build --release && node --test tests/e2e/population.test.mjs
//
// Screenshots: artifacts/e2e-population-gueret.png, artifacts/e2e-population-villeurbanne.png,
// artifacts/e2e-population-report.png.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as harness from './harness.mjs';

let server;
let browser;
let page;
let pageProblems = [];

const text = (selector) => harness.text(page, selector);
const percent = (share) => `${(share * 100).toFixed(1).replace('.', ',')} %`;

before(async () => {
  server = await harness.startServer();
  ({ browser, page, problems: pageProblems } = await harness.openPage(server.baseUrl));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const [name, code] of [['gueret', '23096'], ['villeurbanne', '69266']]) {
  test(`the panel charts the age bands of ${name} against its département and France`, async () => {
    const exchange = await harness.selectCodes(page, [code]);
    assert.equal(exchange.status, 200);
    const expected = exchange.payload;
    assert.equal(expected.age_structure.available, true);
    const rows = page.locator('#age-chart .age-row');
    assert.equal(await rows.count(), 6);
    const band75 = expected.age_structure.groups.find((g) => g.group === 'age_75_plus');
    const row = '#age-chart .age-row[data-group="age_75_plus"]';
    assert.equal(await text(`${row} [data-series="territory"] .age-value`), percent(band75.share));
    const france = band75.comparisons.find((c) => c.level === 'france');
    assert.equal(await text(`${row} [data-series="france"] .age-value`), percent(france.value));
    const departement = band75.comparisons.find((c) => c.level === 'departement');
    assert.equal(await text(`${row} [data-series="departement-${departement.code}"] .age-value`), percent(departement.value));
    assert.match(await text(`${row} .age-label`), new RegExp(`${Math.round(band75.count).toLocaleString('fr-FR').replace(/\s/g, '\\s')} pers\\.`));
    assert.match(await text('#share-75-plus-2022'), /^Part des 75 ans et plus \(recensement 2022\) : \d+,\d %/);
    assert.match(await text('#population-change'), /% par an/);
    assert.match(await text('#fedi'), /^Indice de défavorisation F-EDI : -?\d+,\d\d/);
    assert.match(await text('#poverty-rate'), /^Taux de pauvreté : \d+,\d %/);
    assert.match(await text('#ages-source'), /INSEE, recensement de la population 2020/);
    await page.locator('#health-population').screenshot({ path: path.join(harness.ROOT, 'artifacts', `e2e-population-${name}.png`) });
  });
}

test('the report shows the census ages, the change and the fragility in French', async () => {
  await page.goto(`${server.baseUrl}/report#communes=23096`);
  await page.waitForSelector('#census-ages-table');
  assert.equal(await page.locator('#census-ages-table tbody tr').count(), 6);
  assert.match(await text('#population-figures-table'), /Taux de pauvreté/);
  assert.match(await text('#report-population'), /pas des nombres de patients/);
  // The follow-up indicator of the care pathways now has today's value everywhere (Guéret: 12,0 %).
  const indicator = '.mission[data-mission="care_pathways"] tr[data-indicator="age_75_plus_share"]';
  assert.equal(await page.getAttribute(indicator, 'data-available'), 'true');
  assert.match(await text(`${indicator} .indicator-value`), /^12 %/);
  await page.locator('#report-population').screenshot({ path: path.join(harness.ROOT, 'artifacts', 'e2e-population-report.png') });
  assert.deepEqual(pageProblems, []);
});
