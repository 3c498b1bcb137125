// The sections of the printable diagnostic territorial, built from a diagnosis (POST
// /api/diagnosis), the missions of the funding grid (GET /api/missions) and the territory's name.
// Every figure says its source and vintage; estimates are tagged "estimation", missing data
// "non disponible" with the reason.

import { el } from '../dom.js';
import {
  formatArea, formatCount, formatCoverage, formatDensity, formatEstimatedInhabitants, formatEuros,
  formatInhabitants, formatPlaces, formatShare, plural, tierRange,
} from '../format.js';
import { PROFESSIONS, SUPPLY_RULE, directoryFr, locatedNote, reasonFr, trendText, vintageFr } from '../health.js';
import { partsInWords } from '../contiguity.js';
import { coverageOf } from '../coverage.js';
import { fundingTotal, unknownAmountsText } from '../funding.js';
import { renderOverlap } from '../panel.js';
import { warningsFr } from '../warnings.js';
import { carePlacesReport, partnersReport } from './care-places.js';
import { barChart, comparisonChart } from './charts.js';
import { shownCount, todayValue } from './follow-up.js';
import { territoryMap } from './map.js';
import { populationReportBlock } from './population.js';

const oneDecimal = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signed = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });
const longDate = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long' });
const TOP_COMMUNES = 12;

const estimateTag = () => el('span', { className: 'estimate-tag', title: 'valeur estimée' }, 'estimation');
const unavailableTag = () => el('span', { className: 'unavailable-tag' }, 'non disponible');
const source = (text) => el('p', { className: 'source' }, `Source : ${text}`);
const num = (text, ...rest) => el('td', { className: 'num' }, text, ...rest);
const section = (id, title, { page = false } = {}, ...children) => el('section',
  { className: `report-section${page ? ' page' : ''}`, id }, el('h2', {}, title), ...children);
/** A table whose columns after the first are numbers (right-aligned), unless `text`. */
const table = (headers, rows, props = {}, { text = false } = {}) => el('table', props,
  el('thead', {}, el('tr', {}, ...headers.map((h, i) => el('th', { scope: 'col', className: i && !text ? 'num' : '' }, h)))),
  el('tbody', {}, ...rows));

// ---- header and summary

export function header(name, diagnosis, { version, generated }) {
  const places = formatPlaces(diagnosis.departements);
  return el('header', { className: 'report-header' },
    el('p', { className: 'kicker' }, 'Communauté professionnelle territoriale de santé — diagnostic territorial'),
    el('h1', { id: 'report-title' }, name),
    el('p', { className: 'meta' }, `${plural(diagnosis.commune_count, 'commune')} · ${places} · établi le `
      + `${longDate.format(generated)} avec ${version.name} ${version.version} (${version.dataset?.vintage ?? 'données du serveur'})`));
}

export function summary(diagnosis) {
  const d = diagnosis;
  const figure = (label, id, value, note, wide = false) => el('div', { className: `figure${wide ? ' wide' : ''}` },
    el('dt', {}, label), el('dd', {}, el('span', { id }, value), note ? el('span', { className: 'note' }, ` ${note}`) : null));
  return section('summary', 'Synthèse', {},
    el('dl', { className: 'figures' },
      figure('Population', 'summary-population', formatInhabitants(d.population),
        d.population_estimated > 0 ? `dont ${formatInhabitants(d.population_estimated)} estimés` : ''),
      figure('Taille ACI', 'summary-tier', d.tier.label, `(${tierRange(d.tier.size)})`),
      figure('Enveloppe annuelle maximale', 'summary-funding', fundingTotal(d.funding),
        d.funding.total_known === false ? '' : `dont ${formatEuros(d.funding.variable_total)} variables`),
      figure('Communes', 'summary-communes', formatCount(d.commune_count),
        d.partial_commune_count > 0 ? `dont ${formatCount(d.partial_commune_count)} en partie` : ''),
      figure('Superficie', 'summary-area', formatArea(d.area_km2), d.area_complete ? '' : '(incomplète : membres sans contour)'),
      figure('Densité', 'summary-density', Number.isFinite(d.density_per_km2) ? formatDensity(d.density_per_km2) : 'non calculable'),
      figure('Départements', 'summary-departements', formatPlaces(d.departements), '', true),
      figure('Régions', 'summary-regions', formatPlaces(d.regions), '', true)),
    warningsFr(d).length ? el('ul', { className: 'warnings' }, ...warningsFr(d).map((w) => el('li', { title: w.original }, w.text))) : null,
    contiguityWarning(d),
    source('INSEE, populations légales (COG 2026) ; IGN ADMIN EXPRESS-COG 2018 pour les surfaces ; '
      + `${d.funding.grid_label ?? 'ACI CPTS 2019'} pour la taille et l’enveloppe.`));
}

