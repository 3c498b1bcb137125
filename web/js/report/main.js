// The printable diagnostic territorial (/report): diagnoses the territory named in the address,
// renders the report, and wires printing (the browser's, A4 print stylesheet), the HTML download
// and the contract signature date, which the mission deadlines count from and which chooses the
// funding grid (the report is diagnosed again when it changes).
// #report's data-state: loading, ready or error.

import { api } from '../api.js';
import { downloadReport } from './download.js';
import { reportParams } from './link.js';
import { suggestedName, territoryRequest } from './request.js';
import * as sections from './sections.js';

const $ = (id) => document.getElementById(id);
const report = $('report');

function fail(error) {
  report.dataset.state = 'error';
  $('toolbar').dataset.state = 'error';
  $('report-status').textContent = `Rapport impossible : ${error.message}`;
}

/** A `YYYY-MM-DD` date (local midnight), or null. */
const parseDate = (value) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? '');
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
};

/** The report of `diagnosis`, in place of what #report shows. */
function render(name, diagnosis, { version, missions, perimeter, signature }) {
  report.replaceChildren(
    sections.header(name, diagnosis, { version, generated: new Date() }),
    sections.summary(diagnosis),
    sections.mapSection(diagnosis, perimeter),
    sections.populationSection(diagnosis),
    sections.communesSection(diagnosis),
    sections.fundingSection(diagnosis, missions),
    sections.missionsSection(diagnosis, missions, signature),
    sections.overlapsSection(diagnosis),
    sections.healthSection(diagnosis),
    sections.sourcesSection(diagnosis),
  );
}

async function main() {
  const params = reportParams(window.location);
  const [version, missions, request] = await Promise.all([api.version(), api.missions(), territoryRequest(params)]);
  const signatureInput = $('signature-date');
  signatureInput.value = params.get('signature') ?? '';
  // The contract's signature date chooses the funding grid it falls under (ACI 2019, avenant 2).
  const bodyFor = (date) => (date ? { ...request.body, contract_date: date } : request.body);
  let diagnosis = await api.diagnosis(bodyFor(signatureInput.value || null));
  const name = request.name ?? suggestedName(diagnosis);
  document.title = `Diagnostic territorial — ${name}`;
  const show = () => render(name, diagnosis, {
    version, missions, perimeter: request.perimeter, signature: parseDate(signatureInput.value),
  });
  show();
  signatureInput.addEventListener('change', async () => {
    const note = $('signature-note');
    note.textContent = '';
    try {
      diagnosis = await api.diagnosis(bodyFor(parseDate(signatureInput.value) ? signatureInput.value : null));
      show();
    } catch (error) {
      note.textContent = error.message; // the report shown stays that of the previous date
    }
  });
  $('print-report').addEventListener('click', () => window.print());
  $('download-report').addEventListener('click', () => downloadReport(document, name).catch(fail));
  $('print-report').disabled = false;
  $('download-report').disabled = false;
  report.dataset.state = 'ready';
  $('toolbar').dataset.state = 'ready';
}

main().catch(fail);
