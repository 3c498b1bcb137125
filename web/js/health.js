// "Offre de soins et accès" in the diagnosis: professionals (supply), APL (DREES), health
// establishments (FINESS), patients without médecin traitant and the ages, population change
// and fragility (population.js), each block with its source.
// #health's data-state is ready or empty; rows carry data-profession for the tests.

import { carePlacesBlock, partnersBlock } from './care-places.js';
import { el } from './dom.js';
import { formatCount, formatShare, shownCount } from './format.js';
import { populationBlock } from './population.js';

const $ = (id) => document.getElementById(id);
const oneDecimal = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signed = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });
const signedPercent = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1, signDisplay: 'exceptZero' });

/** French labels of the professions, for those the server says nothing about (not available). */
export const PROFESSIONS = {
  general_practitioner: 'Médecins généralistes',
  pediatrician: 'Pédiatres',
  gynecologist: 'Gynécologues',
  neurologist: 'Neurologues',
  other_specialist: 'Autres spécialistes',
  nurse: 'Infirmiers',
  physiotherapist: 'Masseurs-kinésithérapeutes',
  dentist: 'Chirurgiens-dentistes',
  orthodontist: 'Chirurgiens-dentistes ODF',
  midwife: 'Sages-femmes',
  pharmacist: 'Pharmaciens d’officine',
  speech_therapist: 'Orthophonistes',
  orthoptist: 'Orthoptistes',
  podiatrist: 'Pédicures-podologues',
  psychologist: 'Psychologues',
  occupational_therapist: 'Ergothérapeutes',
  psychomotor_therapist: 'Psychomotriciens',
  dietitian: 'Diététiciens',
  cardiologist: 'Cardiologues',
  dermatologist: 'Dermatologues',
  gastroenterologist: 'Gastro-entérologues',
  psychiatrist: 'Psychiatres',
  ophthalmologist: 'Ophtalmologues',
  ent_specialist: 'Oto-rhino-laryngologistes (ORL)',
  pneumologist: 'Pneumologues',
  radiologist: 'Radiologues',
  stomatologist: 'Stomatologues',
  audioprosthetist: 'Audioprothésistes',
  pharmacy: 'Pharmacies (officines)',
  laboratory: 'Laboratoires d’analyses médicales',
  ambulance: 'Ambulances',
};

/** Short French name of the directory a figure comes from (`bpe-2019` -> `BPE 2019`). */
export const directoryFr = (id = '') => ({
  'bpe-2019': 'BPE 2019',
  'normandie-ars-2021': 'ARS Normandie 2021',
  'gironde-rpps-2017': 'RPPS Gironde 2017',
  'rpps-user': 'RPPS (fichier chargé)',
}[id] ?? id);

/** The sentence saying which source gives the figures (the rule of the README). */
export const SUPPLY_RULE = 'Règle : là où un annuaire plus fin (RPPS chargé, ARS Normandie 2021, RPPS Gironde 2017) couvre tout le territoire pour une profession, il donne le chiffre et la BPE 2019 est indiquée à côté ; sinon la BPE (INSEE) est le chiffre.';

/** How partly covered communes were counted (the supply figures' `located`), in French. */
const LOCATED_FR = {
  commune_share: 'Communes partiellement couvertes : effectif de la commune au prorata de la surface couverte (estimation).',
  iris: 'Communes partiellement couvertes : effectifs BPE de chaque IRIS au prorata de la part de l’IRIS couverte (estimation localisée par IRIS).',
  mixed: 'Communes partiellement couvertes : effectifs BPE par IRIS là où la BPE les localise, sinon effectif de la commune au prorata de la surface couverte (estimation).',
};

/** The note saying how the available supply figures counted partly covered communes, or null. */
export function locatedNote(available) {
  const said = new Set(available.flatMap(([, s]) => [s.located, s.bpe?.located]).filter((l) => l && l !== 'whole'));
  if (!said.size) return null;
  const located = said.size === 1 ? [...said][0] : 'mixed';
  return el('p', { className: 'note', id: 'supply-located', dataset: { located } }, LOCATED_FR[located] ?? LOCATED_FR.mixed);
}

/** `+2 (+6,3 %)`, the 2019 -> 2021 change of a trend. */
export const trendText = (t) => {
  if (!t) return '—';
  if (!t.available) return 'n.d.';
  const pct = Number.isFinite(t.change_pct) ? ` (${signedPercent.format(t.change_pct)} %)` : '';
  return `${oneDecimal.format(t.count_to).replace(/,0$/, '')} en ${t.to} : ${t.change > 0 ? '+' : ''}${oneDecimal.format(t.change).replace(/,0$/, '')}${pct}`;
};

