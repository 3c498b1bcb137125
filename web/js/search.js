// The search box: a name or code typed in #search-input lists the matching communes,
// arrondissements and EPCI; a result's name flies the map to it, its "Ajouter" button adds it
// to the territory. Five digits may be a postal code: a result whose INSEE code does not start
// with them was found by its postal code (a name has no digits), and says so; when no result
// was, the server knows no postal codes, and the page says that a postal code is not an INSEE
// code.

import { api, isAbort, LatestRequest } from './api.js';
import { debounce, el } from './dom.js';
import { formatInhabitants } from './format.js';

const LIMIT = 10;
const TYPING_DELAY_MS = 250;
const KIND_LABELS = { commune: 'Commune', arrondissement: 'Arrondissement', epci: 'EPCI' };

/**
 * @param {object} handlers
 * @param {(result: object) => void} handlers.onLocate
 * @param {(result: object) => void} handlers.onAdd
 * @param {(code: string) => boolean} handlers.isAdded
 * @param {(error: Error) => void} handlers.onError
 * @returns {{ refresh: () => void }}  to call when the territory changed
 */
export function setupSearch({ onLocate, onAdd, isAdded, onError }) {
  const input = document.getElementById('search-input');
  const list = document.getElementById('search-results');
  const status = document.getElementById('search-status');
  const requests = new LatestRequest();

  const render = (results, q) => {
    status.textContent = results.length ? '' : 'Aucun résultat.';
    const postal = /^\d{5}$/.test(q);
    const byPostalCode = (result) => result.kind !== 'epci' && !result.code.startsWith(q);
    if (postal && !results.some(byPostalCode)) {
      status.textContent = `${results.length ? `« ${q} » est lu comme un code INSEE. ` : ''}Ce serveur ne connaît pas `
        + 'les codes postaux, qui diffèrent des codes INSEE (Bayeux : code postal 14400, code INSEE 14047) : '
        + 'cherchez la commune par son nom.';
    }
    list.replaceChildren(...results.map((result) => {
      const details = [KIND_LABELS[result.kind] ?? result.kind, result.code];
      if (postal && byPostalCode(result)) details.push(`code postal ${q}`);
      if (result.departement) details.push(`dép. ${result.departement}`);
      if (result.population != null) details.push(formatInhabitants(result.population));
      const locate = el('button', {
        type: 'button', className: 'result-name', disabled: !result.bbox,
        title: result.bbox ? 'Centrer la carte' : 'Emprise inconnue',
      }, el('span', {}, result.name), el('small', {}, details.join(' · ')));
      locate.addEventListener('click', () => onLocate(result));
      const add = el('button', { type: 'button', className: 'add' });
      add.addEventListener('click', () => onAdd(result));
      return el('li', { dataset: { code: result.code, kind: result.kind } }, locate, add);
    }));
    refresh();
  };

  /** Shows "Ajoutée" instead of "Ajouter" on the results already in the territory. */
  const refresh = () => {
    for (const item of list.children) {
      const add = item.querySelector('.add');
      add.disabled = isAdded(item.dataset.code);
      add.textContent = add.disabled ? 'Ajoutée' : 'Ajouter';
    }
  };

  const run = async () => {
    const q = input.value.trim();
    if (q.length < 2) {
      requests.abort();
      list.replaceChildren();
      status.textContent = '';
      return;
    }
    try {
      const { results } = await api.search(q, LIMIT, requests.next());
      render(results, q);
    } catch (error) {
      if (!isAbort(error)) onError(error);
    }
  };

  const typed = debounce(run, TYPING_DELAY_MS);
  input.addEventListener('input', typed);
  document.getElementById('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    typed.cancel();
    run();
  });
  return { refresh };
}
