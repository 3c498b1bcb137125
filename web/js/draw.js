// Drawing the territory with geoman: one polygon (or rectangle) at a time, its vertices can be
// dragged, and it can be deleted. Each change hands the polygon's geometry to the territory.
// The toolbar is shown in 'draw' mode only; entering that mode with nothing drawn starts a
// polygon straight away. A geometry set from elsewhere (an opened saved territory) is shown as
// the drawn polygon, editable like one drawn here.

const CONTROLS = {
  position: 'topleft',
  drawMarker: false,
  drawCircleMarker: false,
  drawPolyline: false,
  drawRectangle: true,
  drawPolygon: true,
  drawCircle: false,
  drawText: false,
  editMode: true,
  dragMode: false,
  cutPolygon: false,
  removalMode: true,
  rotateMode: false,
};

const PATH_STYLE = { color: '#1c4f82', weight: 2.5, fillColor: '#1c4f82', fillOpacity: 0.06 };

export function setupDrawing(map, territory) {
  const drawn = L.featureGroup().addTo(map);
  map.pm.setLang('fr');
  map.pm.setGlobalOptions({
    layerGroup: drawn,
    allowSelfIntersection: false,
    snappable: false,
    pathOptions: PATH_STYLE,
    templineStyle: { color: PATH_STYLE.color },
    hintlineStyle: { color: PATH_STYLE.color, dashArray: '5 5' },
  });

  let published = null; // the geometry last handed to the territory from the map
  const publish = () => {
    const [layer] = drawn.getLayers();
    published = layer ? layer.toGeoJSON().geometry : null;
    territory.setGeometry(published);
  };
  const adopt = (layer) => {
    drawn.eachLayer((other) => other !== layer && drawn.removeLayer(other));
    layer.on('pm:edit', publish);
  };
  map.on('pm:create', ({ layer }) => {
    adopt(layer);
    publish();
  });
  map.on('pm:remove', publish);

  let toolbarShown = false;
  const sync = () => {
    if (territory.geometry === null) {
      drawn.clearLayers();
      published = null;
    } else if (territory.geometry !== published) {
      map.pm.disableDraw();
      const layer = L.GeoJSON.geometryToLayer({ type: 'Feature', geometry: territory.geometry, properties: {} });
      layer.setStyle(PATH_STYLE);
      drawn.addLayer(layer);
      adopt(layer);
      published = territory.geometry;
    }
    const drawing = territory.mode === 'draw';
    if (drawing === toolbarShown) return;
    toolbarShown = drawing;
    if (drawing) {
      map.pm.addControls(CONTROLS);
      if (territory.geometry === null) map.pm.enableDraw('Polygon');
    } else {
      map.pm.disableDraw();
      // geoman warns when these are disabled without having been enabled.
      if (map.pm.globalEditModeEnabled()) map.pm.disableGlobalEditMode();
      if (map.pm.globalRemovalModeEnabled()) map.pm.disableGlobalRemovalMode();
      map.pm.removeControls();
    }
  };
  territory.addEventListener('change', sync);
  sync();
}
