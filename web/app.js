// cpts-atlas front end: wires the map, the territory and the panel together.
// Plain ES modules, no build step; Leaflet and geoman are loaded as classic scripts before it.

import { api } from './js/api.js';
import { CommuneLabels } from './js/commune-labels.js';
import { CommunesLayer, MIN_ZOOM } from './js/communes-layer.js';
import { DepartementBorders } from './js/departements.js';
import { setupDrawing } from './js/draw.js';
import { HealthLayers } from './js/health-layers.js';
import { InfraLayer } from './js/iris-layer.js';
import { download, territoryGeoJson } from './js/exports.js';
import { plural } from './js/format.js';
import { MapLegend } from './js/legend.js';
import { clearOfPanels } from './js/map-fit.js';
import { renderDiagnosis, renderMissions, showLoading } from './js/panel.js';
import { RegistryLayers } from './js/registry-layers.js';
import { territoryReportUrl } from './js/report/link.js';
import { setupProposals } from './js/proposals.js';
import { setupSaved } from './js/saved.js';
import { setupSearch } from './js/search.js';
import { Territory } from './js/territory.js';
import {
  createOverlapLayer, createTerritoryLayer, showOverlaps, showTerritory,
} from './js/territory-layer.js';

const FRANCE_CENTER = [46.6, 2.4];
const FRANCE_ZOOM = 6;
const MAX_FLY_ZOOM = 13;
const MODE_HELP = {
  select: 'Cliquez sur les communes de la carte pour les ajouter ou les retirer, ou ajoutez-les depuis la recherche.',
  draw: 'Cliquez sur la carte pour placer les sommets, puis sur le premier sommet pour terminer. '
    + 'Les outils de la carte modifient ou suppriment le périmètre.',
};
const SWITCH_CONFIRM = {
  select: 'Sélectionner des communes efface le périmètre dessiné. Continuer ?',
  draw: 'Dessiner un périmètre efface les communes sélectionnées. Continuer ?',
};

const $ = (id) => document.getElementById(id);

function showError(error) {
  $('error-message').textContent = error.message;
  // The server's own words (English, for developers) stay out of the text read.
  $('error').title = error.detail ? `Réponse du serveur (HTTP ${error.status}) : ${error.detail}` : '';
  $('error').dataset.code = error.code ?? '';
  $('error').hidden = false;
}

function hideError() {
  $('error').hidden = true;
}

/** The outline of metropolitan France, so that the map is not blank before the communes show. */
function addBackdrop(map) {
  map.createPane('backdrop').style.zIndex = 300;
  fetch('/static/assets/france.geojson')
    .then((response) => response.json())
    .then((outline) => L.geoJSON(outline, {
      pane: 'backdrop',
      interactive: false,
      pmIgnore: true,
      style: { color: '#8a96a3', weight: 1, fillColor: '#f4f1ea', fillOpacity: 1 },
    }).addTo(map))
    .catch(() => {}); // decoration only: the page works without it
}

// Map and layers, bottom to top: optional tiles, backdrop, communes, IRIS, registry layers
// (coverage, CPTS, overlaps between CPTS), territory, its overlaps with the registry, drawing.
const map = L.map('map', { minZoom: 5, maxZoom: 16 }).setView(FRANCE_CENTER, FRANCE_ZOOM);
L.control.scale({ imperial: false }).addTo(map);
window.atlasMap = map; // for the end-to-end tests, which zoom to places
addBackdrop(map);

