// French formatting of the figures shown in the panel and in the exports.

const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 0 });

export const formatCount = (n) => integer.format(n);
export const formatInhabitants = (n) => `${integer.format(n)} hab.`;
export const formatEuros = (n) => euros.format(n);
export const formatArea = (km2) => `${oneDecimal.format(km2)} km²`;
export const formatDensity = (perKm2) => `${integer.format(perKm2)} hab./km²`;
/** `0.42` -> `42 %`; a partial coverage never shows as 0 % or 100 %. */
export const formatCoverage = (fraction) =>
  percent.format(fraction >= 1 ? 1 : Math.min(Math.max(fraction, 0.01), 0.99));

/** Population bounds of the ACI tiers (Taille 1 to 4), as the porteurs know them. */
const TIER_RANGES = {
  1: 'moins de 40 000 hab.',
  2: 'de 40 000 à 80 000 hab.',
  3: 'de 80 000 à 175 000 hab.',
  4: 'plus de 175 000 hab.',
};
export const tierRange = (size) => TIER_RANGES[size] ?? '';

/** A number for a French spreadsheet: no grouping, decimal comma, at most `digits` decimals. */
export const spreadsheetNumber = (n, digits) => String(Number(n.toFixed(digits))).replace('.', ',');

/** `Bouches-du-Rhône (13), Var (83)` */
export const formatPlaces = (places) => places.map(({ code, name }) => `${name} (${code})`).join(', ');