/** The warning of a territory in several pieces, its parts listed; null in one piece. */
function contiguityWarning(diagnosis) {
  const parts = partsInWords(diagnosis);
  return parts.length ? el('p', { className: 'warning', id: 'summary-contiguity' },
    `Territoire non contigu, en ${parts.length} parties : ${parts.join(' ; ')}.`) : null;
}

export const mapSection = (diagnosis, perimeter) => section('map', 'Carte du territoire', {}, territoryMap(diagnosis, perimeter));

// ---- population

const members = (diagnosis) => diagnosis.territory.features.map((f) => f.properties);

function populationChart(diagnosis) {
  const communes = members(diagnosis).sort((a, b) => b.population_counted - a.population_counted);
  const items = communes.slice(0, TOP_COMMUNES).map((c) => ({ label: c.name, value: c.population_counted }));
  const rest = communes.slice(TOP_COMMUNES);
  if (rest.length) {
    items.push({
      label: `Autres (${plural(rest.length, 'commune')})`,
      value: rest.reduce((sum, c) => sum + c.population_counted, 0),
      muted: true,
    });
  }
  return el('figure', { id: 'population-chart' },
    barChart(items, { format: (v) => formatCount(Math.round(v)), title: 'Population par commune' }),
    el('figcaption', {}, `Population comptée par commune${rest.length ? ` (les ${TOP_COMMUNES} plus peuplées, puis les autres ensemble)` : ''}.`));
}

const LEVELS = { departement: 'Département', region: 'Région', france: 'France' };

function densityComparison(diagnosis) {
  const places = diagnosis.density_comparisons ?? [];
  const rows = [
    el('tr', { dataset: { level: 'territory' } }, el('th', { scope: 'row' }, 'Territoire'),
      num(formatCount(diagnosis.population)), num(formatArea(diagnosis.area_km2)),
      num(Number.isFinite(diagnosis.density_per_km2) ? formatDensity(diagnosis.density_per_km2) : 'n.d.')),
    ...places.map((p) => el('tr', { dataset: { level: p.level, code: p.code ?? '' } },
      el('th', { scope: 'row' }, p.level === 'france' ? 'France' : `${p.name} (${LEVELS[p.level].toLowerCase()})`),
      num(formatCount(p.population)), num(formatArea(p.area_km2)),
      num(Number.isFinite(p.density_per_km2) ? formatDensity(p.density_per_km2) : 'n.d.'))),
  ];
  const france = places.find((p) => p.level === 'france');
  const chartItems = [
    { label: 'Territoire', value: diagnosis.density_per_km2 ?? 0 },
    ...places.filter((p) => Number.isFinite(p.density_per_km2)).map((p) => ({ label: p.name, value: p.density_per_km2, muted: true })),
  ];
  return el('div', { id: 'density-comparison' },
    el('h3', {}, 'Densité comparée'),
    table(['', 'Population', 'Superficie', 'Densité'], rows, { id: 'density-table' }),
    el('figure', {}, barChart(chartItems, { format: (v) => formatDensity(v), title: 'Densité de population comparée' })),
    france?.population_without_area ? el('p', { className: 'note' },
      `France : densité hors collectivités d’outre-mer sans contour (${formatInhabitants(france.population_without_area)} non rapportés à une surface).`) : null);
}

