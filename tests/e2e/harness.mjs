// Shared by the end-to-end tests: the real server binary on a free port (with a fresh database
// of saved territories and a write token), Debian's Chromium driven by playwright-core, and the
// page helpers the tests use.
//
// CPTS_ATLAS_BIN: the server binary (default target/release/cpts-atlas), started as
// `BIN serve --port PORT --db TMP/territories.sqlite --web ROOT/web` from the repository root
// (the page of this checkout, not the one the binary was built from), with
// CPTS_ATLAS_TOKEN set to WRITE_TOKEN. Screenshots go to artifacts/e2e-*.png.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = process.env.CPTS_ATLAS_BIN
  ? path.resolve(process.env.CPTS_ATLAS_BIN)
  : path.join(ROOT, 'target/release/cpts-atlas');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync',
];
const ARTIFACTS = path.join(ROOT, 'artifacts');
const STARTUP_TIMEOUT_MS = 60_000;
export const WRITE_TOKEN = 'e2e-write-token';

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the server, with `args` added to `serve`'s; resolves once GET /api/health answers 200. */
export async function startServer({ args = [] } = {}) {
  assert.ok(existsSync(BIN), `server binary ${BIN} is missing: cargo build --release, or set CPTS_ATLAS_BIN`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cpts-atlas-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(BIN, ['serve', '--port', String(port), '--db', path.join(dir, 'territories.sqlite'),
    '--web', path.join(ROOT, 'web'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CPTS_ATLAS_TOKEN: WRITE_TOKEN },
  });
  let output = '';
  const keep = (chunk) => { output = (output + chunk).slice(-20_000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return { baseUrl, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`GET /api/health did not answer 200 within ${STARTUP_TIMEOUT_MS / 1000} s:\n${output}`);
}

/**
 * Opens the page in a fresh browser. Dialogs are accepted: a prompt with the next answer queued
 * in `prompts`, else its default value. Page errors and console errors or warnings go to
 * `problems`, but those `expected(message)` allows.
 */
export async function openPage(baseUrl, { expected = () => false } = {}) {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'fr-FR', acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const prompts = [];
  const dialogs = [];
  const problems = [];
  page.on('dialog', (dialog) => {
    dialogs.push({ type: dialog.type(), message: dialog.message() });
    if (dialog.type() === 'prompt') dialog.accept(prompts.length ? prompts.shift() : dialog.defaultValue());
    else dialog.accept();
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (!['error', 'warning'].includes(message.type()) || expected(message)) return;
    problems.push(`console ${message.type()}: ${message.text()} (${message.location().url})`);
  });
  await page.goto(baseUrl);
  await page.waitForSelector('#missions input');
  return { browser, page, prompts, dialogs, problems };
}

/** A console message for a refused request: Chromium logs every 4xx as a failed resource. */
export const isRefusal = (message, pathname, status = /4\d\d/) =>
  new RegExp(`status of ${status.source}`).test(message.text())
  && new URL(message.location().url).pathname.startsWith(pathname);

/** artifacts/e2e-NAME.png; `fullPage: false` for the viewport as is (the panel scrolled). */
export async function screenshot(page, name, { fullPage = true } = {}) {
  await page.screenshot({ path: path.join(ARTIFACTS, `e2e-${name}.png`), fullPage });
}

/** Calls the API from outside the page. */
export async function call(baseUrl, pathname, { method = 'GET', body, token } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${baseUrl}${pathname}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = response.status === 204 ? null : await response.json();
  return { status: response.status, payload };
}

export const postDiagnosis = (baseUrl, body) => call(baseUrl, '/api/diagnosis', { method: 'POST', body });

const isDiagnosis = (requestOrResponse) => {
  const request = requestOrResponse.request?.() ?? requestOrResponse;
  return request.method() === 'POST' && new URL(request.url()).pathname === '/api/diagnosis';
};

/** Runs `action`, which must make the page request one diagnosis, and waits until the panel showed its outcome. */
export async function diagnosisAfter(page, action) {
  const responded = page.waitForResponse(isDiagnosis);
  await action();
  const response = await responded;
  const payload = await response.json();
  await page.waitForSelector('#diagnosis:not([data-state="loading"])');
  return { body: response.request().postDataJSON(), status: response.status(), payload };
}

/** Replaces the page's territory by pasted codes; returns the diagnosis exchange. */
export async function selectCodes(page, codes) {
  await page.click('#clear-territory'); // an empty territory needs no diagnosis
  await page.waitForSelector('#diagnosis[data-state="empty"]');
  if (!(await page.isVisible('#import-codes'))) await page.click('.import summary');
  await page.fill('#import-codes', codes.join(' '));
  return diagnosisAfter(page, () => page.click('#import-form button[type="submit"]'));
}

/** Text with its (narrow) no-break spaces made plain spaces, as French number formats use them. */
export const plainText = (value) => value.replace(/[\u00a0\u202f]/g, ' ');
export const text = async (page, selector) => plainText(await page.locator(selector).textContent());
/** The digits of a displayed figure: "166 592 hab." -> 166592. */
export const displayedInteger = async (page, selector) => Number((await text(page, selector)).replace(/\D/g, ''));

/** Waits until the map stopped moving and its communes layer got up to date. */
export async function mapSettled(page) {
  await page.waitForSelector('#map-status:is([data-state="ready"], [data-state="hint"])');
}

export async function search(page, query) {
  const answered = page.waitForResponse((response) =>
    new URL(response.url()).pathname === '/api/search' && new URL(response.url()).searchParams.get('q') === query);
  await page.fill('#search-input', query);
  assert.equal((await answered).status(), 200);
}

/** Clicks `button`; returns the file the page saves (suggested name, bytes) and the request it sent for it. */
export async function downloadFile(page, button, path) {
  const [request, download] = await Promise.all([
    page.waitForRequest((r) => new URL(r.url()).pathname === path),
    page.waitForEvent('download'),
    page.click(button),
  ]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()), request };
}

export async function downloadText(page, button) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  return readFileSync(await download.path(), 'utf8');
}

/** Asserts that the panel shows what the API answers for the same body; returns that answer. */
export async function assertPanelMatches(page, baseUrl, body) {
  const { status, payload: expected } = await postDiagnosis(baseUrl, body);
  assert.equal(status, 200, JSON.stringify(expected));
  assert.equal(await displayedInteger(page, '#population'), expected.population);
  assert.equal(await text(page, '#tier'), expected.tier.label);
  assert.equal(await displayedInteger(page, '#commune-count'), expected.commune_count);
  assert.equal(await displayedInteger(page, '#funding-total'), expected.funding.total);
  return expected;
}

/** Unfolds the map's layer panel ("Couches de la carte", folded at first). */
export async function openLayers(page) {
  if (!(await page.locator('#layers').evaluate((details) => details.open))) await page.click('#layers summary');
}
