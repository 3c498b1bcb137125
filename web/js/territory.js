// The territory being diagnosed, and its latest diagnosis.
//
// Two exclusive modes, switched by the "Sélectionner des communes / Dessiner un périmètre"
// toggle: in 'select' mode the territory is a list of commune codes (map clicks, search, pasted
// codes); in 'draw' mode it is one polygon drawn with geoman (clicks on communes do nothing).
// Switching mode empties the territory, so the page asks before switching a non-empty one.
//
// Every change posts the territory to /api/diagnosis; a newer change aborts the request in
// flight. When the server rejects a commune list (e.g. an unknown code), the list goes back to
// the last one it accepted; a rejected drawing stays on the map, with no diagnosis, to be fixed.
//
// Events: 'change' (mode, codes or geometry changed), 'loading' (a diagnosis was requested),
// 'diagnosis' (this.diagnosis was replaced, null when the territory is empty), 'error'
// (detail: the ApiError).

import { api, isAbort, LatestRequest } from './api.js';

export class Territory extends EventTarget {
  mode = 'select';
  codes = [];
  geometry = null;
  /** Mission ids to fund; null until /api/missions answered (the server then funds the mandatory ones). */
  missions = null;
  diagnosis = null;

  #accepted = { codes: [], diagnosis: null };
  #requests = new LatestRequest();

  get isEmpty() {
    return this.mode === 'select' ? this.codes.length === 0 : this.geometry === null;
  }

  has(code) {
    return this.codes.includes(code);
  }

  setMode(mode) {
    if (mode === this.mode) return;
    this.mode = mode;
    this.#reset();
  }

  clear() {
    this.#reset();
  }

  toggleCode(code) {
    this.#setCodes(this.has(code) ? this.codes.filter((c) => c !== code) : [...this.codes, code]);
  }

  addCodes(codes) {
    this.#setCodes([...new Set([...this.codes, ...codes])]);
  }

  removeCode(code) {
    this.#setCodes(this.codes.filter((c) => c !== code));
  }

  /** Adds the member communes of an EPCI, as listed by the diagnosis of the EPCI alone. */
  async addEpci(code) {
    try {
      const { territory } = await api.diagnosis({ epci: code });
      this.addCodes(territory.features.map((feature) => feature.properties.code));
    } catch (error) {
      this.#emit('error', error);
    }
  }

  setGeometry(geometry) {
    if (geometry === this.geometry) return;
    this.geometry = geometry;
    this.#changed();
  }

  /**
   * Replaces the whole territory at once (an opened saved territory): mode, its codes or its
   * geometry, and the missions; one 'change', one diagnosis.
   */
  restore({ mode, codes = [], geometry = null, missions = this.missions }) {
    this.mode = mode;
    this.codes = mode === 'select' ? [...new Set(codes)] : [];
    this.geometry = mode === 'draw' ? geometry : null;
    this.missions = missions;
    this.#accepted = { codes: [], diagnosis: null };
    this.#changed();
  }

  setMissions(ids) {
    this.missions = ids;
    this.#diagnose();
  }

  #setCodes(codes) {
    this.codes = codes;
    this.#changed();
  }

  #reset() {
    this.codes = [];
    this.geometry = null;
    this.#accepted = { codes: [], diagnosis: null };
    this.#changed();
  }

  #changed() {
    this.#emit('change');
    this.#diagnose();
  }

  /** The body of `POST /api/diagnosis` (and of the dossier's routes) for this territory. */
  requestBody() {
    return this.#body();
  }

  #body() {
    const body = this.mode === 'select' ? { communes: this.codes } : { geometry: this.geometry };
    if (this.missions) body.missions = this.missions;
    return body;
  }

  async #diagnose() {
    if (this.isEmpty) {
      this.#requests.abort();
      this.#setDiagnosis(null);
      return;
    }
    const signal = this.#requests.next();
    const { codes } = this;
    this.#emit('loading');
    try {
      const diagnosis = await api.diagnosis(this.#body(), signal);
      if (this.mode === 'select') this.#accepted = { codes, diagnosis };
      this.#setDiagnosis(diagnosis);
    } catch (error) {
      if (isAbort(error)) return;
      if (this.mode === 'select') {
        this.codes = this.#accepted.codes;
        this.#emit('change');
        this.#setDiagnosis(this.#accepted.diagnosis);
      } else {
        this.#setDiagnosis(null);
      }
      this.#emit('error', error);
    }
  }

  #setDiagnosis(diagnosis) {
    this.diagnosis = diagnosis;
    this.#emit('diagnosis', diagnosis);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
