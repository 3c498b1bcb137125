// French formatting of the figures shown in the panel and in the exports.

const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 0 });

export const formatCount = (n) => integer.format(n);
export const formatInhabitants = (n) => `${integer.format(n)} hab.`;
/** Euros; a null amount (the grid does not give it) shows as not known, never as 0 €. */
export const formatEuros = (n) => (Number.isFinite(n) ? euros.format(n) : 'non connu');
const decimals = new Map();
/** `3,35`: a decimal number with exactly `digits` decimals, French style. */
export function formatDecimal(n, digits = 2) {
  if (!decimals.has(digits)) {
    decimals.set(digits, new Intl.NumberFormat('fr-FR', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
  }
  return decimals.get(digits).format(n);
}
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

/** `Bouches-du-Rhône (13), Var (83)` */
export const formatPlaces = (places) => places.map(({ code, name }) => `${name} (${code})`).join(', ');

/** A share of a population: `93 %`; a share that is not nil never shows as 0 %. */
export const formatShare = (fraction) => (fraction > 0 && fraction < 0.005 ? '< 1 %' : percent.format(fraction));

/** A population with how it was obtained: exact, pro rata of the area (≈), or an upper bound. */
export function formatEstimatedInhabitants(population, estimate) {
  if (estimate === 'area_pro_rata') return `≈ ${formatInhabitants(population)}`;
  if (estimate === 'upper_bound') return `au plus ${formatInhabitants(population)}`;
  return formatInhabitants(population);
}

const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short' });
/** `23/11/2026 12:28` from an RFC 3339 time; the raw text if it does not parse. */
export function formatDateTime(rfc3339) {
  const date = new Date(rfc3339);
  return Number.isNaN(date.getTime()) ? String(rfc3339) : dateTime.format(date);
}

/** `2 communes`, `1 commune`: French plural of a count (0 and 1 are singular). */
export const plural = (n, singular, pluralForm = `${singular}s`) =>
  `${formatCount(n)} ${n > 1 ? pluralForm : singular}`;

/** A CPAM count under the statistical secret: exact, a range, or secret. */
export function shownCount(shown) {
  if (!shown) return null;
  if (shown.kind === 'count') return formatCount(shown.value);
  if (shown.kind === 'range') return `entre ${formatCount(shown.min)} et ${formatCount(shown.max)}`;
  return 'secret statistique (moins de 5)';
}
