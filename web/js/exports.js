// Downloads of the diagnosed territory: its GeoJSON, and files the page saves (the server's CSV of
// its communes, the dossier, the report).

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

export function download(filename, content, type) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  // Late enough for the browser to have read the blob, even a slow one.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