export const populationSection = (diagnosis) => section('population', 'Population', {},
  populationChart(diagnosis), densityComparison(diagnosis),
  source('INSEE, populations légales publiées dans le COG 2026 ; surfaces calculées (projection équivalente) sur IGN ADMIN EXPRESS-COG 2018.'));

const METHODS = {
  whole: 'commune entière',
  area: 'au prorata de la surface',
  iris_population: 'par IRIS (population INSEE)',
  iris_type_weighted: 'par IRIS (selon leur type)',
};

export function communesSection(diagnosis) {
  const communes = members(diagnosis).sort((a, b) => b.population_counted - a.population_counted
    || a.name.localeCompare(b.name, 'fr'));
  const rows = communes.map((c) => el('tr', { className: c.estimated ? 'partial' : '', dataset: { code: c.code } },
    el('th', { scope: 'row' }, `${c.name} (${c.code})`),
    num(formatCount(c.population)),
    num(formatCoverage(c.coverage)),
    num(formatCount(Math.round(c.population_counted)), c.estimated ? ' ' : null, c.estimated ? estimateTag() : null),
    el('td', {}, METHODS[c.method] ?? c.method)));
  return section('communes', 'Communes du territoire', {},
    table(['Commune', 'Population légale', 'Couverture', 'Population comptée', 'Méthode'], rows, { id: 'communes-table' }),
    diagnosis.partial_commune_count > 0 ? el('p', { className: 'note' },
      'Communes en partie incluses : population estimée (répartie uniformément sur la surface, ou par IRIS où ils sont chargés).') : null,
    source('INSEE, populations légales (COG 2026).'));
}

// ---- funding and missions

export function fundingSection(diagnosis, grid) {
  const { funding } = diagnosis;
  const rows = funding.lines.map((line) => el('tr', { dataset: { mission: line.mission } },
    el('th', { scope: 'row' }, line.label, line.mandatory ? el('span', { className: 'note' }, ' (socle)') : null),
    num(formatEuros(line.fixed)), num(formatEuros(line.variable)), num(formatEuros(line.total))));
  const t = table(['Mission', 'Part fixe', 'Part variable (max.)', 'Total'], rows, { id: 'funding-table' });
  t.append(el('tfoot', {}, el('tr', {}, el('th', { scope: 'row' }, 'Total annuel'),
    num(formatEuros(funding.fixed_total)), num(formatEuros(funding.variable_total)), el('td', { className: 'num', id: 'funding-total' }, fundingTotal(funding)))));
  return section('funding', 'Taille et financement ACI', {},
    el('p', {}, `${diagnosis.tier.label} (${tierRange(diagnosis.tier.size)}) : ${formatInhabitants(diagnosis.population)} comptés. `
      + 'La part variable est un maximum, versé selon l’atteinte des objectifs des indicateurs du contrat.'),
    t, unknownAmounts(funding),
    source(gridSource(funding.grid_label && funding.grid !== grid.grid ? funding.grid_label : grid.source ?? grid.label)));
}

/** A grid's source for a reader: without the data's own convention (`null = non connu`). */
const gridSource = (text) => String(text).replace(/\s*:\s*null = non connu\.?$/, '.').replace(/\s*null = non connu\.?/, '');

/** The note on the amounts a grid does not give; null when every amount is known. */
const unknownAmounts = (funding) => {
  const text = unknownAmountsText(funding);
  return text ? el('p', { className: 'note', id: 'funding-unknown' }, text) : null;
};

const addMonths = (date, months) => {
  const result = new Date(date);
  result.setMonth(result.getMonth() + months);
  return result;
};

function deadlines(mission, signature) {
  const months = mission.deadline_months;
  if (!months) {
    return el('p', { className: 'deadlines', dataset: { deadline: 'none' } }, mission.mandatory
      ? 'Pas d’échéance de déploiement fixée par l’ACI.'
      : 'Mission optionnelle : pas d’échéance fixée par l’ACI.');
  }
  const dates = signature
    ? ` (soit au plus tard le ${longDate.format(addMonths(signature, months.start))} et le ${longDate.format(addMonths(signature, months.deployed))})`
    : '';
  return el('p', { className: 'deadlines', dataset: { start: months.start, deployed: months.deployed } },
    el('strong', {}, `Démarrage dans les ${months.start} mois, déploiement complet sous ${months.deployed} mois`),
    ` après la signature du contrat${dates}.`);
}