/** The server's reasons are in English: the kinds known get a French wording. */
export function reasonFr(reason = '') {
  if (/^outside coverage/i.test(reason)) return 'hors couverture de l’annuaire chargé';
  if (/^no loaded directory lists/i.test(reason)) return 'aucun annuaire chargé ne recense cette profession';
  if (/does not cover all of this comparison area/i.test(reason)) return 'annuaire incomplet sur cette zone';
  if (/no loaded directory/i.test(reason)) return 'aucun annuaire chargé ne couvre tout le territoire';
  return 'donnée indisponible';
}

/** `2021-03-06` -> `06/03/2021`; other vintages (a year) as they are. */
export const vintageFr = (vintage) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(vintage ?? ''));
  return m ? `${m[3]}/${m[2]}/${m[1]}` : String(vintage ?? '');
};

const sourceLine = (id, sources) => el('p', { className: 'note source', id },
  sources.map(({ source, vintage }) => `Source : ${source}${vintage ? `, millésime ${vintageFr(vintage)}` : ''}`).join(' · '));

const uniqueSources = (items) => {
  const seen = new Map();
  for (const { source, vintage } of items) if (source && !seen.has(source + vintage)) seen.set(source + vintage, { source, vintage });
  return [...seen.values()];
};

export function renderHealth(diagnosis) {
  const section = $('health');
  const ready = Boolean(diagnosis && (diagnosis.supply || diagnosis.apl || diagnosis.hospitals));
  section.dataset.state = ready ? 'ready' : 'empty';
  section.hidden = !ready;
  $('health-body').replaceChildren(...(ready ? [
    supplyBlock(diagnosis.supply ?? {}),
    aplBlock(diagnosis.apl),
    hospitalsBlock(diagnosis.hospitals),
    carePlacesBlock(diagnosis.care_places),
    partnersBlock(diagnosis.partners),
    patientsBlock(diagnosis.patients_without_gp),
    populationBlock(diagnosis),
  ] : []).filter(Boolean));
}

// ---- professionals

const comparisonCell = (comparisons, level) => {
  const found = comparisons.filter((c) => c.level === level);
  if (!found.length) return el('td', {}, '—');
  return el('td', { dataset: { level } }, ...found.flatMap((c, i) => [
    i ? el('br') : null,
    c.available
      ? el('span', { title: c.name }, oneDecimal.format(c.density_per_10k))
      : el('span', { className: 'note', title: `${c.name} : ${reasonFr(c.reason)}` }, 'n.d.'),
  ]));
};

/** The header of a comparison column: the places compared (`Calvados`), else the level. */
const comparisonHeader = (available, level, fallback) => {
  const names = [...new Set(available.flatMap(([, s]) => (s.comparisons ?? [])
    .filter((c) => c.level === level).map((c) => c.name)))];
  return el('th', { scope: 'col', title: fallback }, names.length && names.length <= 2 ? names.join(' / ') : fallback);
};

