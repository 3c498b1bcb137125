// Addresses of the printable report (/report): a saved territory by id, or the territory being
// built on the map, carried in the address' fragment (never sent to the server, no size limit
// worth the name) so that the report opens in a new tab without storage.

/** `/report?territory=12`. */
export const savedReportUrl = (id) => `/report?${new URLSearchParams({ territory: String(id) })}`;

/** `/report#communes=14047,14366&missions=...` or `#geometry=<GeoJSON>`, with a suggested name. */
export function territoryReportUrl({ mode, codes, geometry, missions }, name) {
  const params = new URLSearchParams();
  if (mode === 'select') params.set('communes', codes.join(','));
  else params.set('geometry', JSON.stringify(geometry));
  if (missions?.length) params.set('missions', missions.join(','));
  if (name) params.set('name', name);
  return `/report#${params}`;
}

/** The parameters of the report's address: its query and its fragment together. */
export function reportParams(location) {
  const params = new URLSearchParams(location.search);
  for (const [key, value] of new URLSearchParams(location.hash.replace(/^#/, ''))) params.set(key, value);
  return params;
}
