// The side panel: mission check boxes and the diagnosis figures.

import { partsInWords } from './contiguity.js';
import { coverageOf, statusLabel } from './coverage.js';
import { el } from './dom.js';
import { fundingTotal, unknownAmountsText } from './funding.js';
import { renderHealth } from './health.js';
import { warningsFr } from './warnings.js';
import {
  formatArea, formatCount, formatCoverage, formatDensity, formatEstimatedInhabitants, formatEuros,
  formatInhabitants, formatPlaces, formatShare, plural, tierRange,
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

/**
 * Ticks the optional missions listed in `ids` (unknown ids are ignored); returns the ids now
 * checked, null before the missions are listed.
 */
export function checkMissions(ids) {
  const boxes = [...$('missions').querySelectorAll('input[type="checkbox"]')];
  if (!boxes.length) return null; // not listed yet: the server funds the mandatory missions
  for (const box of boxes) if (!box.disabled) box.checked = ids.includes(box.value);
  return boxes.filter((box) => box.checked).map((box) => box.value);
}

/** The ids of the optional missions ticked. */
export const optionalMissions = () =>
  [...$('missions').querySelectorAll('input[type="checkbox"]:not(:disabled):checked')].map((box) => box.value);

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
  $('funding-total').textContent = diagnosis ? fundingTotal(d.funding) : EMPTY;
  $('funding-total').title = d.funding?.total_known === false ? 'Certains montants de la grille ne sont pas connus : seuls les montants connus sont additionnés.' : '';
  $('commune-count').textContent = diagnosis ? formatCount(d.commune_count) : EMPTY;
  $('partial-count').textContent = d.partial_commune_count > 0
    ? `dont ${formatCount(d.partial_commune_count)} en partie` : '';
  $('area').textContent = diagnosis ? formatArea(d.area_km2) : EMPTY;
  $('density').textContent = diagnosis ? formatDensity(d.density_per_km2) : EMPTY;
  $('departements').textContent = diagnosis ? formatPlaces(d.departements) : EMPTY;
  $('regions').textContent = diagnosis ? formatPlaces(d.regions) : EMPTY;
  $('warnings').replaceChildren(...warningsFr(diagnosis).map((w) => el('li', { title: w.original }, w.text)));
  renderContiguity(diagnosis);
  renderOverlaps(diagnosis);
  renderFunding(d.funding);
  renderHealth(diagnosis);
  renderCommunes(d.territory?.features ?? [], removable, onRemove);
}

const KIND_ORDER = ['conflict', 'sliver', 'declared_split'];

/**
 * The overlaps of the territory with the registry's CPTS: conflicts (red) first, then minor
 * contacts along a boundary, then communes the registry already declares split between CPTS.
 * "No overlap" is said only where a loaded registry covers the whole territory (coverage.js);
 * elsewhere "non vérifié", in a neutral colour, with what to load.
 * #overlaps' data-state is the most serious kind found, `none`, `unchecked` or `empty`;
 * data-coverage is the registry coverage (`full`, `partial`, `none`, `unknown`).
 */
function renderOverlaps(diagnosis) {
  const overlaps = [...(diagnosis?.overlaps ?? [])].sort((a, b) =>
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || b.population - a.population);
  const coverage = diagnosis ? coverageOf(diagnosis) : null;
  const state = !diagnosis ? 'empty' : overlaps[0]?.kind ?? (coverage.checked ? 'none' : 'unchecked');
  $('overlaps').dataset.state = state;
  $('overlaps').dataset.coverage = coverage?.state ?? '';
  $('overlaps-none').hidden = state !== 'none';
  $('overlaps-none').textContent = state === 'none'
    ? `Aucun chevauchement avec les CPTS existantes (registre : ${coverage.registry}).` : '';
  const unchecked = $('overlaps-unchecked');
  unchecked.hidden = !coverage || coverage.checked;
  // Overlaps found in a registry that may not cover everything: the rest is not checked.
  $('overlaps-unchecked-title').textContent = overlaps.length ? 'Ailleurs sur le territoire : non vérifié' : coverage?.headline ?? '';
  unchecked.replaceChildren($('overlaps-unchecked-title'),
    ...(coverage && !coverage.checked ? coverage.lines.map((line) => el('p', {}, line)) : []));
  $('overlaps-source').textContent = coverage?.checked ? coverage.lines.join(' ') : '';
  $('overlap-list').replaceChildren(...overlaps.map(renderOverlap));
}