function supplyBlock(supply) {
  const entries = Object.entries(supply);
  const available = entries.filter(([, s]) => s.available);
  const unavailable = entries.filter(([, s]) => !s.available);
  const byReason = new Map();
  for (const [id, s] of unavailable) {
    const reason = reasonFr(s.reason);
    if (!byReason.has(reason)) byReason.set(reason, []);
    byReason.get(reason).push([id, s]);
  }
  return el('div', { className: 'health-block', id: 'health-supply' },
    el('h4', {}, 'Professionnels de santé'),
    available.length ? el('table', { className: 'funding supply', id: 'supply-table' },
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, 'Profession'),
        el('th', { scope: 'col' }, 'Effectif'),
        el('th', { scope: 'col', title: 'pour 10 000 habitants' }, 'Densité /10 000 hab.'),
        comparisonHeader(available, 'departement', 'Département'),
        comparisonHeader(available, 'region', 'Région'),
        el('th', { scope: 'col', title: 'France (métropole et DROM)' }, 'France'),
        el('th', { scope: 'col', title: 'Source du chiffre (règle ci-dessous)' }, 'Source'),
        el('th', { scope: 'col', title: 'Effectif BPE 2019, à côté d’un annuaire plus fin' }, 'BPE 2019'),
        el('th', { scope: 'col', title: 'BPE 2019 → 2021, même territoire' }, 'Évolution 2019 → 2021'))),
      el('tbody', {}, ...available.map(([id, s]) => el('tr', { dataset: { profession: id } },
        el('th', { scope: 'row' }, s.label_fr ?? PROFESSIONS[id] ?? id),
        el('td', { className: 'supply-count' }, s.estimated ? `≈ ${oneDecimal.format(s.count)}` : formatCount(s.count)),
        el('td', { className: 'supply-density' }, oneDecimal.format(s.density_per_10k)),
        comparisonCell(s.comparisons ?? [], 'departement'),
        comparisonCell(s.comparisons ?? [], 'region'),
        comparisonCell(s.comparisons ?? [], 'france'),
        el('td', { className: 'supply-source', title: `${s.source}, millésime ${vintageFr(s.vintage)}` }, directoryFr(s.directory)),
        el('td', { className: 'supply-bpe', title: s.bpe && !s.bpe.available ? reasonFr(s.bpe.reason) : '' },
          s.bpe ? (s.bpe.available ? (s.bpe.estimated ? `≈ ${oneDecimal.format(s.bpe.count)}` : formatCount(s.bpe.count)) : 'n.d.') : '—'),
        el('td', { className: 'supply-trend', title: s.trend && !s.trend.available ? s.trend.reason ?? '' : '' }, trendText(s.trend)))))) : null,
    unavailable.length ? el('ul', { className: 'supply-unavailable', id: 'supply-unavailable' },
      ...[...byReason].map(([reason, items]) => el('li', { title: items[0][1].reason ?? '' },
        el('span', { className: 'unavailable-reason' }, `Non disponible : ${reason} — `),
        ...items.flatMap(([id], i) => [i ? ', ' : null,
          el('span', { className: 'profession', dataset: { profession: id } }, PROFESSIONS[id] ?? id)])))) : null,
    available.length ? el('p', { className: 'note' }, 'Densités pour 10 000 habitants ; comparaison avec le département, la région et la France.') : null,
    available.length ? el('p', { className: 'note', id: 'supply-rule' }, SUPPLY_RULE) : null,
    locatedNote(available),
    ...(available.length ? [...new Set(available.map(([, s]) => s.caveat ?? s.bpe?.caveat).filter(Boolean))]
      .map((c) => el('p', { className: 'note supply-caveat' }, `BPE : ${c}`)) : []),
    available.length ? sourceLine('supply-source', uniqueSources(available.map(([, s]) => s))) : null);
}

// ---- APL

function aplBlock(apl) {
  if (!apl) return null;
  const block = el('div', { className: 'health-block', id: 'health-apl' },
    el('h4', {}, 'Accessibilité aux médecins généralistes (APL, DREES)'));
  if (!apl.available || !apl.editions?.length) {
    block.append(el('p', { className: 'note' }, `Non disponible : ${reasonFr(apl.reason)}`));
    return block;
  }
  const threshold = oneDecimal.format(apl.under_served_threshold ?? 2.5);
  block.append(el('table', { className: 'funding apl', id: 'apl-table' },
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, 'Édition'),
      el('th', { scope: 'col', title: 'consultations accessibles par an et par habitant' }, 'APL'),
      el('th', { scope: 'col', title: 'part de la population vivant dans une commune sous 2,5' }, 'Pop. < 2,5'),
      el('th', { scope: 'col', title: 'part de la population vivant dans une commune sous 4' }, 'Pop. < 4'))),
    el('tbody', {}, ...apl.editions.map((e) => el('tr', { dataset: { edition: e.edition } },
      el('th', { scope: 'row' }, String(e.edition)),
      el('td', {}, twoDecimals.format(e.apl)),
      el('td', {}, formatShare(e.population_share_under_2_5)),
      el('td', {}, formatShare(e.population_share_under_4)))))));
  if (apl.change) {
    const { from, to, absolute, relative_pct: pct } = apl.change;
    block.append(el('p', { className: 'apl-change', id: 'apl-change' },
      `Évolution ${from} → ${to} : ${signed.format(absolute)} (${signedPercent.format(pct)} %)`));
  }
  const under = apl.under_served ?? [];
  block.append(under.length
    ? el('p', { className: 'health-warning', id: 'apl-under-served' },
      `Communes sous-dotées (APL < ${threshold}) : `,
      under.map((c) => (typeof c === 'string' ? c : `${c.name ?? c.code}${Number.isFinite(c.apl) ? ` (${twoDecimals.format(c.apl)})` : ''}`)).join(', '))
    : el('p', { className: 'note', id: 'apl-under-served' }, `Aucune commune sous ${threshold} consultations par an et par habitant.`));
  if (apl.computed?.available) {
    block.append(el('p', { className: 'note', title: apl.computed.method ?? '' },
      `APL recalculée sur l’annuaire chargé (E2SFCA) : ${oneDecimal.format(apl.computed.value)} médecins accessibles pour 10 000 hab.`));
  }
  const last = apl.editions[apl.editions.length - 1];
  block.append(el('p', { className: 'note source', id: 'apl-source' },
    `Source : ${last.source.replace(/, édition \d{4}$/, '')}, millésime${apl.editions.length > 1 ? 's' : ''} `
    + `${apl.editions.map((e) => e.edition).join(', ')}`));
  return block;
}

