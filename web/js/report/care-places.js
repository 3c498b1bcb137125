// The report's "Lieux de soins et partenaires": the care-place checklist (INSEE BPE) and the
// potential partners (FINESS names, BPE counts by commune), with what each source covers.

import { el } from '../dom.js';
import {
  CARE_RULE, carePlacesTable, missingWithin30, partnerItems, splitCarePlaces,
} from '../care-places.js';

const unavailableTag = () => el('span', { className: 'unavailable-tag' }, 'non disponible');
const source = (text) => el('p', { className: 'source' }, `Source : ${text}`);

export function carePlacesReport(carePlaces) {
  const block = el('div', { id: 'report-care-places' }, el('h3', {}, 'Lieux de soins : ce à quoi le territoire donne accès'));
  const { available } = splitCarePlaces(carePlaces);
  if (!available.length) {
    block.append(el('p', {}, unavailableTag(), ' aucune table BPE des équipements de santé n’est chargée (source : INSEE BPE).'));
    return block;
  }
  const missing = missingWithin30(available);
  block.append(missing.length
    ? el('p', { className: 'warning', id: 'report-care-places-missing' },
      `Aucun à moins de 30 km : ${missing.map((id) => carePlaces[id].label_fr).join(' ; ')}.`)
    : el('p', { id: 'report-care-places-missing' }, 'Chaque type est présent dans le territoire ou à moins de 30 km.'),
  carePlacesTable(available, { id: 'report-care-places-table' }),
  el('p', { className: 'note' }, CARE_RULE),
  source(`${available[0][1].source}, millésime ${available[0][1].vintage}`));
  return block;
}

export function partnersReport(partners) {
  const block = el('div', { id: 'report-partners' }, el('h3', {}, 'Partenaires à associer'));
  if (!partners) {
    block.append(el('p', {}, unavailableTag(), ' aucune donnée de santé chargée.'));
    return block;
  }
  const { named, counted } = partnerItems(partners);
  block.append(el('p', { className: 'note' }, 'Établissements de santé et structures médico-sociales du territoire, partenaires '
    + 'requis par la DGOS (« il ne pourra pas être validé de projet excluant les établissements de santé ou médico-sociaux a minima comme partenaires »).'),
  el('h4', {}, `Établissements nommés (FINESS) : ${named.length}`),
  named.length ? el('ul', { className: 'compact', id: 'report-partners-named' }, ...named) : el('p', { id: 'report-partners-named' }, 'Aucun.'),
  el('h4', {}, 'Structures comptées par commune et par type (BPE)'),
  counted.length ? el('ul', { className: 'compact', id: 'report-partners-counted' }, ...counted) : el('p', { id: 'report-partners-counted' }, 'Aucune.'),
  el('p', { className: partners.complete ? 'note' : 'warning' }, partners.note_fr ?? ''),
  ...[partners.names_source, partners.bpe_source].filter(Boolean).map(source));
  return block;
}
