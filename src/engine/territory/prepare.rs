//! From a territory as given (codes, GeoJSON, EPCI) to a territory the engine resolves: drawn
//! geometries validated and repaired, within limits.

use crate::engine::geometry::drawn::{drawn_from_geojson, DrawnError, DrawnLimits};
use crate::engine::territory::atlas::Atlas;
use crate::engine::territory::resolve::{ResolveError, ResolvedTerritory};
use crate::model::{RawTerritory, TerritorySpec};

/// Why a raw territory could not be prepared or resolved.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TerritoryError {
    /// The drawn geometry was refused.
    #[error(transparent)]
    Drawn(#[from] DrawnError),
    /// The territory does not resolve against the geography.
    #[error(transparent)]
    Resolve(#[from] ResolveError),
}

impl Atlas {
    /// Prepares and resolves a raw territory, once: the one path from what a user gives (API,
    /// CLI, batch, saved territory) to a resolved territory. The repairs made to a drawn geometry
    /// come first in its warnings.
    pub fn resolve_raw(
        &self,
        raw: &RawTerritory,
        limits: &DrawnLimits,
    ) -> Result<ResolvedTerritory, TerritoryError> {
        let (spec, repairs) = prepare_territory(raw, limits)?;
        let mut resolved = self.resolve(&spec)?;
        resolved.warnings.splice(0..0, repairs);
        Ok(resolved)
    }
}

/// The territory `raw` describes, with the warnings of repairing a drawn geometry. The one way
/// from a raw territory to a spec, for the API, the CLI, the batch and saved territories.
pub fn prepare_territory(
    raw: &RawTerritory,
    limits: &DrawnLimits,
) -> Result<(TerritorySpec, Vec<String>), DrawnError> {
    Ok(match raw {
        RawTerritory::Codes(codes) => (TerritorySpec::Codes(codes.clone()), Vec::new()),
        RawTerritory::Epci(siren) => (TerritorySpec::Epci(siren.clone()), Vec::new()),
        RawTerritory::Geojson(value) => {
            let geojson: geojson::GeoJson = serde_json::from_value(value.clone())
                .map_err(|e| DrawnError::NotGeojson(e.to_string()))?;
            let (geometry, warnings) = drawn_from_geojson(&geojson, limits)?;
            (TerritorySpec::Drawn(geometry), warnings)
        }
    })
}