function indicatorRow(indicator, diagnosis) {
  const today = todayValue(indicator, diagnosis);
  const value = today.value
    ? el('td', { className: 'indicator-value' }, today.value, today.estimated ? ' ' : null, today.estimated ? estimateTag() : null)
    : el('td', { className: 'indicator-value' }, unavailableTag(), ` ${today.reason}`);
  return el('tr', { dataset: { indicator: indicator.id, available: String(Boolean(today.value)) } },
    el('th', { scope: 'row' }, indicator.label),
    value,
    el('td', { className: 'note' }, today.source ?? indicator.source));
}

/** The funded missions with their ACI deadlines and follow-up indicators; `signature` a Date or null. */
export function missionsSection(diagnosis, missions, signature) {
  const byId = new Map(missions.missions.map((m) => [m.id, m]));
  const funded = diagnosis.funding.lines.map((line) => byId.get(line.mission)).filter(Boolean);
  return section('missions', 'Missions choisies, échéances et indicateurs de suivi', {},
    el('p', { className: 'note' }, signature
      ? `Échéances calculées depuis la signature du contrat le ${longDate.format(signature)}.`
      : 'Échéances en mois depuis la signature du contrat (indiquez la date de signature dans la barre d’outils pour les dates).'),
    ...funded.map((mission) => el('div', { className: 'mission', dataset: { mission: mission.id } },
      el('h3', { className: 'mission-head' }, mission.label, el('span', { className: 'note' }, mission.mandatory ? ' — socle' : ' — optionnelle')),
      deadlines(mission, signature),
      mission.indicators?.length
        ? table(['Indicateur de suivi', 'Valeur aujourd’hui', 'Source'], mission.indicators.map((i) => indicatorRow(i, diagnosis)),
          { className: 'indicators' }, { text: true })
        : el('p', { className: 'note' }, 'Pas d’indicateur de suivi propre à cette mission.'))),
    missions.indicators_note ? el('p', { className: 'note' }, missions.indicators_note) : null);
}

// ---- overlaps

const KIND_ORDER = ['conflict', 'sliver', 'declared_split'];

export function overlapsSection(diagnosis) {
  const overlaps = [...diagnosis.overlaps].sort((a, b) =>
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || b.population - a.population);
  const coverage = coverageOf(diagnosis);
  const unchecked = coverage.checked ? null : el('div', { className: 'unchecked', id: 'overlaps-unchecked', dataset: { coverage: coverage.state } },
    el('strong', {}, overlaps.length ? 'Ailleurs sur le territoire : non vérifié' : coverage.headline),
    ...coverage.lines.map((line) => el('p', {}, line)));
  let body = null;
  if (overlaps.length) body = el('ul', { className: 'compact', id: 'overlap-list' }, ...overlaps.map(renderOverlap));
  else if (coverage.checked) {
    body = el('p', { id: 'overlaps-none' }, `Aucun chevauchement avec les CPTS existantes (registre : ${coverage.registry}).`);
  }
  return section('overlaps', 'Chevauchements avec les CPTS existantes', {}, body, unchecked,
    coverage.checked ? source(coverage.lines.join(' ')) : null);
}

// ---- health supply and access

function comparisonPlaces(available) {
  const places = [];
  for (const [, s] of available) {
    for (const c of s.comparisons ?? []) {
      const key = `${c.level}:${c.code ?? ''}`;
      if (!places.some((p) => p.key === key)) places.push({ key, level: c.level, code: c.code, name: c.name });
    }
  }
  return places;
}

const comparisonValue = (s, place) => s.comparisons?.find((c) => c.level === place.level && (c.code ?? null) === (place.code ?? null));

