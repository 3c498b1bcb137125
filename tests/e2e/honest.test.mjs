// End-to-end test of issue 16 in the page and the report, against the real server:
//   - registry coverage: Lyon (outside the only registry loaded, PACA's) says "non vérifié" in a
//     neutral colour, never the green "Aucun chevauchement"; Aix-en-Provence lists its conflict;
//     the states full / partial / none of `registry_coverage` (the backend's contract) are
//     rendered by answering the page's diagnosis with that field added (page.route);
//   - every word a user reads is French (a dictionary check of the rendered text of the page for
//     a few territories, an error, the proposals and the layer panel, and of the report);
//   - the legend lists every colour shown; commune names from zoom 10; département borders;
//   - "Effacer le territoire" asks, then can be undone; a territory in two pieces is warned;
//   - a postal code is said not to be an INSEE code; authors' e-mails are not listed;
//   - on a phone (390 x 844), the diagnosis is in view after a tap on the map;
//   - the report has no near-empty page for 1, 6 and 50 communes (PDF, pdftotext per page).
//
// Screenshots: artifacts/e2e-honest-{lyon,aix,phone,legend,report-lyon}.png.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { dataWords, notFrench } from './french.mjs';
import * as harness from './harness.mjs';

const LYON = ['69381', '69382', '69383', '69384', '69385', '69386', '69387', '69388', '69389'];
const AIX = ['13001'];
const BAYEUX_GUERET = ['14047', '23096'];
const CAEN = ['14118', '14327', '14366', '14047', '14341', '14068'];

let server;
let browser;
let page;
let problems = [];
const seen = []; // [where, text, data words] of every rendered text, for the dictionary test

const api = (pathname, options) => harness.call(server.baseUrl, pathname, options);
const text = (selector) => harness.text(page, selector);

/** Every `name` in a JSON value (places, CPTS, establishments, partners...). */
const allNames = (value) => (Array.isArray(value) ? value.flatMap(allNames)
  : value && typeof value === 'object'
    ? Object.entries(value).flatMap(([k, v]) => (k === 'name' && typeof v === 'string' ? [v] : allNames(v))) : []);

/** The data words of a diagnosis: its place, CPTS and establishment names. */
const namesOf = (d) => dataWords(allNames(d),
  d.territory?.features.map((f) => f.properties.name) ?? [],
  (d.departements ?? []).map((p) => p.name), (d.regions ?? []).map((p) => p.name),
  (d.overlaps ?? []).map((o) => [o.name, o.shared_communes.map((c) => c.name), o.declared_splits.map((c) => c.name)]),
  [...(d.hospitals?.inside ?? []), ...(d.hospitals?.nearest_outside ?? [])].map((h) => [h.name, h.category]),
  d.overlaps_checked_against ?? '',
  (d.registry_coverage?.registries ?? []).map((r) => r.source ?? ''),
);

let lastData = new Set(); // names in the page's latest diagnosis and search answers
/** Keeps the page's visible text for the dictionary test, with the names of the commune labels shown. */
async function keepText(where, data = new Set()) {
  const labels = [...lastData, ...await page.locator('.commune-label span').allInnerTexts()];
  const shown = await page.evaluate(() => document.body.innerText);
  seen.push([where, shown, new Set([...data, ...dataWords(labels)])]);
}

