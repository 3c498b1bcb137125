// "Pourquoi ce découpage": the reasons the server gives for each candidate of a proposal are
// English sentences of known shapes (src/engine/proposal.rs); each shape gets a French sentence
// with the same figures. A reason of an unknown shape is not shown in English: a French
// placeholder, the server's words in its tooltip. The borders come from the `borders` field.

import { formatCount, formatDecimal, plural } from './format.js';

const n = (text) => formatCount(Number(text));
const km = (text) => `${formatDecimal(Number(text), 1)} km`;

/** [pattern, (match) => French sentence] */
const SHAPES = [
  [/^pole: (.+)$/, (m) => `Pôle : ${m[1]}.`],
  [/^pole rule: most general practitioners \((\d+)\)$/, (m) => `Pôle choisi pour son nombre de médecins généralistes (${n(m[1])}).`],
  [/^pole rule: most general practitioners, no directory here: population$/,
    () => 'Pôle : faute d’annuaire des médecins ici, la commune la plus peuplée.'],
  [/^kept below the minimum \((\d+) < (\d+)\): a component of (\d+) uncovered commune\(s\) enclosed by existing CPTS or the scope's limit cannot reach it$/,
    (m) => `Gardé sous le minimum (${n(m[1])} hab. pour ${n(m[2])}) : ce groupe de ${communes(m[3])} sans CPTS, enclavé `
      + 'entre des CPTS existantes ou la limite du département, ne peut pas l’atteindre.'],
  [/^the whole component of (\d+) uncovered commune\(s\), (\d+) inhabitants \(one candidate: target (\d+), bounds (\d+)-(\d+)\)$/,
    (m) => `Tout le groupe de ${communes(m[1])} sans CPTS (${n(m[2])} hab.) forme un seul candidat `
      + `(cible ${n(m[3])} hab., bornes de ${n(m[4])} à ${n(m[5])} hab.).`],
  [/^one of (\d+) candidates cut from a component of (\d+) uncovered communes, (\d+) inhabitants \(target (\d+); communes above it count once\)$/,
    (m) => `Un des ${n(m[1])} candidats découpés dans un groupe de ${communes(m[2])} sans CPTS (${n(m[3])} hab.) ; `
      + `cible ${n(m[4])} hab. (une commune plus peuplée que la cible compte pour un candidat).`],
  [/^the pole alone exceeds the maximum \((\d+) > (\d+)\): a candidate by itself, too large for the bounds$/,
    (m) => `Le pôle dépasse à lui seul le maximum (${n(m[1])} hab. pour ${n(m[2])}) : il forme un candidat, trop grand pour les bornes.`],
  [/^stopped growing: no free uncovered neighbour left$/, () => 'Croissance arrêtée : plus aucune commune voisine sans CPTS n’est libre.'],
  [/^stopped growing: any further neighbour would exceed the maximum of (\d+)$/,
    (m) => `Croissance arrêtée : toute commune voisine de plus ferait dépasser le maximum de ${n(m[1])} hab.`],
  [/^cut from communes left free when the neighbouring candidates reached the maximum$/,
    () => 'Découpé dans les communes restées libres quand les candidats voisins ont atteint le maximum.'],
  [/^joined across water by the island commune\(s\) (.+) \((\d+) inhabitants, under the minimum\): (.+) is ([\d.]+) km from (.+)$/,
    (m) => `Rattaché par la mer : commune insulaire ${m[1]} (${n(m[2])} hab., sous le minimum) ; ${m[3]} est à ${km(m[4])} de ${m[5]}.`],
  [/^an island: no candidate within ([\d.]+) km to join across water$/,
    (m) => `Île : aucun candidat à moins de ${km(m[1])} à rejoindre par la mer.`],
  [/^still below the minimum: no neighbouring candidate can take it without exceeding the maximum of (\d+)$/,
    (m) => `Toujours sous le minimum : aucun candidat voisin ne peut l’absorber sans dépasser le maximum de ${n(m[1])} hab.`],
  [/^took in the candidate around (.+) \((\d+) inhabitants, under the minimum of (\d+)\)$/,
    (m) => `A absorbé le candidat formé autour de ${m[1]} (${n(m[2])} hab., sous le minimum de ${n(m[3])} hab.).`],
  [/^covered in part by CPTS polygons; about (\d+) inhabitants outside them, not placeable by commune$/,
    (m) => `En partie couverte par des CPTS : environ ${n(m[1])} hab. hors de leurs contours, non attribuables par commune.`],
];

const communes = (count) => plural(Number(count), 'commune');

/** `{ text, original }`: the French sentence of one server reason (original: the server's words, or null). */
export function reasonFr(reason) {
  for (const [pattern, french] of SHAPES) {
    const m = pattern.exec(reason);
    if (m) return { text: french(m), original: null };
  }
  return { text: 'Autre motif du découpage (détail technique dans l’info-bulle).', original: reason };
}

const BORDER = {
  cpts: (b) => b.name ?? b.id,
  candidate: (b) => `le candidat ${b.id}`,
  outside_scope: () => 'des communes sans CPTS hors du département',
};

/** `Bordé par CPTS Sud 04 (16,7 km), le candidat 04-02 (3,1 km).` from a candidate's `borders`. */
export function bordersFr(borders = []) {
  if (!borders.length) return null;
  return `Bordé par ${borders.map((b) => `${(BORDER[b.kind] ?? (() => b.kind))(b)} (${km(b.km)})`).join(', ')}.`;
}

/** The French reasons of a candidate: the server's, less its English border list, then the borders. */
export function candidateReasons(candidate) {
  const reasons = (candidate.cut_reasons ?? [])
    .filter((r) => !/^bordered by /.test(r))
    .map(reasonFr);
  const borders = bordersFr(candidate.borders);
  if (borders) reasons.push({ text: borders, original: null });
  return reasons;
}
