//! Files -> model: COG and IGN raw sources, health directories and indicators, the shipped dataset.
//! Files -> model: COG and IGN raw sources, the shipped dataset, user GeoJSON, IRIS files.

pub mod ages;
pub mod apl;
pub mod batch;
pub mod batch_parquet;
pub mod bpe;
pub mod codes;
mod cog;
pub mod crs;
pub mod dataset;
pub mod directories;
mod error;
pub mod export;
pub mod finess;
pub mod health_data;
pub mod health_import;
mod ign;
pub mod import;
pub mod iris_dataset;
mod iris_fields;
mod iris_files;
pub mod iris_import;
pub mod iris_population;
pub mod patients;
pub mod postal_codes;
pub mod registry;
pub mod registry_geojson;
pub mod registry_members;
pub mod statistics_data;
pub mod statistics_import;
mod table;
pub mod travel_times;

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