function supplyBlock(supply) {
  const entries = Object.entries(supply ?? {});
  const available = entries.filter(([, s]) => s.available);
  const unavailable = entries.filter(([, s]) => !s.available);
  const places = comparisonPlaces(available);
  const block = el('div', { id: 'report-supply' }, el('h3', {}, 'Professionnels de santé (densité pour 10 000 habitants)'));
  if (available.length) {
    const rows = available.map(([id, s]) => el('tr', { dataset: { profession: id } },
      el('th', { scope: 'row' }, s.label_fr ?? PROFESSIONS[id] ?? id),
      num(s.estimated ? `≈ ${oneDecimal.format(s.count)}` : formatCount(s.count), s.estimated ? ' ' : null, s.estimated ? estimateTag() : null),
      num(Number.isFinite(s.density_per_10k) ? oneDecimal.format(s.density_per_10k) : 'n.d.'),
      ...places.map((place) => {
        const c = comparisonValue(s, place);
        return c?.available
          ? el('td', { className: 'num', dataset: { level: place.level } }, oneDecimal.format(c.density_per_10k))
          : el('td', { className: 'num note', dataset: { level: place.level }, title: c ? reasonFr(c.reason) : '' }, 'n.d.');
      }),
      el('td', { className: 'supply-source' }, directoryFr(s.directory)),
      num(s.bpe ? (s.bpe.available ? formatCount(Math.round(s.bpe.count)) : 'n.d.') : '—'),
      el('td', { className: 'supply-trend' }, trendText(s.trend))));
    block.append(table(['Profession', 'Effectif', 'Territoire', ...places.map((p) => p.name), 'Source', 'BPE 2019', 'Évolution 2019 → 2021'], rows, { id: 'supply-table' }));
    block.append(el('p', { className: 'note', id: 'supply-rule' }, SUPPLY_RULE));
    const located = locatedNote(available);
    if (located) block.append(located);
    for (const c of new Set(available.map(([, s]) => s.caveat ?? s.bpe?.caveat).filter(Boolean))) block.append(el('p', { className: 'note' }, `BPE : ${c}`));
    const shown = available.filter(([, s]) => Number.isFinite(s.density_per_10k)).slice(0, 8);
    const charted = places.filter((p) => shown.some(([, s]) => comparisonValue(s, p)?.available));
    const series = ['Territoire', ...charted.map((p) => p.name)];
    block.append(el('figure', { id: 'supply-chart' },
      comparisonChart(shown.map(([id, s]) => ({
        label: s.label_fr ?? PROFESSIONS[id] ?? id,
        values: [s.density_per_10k, ...charted.map((p) => {
          const c = comparisonValue(s, p);
          return c?.available ? c.density_per_10k : null;
        })],
      })), { series, format: (v) => oneDecimal.format(v), title: 'Densités de professionnels comparées' }),
      el('div', { className: 'legend' }, ...series.map((name, i) => el('span', {}, el('span', { className: `swatch series-${i % 4}` }), name))),
      el('figcaption', {}, `Professionnels pour 10 000 habitants, ${plural(shown.length, 'profession')} : ${series.join(', ')}`
        + `${charted.length < places.length ? ` (${places.filter((p) => !charted.includes(p)).map((p) => p.name).join(', ')} : `
          + 'non disponible, l’annuaire chargé ne couvre pas toute la zone)' : ''}.`)));
    const sources = [...new Set(available.map(([, s]) => `${s.source}, millésime ${vintageFr(s.vintage)}`))];
    block.append(...sources.map(source));
    const modes = [...new Set(available.flatMap(([, s]) => s.modes_covered ?? []))];
    if (modes.length === 1 && modes[0] === 'liberal') block.append(el('p', { className: 'note' }, 'Exercice libéral uniquement (salariés non recensés par l’annuaire chargé).'));
  }
  if (unavailable.length) {
    block.append(el('p', { className: 'note', id: 'supply-unavailable' }, unavailableTag(), ' ',
      unavailable.map(([id, s]) => `${PROFESSIONS[id] ?? id} (${reasonFr(s.reason)})`).join(', '), '.'));
  }
  return block;
}

function aplBlock(apl) {
  const block = el('div', { id: 'report-apl' }, el('h3', {}, 'Accessibilité potentielle localisée aux médecins généralistes (APL)'));
  if (!apl?.available || !apl.editions?.length) {
    block.append(el('p', {}, unavailableTag(), ` ${reasonFr(apl?.reason)} (source : DREES)`));
    return block;
  }
  block.append(table(['Édition', 'APL (consultations/an/hab.)', 'Population sous 2,5', 'Population sous 4'],
    apl.editions.map((e) => el('tr', { dataset: { edition: e.edition } }, el('th', { scope: 'row' }, String(e.edition)),
      num(twoDecimals.format(e.apl)), num(formatShare(e.population_share_under_2_5)), num(formatShare(e.population_share_under_4)))),
    { id: 'apl-table' }));
  if (apl.change) {
    block.append(el('p', {}, `Évolution ${apl.change.from} → ${apl.change.to} : ${signed.format(apl.change.absolute)} `
      + `(${signed.format(apl.change.relative_pct)} %).`));
  }
  const under = apl.under_served ?? [];
  block.append(under.length
    ? el('p', { className: 'warning' }, `Communes sous 2,5 consultations/an/hab. : ${under.map((c) => c.name ?? c.code ?? c).join(', ')}.`)
    : el('p', {}, 'Aucune commune sous le seuil de 2,5 consultations par an et par habitant.'));
  if (apl.computed?.available) {
    block.append(el('p', { className: 'note' }, estimateTag(),
      ` APL recalculée sur l’annuaire chargé (E2SFCA) : ${oneDecimal.format(apl.computed.value)} médecins accessibles pour 10 000 hab. — ${e2sfcaFr(apl.computed.method)}.`));
  }
  block.append(source(`DREES, APL aux médecins généralistes, éditions ${apl.editions.map((e) => e.edition).join(', ')} (moyenne pondérée par la population).`));
  return block;
}

function hospitalsBlock(hospitals) {
  const block = el('div', { id: 'report-hospitals' }, el('h3', {}, 'Établissements de santé'));
  if (!hospitals?.available) {
    block.append(el('p', {}, unavailableTag(), ` ${reasonFr(hospitals?.reason)} (source : FINESS)`));
    return block;
  }
  const inside = hospitals.inside ?? [];
  const second = inside.filter((h) => h.second_line).length;
  block.append(el('p', {}, `${plural(inside.length, 'établissement')} dans le territoire, dont ${formatCount(second)} de second recours.`));
  if (hospitals.no_second_line_within_30_km) block.append(el('p', { className: 'warning' }, 'Aucun établissement de second recours à moins de 30 km.'));
  const nearest = hospitals.nearest_outside ?? [];
  if (nearest.length) {
    block.append(el('p', { className: 'note' }, 'Les plus proches hors du territoire :'),
      el('ul', { className: 'compact' }, ...nearest.slice(0, 5).map((h) =>
        el('li', {}, `${h.name} — ${h.category} · ${oneDecimal.format(h.distance_km)} km`))));
  }
  block.append(source(`${hospitals.source}, millésime ${vintageFr(hospitals.vintage)}`));
  return block;
}

function patientsBlock(patients) {
  const block = el('div', { id: 'report-patients' }, el('h3', {}, 'Patients sans médecin traitant'));
  if (patients?.available && patients.territory) {
    const t = patients.territory;
    const rows = [['Patients de 17 ans et plus', t.patients_17_plus], ['sans médecin traitant', t.without_gp],
      ['dont en ALD', t.without_gp_ald], ['dont de 70 ans et plus', t.without_gp_70_plus], ['dont bénéficiaires de la C2S', t.without_gp_c2s]]
      .map(([label, shown]) => el('tr', {}, el('th', { scope: 'row' }, label), num(shownCount(shown))));
    block.append(table(['', 'Territoire'], rows, { id: 'patients-table' }),
      Number.isFinite(t.share_without_gp) ? el('p', {}, `Part sans médecin traitant : ${formatShare(t.share_without_gp)}`, t.estimated ? ' ' : null, t.estimated ? estimateTag() : null) : null,
      el('p', { className: 'note' }, patients.secret_rule ?? ''),
      source(`${patients.source}, millésime ${vintageFr(patients.vintage)}`));
    return block;
  }
  block.append(el('p', {}, unavailableTag(), ' Donnée CPAM non fournie : aucune donnée ouverte ne la donne par commune (à demander à la CPAM).'));
  if (patients?.proxies?.length) {
    block.append(el('ul', { className: 'compact', id: 'patients-proxies' }, ...patients.proxies.map((p) => el('li', {},
      el('span', { className: 'context-tag' }, 'indicateur indirect'), ` ${p.label_fr.split(' — ')[0]} : `,
      el('strong', {}, /share/.test(p.id) ? formatShare(p.value) : twoDecimals.format(p.value)),
      el('span', { className: 'note' }, ` (source : ${p.source})`)))));
  }
  return block;
}

/** The detailed bands of a finer source (ARS Normandie 2017, a loaded INSEE file), where one covers. */
function agesBlock(ages) {
  if (!ages?.available) return null;
  const block = el('div', { id: 'report-ages' }, el('h3', {}, `Classes d’âge détaillées (${ages.vintage})`));
  const departements = ages.groups[0]?.departements ?? [];
  block.append(table(['Classe d’âge', 'Territoire', ...departements.map((d) => d.name)],
    ages.groups.map((g) => el('tr', { dataset: { group: g.group } }, el('th', { scope: 'row' }, g.label_fr),
      num(`${formatShare(g.share)} (${formatCount(Math.round(g.count))})`),
      ...departements.map((d) => {
        const found = g.departements.find((x) => x.code === d.code);
        return num(found?.available ? formatShare(found.share) : 'n.d.');
      }))), { id: 'ages-table' }),
  source(`${ages.source}, millésime ${ages.vintage}`));
  return block;
}

export function healthSection(diagnosis) {
  if (!diagnosis.supply && !diagnosis.apl) {
    return section('health', 'Offre de soins et accès', {}, el('p', {}, unavailableTag(),
      ' Aucune donnée de santé n’est chargée sur ce serveur (sources : RPPS, DREES, FINESS, CPAM, INSEE).'));
  }
  return section('health', 'Offre de soins et accès', {},
    supplyBlock(diagnosis.supply), aplBlock(diagnosis.apl), hospitalsBlock(diagnosis.hospitals),
    diagnosis.care_places ? carePlacesReport(diagnosis.care_places) : null,
    diagnosis.care_places ? partnersReport(diagnosis.partners) : null,
    patientsBlock(diagnosis.patients_without_gp), populationReportBlock(diagnosis), agesBlock(diagnosis.detailed_ages));
}

// ---- sources


// The server words some sources in English, and lists every source it loaded: the report
// says in French those the territory used.
const decimalFr = (text) => String(text).replace('.', ',');

/** The E2SFCA method of a computed APL, in French (the server's `method` is English). */
export function e2sfcaFr(method = '') {
  const m = /distance × ([\d.]+) at (.+?) \(.*\); decay steps (.+)$/.exec(method);
  const base = 'méthode E2SFCA (aires de recours flottantes à deux étapes), entre les centres des communes';
  if (!m) return base;
  const steps = m[3].split(',').map((step) => step.trim().replace(/^≤ (\d+) min: ([\d.]+)$/, (_, min, w) => `${min} min : ${decimalFr(w)}`));
  const bands = m[2].split(', ').map((band) => band.replace(/^([\d.]+)-([\d.]+)/, '$1 à $2')
    .replace(/^beyond /, 'au-delà de ').replace(/[\d.]+/g, decimalFr).replace(': ', ' : ')).join(', ');
  return `${base} ; temps de trajet = distance à vol d’oiseau × ${decimalFr(m[1])}, vitesse par tranche de distance (${bands}) ; `
    + `poids selon le temps (jusqu’à) ${steps.join(', ')}`;
}

function populationSource(source, diagnosis) {
  const cog = /COG \d{4}/.exec(source)?.[0];
  const partial = diagnosis.partial_commune_count > 0
    ? ' Communes en partie incluses : par leurs IRIS là où ils sont chargés, sinon au prorata de la surface '
      + '(estimations ; la méthode de chaque commune est donnée dans la liste des communes).' : '';
  return `INSEE, populations légales${cog ? ` (${cog})` : ''}.${partial}`;
}

function irisSource(source) {
  const w = /H and Z ([\d.]+), A ([\d.]+), D ([\d.]+)/.exec(source);
  const census = /census (\d{4})/.exec(source)?.[1];
  return 'INSEE, contours IRIS ; populations des IRIS'
    + `${census ? ` : recensement ${census} là où le fichier les donne` : ''}`
    + `${w ? `, sinon réparties selon le type d’IRIS (habitat et commune non découpée ${decimalFr(w[1])}, `
      + `activité ${decimalFr(w[2])}, divers ${decimalFr(w[3])})` : ''}.`;
}

/** [indicator, French text] of the sources the territory used, in the server's order. */
export function usedSources(diagnosis) {
  const d = diagnosis;
  const supplySources = Object.values(d.supply ?? {}).filter((x) => x.available && x.source).map((x) => x.source);
  const aplEditions = (d.apl?.available ? d.apl.editions ?? [] : []).map((e) => String(e.edition));
  const usesIris = d.territory.features.some((f) => /^iris/.test(f.properties.method ?? ''));
  const used = [];
  for (const { indicator, source: text } of d.sources) {
    let shown = text;
    if (indicator === 'population') shown = populationSource(text, d);
    else if (indicator === 'funding') shown = gridSource(text);
    else if (indicator === 'iris') shown = usesIris ? irisSource(text) : null;
    else if (indicator === 'supply') shown = supplySources.some((x) => text.startsWith(x)) ? text : null;
    else if (indicator === 'apl') shown = aplEditions.some((e) => text.includes(e)) ? text : null;
    else if (['hospitals', 'patients_without_gp', 'age_structure'].includes(indicator)) shown = d[indicator]?.available ? text : null;
    if (shown && !used.some(([i, t]) => i === indicator && t === shown)) used.push([indicator, shown]);
  }
  // A registry is a source of this territory where it covers it, or where it found an overlap.
  if (d.overlaps_checked_against && (coverageOf(d).checked || d.overlaps.length)) used.push(['registry', d.overlaps_checked_against]);
  return used;
}

const INDICATORS = {
  population: 'Population', geometry: 'Contours et surfaces', funding: 'Taille et financement', iris: 'IRIS',
  supply: 'Professionnels de santé', apl: 'Accessibilité (APL)', hospitals: 'Établissements de santé',
  patients_without_gp: 'Patients sans médecin traitant', age_structure: 'Structure par âge',
  registry: 'CPTS existantes',
  care_places: 'Lieux de soins',
  detailed_ages: 'Classes d’âge détaillées', population_change: 'Évolution de la population', fragility: 'Fragilité',
};

export function sourcesSection(diagnosis) {
  return section('sources', 'Sources et méthodes', {},
    el('ul', { className: 'compact', id: 'sources-list' }, ...usedSources(diagnosis).map(([indicator, text]) => el('li', { dataset: { indicator } },
      el('strong', {}, `${INDICATORS[indicator] ?? 'Autre source'} : `), text))),
    el('p', { className: 'note' }, 'Populations : populations légales INSEE (population municipale). Une commune en partie incluse compte '
      + 'sa population au prorata de la surface couverte (ou par IRIS où ils sont chargés) : ces valeurs sont des estimations. '
      + 'Surfaces calculées en projection équivalente sur l’ellipsoïde WGS84. Densités de professionnels pour 10 000 habitants '
      + '(populations légales des communes). Hors de la couverture d’une source, la valeur est « non disponible », jamais zéro.'),
    diagnosis.apl?.computed?.available
      ? el('p', { className: 'note', id: 'e2sfca-method' }, `APL recalculée : ${e2sfcaFr(diagnosis.apl.computed.method)}.`) : null);
}
