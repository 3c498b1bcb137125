// The side panel: mission check boxes and the diagnosis figures.

import { el } from './dom.js';
import {
  formatArea, formatCount, formatCoverage, formatDensity, formatEuros, formatInhabitants,
  formatPlaces, tierRange,
} from './format.js';

const $ = (id) => document.getElementById(id);
const EMPTY = '—';

/**
 * Renders one check box per mission; mandatory ones are checked and cannot be unchecked.
 * `onChange` receives the ids of the checked missions.
 */
export function renderMissions(missions, onChange) {
  const fieldset = $('missions');
  const boxes = missions.map((mission) => el('input', {
    type: 'checkbox', value: mission.id, checked: mission.mandatory, disabled: mission.mandatory,
  }));
  const checked = () => boxes.filter((box) => box.checked).map((box) => box.value);
  fieldset.append(...missions.map((mission, i) => el('label', { className: 'mission' },
    boxes[i], ` ${mission.label}`, mission.mandatory ? el('span', { className: 'note' }, ' (socle)') : null)));
  fieldset.addEventListener('change', () => onChange(checked()));
  return checked();
}

/** Marks the diagnosis section as waiting for the server. */
export function showLoading() {
  $('diagnosis').dataset.state = 'loading';
}

/**
 * Shows a diagnosis, or the empty state for null. In 'select' mode each commune of the list
 * gets a button calling `onRemove(code)`.
 */
export function renderDiagnosis(diagnosis, { removable, onRemove }) {
  const section = $('diagnosis');
  section.dataset.state = diagnosis ? 'ready' : 'empty';
  $('diagnosis-empty').hidden = diagnosis !== null;
  const d = diagnosis ?? {};

  $('population').textContent = diagnosis ? formatInhabitants(d.population) : EMPTY;
  $('population-estimated').textContent = d.population_estimated > 0
    ? `dont ${formatInhabitants(d.population_estimated)} estimés` : '';
  $('tier').textContent = d.tier?.label ?? EMPTY;
  $('tier-range').textContent = d.tier ? `(${tierRange(d.tier.size)})` : '';
  $('funding-total').textContent = diagnosis ? formatEuros(d.funding.total) : EMPTY;
  $('commune-count').textContent = diagnosis ? formatCount(d.commune_count) : EMPTY;
  $('partial-count').textContent = d.partial_commune_count > 0
    ? `dont ${formatCount(d.partial_commune_count)} en partie` : '';
  $('area').textContent = diagnosis ? formatArea(d.area_km2) : EMPTY;
  $('density').textContent = diagnosis ? formatDensity(d.density_per_km2) : EMPTY;
  $('departements').textContent = diagnosis ? formatPlaces(d.departements) : EMPTY;
  $('regions').textContent = diagnosis ? formatPlaces(d.regions) : EMPTY;
  $('warnings').replaceChildren(...(d.warnings ?? []).map((warning) => el('li', {}, warning)));
  renderFunding(d.funding);
  renderCommunes(d.territory?.features ?? [], removable, onRemove);
}

function renderFunding(funding) {
  $('funding-table').hidden = !funding;
  $('funding-lines').replaceChildren(...(funding?.lines ?? []).map((line) => el('tr', {},
    el('th', { scope: 'row' }, line.label),
    el('td', {}, formatEuros(line.fixed)),
    el('td', {}, formatEuros(line.variable)),
    el('td', {}, formatEuros(line.total)))));
  $('funding-fixed').textContent = funding ? formatEuros(funding.fixed_total) : '';
  $('funding-variable').textContent = funding ? formatEuros(funding.variable_total) : '';
  $('funding-sum').textContent = funding ? formatEuros(funding.total) : '';
}

/** How an estimated population was counted (the diagnosis' `method` of a member). */
const METHODS = {
  area: 'au prorata de la surface',
  iris_population: 'par IRIS, selon leur population INSEE',
  iris_type_weighted: 'par IRIS, selon leur type (habitat, activité, divers)',
};

function figures(member) {
  if (member.iris) return `≈ ${formatInhabitants(member.population_counted)} (IRIS)`;
  if (member.coverage < 1) {
    return `${formatCoverage(member.coverage)} · ≈ ${formatInhabitants(member.population_counted)} sur ${formatCount(member.population)}`;
  }
  return formatInhabitants(member.population);
}

function renderCommunes(features, removable, onRemove) {
  const communes = features.map((feature) => feature.properties)
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  $('commune-list').replaceChildren(...communes.map((commune) => {
    const estimated = commune.estimated;
    const method = METHODS[commune.method];
    const item = el('li', { className: estimated ? 'partial' : '', dataset: { code: commune.code, method: commune.method } },
      el('span', { className: 'commune-name' }, `${commune.name} (${commune.code})`),
      el('span', { className: 'commune-figures', title: method ? `Estimation ${method}` : '' }, figures(commune)));
    if (removable) {
      const remove = el('button', {
        type: 'button', className: 'icon-button', title: 'Retirer du territoire',
        ariaLabel: `Retirer ${commune.name} du territoire`,
      }, '×');
      remove.addEventListener('click', () => onRemove(commune.code));
      item.append(remove);
    }
    return item;
  }));
}