const territory = new Territory();
const labels = new CommuneLabels(map);
const borders = new DepartementBorders(map);
let legend = null; // once the layer panel exists (the legend reads its check boxes)
let registry = null; // the registry layers need the communes layer, whose tooltips need them
let health = null; // so do the health layers
const communes = new CommunesLayer(map, {
  isSelected: (code) => territory.mode === 'select' && territory.has(code),
  coverageOf: (code) => territory.diagnosis?.territory.features
    .find((feature) => feature.properties.code === code)?.properties,
  // In 'draw' mode a click on a commune belongs to the drawing: it changes nothing here.
  onClick: ({ code }) => {
    if (territory.mode !== 'select') return;
    tapped = true;
    territory.toggleCode(code);
  },
  onError: showError,
  notesOf: (code) => [...(registry?.communeNotes(code) ?? []), ...(health?.notesOf(code) ?? [])],
  onLoad: (features) => {
    registry?.viewChanged();
    health?.viewChanged();
    labels.update(features);
    borders.update(features);
    refreshLegend();
  },
  fillOf: (code) => health?.fillOf(code) ?? null,
});
registry = new RegistryLayers(map, {
  viewDepartement: () => communes.departementAtCenter(),
  onError: showError,
});
// The health layers (APL, establishments) go in the same panel; exposed for the end-to-end test.
health = new HealthLayers(map, {
  panel: registry.panel,
  communesShown: () => communes.communesShown(),
  restyleCommunes: () => communes.refresh(),
  onError: showError,
});
window.healthLayers = health;
// Arrondissements (zoom 12-13) and IRIS (from 14), clicked like communes; exposed for the
// end-to-end test.
const infraOptions = {
  isSelected: (code) => territory.mode === 'select' && territory.has(code),
  onClick: ({ code }) => {
    if (territory.mode !== 'select') return;
    tapped = true;
    territory.toggleCode(code);
  },
  onError: showError,
  onChange: () => refreshLegend(),
};
window.arrondissementsLayer = new InfraLayer(map, 'arrondissements', infraOptions);
window.irisLayer = new InfraLayer(map, 'iris', infraOptions);
// ARS proposals over the white zones; exposed for the end-to-end test.
let proposalShown = false;
window.proposals = setupProposals(map, {
  viewDepartement: () => communes.departementAtCenter(),
  onError: showError,
  onShownChange: (shown) => {
    proposalShown = shown;
    refreshLegend();
  },
});
const territoryLayer = createTerritoryLayer(map);
const overlapLayer = createOverlapLayer(map);
setupDrawing(map, territory);

/** Switches mode, after the user's consent when that empties a non-empty territory. */
function switchMode(mode) {
  if (mode === territory.mode) return true;
  if (!territory.isEmpty && !window.confirm(SWITCH_CONFIRM[mode])) return false;
  territory.setMode(mode);
  return true;
}

const boundsOf = ({ bbox: [minLon, minLat, maxLon, maxLat] }) => L.latLngBounds([minLat, minLon], [maxLat, maxLon]);
const flyTo = (bounds) => map.flyToBounds(bounds, clearOfPanels(map, { maxZoom: MAX_FLY_ZOOM }));

const search = setupSearch({
  onLocate: (result) => flyTo(boundsOf(result)),
  onAdd: (result) => {
    if (!switchMode('select')) return;
    if (result.kind === 'epci') territory.addEpci(result.code);
    else territory.addCodes([result.code]);
    if (!result.bbox) return;
    // Show what was added, unless its communes are already in view.
    const bounds = boundsOf(result);
    if (map.getZoom() < MIN_ZOOM || !map.getBounds().contains(bounds)) flyTo(bounds);
  },
  isAdded: (code) => territory.has(code),
  onError: showError,
});

$('import-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const codes = $('import-codes').value.split(/[\s,;]+/).filter(Boolean);
  if (codes.length && switchMode('select')) territory.addCodes(codes);
});
for (const button of document.querySelectorAll('.mode-toggle button')) {
  button.addEventListener('click', () => switchMode(button.dataset.mode));
}
$('fit-territory').addEventListener('click', () => flyTo(territoryLayer.getBounds()));
$('clear-territory').addEventListener('click', clearTerritory);
$('undo-clear').addEventListener('click', undoClear);
$('error-close').addEventListener('click', hideError);
$('export-geojson').addEventListener('click', () => download('cpts-territoire.geojson',
  JSON.stringify(territoryGeoJson(territory)), 'application/geo+json'));
// The printable report of the current territory and missions, in a new tab.
$('open-report').addEventListener('click', () => window.open(territoryReportUrl(territory), '_blank'));
// Files the server writes: the communes' CSV, the lettre d'intention (DOCX) and the budget
// prévisionnel (XLSX), pre-filled.
const serverFiles = [
  ['export-csv', (body) => api.communesCsv(body)],
  ['download-letter', (body) => api.dossier('letter', body)],
  ['download-budget', (body) => api.dossier('budget', body)],
];
for (const [id, fetchFile] of serverFiles) {
  $(id).addEventListener('click', async () => {
    $(id).disabled = true;
    try {
      const { blob, filename } = await fetchFile(territory.requestBody());
      download(filename, blob, blob.type);
    } catch (error) {
      showError(error);
    } finally {
      $(id).disabled = territory.diagnosis === null;
    }
  });
}

// "Effacer le territoire": asks first, then offers to undo until the territory changes again.
let cleared = null; // what "Annuler" restores
function clearTerritory() {
  if (territory.isEmpty) return;
  const what = territory.mode === 'select' ? plural(territory.codes.length, 'commune') : 'le périmètre dessiné';
  if (!window.confirm(`Effacer le territoire (${what}) ?`)) return;
  const before = {
    mode: territory.mode, codes: [...territory.codes], geometry: territory.geometry, missions: territory.missions,
  };
  territory.clear();
  cleared = before;
  $('undo-message').textContent = `Territoire effacé (${what}).`;
  $('undo-bar').hidden = false;
}

