// End-to-end test of "Proposer des territoires" (ARS initiative), against the real server: the
// proposal for the Alpes-de-Haute-Provence drawn on the map, with small bounds (min 2 000,
// target 4 000, max 6 000) so that it has several neighbouring candidates; a move that would
// cut a candidate in two is refused with a French message; a move to a candidate the commune
// does not touch is refused; an accepted move re-diagnoses both candidates (population, size,
// funding, APL: checked against /api/diagnosis of the new lists); French numbers and plurals;
// the layer hidden gives the map's clicks back to the selection; the proposal saved.
//
// The expected refusals are computed here, independently of the page, from the outlines of the
// proposal's communes (two communes touch when their outlines share an edge; the page instead
// looks for vertices near the other's border); the candidates' contiguity is checked on the
// server's answer too.
//
// Screenshots go to artifacts/e2e-proposals-*.png.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as harness from './harness.mjs';

const AUTHOR = 'ars-e2e@cpts-atlas.test';
const QUERY = { departement: '04', min: '2000', target: '4000', max: '6000' };
let server;
let browser;
let page;
let problems = [];
let proposal;

const api = (pathname, options) => harness.call(server.baseUrl, pathname, options);

/**
 * Whether two outlines share a border: an edge with the same two end points in both (the
 * shipped outlines keep their topology, so neighbours share their border's vertices; the way
 * README's "Adjacency" describes the server's, not the page's tolerance method).
 */
function touch(a, b) {
  const rings = (g) => (g.type === 'Polygon' ? g.coordinates : g.coordinates.flat());
  const edges = (g) => new Set(rings(g).flatMap((ring) => ring.slice(1).map((p, i) => {
    const [u, v] = [ring[i].join(','), p.join(',')].sort();
    return `${u};${v}`;
  })));
  const mine = edges(a);
  return [...edges(b)].some((edge) => mine.has(edge));
}

/** Number of connected pieces of `codes` under `touching(a, b)`. */
function pieces(codes, touching) {
  const left = new Set(codes);
  let count = 0;
  while (left.size) {
    count += 1;
    const queue = [left.values().next().value];
    left.delete(queue[0]);
    while (queue.length) {
      const c = queue.shift();
      for (const d of [...left]) if (touching(c, d)) { left.delete(d); queue.push(d); }
    }
  }
  return count;
}

