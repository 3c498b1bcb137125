// "Lieux de soins et partenaires" in the diagnosis: the checklist of care places (INSEE BPE:
// urgences, maternité, SSR, HAD, EHPAD...), each with the count inside, the nearest outside and
// its distance, flagged where none is inside or within 30 km; then the potential partners
// (FINESS names where the loaded list has them, else BPE counts by commune). Rows carry
// data-type for the tests. Shared with the printable report.

import { el } from './dom.js';
import { formatCount } from './format.js';

const oneDecimal = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** `2019` -> `2019`; dates `2021-03-06` -> `06/03/2021`. */
const vintageFr = (vintage) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(vintage ?? ''));
  return m ? `${m[3]}/${m[2]}/${m[1]}` : String(vintage ?? '');
};

/** The nearest place outside as text: `Aubusson (23008) — 32,4 km`, or why there is none. */
export function nearestText(place) {
  const n = place.nearest_outside;
  if (!n) return /no outline/.test(place.nearest_outside_reason ?? '') ? 'non mesurable (territoire sans contour)' : 'aucun à moins de 200 km';
  return `${n.name} (${n.code}) — ${oneDecimal.format(n.distance_km)} km`;
}

/** The available care places, in the server's order, and the unavailable ones. */
export function splitCarePlaces(carePlaces = {}) {
  const entries = Object.entries(carePlaces);
  return { available: entries.filter(([, p]) => p.available), unavailable: entries.filter(([, p]) => !p.available) };
}

/** The ids of the types flagged "aucun à moins de 30 km". */
export const missingWithin30 = (available) => available.filter(([, p]) => p.none_within_30_km).map(([id]) => id);

/** The checklist table (panel and report share it; `tableProps` sets id and class). */
export function carePlacesTable(available, tableProps) {
  return el('table', tableProps,
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, 'Type'),
      el('th', { scope: 'col', title: 'équipements recensés dans les communes du territoire' }, 'Dans le territoire'),
      el('th', { scope: 'col', title: 'commune la plus proche qui en a, distance de son centre à la limite du territoire' }, 'Le plus proche hors du territoire'),
      el('th', { scope: 'col' }, 'Alerte'))),
    el('tbody', {}, ...available.map(([id, p]) => el('tr', { dataset: { type: id, flag: String(p.none_within_30_km) }, className: p.none_within_30_km ? 'flagged' : '' },
      el('th', { scope: 'row', title: (p.typequ ?? []).join(', ') }, p.label_fr),
      el('td', { className: 'care-inside' }, formatCount(p.inside),
        p.inside_in_partly_covered ? el('span', { className: 'note', title: 'dans des communes en partie couvertes : peut-être hors de la partie incluse' }, ` (dont ${formatCount(p.inside_in_partly_covered)} en commune partielle)`) : null),
      el('td', { className: 'care-nearest' }, nearestText(p)),
      el('td', { className: 'care-flag' }, p.none_within_30_km ? '⚠ aucun à moins de 30 km' : '')))));
}

/** The rule for distances and counts (from the server's source line, else a default). */
export const CARE_RULE = 'Distance à vol d’oiseau du centre de la commune où se trouve l’équipement à la limite du territoire '
  + '(la BPE situe les équipements par commune, pas par adresse). Une commune en partie couverte compte tous ses équipements.';

export function carePlacesBlock(carePlaces) {
  if (!carePlaces) return null;
  const { available, unavailable } = splitCarePlaces(carePlaces);
  const block = el('div', { className: 'health-block', id: 'health-care-places' }, el('h4', {}, 'Lieux de soins : ce à quoi le territoire donne accès'));
  if (!available.length) {
    block.append(el('p', { className: 'note' }, 'Non disponible : aucune table BPE (INSEE) des équipements de santé n’est chargée.'));
    return block;
  }
  const missing = missingWithin30(available);
  if (missing.length) {
    block.append(el('p', { className: 'health-warning', id: 'care-places-warning', role: 'note' },
      `⚠ Aucun à moins de 30 km : ${missing.map((id) => carePlaces[id].label_fr).join(' ; ')}.`));
  }
  block.append(carePlacesTable(available, { className: 'funding care-places', id: 'care-places-table' }));
  if (unavailable.length) block.append(el('p', { className: 'note' }, `Non disponible : ${unavailable.map(([id]) => id).join(', ')}.`));
  const first = available[0][1];
  block.append(el('p', { className: 'note' }, CARE_RULE),
    el('p', { className: 'note source', id: 'care-places-source' }, `Source : ${first.source}, millésime ${vintageFr(first.vintage)}`));
  return block;
}

/** The partners as list items: FINESS establishments by name, then BPE counts by commune. */
export function partnerItems(partners) {
  const named = (partners.establishments ?? []).map((h) => el('li', { dataset: { finess: h.finess } },
    el('span', { className: 'hospital-name' }, h.name), el('span', { className: 'note' }, ` — ${h.category}${h.in_partly_covered_commune ? ' · commune en partie couverte' : ''}`)));
  const counted = (partners.bpe_counts ?? []).map((c) => el('li', { dataset: { type: c.type, code: c.code } },
    `${c.name} (${c.code}) : ${formatCount(c.count)} × ${c.label_fr}`,
    el('span', { className: 'note' }, ` — ${c.names}${c.in_partly_covered_commune ? ' · commune en partie couverte' : ''}`)));
  return { named, counted };
}

export function partnersBlock(partners) {
  if (!partners) return null;
  const { named, counted } = partnerItems(partners);
  const block = el('div', { className: 'health-block', id: 'health-partners', dataset: { complete: String(Boolean(partners.complete)) } },
    el('h4', {}, 'Partenaires à associer (établissements et structures médico-sociales)'),
    el('p', { className: 'note' }, 'La DGOS ne valide pas de projet excluant les établissements de santé ou médico-sociaux comme partenaires.'));
  block.append(named.length
    ? el('details', { id: 'partners-named' }, el('summary', {}, `${named.length} établissement${named.length > 1 ? 's' : ''} FINESS nommé${named.length > 1 ? 's' : ''}`),
      el('ul', { className: 'hospital-list' }, ...named))
    : el('p', { id: 'partners-named', className: 'note' }, 'Aucun établissement FINESS nommé dans le territoire.'));
  block.append(counted.length
    ? el('details', { id: 'partners-counted' }, el('summary', {}, `${counted.length} ligne${counted.length > 1 ? 's' : ''} de la BPE (comptes par commune et par type)`),
      el('ul', { className: 'hospital-list' }, ...counted))
    : el('p', { id: 'partners-counted', className: 'note' }, 'Aucune structure recensée par la BPE dans le territoire.'));
  block.append(el('p', { className: 'note', id: 'partners-note' }, partners.note_fr ?? ''),
    el('p', { className: 'note source' }, [partners.names_source, partners.bpe_source].filter(Boolean).map((s) => `Source : ${s}`).join(' · ')));
  return block;
}
