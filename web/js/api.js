// Client for the cpts-atlas JSON API. Every failure but an abort becomes an ApiError whose
// message can be shown as is to the user, in French (errors.js); the server's own English
// message stays in `detail`, for developers.

import { frenchMessage } from './errors.js';

export class ApiError extends Error {
  constructor(message, { status = 0, code = 'network', detail = '' } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

export const isAbort = (error) => error?.name === 'AbortError';

async function request(path, { method = 'GET', body, signal, token } = {}) {
  const init = { method, signal, headers: { Accept: 'application/json' } };
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiError('Le serveur ne répond pas. Vérifiez qu’il est démarré puis réessayez.');
  }
  const payload = await response.json().catch((error) => {
    if (isAbort(error)) throw error;
    return null;
  });
  if (!response.ok) {
    const code = payload?.error?.code ?? 'http_error';
    const detail = payload?.error?.message ?? '';
    throw new ApiError(frenchMessage(code, detail, response.status), { status: response.status, code, detail });
  }
  if (response.status === 204) return null;
  if (payload === null) {
    throw new ApiError('La réponse du serveur est illisible.', { status: response.status, code: 'bad_response' });
  }
  return payload;
}

/** A file answered by `POST path` (the dossier's DOCX and XLSX, the communes' CSV): `{ blob, filename }`. */
async function requestFile(path, body) {
  let response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError('Le serveur ne répond pas. Vérifiez qu’il est démarré puis réessayez.');
  }
  if (!response.ok) {
    const payload = await response.json().catch(() => null);
    throw new ApiError(payload?.error?.message ?? `Le serveur a répondu par une erreur (HTTP ${response.status}).`,
      { status: response.status, code: payload?.error?.code ?? 'http_error' });
  }
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'document';
  return { blob: await response.blob(), filename };
}

export const api = {
  config: () => request('/api/config'),
  version: () => request('/api/version'),
  missions: () => request('/api/missions'),
  // bbox is `minlon,minlat,maxlon,maxlat`: plain numbers and commas, sent unencoded.
  communes: (bbox, zoom, signal) => request(`/api/communes?bbox=${bbox}&zoom=${zoom}`, { signal }),
  iris: (bbox, signal) => request(`/api/iris?bbox=${bbox}`, { signal }),
  arrondissements: (bbox, signal) => request(`/api/arrondissements?bbox=${bbox}`, { signal }),
  search: (q, limit, signal) => request(`/api/search?${new URLSearchParams({ q, limit })}`, { signal }),
  diagnosis: (body, signal) => request('/api/diagnosis', { method: 'POST', body, signal }),
  // The lettre d'intention (DOCX) or the budget prévisionnel (XLSX) of a territory.
  dossier: (kind, body) => requestFile(`/api/dossier/${kind}`, body),
  // The territory's communes as the server's CSV, for a spreadsheet set to French.
  communesCsv: (body) => requestFile('/api/diagnosis/communes?f=csv&excel=true', body),
  // The registry of existing CPTS, as map layers.
  cpts: () => request('/api/cpts'),
  overlaps: () => request('/api/overlaps'),
  coverage: (departement) => request(`/api/coverage?${new URLSearchParams({ departement })}`),
  // ARS proposals over the white zones; saving one writes every candidate (token).
  proposals: (query) => request(`/api/proposals?${query}`),
  saveProposal: (body, token) => request('/api/proposals', { method: 'POST', body, token }),
  // Health layers: APL of the communes in a box, health establishments (FINESS) in a box.
  apl: (bbox, signal) => request(`/api/apl?bbox=${bbox}`, { signal }),
  hospitals: (bbox, signal) => request(`/api/hospitals?bbox=${bbox}`, { signal }),
  // Saved territories: reads are public, writes need the bearer token.
  territories: (author, signal) =>
    request(`/api/territories${author ? `?${new URLSearchParams({ author })}` : ''}`, { signal }),
  territory: (id) => request(`/api/territories/${encodeURIComponent(id)}`),
  createTerritory: (draft, token) => request('/api/territories', { method: 'POST', body: draft, token }),
  updateTerritory: (id, change, token) =>
    request(`/api/territories/${encodeURIComponent(id)}`, { method: 'PATCH', body: change, token }),
  deleteTerritory: (id, token) =>
    request(`/api/territories/${encodeURIComponent(id)}`, { method: 'DELETE', token }),
};

/** Keeps at most one request of a kind in flight: starting one aborts the previous one. */
export class LatestRequest {
  #controller = null;

  /** Aborts the request in flight, if any, and returns the signal for the next one. */
  next() {
    this.abort();
    this.#controller = new AbortController();
    return this.#controller.signal;
  }

  abort() {
    this.#controller?.abort();
    this.#controller = null;
  }
}
