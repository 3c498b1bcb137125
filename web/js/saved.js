// "Mes territoires": territories saved on the server (/api/territories), listed by author.
//
// The author (e-mail or name) is remembered in localStorage; the write token only in
// sessionStorage, so it is forgotten with the tab. Reads need no token; saving, renaming and
// deleting send it as `Authorization: Bearer`. The server's refusals (401, 403, 422, 503...) are
// explained in French (errors.js); the server's own English words are only in the message's
// tooltip. Authors are not listed: a reader sees names and dates, not who saved what.
//
// #saved has data-state: loading, ready, unavailable (no database) or error; each item of
// #saved-list has data-id and data-name.

import { api, LatestRequest } from './api.js';
import { debounce, el } from './dom.js';
import { formatDateTime, plural } from './format.js';
import { checkMissions, optionalMissions } from './panel.js';
import { savedReportUrl } from './report/link.js';

const AUTHOR_KEY = 'cpts-atlas.author';
const TOKEN_KEY = 'cpts-atlas.token';
const TYPING_DELAY_MS = 400;


const $ = (id) => document.getElementById(id);

/** localStorage or sessionStorage, which a browser may refuse (private mode, policies). */
function storage(kind) {
  try {
    return window[kind];
  } catch {
    return null;
  }
}

/** The drawn geometry of a saved `geojson` spec: a Polygon or MultiPolygon. */
function geometryOf(geojson) {
  if (geojson?.type === 'Feature') return geometryOf(geojson.geometry);
  if (geojson?.type === 'FeatureCollection') {
    const polygons = geojson.features.map((feature) => geometryOf(feature.geometry))
      .flatMap((g) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates));
    return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
  }
  if (geojson?.type === 'Polygon' || geojson?.type === 'MultiPolygon') return geojson;
  throw new Error('Le périmètre enregistré n’est pas un polygone lisible.');
}

function describeSpec(spec) {
  if (spec.codes) return plural(spec.codes.length, 'commune');
  if (spec.geojson) return 'périmètre dessiné';
  if (spec.epci) return `EPCI ${spec.epci}`;
  return 'territoire';
}

/** `Aix-en-Provence et 1 autre commune`: a name to suggest, from the diagnosis' largest commune. */
function suggestedName(diagnosis) {
  const communes = diagnosis?.territory.features.map((f) => f.properties)
    .sort((a, b) => b.population_counted - a.population_counted) ?? [];
  if (!communes.length) return '';
  const others = communes.length - 1;
  return others ? `${communes[0].name} et ${plural(others, 'autre commune', 'autres communes')}` : communes[0].name;
}

/**
 * @param {object} options
 * @param {import('./territory.js').Territory} options.territory
 * @param {() => void} options.onOpened  called once an opened territory was handed to `territory`
 */
