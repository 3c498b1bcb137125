// Whether the overlaps of a diagnosis were checked, from its `registry_coverage`: `full` (every
// commune lies in the area of a loaded registry of existing CPTS), `partial` or `none`. Only a
// full coverage may say "no overlap"; anything else is "non vérifié", and says which registry
// covers what and what to load. A server that does not send `registry_coverage` does not say
// where its registry applies: its answer is "non vérifié" too (never a green "no overlap").
// Shared by the panel and the printable report.

import { formatPlaces, plural } from './format.js';

/** The French label of a registry CPTS status (DGOS layer), or null for none or unknown. */
export const STATUS_LABELS = {
  signed_aci: 'signataire de l’ACI',
  health_project_validated: 'projet de santé validé',
  letter_of_intent: 'lettre d’intention',
  initiative: 'initiative',
};
export const statusLabel = (status) => STATUS_LABELS[status] ?? null;

/** What to load, for the départements the registries miss (`departements_outside`) when known. */
const toLoad = (departements = []) => `Pour le vérifier, chargez le registre des CPTS ${departements.length
  ? `${departements.length > 1 ? 'des départements' : 'du département'} ${departements.join(', ')}` : 'de la région'} `
  + '(couche nationale DGOS « CPTS et projets de CPTS », ou liste CSV CPTS;commune) puis relancez le diagnostic.';

const registryText = (r) => {
  const departements = r.departements?.length ? ` (${plural(r.departements.length, 'département')} : ${r.departements.join(', ')})` : '';
  return `${r.source ?? r.id}${departements}`;
};

/**
 * What to say about the overlaps of `diagnosis`:
 * `{ state, checked, headline, lines, registry }`, state one of `full`, `partial`, `none`,
 * `unknown`; `checked` is true only for `full`, which names the `registry` checked against.
 */
export function coverageOf(diagnosis) {
  const coverage = diagnosis.registry_coverage;
  const registries = coverage?.registries ?? [];
  const loaded = registries.length
    ? `Registre${registries.length > 1 ? 's' : ''} chargé${registries.length > 1 ? 's' : ''} : ${registries.map(registryText).join(' ; ')}.`
    : null;
  if (coverage?.status === 'full') {
    const registry = registries.map((r) => r.source ?? r.id).join(' ; ') || diagnosis.overlaps_checked_against;
    return { state: 'full', checked: true, headline: null, registry, lines: [loaded ?? `Vérifié avec : ${registry}.`] };
  }
  if (coverage?.status === 'partial') {
    const sample = coverage.communes_outside_sample ?? [];
    const names = sample.map((c) => (typeof c === 'string' ? c : `${c.name ?? c.code}`)).join(', ');
    const n = coverage.communes_outside ?? sample.length;
    return {
      state: 'partial',
      checked: false,
      headline: 'Chevauchements : non vérifié pour une partie du territoire',
      lines: [
        `${plural(n, 'commune du territoire est', 'communes du territoire sont')} hors de la zone des registres chargés`
          + `${names ? ` : ${names}${n > sample.length ? '…' : ''}` : ''}.`,
        loaded,
        toLoad(coverage.departements_outside),
      ].filter(Boolean),
    };
  }
  const where = diagnosis.departements?.length ? ` (${formatPlaces(diagnosis.departements)})` : '';
  if (coverage?.status === 'none') {
    return {
      state: 'none',
      checked: false,
      headline: 'Chevauchements : non vérifié',
      lines: [`Aucun registre de CPTS existantes chargé ne couvre ce territoire${where}.`, loaded,
        toLoad(coverage.departements_outside)].filter(Boolean),
    };
  }
  // No `registry_coverage`: the server does not say where its registry applies.
  const against = diagnosis.overlaps_checked_against;
  return {
    state: 'unknown',
    checked: false,
    headline: 'Chevauchements : non vérifié',
    lines: [
      against
        ? `Seul le registre « ${against} » est chargé ; ce serveur ne précise pas quelles communes il couvre : `
          + `l’absence de chevauchement n’est pas vérifiée pour ce territoire${where}.`
        : 'Aucun registre de CPTS existantes n’est chargé sur ce serveur.',
      toLoad(),
    ],
  };
}