/** The warning of a territory in several pieces, its parts, each named by its communes. */
function renderContiguity(diagnosis) {
  const box = $('contiguity-warning');
  const parts = diagnosis ? partsInWords(diagnosis) : [];
  box.hidden = parts.length === 0;
  box.replaceChildren(...(parts.length ? [
    el('strong', {}, `Territoire non contigu : ${plural(parts.length, 'partie', 'parties')} séparées.`),
    el('span', {}, ' Une CPTS couvre d’ordinaire un territoire d’un seul tenant.'),
    el('ol', {}, ...parts.map((part) => el('li', {}, part))),
  ] : []));
}

const sharedCommune = (c) => {
  const figures = [formatEstimatedInhabitants(c.population, c.estimate)];
  if (c.estimate === 'area_pro_rata') figures.push(formatArea(c.area_km2));
  return `${c.name} (${figures.join(', ')})`;
};

export function renderOverlap(overlap) {
  const item = el('li', { className: `overlap overlap-${overlap.kind}`, dataset: { kind: overlap.kind, id: overlap.id } });
  const communes = overlap.shared_communes.map(sharedCommune).join(', ');
  const splits = overlap.declared_splits.map((c) => c.name).join(', ');
  const share = `${formatEstimatedInhabitants(overlap.population, overlap.population_estimate)} en commun, soit `;
  const status = statusLabel(overlap.status);
  if (overlap.kind === 'conflict') {
    item.append(
      el('strong', { className: 'overlap-title' }, `Conflit avec ${overlap.name}`),
      ...(status ? [el('span', { className: 'overlap-status' }, `Statut : ${status}`)] : []),
      el('span', { className: 'overlap-share' }, share,
        el('strong', {}, `${formatShare(overlap.population_share)} de la population du territoire`)),
      el('span', { className: 'overlap-communes' },
        `${plural(overlap.shared_communes.length, 'commune partagée', 'communes partagées')} : ${communes}`));
  } else if (overlap.kind === 'sliver') {
    item.append(
      el('span', { className: 'overlap-title' }, `Contact mineur avec ${overlap.name} : `, communes),
      el('span', { className: 'note' }, `${formatArea(overlap.area_km2)} en commun, sans doute un écart de tracé `
        + 'le long d’une limite.'));
  } else {
    item.append(
      el('span', { className: 'overlap-title' }, `Partage déclaré avec ${overlap.name} : `, splits || communes),
      el('span', { className: 'note' }, 'Le registre déclare déjà cette commune partagée entre plusieurs CPTS.'));
  }
  if (overlap.kind !== 'declared_split' && splits) {
    item.append(el('span', { className: 'note' }, `Communes déjà partagées entre CPTS : ${splits}`));
  }
  return item;
}

function renderFunding(funding) {
  $('funding-table').hidden = !funding;
  $('funding-caption').textContent = funding?.grid_label
    ? `Financement annuel par mission (${funding.grid_label})` : 'Financement annuel par mission';
  $('funding-lines').replaceChildren(...(funding?.lines ?? []).map((line) => el('tr', {},
    el('th', { scope: 'row' }, line.label),
    el('td', {}, formatEuros(line.fixed)),
    el('td', {}, formatEuros(line.variable)),
    el('td', {}, formatEuros(line.total)))));
  $('funding-fixed').textContent = funding ? formatEuros(funding.fixed_total) : '';
  $('funding-variable').textContent = funding ? formatEuros(funding.variable_total) : '';
  $('funding-sum').textContent = funding ? fundingTotal(funding) : '';
  $('funding-unknown').textContent = unknownAmountsText(funding) ?? '';
  $('funding-unknown').hidden = !unknownAmountsText(funding);
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
