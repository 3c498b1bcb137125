//! Files -> model: geography, IRIS, health and statistics sources, registries, batch inputs, and
//! the shipped dataset with the import that builds it.

pub mod batch;
mod error;
pub mod geography;
pub mod health;
pub mod iris;
pub mod registry;
pub mod statistics;
mod table;

pub use error::LoadError;

/// Reads a whole file, naming it in the error.
pub(crate) fn read_file(path: &std::path::Path) -> Result<Vec<u8>, LoadError> {
    std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Parses a JSON file into `T`, naming the file in the error.
pub(crate) fn read_json<T: serde::de::DeserializeOwned>(
    path: &std::path::Path,
) -> Result<T, LoadError> {
    let bytes = read_file(path)?;
    serde_json::from_slice(&bytes).map_err(|source| LoadError::Json {
        path: path.to_path_buf(),
        source,
    })
}

/// A GeoJSON geometry as a multipolygon; anything but a Polygon or MultiPolygon is an error.
pub(crate) fn multipolygon(geometry: geojson::Geometry) -> Result<geo::MultiPolygon<f64>, String> {
    match geo::Geometry::<f64>::try_from(geometry).map_err(|e| e.to_string())? {
        geo::Geometry::Polygon(p) => Ok(geo::MultiPolygon(vec![p])),
        geo::Geometry::MultiPolygon(mp) => Ok(mp),
        _ => Err("expected a Polygon or MultiPolygon".into()),
    }
}
