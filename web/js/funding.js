// Words of a funding envelope whose grid does not give every amount (`total_known: false`):
// the total is a floor, and the missions without an amount are named. Shared by the panel and
// the report.

import { formatEuros } from './format.js';

/** The total of a funding: `au moins …` when it leaves out the amounts not known. */
export const fundingTotal = (funding) => (funding.total_known === false
  ? `au moins ${formatEuros(funding.total)}` : formatEuros(funding.total));

/** What the envelope leaves out, in a sentence; null when every amount is known. */
export function unknownAmountsText(funding) {
  if (funding?.total_known !== false) return null;
  const unknown = funding.lines.filter((line) => !Number.isFinite(line.total)).map((line) => line.label);
  return `Montants non connus${unknown.length ? ` (${unknown.join(', ')})` : ''} : `
    + `${funding.grid_label ?? 'la grille'} ne les donne pas dans les sources chargées ; l’enveloppe ne compte que les `
    + 'montants connus, elle n’en invente aucun.';
}