before(async () => {
  server = await harness.startServer();
  ({ browser, page, problems } = await harness.openPage(server.baseUrl, {
    expected: (message) => harness.isRefusal(message, '/api/proposals', /401/),
  }));
  const { status, payload } = await api(`/api/proposals?${new URLSearchParams(QUERY)}`);
  assert.equal(status, 200, JSON.stringify(payload));
  const communes = payload.features.filter((f) => f.properties.kind === 'commune');
  const geometry = new Map(communes.map((f) => [f.properties.code, f.geometry]));
  const memo = new Map();
  const touching = (a, b) => {
    const k = a < b ? `${a}|${b}` : `${b}|${a}`;
    if (!memo.has(k)) memo.set(k, touch(geometry.get(a), geometry.get(b)));
    return memo.get(k);
  };
  const candidates = payload.features.filter((f) => f.properties.kind === 'candidate').map((f) => f.properties);
  proposal = { candidates, communes, touching, candidateOf: new Map(communes.map((f) => [f.properties.code, f.properties.candidate])) };
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The moves out of `from` to a touching candidate, with whether they split `from`. */
function moves() {
  const { candidates, touching, candidateOf } = proposal;
  const found = [];
  for (const from of candidates) {
    for (const code of from.codes) {
      const targets = new Set(proposal.communes.map((f) => f.properties.code)
        .filter((other) => candidateOf.get(other) !== from.id && touching(code, other)).map((other) => candidateOf.get(other)));
      const rest = from.codes.filter((c) => c !== code);
      for (const to of targets) found.push({ code, from, to: candidates.find((c) => c.id === to), splits: rest.length > 0 && pieces(rest, touching) > 1 });
    }
  }
  return found;
}

async function clickCommune(code) {
  await page.evaluate((c) => {
    window.proposals.layer.eachLayer((l) => { if (l.feature.properties.code === c) l.fire('click'); });
  }, code);
}

test('the proposal is drawn with French numbers, plurals and reasons', async () => {
  // Every candidate the server proposes is in one piece (checked on the outlines here).
  for (const c of proposal.candidates) assert.equal(pieces(c.codes, proposal.touching), 1, c.id);
  assert.ok(proposal.candidates.length >= 3, `${proposal.candidates.length} candidates`);

  for (const [id, value] of [['proposal-departement', QUERY.departement], ['proposal-min', QUERY.min],
    ['proposal-target-population', QUERY.target], ['proposal-max', QUERY.max]]) await page.fill(`#${id}`, value);
  await page.click('#proposal-run');
  await page.waitForFunction((n) => document.querySelectorAll('#proposal-list > li').length === n, proposal.candidates.length);
  const shown = await page.locator('#proposal-list > li').evaluateAll((items) => items.map((li) => li.dataset.id));
  assert.deepEqual(shown, proposal.candidates.map((c) => c.id));
  for (const c of proposal.candidates) {
    const item = harness.plainText(await page.locator(`#proposal-list > li[data-id="${c.id}"]`).innerText());
    assert.ok(item.includes(c.codes.length > 1 ? `${c.codes.length} communes` : '1 commune'), item);
    assert.ok(!/commune\(s\)|(^|\D)1 communes/.test(item), item);
    if (c.apl?.available) {
      const apl = c.apl.apl.toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      assert.ok(item.includes(`APL ${c.apl.edition} : ${apl}`), item);
    }
  }
  // "Pourquoi ce découpage" is French: no reason left in the server's English.
  await page.locator('#proposal-list details').first().evaluate((d) => { d.open = true; });
  const reasons = await page.locator('#proposal-list .proposal-reasons li').allInnerTexts();
  assert.ok(reasons.length > 0);
  for (const r of reasons) assert.doesNotMatch(r, /\b(pole|kept|below|bordered|component|inhabitants|Autre motif)\b/, r);
  await harness.screenshot(page, 'proposals-drawn');
});

test('a move that would cut a candidate in two, or to a candidate it does not touch, is refused', async () => {
  const split = moves().find((m) => m.splits);
  assert.ok(split, 'this proposal has a commune whose move would cut its candidate');
  await clickCommune(split.code);
  await page.selectOption('#proposal-target', split.to.id);
  await page.click('#proposal-move-apply');
  await page.waitForSelector('#proposal-refusal:not([hidden])');
  const message = harness.plainText(await page.innerText('#proposal-refusal'));
  assert.match(message, new RegExp(`^Déplacement refusé : retirer .*\\(${split.code}\\) couperait le candidat ${split.from.id} .* en 2 morceaux`));
  assert.equal(await page.evaluate((c) => window.proposals.communeOf.get(c), split.code), split.from.id);
  await page.locator('#proposal-refusal').scrollIntoViewIfNeeded();
  await page.waitForTimeout(500); // the panel repainted after its scroll
  await harness.screenshot(page, 'proposals-refused', { fullPage: false });

  // A commune of a candidate that touches no commune of the target.
  const { candidates, touching } = proposal;
  let far = null;
  for (const from of candidates) {
    for (const code of from.codes) {
      const to = candidates.find((c) => c !== from && !c.codes.some((other) => touching(code, other)));
      if (to && !far) far = { code, from, to };
    }
  }
  assert.ok(far);
  await clickCommune(far.code);
  await page.selectOption('#proposal-target', far.to.id);
  await page.click('#proposal-move-apply');
  await page.waitForFunction(() => /ne touche aucune commune/.test(document.querySelector('#proposal-refusal').textContent));
  assert.equal(await page.evaluate((c) => window.proposals.communeOf.get(c), far.code), far.from.id);
});

test('an accepted move re-diagnoses both candidates, APL included', async () => {
  const ok = moves().find((m) => !m.splits && m.from.codes.length > 1);
  assert.ok(ok);
  await clickCommune(ok.code);
  await page.selectOption('#proposal-target', ok.to.id);
  await page.click('#proposal-move-apply');
  const toCodes = [...ok.to.codes, ok.code];
  const fromCodes = ok.from.codes.filter((c) => c !== ok.code);
  const [{ payload: to }, { payload: from }] = await Promise.all([
    api('/api/diagnosis', { method: 'POST', body: { communes: toCodes } }),
    api('/api/diagnosis', { method: 'POST', body: { communes: fromCodes } })]);
  await page.waitForFunction(([id, population]) => window.proposals.candidates
    .find((c) => c.id === id)?.population === population, [ok.to.id, to.population]);
  const state = await page.evaluate(([a, b]) => [a, b].map((id) => window.proposals.candidates.find((c) => c.id === id)), [ok.to.id, ok.from.id]);
  for (const [candidate, d] of [[state[0], to], [state[1], from]]) {
    assert.equal(candidate.population, d.population);
    assert.equal(candidate.funding.total, d.funding.total);
    assert.equal(candidate.tier.size, d.tier.size);
    const last = d.apl.editions.at(-1);
    assert.equal(candidate.apl.apl, last.apl, `${candidate.id} APL re-diagnosed`);
  }
  assert.equal(to.population + from.population, ok.to.population + ok.from.population);
  assert.equal(await page.isHidden('#proposal-refusal'), true);
});

test('hidden, the proposal gives the map clicks back; saved, every candidate is a territory', async () => {
  await harness.mapSettled(page);
  // The centre of the largest commune of the first candidate, on screen.
  const { code, x, y } = await page.evaluate(() => {
    const { layer } = window.proposals;
    const map = layer._map;
    let best = null;
    layer.eachLayer((l) => {
      const b = l.getBounds();
      const size = (b.getEast() - b.getWest()) * (b.getNorth() - b.getSouth());
      if (!best || size > best.size) best = { l, size };
    });
    const p = map.latLngToContainerPoint(best.l.getCenter());
    return { code: best.l.feature.properties.code, x: p.x, y: p.y };
  });
  const box = await page.locator('#map').boundingBox();
  // Shown, a click on a commune of the proposal opens the move, not the selection.
  await page.mouse.click(box.x + x, box.y + y);
  await page.waitForSelector('#proposal-move:not([hidden])');
  assert.equal(await page.getAttribute('#diagnosis', 'data-state'), 'empty');
  await page.uncheck('#proposal-shown');
  assert.equal(await page.evaluate(() => Boolean(window.proposals.layer._map)), false);
  assert.ok(await page.isHidden('#proposal-move'));
  // Hidden, the same click selects the commune under it.
  const { body, status } = await harness.diagnosisAfter(page, () => page.mouse.click(box.x + x, box.y + y));
  assert.equal(status, 200);
  assert.deepEqual(body.communes, [code]);
  await page.check('#proposal-shown');

  // Without the token, the refusal is said in French (the server's English in the tooltip only).
  await page.fill('#saved-author', AUTHOR);
  await page.fill('#saved-token', '');
  const refused = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/proposals');
  await page.click('#proposal-save');
  assert.equal((await refused).status(), 401);
  await page.waitForSelector('#error:not([hidden])');
  assert.equal(await harness.text(page, '#error-message'),
    'Jeton d’écriture manquant ou incorrect : saisissez le jeton fourni par l’administrateur du serveur.');
  await page.click('#error-close');

  await page.fill('#saved-token', harness.WRITE_TOKEN);
  await page.click('#proposal-save');
  await page.waitForFunction(() => /enregistrés/.test(document.querySelector('#proposal-status').textContent));
  const { payload: saved } = await api(`/api/territories?${new URLSearchParams({ author: AUTHOR })}`, { token: harness.WRITE_TOKEN });
  const candidatesLeft = await page.evaluate(() => window.proposals.candidates.length);
  assert.equal(saved.length, candidatesLeft);
  await harness.screenshot(page, 'proposals-saved');
  assert.deepEqual(problems, []);
});
