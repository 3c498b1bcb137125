//! From a saved territory's definition to a territory the engine resolves.

use crate::engine::geometry::drawn::{drawn_from_geojson, DrawnError, DrawnLimits};
use crate::model::{SavedSpec, TerritorySpec};

/// The territory a saved definition describes, with warnings from repairing a drawn geometry.
pub fn territory_spec(
    saved: &SavedSpec,
    limits: &DrawnLimits,
) -> Result<(TerritorySpec, Vec<String>), DrawnError> {
    Ok(match saved {
        SavedSpec::Codes(codes) => (TerritorySpec::Codes(codes.clone()), Vec::new()),
        SavedSpec::Epci(siren) => (TerritorySpec::Epci(siren.clone()), Vec::new()),
        SavedSpec::Geojson(value) => {
            let geojson: geojson::GeoJson = serde_json::from_value(value.clone())
                .map_err(|e| DrawnError::Invalid(e.to_string()))?;
            let (geometry, warnings) = drawn_from_geojson(&geojson, limits)?;
            (TerritorySpec::Drawn(geometry), warnings)
        }
    })
}
