// Downloads of the diagnosed territory: GeoJSON and a CSV that Excel opens with its accents.

import { spreadsheetNumber } from './format.js';

const CSV_HEADER = ['code', 'nom', 'population', 'couverture', 'population_comptée', 'méthode'];

/**
 * The territory as a FeatureCollection: in 'draw' mode the drawn polygon, with the diagnosis
 * summary as properties; in 'select' mode the communes with their properties.
 */
export function territoryGeoJson(territory) {
  const { diagnosis } = territory;
  if (territory.mode === 'select') return diagnosis.territory;
  return {
    type: 'FeatureCollection',
    features: [{
      type: 'Feature',
      geometry: territory.geometry,
      properties: {
        population: diagnosis.population,
        population_estimated: diagnosis.population_estimated,
        tier: diagnosis.tier.size,
        commune_count: diagnosis.commune_count,
        partial_commune_count: diagnosis.partial_commune_count,
        area_km2: diagnosis.area_km2,
        density_per_km2: diagnosis.density_per_km2,
        funding_total: diagnosis.funding.total,
        communes: diagnosis.territory.features.map((feature) => feature.properties.code),
      },
    }],
  };
}

// Text cells a spreadsheet would run as a formula (OWASP CSV injection) get a leading `'`;
// numbers stay numbers.
const csvField = (value) => {
  const raw = String(value);
  const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[";\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/**
 * `code;nom;population;couverture;population_comptée;méthode`, one line per commune (or
 * arrondissement, or IRIS), CRLF, with BOM; `méthode` is the API's `method` (whole, area,
 * iris_population, iris_type_weighted).
 */
export function communesCsv(diagnosis) {
  const rows = diagnosis.territory.features.map(({ properties: p }) => [
    p.code, p.name, p.population, spreadsheetNumber(p.coverage, 4), spreadsheetNumber(p.population_counted, 1),
    p.method,
  ]);
  const lines = [CSV_HEADER, ...rows].map((row) => row.map(csvField).join(';'));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function download(filename, content, type) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  // Late enough for the browser to have read the blob, even a slow one.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