export function setupSaved({ territory, onOpened }) {
  const section = $('saved');
  const authorInput = $('saved-author');
  const tokenInput = $('saved-token');
  const saveButton = $('saved-save');
  const list = $('saved-list');
  const status = $('saved-status');
  const requests = new LatestRequest();
  let current = null; // id of the territory last opened or saved

  authorInput.value = storage('localStorage')?.getItem(AUTHOR_KEY) ?? '';
  tokenInput.value = storage('sessionStorage')?.getItem(TOKEN_KEY) ?? '';
  const author = () => authorInput.value.trim();

  const hideError = () => { $('saved-error').hidden = true; };
  const showError = (action, error) => {
    // An ApiError's message is already a French sentence; the page's own refusals are clauses.
    $('saved-error-message').textContent = error.status
      ? `${action} impossible. ${error.message}`
      : `${action} impossible : ${error.message}`;
    $('saved-error').title = error.detail ? `Réponse du serveur (HTTP ${error.status}) : ${error.detail}` : '';
    $('saved-error').hidden = false;
  };

  /** The token, or undefined when empty; an error for what no HTTP header can carry. */
  const token = () => {
    const value = tokenInput.value.trim();
    if (!/^[\x21-\x7e]*$/.test(value)) {
      throw Object.assign(new Error('le jeton d’écriture ne peut contenir que des lettres, chiffres '
        + 'et signes ASCII, sans espace.'), { code: 'bad_token' });
    }
    return value || undefined;
  };

  const render = (territories) => {
    const sorted = [...territories].sort((a, b) => b.updated_at.localeCompare(a.updated_at));
    const who = author();
    status.textContent = sorted.length
      ? `${plural(sorted.length, 'territoire enregistré', 'territoires enregistrés')}${who ? ` par ${who}` : ''}`
      : `Aucun territoire enregistré${who ? ` par ${who}` : ''}.`;
    list.replaceChildren(...sorted.map((saved) => {
      const missions = saved.missions.length ? plural(saved.missions.length, 'mission optionnelle', 'missions optionnelles') : null;
      const meta = [describeSpec(saved.spec), missions, `modifié le ${formatDateTime(saved.updated_at)}`]
        .filter(Boolean).join(' · ');
      const open = el('button', { type: 'button', className: 'saved-open' }, 'Ouvrir');
      const rename = el('button', { type: 'button', className: 'saved-rename secondary' }, 'Renommer');
      const remove = el('button', { type: 'button', className: 'saved-delete secondary danger' }, 'Supprimer');
      const report = el('a', { className: 'saved-report', href: savedReportUrl(saved.id), target: '_blank' }, 'Rapport');
      const letter = el('a', {
        className: 'saved-letter', href: `/api/territories/${encodeURIComponent(saved.id)}/letter`, download: '',
        title: 'Télécharger la lettre d’intention (DOCX)',
      }, 'Lettre d’intention');
      open.addEventListener('click', () => openTerritory(saved));
      rename.addEventListener('click', () => renameTerritory(saved));
      remove.addEventListener('click', () => deleteTerritory(saved));
      return el('li', {
        className: saved.id === current ? 'current' : '',
        dataset: { id: String(saved.id), name: saved.name },
      }, el('span', { className: 'saved-name' }, saved.name), el('span', { className: 'saved-meta' }, meta),
      el('span', { className: 'saved-actions' }, open, report, letter, rename, remove));
    }));
  };

  const refresh = async () => {
    const signal = requests.next();
    section.dataset.state = 'loading';
    try {
      const territories = await api.territories(author(), signal);
      section.dataset.state = 'ready';
      render(territories);
    } catch (error) {
      if (error?.name === 'AbortError') return;
      section.dataset.state = error.code === 'store_unavailable' ? 'unavailable' : 'error';
      list.replaceChildren();
      status.textContent = error.code === 'store_unavailable'
        ? 'Ce serveur n’a pas de base de territoires : l’enregistrement est indisponible.'
        : `Liste indisponible : ${error.message}`;
    }
    updateSaveButton();
  };

  const updateSaveButton = () => {
    saveButton.disabled = territory.diagnosis === null || section.dataset.state === 'unavailable';
  };

  /** Runs a write; refusals show in #saved-error. Returns whether it succeeded. */
  const write = async (action, work) => {
    hideError();
    try {
      await work(token());
      return true;
    } catch (error) {
      showError(action, error);
      return false;
    }
  };

  async function save() {
    if (!author()) {
      showError('Enregistrement', { message: 'indiquez votre e-mail ou votre nom dans le champ « Auteur » : '
        + 'il sert à retrouver vos territoires.' });
      authorInput.focus();
      return;
    }
    if (territory.isEmpty) return;
    const name = window.prompt('Nom du territoire à enregistrer :', suggestedName(territory.diagnosis))?.trim();
    if (!name) return;
    const spec = territory.mode === 'select' ? { codes: territory.codes } : { geojson: territory.geometry };
    const draft = { name, spec, missions: optionalMissions(), author: author() };
    const saved = await write('Enregistrement', async (bearer) => {
      current = (await api.createTerritory(draft, bearer)).id;
    });
    if (!saved) return;
    await refresh();
    status.textContent = `« ${name} » est enregistré. ${status.textContent}`;
  }

  async function openTerritory({ id, name }) {
    if (!territory.isEmpty && !window.confirm(`Ouvrir « ${name} » remplace le territoire en cours. Continuer ?`)) return;
    hideError();
    try {
      const saved = await api.territory(id);
      const { spec } = saved;
      let restored;
      if (spec.codes) {
        restored = { mode: 'select', codes: spec.codes };
      } else if (spec.geojson) {
        restored = { mode: 'draw', geometry: geometryOf(spec.geojson) };
      } else if (spec.epci) {
        const { territory: members } = await api.diagnosis({ epci: spec.epci });
        restored = { mode: 'select', codes: members.features.map((feature) => feature.properties.code) };
      } else {
        throw new Error('ce type de territoire enregistré n’est pas pris en charge par cette page.');
      }
      current = saved.id;
      territory.restore({ ...restored, missions: checkMissions(saved.missions) });
      for (const item of list.children) item.classList.toggle('current', item.dataset.id === String(current));
      status.textContent = `« ${saved.name} » est ouvert.`;
      onOpened();
    } catch (error) {
      showError('Ouverture', error);
    }
  }

  async function renameTerritory({ id, name }) {
    const newName = window.prompt('Nouveau nom du territoire :', name)?.trim();
    if (!newName || newName === name) return;
    const renamed = await write('Renommage', (bearer) => api.updateTerritory(id, { name: newName }, bearer));
    if (!renamed) return;
    await refresh();
    status.textContent = `« ${name} » s’appelle maintenant « ${newName} ». ${status.textContent}`;
  }

  async function deleteTerritory({ id, name }) {
    if (!window.confirm(`Supprimer définitivement « ${name} » ?`)) return;
    const deleted = await write('Suppression', (bearer) => api.deleteTerritory(id, bearer));
    if (!deleted) return;
    if (current === id) current = null;
    await refresh();
    status.textContent = `« ${name} » est supprimé. ${status.textContent}`;
  }

  const authorTyped = debounce(refresh, TYPING_DELAY_MS);
  authorInput.addEventListener('input', () => {
    storage('localStorage')?.setItem(AUTHOR_KEY, author());
    authorTyped();
  });
  tokenInput.addEventListener('input', () => storage('sessionStorage')?.setItem(TOKEN_KEY, tokenInput.value.trim()));
  // Enter in a field, or the button, saves the current territory.
  $('saved-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!saveButton.disabled) save();
  });
  $('saved-refresh').addEventListener('click', () => {
    authorTyped.cancel();
    refresh();
  });
  $('saved-error-close').addEventListener('click', hideError);
  territory.addEventListener('diagnosis', updateSaveButton);
  refresh();
}
