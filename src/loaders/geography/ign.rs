//! IGN ADMIN EXPRESS-COG commune polygons (GeoJSON with `code` / `nom` properties).

use std::path::Path;

use geo::MultiPolygon;

use crate::loaders::{multipolygon, read_file, LoadError};

/// One commune outline as published, under the code of its vintage.
pub struct IgnCommune {
    pub code: String,
    pub geometry: MultiPolygon<f64>,
}

/// Reads a FeatureCollection of commune polygons keyed by their `code` property.
pub fn load_ign_communes(path: &Path) -> Result<Vec<IgnCommune>, LoadError> {
    let bad = |message: String| LoadError::GeoJson {
        path: path.to_path_buf(),
        message,
    };
    let text = String::from_utf8(read_file(path)?).map_err(|e| bad(e.to_string()))?;
    let collection: geojson::FeatureCollection = text.parse().map_err(|e| bad(format!("{e}")))?;
    collection
        .features
        .into_iter()
        .enumerate()
        .map(|(i, feature)| {
            let code = feature
                .property("code")
                .and_then(|v| v.as_str())
                .ok_or_else(|| bad(format!("feature {i} has no string `code` property")))?
                .to_string();
            let geometry = feature
                .geometry
                .ok_or_else(|| bad(format!("commune {code} has no geometry")))?;
            let geometry =
                multipolygon(geometry).map_err(|e| bad(format!("commune {code}: {e}")))?;
            Ok(IgnCommune { code, geometry })
        })
        .collect()
}