// ---- establishments

const km = (distance) => `${oneDecimal.format(distance)} km`;
const hospitalItem = (h, withDistance) => el('li', { dataset: { finess: h.finess, secondLine: String(h.second_line) } },
  el('span', { className: 'hospital-name' }, h.name),
  el('span', { className: 'note' }, ` — ${h.category}${h.second_line ? ' · second recours' : ''}${withDistance ? ` · ${km(h.distance_km)}` : ''}`));

function hospitalsBlock(hospitals) {
  if (!hospitals) return null;
  const block = el('div', { className: 'health-block', id: 'health-hospitals' },
    el('h4', {}, 'Établissements de santé'));
  if (!hospitals.available) {
    block.append(el('p', { className: 'note' }, `Non disponible : ${reasonFr(hospitals.reason)}`));
    return block;
  }
  if (hospitals.no_second_line_within_30_km) {
    block.append(el('p', { className: 'health-warning', id: 'hospitals-warning', role: 'note' },
      '⚠ Aucun établissement de second recours à moins de 30 km du territoire.'));
  }
  const inside = hospitals.inside ?? [];
  const second = inside.filter((h) => h.second_line).length;
  block.append(inside.length
    ? el('details', { id: 'hospitals-inside' },
      el('summary', {}, `${inside.length} établissement${inside.length > 1 ? 's' : ''} dans le territoire, dont ${second} de second recours`),
      el('ul', { className: 'hospital-list' }, ...inside.map((h) => hospitalItem(h, false))))
    : el('p', { id: 'hospitals-inside' }, 'Aucun établissement dans le territoire.'));
  const nearest = hospitals.nearest_outside ?? [];
  if (nearest.length) {
    block.append(el('p', { className: 'health-subtitle' }, 'Les plus proches hors du territoire :'),
      el('ul', { className: 'hospital-list', id: 'hospitals-nearest' }, ...nearest.map((h) => hospitalItem(h, true))));
  }
  block.append(sourceLine('hospitals-source', [{ source: hospitals.source, vintage: hospitals.vintage }]));
  return block;
}

// ---- patients without médecin traitant

const proxyValue = (p) => {
  if (!Number.isFinite(p.value)) return '—';
  if (/share/.test(p.id)) return formatShare(p.value);
  return `${twoDecimals.format(p.value)}${p.well_under ? ' (nettement inférieure)' : ''}`;
};

function patientsBlock(patients) {
  if (!patients) return null;
  const block = el('div', { className: 'health-block', id: 'health-patients', dataset: { available: String(Boolean(patients.available)) } },
    el('h4', {}, 'Patients sans médecin traitant'));
  if (patients.available) {
    const t = patients.territory ?? {};
    block.append(
      el('p', { id: 'patients-without-gp' }, 'Sans médecin traitant (17 ans et plus) : ', el('strong', {}, shownCount(t.without_gp) ?? '—'),
        Number.isFinite(t.share_without_gp) ? ` (${formatShare(t.share_without_gp)})` : null,
        t.estimated ? ' — estimation' : null),
      el('p', { className: 'note' }, `dont ALD : ${shownCount(t.without_gp_ald) ?? '—'} ; dont 70 ans et plus : ${shownCount(t.without_gp_70_plus) ?? '—'}`),
      patients.source ? sourceLine('patients-source', [{ source: patients.source, vintage: patients.vintage }]) : null);
    return block;
  }
  block.append(
    el('p', { className: 'patients-missing', id: 'patients-missing' }, el('strong', {}, 'Donnée CPAM non fournie.'),
      ' Aucune donnée ouverte ne les donne par commune : demandez-les à votre CPAM.'),
    el('ul', { className: 'proxy-list', id: 'patients-proxies' }, ...(patients.proxies ?? []).map((p) => el('li', { dataset: { proxy: p.id } },
      el('span', { className: 'proxy-tag' }, 'indicateur indirect'), ' ',
      `${p.label_fr.split(' — ')[0]} : `, el('strong', {}, proxyValue(p)),
      el('span', { className: 'note source' }, ` Source : ${p.source}`)))));
  return block;
}
