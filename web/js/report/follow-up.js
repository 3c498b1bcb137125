// Today's value of a mission's follow-up indicator, from the diagnosis, for the indicators
// whose `measure` (data/funding/*.json) names a figure the loaded data gives; otherwise why not.

import { formatShare, shownCount } from '../format.js';

const oneDecimal = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const vintageOf = (text) => /(\d{4})(?!.*\d{4})/.exec(String(text ?? ''))?.[1] ?? '';

export { shownCount };

const CPAM_MISSING = 'fichier CPAM des patients sans médecin traitant non chargé';

/** Each measure: `{ value, estimated, source }` from a diagnosis, or `{ reason }`. */
const MEASURES = {
  share_without_gp: (d) => patients(d, (t) => (Number.isFinite(t.share_without_gp)
    ? formatShare(t.share_without_gp) : null), 'part non calculable (comptes masqués par le secret statistique)'),
  without_gp_ald: (d) => patients(d, (t) => shownCount(t.without_gp_ald)),
  without_gp_70_plus: (d) => patients(d, (t) => shownCount(t.without_gp_70_plus)),
  without_gp_c2s: (d) => patients(d, (t) => shownCount(t.without_gp_c2s)),
  apl_general_practitioners: (d) => {
    const last = d.apl?.available ? d.apl.editions?.at(-1) : null;
    if (!last) return { reason: 'APL de la DREES non chargée pour ce territoire' };
    return { value: `${twoDecimals.format(last.apl)} consultations/an/hab.`, source: `DREES, APL édition ${last.edition}` };
  },
  gp_density: (d) => {
    const gp = d.supply?.general_practitioner;
    if (!gp?.available || !Number.isFinite(gp.density_per_10k)) {
      return { reason: 'aucun annuaire chargé ne couvre tout le territoire' };
    }
    return {
      value: `${oneDecimal.format(gp.density_per_10k)} pour 10 000 hab.`,
      estimated: gp.estimated,
      source: `${gp.source.split(' — ')[0]}, ${vintageOf(gp.vintage)}`,
    };
  },
  age_75_plus_share: (d) => {
    const group = d.age_structure?.available ? d.age_structure.groups.find((g) => g.group === 'age_75_plus') : null;
    if (!group) return { reason: 'âges du recensement non disponibles pour ce territoire' };
    return {
      value: formatShare(group.share),
      estimated: d.age_structure.estimated,
      source: `INSEE, recensement de la population 2020 (${d.age_structure.vintage})`,
    };
  },
};

function patients(diagnosis, read, unreadable = 'valeur masquée par le secret statistique') {
  const p = diagnosis.patients_without_gp;
  if (!p?.available || !p.territory) return { reason: CPAM_MISSING };
  const value = read(p.territory);
  if (value === null) return { reason: unreadable };
  return { value, estimated: p.territory.estimated, source: `${p.source}, ${p.vintage}` };
}

/** Today's value of `indicator` for `diagnosis`: `{ value, estimated, source }` or `{ reason }`. */
export function todayValue(indicator, diagnosis) {
  const measure = MEASURES[indicator.measure];
  if (!measure) return { reason: 'pas de donnée ouverte chargée' };
  return measure(diagnosis);
}