before(async () => {
  server = await harness.startServer();
  ({ browser, page, problems } = await harness.openPage(server.baseUrl, {
    expected: (message) => harness.isRefusal(message, '/api/diagnosis'),
  }));
  page.on('response', async (response) => {
    const { pathname } = new URL(response.url());
    if (!response.ok() || !['/api/diagnosis', '/api/search'].includes(pathname)) return;
    const body = await response.json().catch(() => null);
    if (body?.territory) lastData = namesOf(body);
    if (body?.results) lastData = new Set([...lastData, ...dataWords(body.results.map((r) => r.name))]);
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('Lyon, outside the registry loaded, says "non vérifié", neutral, never green', async () => {
  const { payload: d } = await harness.selectCodes(page, LYON);
  await page.click('#fit-territory');
  await harness.mapSettled(page);
  assert.notEqual(d.registry_coverage?.status, 'full', 'no registry of Auvergne-Rhône-Alpes is loaded');
  assert.equal(await page.getAttribute('#overlaps', 'data-state'), 'unchecked');
  assert.ok(await page.isHidden('#overlaps-none'));
  assert.ok(await page.isVisible('#overlaps-unchecked'));
  assert.match(await text('#overlaps-unchecked'), /^Chevauchements : non vérifié/);
  assert.match(await text('#overlaps-unchecked'), /chargez le registre des CPTS (du département 69|de la région) /);
  assert.doesNotMatch(await text('#overlaps'), /Aucun chevauchement/);
  // Neutral: grey, not the green of a checked answer.
  const colour = await page.locator('#overlaps-unchecked').evaluate((node) => getComputedStyle(node).backgroundColor);
  assert.equal(colour, 'rgb(242, 244, 247)');
  await page.locator('#overlaps').scrollIntoViewIfNeeded();
  await harness.screenshot(page, 'honest-lyon', { fullPage: false });
  await keepText('page, Lyon', namesOf(d));
});

test('Aix-en-Provence, in the PACA registry, lists its conflict', async () => {
  const { payload: d } = await harness.selectCodes(page, AIX);
  await page.click('#fit-territory');
  await harness.mapSettled(page);
  const conflict = d.overlaps.find((o) => o.kind === 'conflict');
  assert.ok(conflict, 'Aix-en-Provence is a member of a registry CPTS');
  assert.equal(await page.getAttribute('#overlaps', 'data-state'), 'conflict');
  assert.equal(await text(`#overlap-list li[data-id="${conflict.id}"] .overlap-title`), `Conflit avec ${conflict.name}`);
  assert.ok(await page.isHidden('#overlaps-none'));
  await page.locator('#overlaps').scrollIntoViewIfNeeded();
  await harness.screenshot(page, 'honest-aix', { fullPage: false });
  await keepText('page, Aix-en-Provence', namesOf(d));

  // Les Omergues (04140), a PACA commune no CPTS holds: "no overlap" only if the server says
  // that its registry covers it (`registry_coverage`); a server that does not say is not believed.
  const { payload: omergues } = await harness.selectCodes(page, ['04140']);
  assert.deepEqual(omergues.overlaps, []);
  if (omergues.registry_coverage) {
    assert.equal(omergues.registry_coverage.status, 'full', 'the PACA registry covers the 04');
    assert.equal(await page.getAttribute('#overlaps', 'data-state'), 'none');
    assert.match(await text('#overlaps-none'), /^Aucun chevauchement avec les CPTS existantes \(registre : /);
  } else {
    assert.equal(await page.getAttribute('#overlaps', 'data-state'), 'unchecked');
    assert.ok(await page.isHidden('#overlaps-none'));
  }
});

/** Answers the page's next diagnoses with the server's answer changed by `change`. */
async function withDiagnosis(change, work) {
  const handler = async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    await route.fulfill({ response, json: response.ok() ? change(body) : body });
  };
  await page.route('**/api/diagnosis', handler);
  try {
    return await work();
  } finally {
    await page.unroute('**/api/diagnosis', handler);
  }
}

test('the registry_coverage states: only full without overlap says "Aucun chevauchement"', async () => {
  const registries = [{ id: 'paca-2026', source: 'ARS PACA, CPTS existantes 01/2026', departements: ['04', '05', '06', '13', '83', '84'] }];
  // A PACA commune no CPTS holds: 04140 (Les Omergues, a white zone of the 04 proposal).
  const full = await withDiagnosis((d) => ({ ...d, overlaps: [], registry_coverage: { status: 'full', registries, communes_outside: 0, communes_outside_sample: [] } }),
    () => harness.selectCodes(page, ['04140']));
  assert.equal(full.status, 200);
  assert.equal(await page.getAttribute('#overlaps', 'data-state'), 'none');
  assert.equal(await page.getAttribute('#overlaps', 'data-coverage'), 'full');
  assert.match(await text('#overlaps-none'), /^Aucun chevauchement avec les CPTS existantes \(registre : /);
  assert.ok(await page.isHidden('#overlaps-unchecked'));
  assert.match(await text('#overlaps-source'), /ARS PACA, CPTS existantes 01\/2026 \(6 départements : 04, 05, 06, 13, 83, 84\)/);

  await withDiagnosis((d) => ({ ...d, overlaps: [], registry_coverage: { status: 'partial', registries, communes_outside: 1, communes_outside_sample: [{ code: '26001', name: 'Solaure en Diois' }] } }),
    () => harness.selectCodes(page, ['04140', '04209']));
  assert.equal(await page.getAttribute('#overlaps', 'data-coverage'), 'partial');
  assert.ok(await page.isHidden('#overlaps-none'));
  assert.match(await text('#overlaps-unchecked'), /^Chevauchements : non vérifié pour une partie du territoire/);
  assert.match(await text('#overlaps-unchecked'), /1 commune du territoire est hors de la zone des registres chargés : Solaure en Diois\./);

  await withDiagnosis((d) => ({ ...d, registry_coverage: { status: 'none', registries, communes_outside: 9, communes_outside_sample: [] } }),
    () => harness.selectCodes(page, LYON));
  assert.equal(await page.getAttribute('#overlaps', 'data-coverage'), 'none');
  assert.match(await text('#overlaps-unchecked'), /^Chevauchements : non vérifié.*Aucun registre de CPTS existantes chargé ne couvre ce territoire \(Rhône \(69\)\)/);

  // The server's `contiguity`, when sent, is what the warning lists.
  await withDiagnosis((d) => ({ ...d, contiguity: { parts: 2, parts_detail: [LYON.slice(0, 5), LYON.slice(5)] } }),
    () => harness.selectCodes(page, LYON));
  assert.match(await text('#contiguity-warning'), /^Territoire non contigu : 2 parties séparées\./);
  assert.match(await text('#contiguity-warning li:last-child'), /^Lyon 6e Arrondissement/);

  // Amounts the grid does not give show as not known, never as 0 €.
  await withDiagnosis((d) => ({
    ...d,
    funding: { ...d.funding, total_known: false, lines: [...d.funding.lines, { mission: 'crisis', label: 'Réponse aux crises sanitaires graves', mandatory: true, fixed: null, variable: null, total: null }] },
  }), () => harness.selectCodes(page, AIX));
  assert.match(await text('#funding-lines tr:last-child'), /Réponse aux crises sanitaires graves\s*non connu\s*non connu\s*non connu/);
  assert.match(await text('#funding-total'), /^au moins \d/);
});

test('a territory in two pieces is warned, its parts listed (Bayeux + Guéret)', async () => {
  const { payload: d } = await harness.selectCodes(page, BAYEUX_GUERET);
  assert.ok(await page.isVisible('#contiguity-warning'), JSON.stringify(d).slice(0, 300));
  assert.match(await text('#contiguity-warning'), /^Territoire non contigu : 2 parties séparées\./);
  const parts = await page.locator('#contiguity-warning li').allInnerTexts();
  assert.deepEqual(parts.sort(), ['Bayeux', 'Guéret']);
  await keepText('page, Bayeux + Guéret', namesOf(d));
  // Lyon's arrondissements are in one piece: no warning.
  await harness.selectCodes(page, LYON);
  assert.ok(await page.isHidden('#contiguity-warning'));
  // The report tests' "Caen and five communes around" are three pieces: Caen, Hérouville,
  // Biéville-Beuville and Ifs; Bayeux; Lisieux (14366). Checked on the outlines the API sends:
  // the pairs sharing a vertex are only Biéville/Hérouville, Caen/Hérouville and Caen/Ifs.
  await harness.selectCodes(page, CAEN);
  const pieces = await page.locator('#contiguity-warning li').allInnerTexts();
  assert.deepEqual(pieces.map(harness.plainText), ['Biéville-Beuville, Caen, Hérouville-Saint-Clair, Ifs', 'Bayeux', 'Lisieux']);
});

test('an unknown code is refused in French (99999)', async () => {
  await harness.selectCodes(page, AIX);
  const refused = await harness.diagnosisAfter(page, async () => {
    await page.fill('#import-codes', '99999');
    await page.click('#import-form button[type="submit"]');
  });
  assert.equal(refused.status, 422);
  assert.match(await text('#error-message'), /^Code inconnu : 99999\./);
  await keepText('page, error', namesOf((await harness.postDiagnosis(server.baseUrl, { communes: AIX })).payload));
  await page.click('#error-close');
});

test('the server’s warnings are shown in French', async () => {
  // 14002 (Acqueville) is a commune déléguée whose chef-lieu is 14150 (COG 2026 communes.json:
  // {"code": "14002", "type": "commune-deleguee", "chefLieu": "14150"}): the server counts it
  // as 14150 and warns, in English.
  const { payload } = await harness.selectCodes(page, ['14002']);
  assert.ok(payload.warnings.some((w) => /^14002 is a former commune, now part of 14150/.test(w)), JSON.stringify(payload.warnings));
  const shown = await page.locator('#warnings li').allInnerTexts();
  assert.equal(shown.length, 1);
  assert.match(harness.plainText(shown[0]), /^14002 est une ancienne commune, rattachée à .+ \(14150\) : comptée comme 14150\.$/);
  await keepText('page, warnings', namesOf(payload));
});

test('"Effacer le territoire" asks first, and can be undone', async () => {
  const { dialogs } = harness.lastDialogs ?? { dialogs: null };
  assert.equal(dialogs, null);
  await harness.selectCodes(page, CAEN);
  const asked = page.waitForEvent('dialog');
  await page.click('#clear-territory');
  const dialog = await asked;
  assert.equal(dialog.type(), 'confirm');
  assert.equal(dialog.message(), 'Effacer le territoire (6 communes) ?');
  await page.waitForSelector('#diagnosis[data-state="empty"]');
  assert.match(await text('#undo-bar'), /Territoire effacé \(6 communes\)\.\s*Annuler/);
  const restored = await harness.diagnosisAfter(page, () => page.click('#undo-clear'));
  assert.deepEqual(restored.body.communes, CAEN);
  assert.ok(await page.isHidden('#undo-bar'));
});

test('the legend lists every colour shown; names from zoom 10; département borders', async () => {
  await harness.selectCodes(page, AIX);
  await page.click('#fit-territory');
  await harness.mapSettled(page);
  const keys = () => page.locator('#map-legend-items li').evaluateAll((items) => items.map((li) => li.dataset.key));
  assert.ok(await page.isVisible('#map-legend'), 'legend shown');
  let shown = await keys();
  assert.ok(shown.includes('territory'), shown.join());
  assert.ok(shown.includes('conflict'), shown.join());
  // Zoomed in (>= 10), the communes are named on the map, from the communes layer's data.
  const labels = await page.locator('.commune-label span').allInnerTexts();
  assert.ok(labels.includes('Aix-en-Provence'), `labels: ${labels.join()}`);

  // The layers turned on add their colours; turned off, they go.
  await page.click('#layers summary');
  await page.check('#layer-cpts-toggle');
  await page.waitForSelector('#layer-cpts[data-state="ready"]');
  await page.check('#layer-apl-toggle');
  await page.waitForSelector('#layer-apl:is([data-state="ready"], [data-state="hint"])');
  await page.check('#layer-hospitals-toggle');
  await page.waitForSelector('#layer-hospitals[data-state="ready"]');
  shown = await keys();
  for (const key of ['cpts', 'apl_under', 'apl_high', 'hospital', 'hospital_second']) assert.ok(shown.includes(key), `${key} in ${shown.join()}`);
  // Each entry's swatch is drawn (a colour, not a blank box).
  const swatches = await page.locator('#map-legend-items .swatch').evaluateAll((nodes) => nodes.map((n) => {
    const s = getComputedStyle(n);
    return `${s.backgroundColor}|${s.backgroundImage}|${s.borderTopColor}`;
  }));
  for (const s of swatches) assert.notEqual(s, 'rgba(0, 0, 0, 0)|none|rgba(0, 0, 0, 0)', s);
  // Hospital dots and under-served communes do not share a colour.
  const colour = (selector) => page.locator(selector).first().evaluate((n) => getComputedStyle(n).backgroundColor);
  assert.notEqual(await colour('#map-legend-items .swatch-hospital-second'), await colour('#map-legend-items .swatch-apl-under'));
  // With the layer panel open, "Voir le territoire" keeps the territory clear of it.
  await page.click('#fit-territory');
  await page.waitForTimeout(1500); // the flight
  await harness.mapSettled(page);
  const [territoryBox, panelBox] = await page.evaluate(() => {
    const boxes = [...document.querySelectorAll('.leaflet-territory-pane path')].map((p) => p.getBoundingClientRect());
    const panel = document.getElementById('layers').getBoundingClientRect();
    return [{ right: Math.max(...boxes.map((b) => b.right)) }, { left: panel.left }];
  });
  assert.ok(territoryBox.right <= panelBox.left, `territory up to ${territoryBox.right} px, panel from ${panelBox.left} px`);
  await harness.screenshot(page, 'honest-legend');
  await keepText('page, layers and legend', namesOf((await harness.postDiagnosis(server.baseUrl, { communes: AIX })).payload));
  for (const id of ['cpts', 'apl', 'hospitals']) await page.uncheck(`#layer-${id}-toggle`);
  shown = await keys();
  for (const key of ['cpts', 'apl_under', 'hospital']) assert.ok(!shown.includes(key), `${key} still in ${shown.join()}`);
  await page.click('#layers summary');

  // Département borders: zoomed out over Aix and Vaucluse, the 13/84 border is drawn.
  const borders = await page.evaluate(() => document.querySelectorAll('.leaflet-departement-borders-pane path').length);
  assert.ok(borders >= 1, 'département borders drawn');
});

test('a postal code finds its communes, or is said not to be an INSEE code', async () => {
  const { payload } = await api('/api/search?q=14400&limit=10');
  await harness.search(page, '14400');
  await page.waitForSelector('#search-results li');
  // Bayeux's postal code is 14400 (COG 2026 communes.json: "code": "14047", "codesPostaux":
  // ["14400"]); its INSEE code is 14047. A server that knows postal codes answers Bayeux.
  if (payload.results.some((r) => r.code === '14047')) {
    assert.match(await text('#search-results li[data-code="14047"]'), /code postal 14400/);
    assert.doesNotMatch(await text('#search-results li[data-code="14400"]'), /code postal/);
    assert.equal(await text('#search-status'), '');
  } else {
    await page.waitForFunction(() => /codes postaux/.test(document.getElementById('search-status').textContent));
    assert.match(await text('#search-status'), /Ce serveur ne connaît pas les codes postaux/);
  }
  await keepText('page, search 14400');
  await page.fill('#search-input', '');
});

test('the saved territories do not list their authors', async () => {
  const email = 'someone.else@cpts-exemple.test';
  const created = await api('/api/territories', {
    method: 'POST', token: harness.WRITE_TOKEN,
    body: { name: 'Territoire d’un autre auteur', spec: { codes: CAEN }, missions: [], author: email },
  });
  assert.equal(created.status, 201, JSON.stringify(created.payload));
  await page.fill('#saved-author', '');
  await page.click('#saved-refresh');
  await page.waitForSelector('#saved-list li[data-name="Territoire d’un autre auteur"]');
  assert.doesNotMatch(await text('#saved'), /someone\.else/);
});

test('the proposals view is in French', async () => {
  await page.fill('#proposal-departement', '04');
  await page.click('#proposal-run');
  await page.waitForSelector('#proposal-list > li');
  await page.locator('#proposal-list details').evaluateAll((all) => all.forEach((d) => { d.open = true; }));
  const { payload } = await api('/api/proposals?departement=04');
  await keepText('page, proposals 04', dataWords(
    payload.features.map((f) => [f.properties.name, (f.properties.borders ?? []).map((b) => b.name ?? ''),
      (f.properties.communes ?? []).map((c) => c.name), f.properties.pole?.name ?? '']),
    payload.proposal.registry ?? ''));
  await page.uncheck('#proposal-shown');
});

test('on a phone, the diagnosis is in view after a tap on the map', async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR', isMobile: true, hasTouch: true });
  const tab = await phone.newPage();
  try {
    await tab.goto(server.baseUrl);
    await tab.waitForSelector('#missions input');
    await harness.search(tab, 'Bayeux');
    await tab.click('#search-results li[data-code="14047"] .result-name');
    await harness.mapSettled(tab);
    await tab.evaluate(() => window.scrollTo(0, 0));
    const box = await tab.locator('#map').boundingBox();
    const tapped = await harness.diagnosisAfter(tab, () => tab.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2));
    assert.equal(tapped.status, 200);
    assert.equal(tapped.body.communes.length, 1);
    await tab.waitForTimeout(300);
    const top = await tab.locator('#population').evaluate((n) => n.getBoundingClientRect().top);
    assert.ok(top >= 0 && top < 844 - 40, `the population is at ${top} px, out of the 844 px of the screen`);
    await tab.screenshot({ path: path.join(harness.ROOT, 'artifacts/e2e-honest-phone.png') });
  } finally {
    await phone.close();
  }
});

/** Opens the report of `codes` in a new tab; returns the tab, once rendered. */
async function openReport(codes) {
  const tab = await page.context().newPage();
  await tab.goto(`${server.baseUrl}/report#communes=${codes.join('%2C')}`);
  await tab.waitForSelector('#report:not([data-state="loading"])');
  assert.equal(await tab.getAttribute('#report', 'data-state'), 'ready');
  return tab;
}

test('the report says "non vérifié" for Lyon, in French', async () => {
  const tab = await openReport(LYON);
  try {
    assert.ok(await tab.isVisible('#overlaps-unchecked'));
    assert.equal(await tab.locator('#overlaps-none').count(), 0);
    assert.match(harness.plainText(await tab.innerText('#overlaps')), /Chevauchements : non vérifié/);
    // Sources: the ones used (no Normandy directory for Lyon), in French.
    const sources = await tab.locator('#sources-list li').evaluateAll((items) => items.map((li) => li.dataset.indicator));
    assert.ok(!sources.includes('supply') || !(await tab.innerText('#sources-list')).includes('Normandie'));
    await tab.screenshot({ path: path.join(harness.ROOT, 'artifacts/e2e-honest-report-lyon.png'), fullPage: true });
    const { payload } = await harness.postDiagnosis(server.baseUrl, { communes: LYON });
    seen.push(['report, Lyon', await tab.evaluate(() => document.body.innerText), namesOf(payload)]);
  } finally {
    await tab.close();
  }
  for (const codes of [CAEN, AIX]) {
    const other = await openReport(codes);
    const { payload } = await harness.postDiagnosis(server.baseUrl, { communes: codes });
    seen.push([`report, ${codes[0]}`, await other.evaluate(() => document.body.innerText), namesOf(payload)]);
    await other.close();
  }
});

test('every word shown by the page and the report is French', () => {
  assert.ok(seen.length >= 8, `${seen.length} texts`);
  // The check can fail: the server's English messages are caught.
  assert.deepEqual(notFrench('unknown commune, arrondissement or IRIS code(s): 99999'), ['unknown']);
  assert.deepEqual(notFrench('Pourquoi ce découpage : kept below the minimum'), ['below', 'kept', 'the']);
  const failures = seen.map(([where, shown, data]) => [where, notFrench(shown, data)]).filter(([, words]) => words.length);
  for (const [where, words] of failures) console.log(`not French, ${where}: ${words.join(', ')}`);
  assert.deepEqual(failures, []);
});

/** Fill of each page of a PDF: how far down its lowest line of text goes, above the footer (0 to 1). */
function pageFill(pdf) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cpts-atlas-pdf-'));
  try {
    const file = path.join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    const xml = execFileSync('pdftotext', ['-bbox', file, '-']).toString();
    const mm = 72 / 25.4;
    return xml.split('<page ').slice(1).map((p) => {
      const height = Number(/height="([\d.]+)"/.exec(p)[1]);
      const bottom = height - 16 * mm; // the footer's margin (report.css @page)
      const lines = [...p.matchAll(/yMax="([\d.]+)"/g)].map((m) => Number(m[1])).filter((y) => y < bottom - 2);
      return lines.length ? (Math.max(...lines) - 14 * mm) / (bottom - 14 * mm) : 0;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the report has no near-empty page, for 1, 6 and 50 communes', async () => {
  const { payload } = await api('/api/communes?bbox=-0.9,49.0,-0.2,49.4&zoom=10');
  const fifty = payload.features.map((f) => f.properties.code).filter((c) => c.startsWith('14')).slice(0, 50);
  assert.equal(fifty.length, 50);
  for (const codes of [['14047'], CAEN, fifty]) {
    const tab = await openReport(codes);
    const pdf = await tab.pdf({ format: 'A4', printBackground: true });
    await tab.close();
    const fill = pageFill(pdf);
    // Every page but the last is at least half full; the first holds the summary and the map.
    const thin = fill.slice(0, -1).map((f, i) => [i + 1, Math.round(f * 100)]).filter(([, f]) => f < 50);
    assert.deepEqual(thin, [], `${codes.length} communes: pages filled ${fill.map((f) => Math.round(f * 100)).join(' ')} %`);
    assert.ok(fill.length <= 14, `${codes.length} communes: ${fill.length} pages`); // a runaway guard; the fill is the rule
  }
  assert.deepEqual(problems, []);
});