function undoClear() {
  if (!cleared) return;
  const before = cleared;
  cleared = null;
  $('undo-bar').hidden = true;
  territory.restore(before);
}

/** The legend's entries for what the map shows now. */
function refreshLegend() {
  if (!legend) return;
  const keys = [];
  const features = territory.diagnosis?.territory.features ?? [];
  if (features.some((f) => f.properties.coverage >= 1)) keys.push('territory');
  if (features.some((f) => f.properties.coverage < 1)) keys.push('territory_partial');
  for (const overlap of territory.diagnosis?.overlaps ?? []) keys.push(overlap.kind);
  if (territory.mode === 'draw' && territory.geometry) keys.push('perimeter');
  if (borders.shown) keys.push('departements');
  if (proposalShown) keys.push('proposal');
  const on = (id) => document.getElementById(`layer-${id}-toggle`)?.checked;
  if (on('cpts')) keys.push('cpts', 'cpts_approximate');
  if (on('overlaps')) keys.push('pair_conflict', 'pair_sliver', 'pair_declared_split');
  if (on('coverage')) keys.push('uncovered', 'partly_covered');
  if (on('apl')) keys.push('apl_under', 'apl_low', 'apl_mid', 'apl_good', 'apl_high');
  if (on('hospitals')) keys.push('hospital', 'hospital_second');
  if (window.arrondissementsLayer?.count) keys.push('arrondissement');
  if (window.irisLayer?.count) keys.push('iris');
  legend.show(keys);
}
legend = new MapLegend(map);
registry.panel.addEventListener('change', refreshLegend);

// On a phone the panel is below the map: a tap that changes the territory brings its
// diagnosis' figures into view.
let tapped = false;
const narrow = window.matchMedia('(max-width: 700px)');

function onTerritoryChange() {
  if (cleared && !territory.isEmpty) {
    cleared = null; // a new territory: the cleared one is gone
    $('undo-bar').hidden = true;
  }
  for (const button of document.querySelectorAll('.mode-toggle button')) {
    button.setAttribute('aria-pressed', String(button.dataset.mode === territory.mode));
  }
  $('mode-help').textContent = MODE_HELP[territory.mode];
  communes.refresh();
  window.arrondissementsLayer.refresh();
  window.irisLayer.refresh();
  search.refresh();
}

function onDiagnosis(diagnosis) {
  renderDiagnosis(diagnosis, {
    removable: territory.mode === 'select',
    onRemove: (code) => territory.removeCode(code),
  });
  showTerritory(territoryLayer, diagnosis);
  showOverlaps(overlapLayer, diagnosis);
  for (const id of ['fit-territory', 'export-geojson', 'export-csv', 'open-report', 'download-letter', 'download-budget']) {
    $(id).disabled = diagnosis === null;
  }
  refreshLegend();
  if (tapped && diagnosis && narrow.matches) {
    // Enough of the figures in view, and still a strip of the map above them.
    const { top } = $('diagnosis').getBoundingClientRect();
    if (top > window.innerHeight * 0.6 || top < 0) window.scrollBy({ top: top - window.innerHeight * 0.3 });
  }
  tapped = false;
}

territory.addEventListener('change', onTerritoryChange);
territory.addEventListener('loading', () => {
  hideError();
  showLoading();
});
territory.addEventListener('diagnosis', ({ detail }) => onDiagnosis(detail));
territory.addEventListener('error', ({ detail }) => showError(detail));
onTerritoryChange();
onDiagnosis(null);

setupSaved({
  territory,
  // Shows the opened territory once diagnosed (a refused one has no outline to show).
  onOpened: () => territory.addEventListener('diagnosis', () => {
    const bounds = territoryLayer.getBounds();
    if (bounds.isValid()) flyTo(bounds);
  }, { once: true }),
});

api.missions()
  .then(({ missions }) => territory.setMissions(renderMissions(missions, (ids) => territory.setMissions(ids))))
  .catch(showError);
api.config()
  .then(({ tile_url: url, tile_attribution: attribution }) => {
    if (url) L.tileLayer(url, { attribution, maxZoom: 19 }).addTo(map);
  })
  .catch(showError);
api.version()
  .then(({ name, version }) => { $('version').textContent = `${name} ${version}`; })
  .catch(showError);
