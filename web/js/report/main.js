// The printable diagnostic territorial (/report): diagnoses the territory named in the address,
// renders the report, and wires printing (the browser's, A4 print stylesheet), the HTML download
// and the contract signature date the mission deadlines count from.
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

async function main() {
  const params = reportParams(window.location);
  const [version, missions, request] = await Promise.all([api.version(), api.missions(), territoryRequest(params)]);
  const diagnosis = await api.diagnosis(request.body);
  const name = request.name ?? suggestedName(diagnosis);
  document.title = `Diagnostic territorial — ${name}`;
  const signatureInput = $('signature-date');
  signatureInput.value = params.get('signature') ?? '';
  const missionsOf = () => sections.missionsSection(diagnosis, missions, parseDate(signatureInput.value));

  report.replaceChildren(
    sections.header(name, diagnosis, { version, generated: new Date() }),
    sections.summary(diagnosis),
    sections.mapSection(diagnosis, request.perimeter),
    sections.populationSection(diagnosis),
    sections.communesSection(diagnosis),
    sections.fundingSection(diagnosis, missions),
    missionsOf(),
    sections.overlapsSection(diagnosis),
    sections.healthSection(diagnosis),
    sections.sourcesSection(diagnosis),
  );
  signatureInput.addEventListener('change', () => $('missions').replaceWith(missionsOf()));
  $('print-report').addEventListener('click', () => window.print());
  $('download-report').addEventListener('click', () => downloadReport(document, name).catch(fail));
  $('print-report').disabled = false;
  $('download-report').disabled = false;
  report.dataset.state = 'ready';
  $('toolbar').dataset.state = 'ready';
}

main().catch(fail);
