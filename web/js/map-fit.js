// Fitting the map to something so that the layer panel (top right) and the legend (bottom left)
// do not hide it, when they are open.

const MARGIN = 12;

/** Leaflet fit options that keep the fitted bounds clear of the map's open panels. */
export function clearOfPanels(map, options = {}) {
  const size = map.getSize();
  const layers = document.getElementById('layers');
  const legend = document.getElementById('map-legend');
  // A panel wider than half the map (a phone) is folded rather than avoided.
  const right = layers?.open && layers.offsetWidth < size.x / 2 ? layers.offsetWidth + MARGIN : MARGIN;
  const left = legend && !legend.hidden && legend.open && legend.offsetWidth < size.x / 3 ? legend.offsetWidth + MARGIN : MARGIN;
  return { paddingTopLeft: [left, MARGIN], paddingBottomRight: [right, MARGIN], ...options };
}
