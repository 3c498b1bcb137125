//! Exports of feature tables for analysts: CSV, GeoJSON, GeoParquet and FlatGeobuf, by format.

mod csv_out;
mod features;
mod flatgeobuf;
mod geojson_out;
mod geoparquet;
mod thrift;
mod wkb;

use std::path::Path;

pub use features::table_from_features;

use super::LoadError;
use crate::model::FeatureTable;

/// A file format features are exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// `;`-separated, UTF-8, decimal point, a header line; no geometry.
    Csv,
    /// RFC 7946 FeatureCollection.
    GeoJson,
    /// GeoParquet 1.1: a WKB `geometry` column and the `geo` file metadata.
    GeoParquet,
    /// FlatGeobuf 3, without spatial index.
    FlatGeobuf,
}

impl ExportFormat {
    /// The format named by a file's extension (`.csv`, `.geojson`/`.json`, `.parquet`, `.fgb`);
    /// CSV for anything else.
    pub fn from_path(path: &Path) -> Self {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Self::from_name)
            .unwrap_or(Self::Csv)
    }

    /// The format named `csv`, `geojson`/`json`, `parquet`/`geoparquet` or `fgb`/`flatgeobuf`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "csv" => Some(Self::Csv),
            "geojson" | "json" => Some(Self::GeoJson),
            "parquet" | "geoparquet" => Some(Self::GeoParquet),
            "fgb" | "flatgeobuf" => Some(Self::FlatGeobuf),
            _ => None,
        }
    }

    /// The media type of files of this format.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::GeoJson => "application/geo+json",
            Self::GeoParquet => "application/vnd.apache.parquet",
            Self::FlatGeobuf => "application/flatgeobuf",
        }
    }

    /// The usual file extension, without dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::GeoJson => "geojson",
            Self::GeoParquet => "parquet",
            Self::FlatGeobuf => "fgb",
        }
    }
}

/// The bytes of `table` in `format`.
pub fn export_bytes(table: &FeatureTable, format: ExportFormat) -> Vec<u8> {
    match format {
        ExportFormat::Csv => csv_out::csv_bytes(table),
        ExportFormat::GeoJson => geojson_out::geojson_bytes(table),
        ExportFormat::GeoParquet => geoparquet::geoparquet_bytes(table),
        ExportFormat::FlatGeobuf => flatgeobuf::flatgeobuf_bytes(table),
    }
}

/// Writes `table` to `path` in the format its extension names (see [`ExportFormat::from_path`]).
pub fn write_export(path: &Path, table: &FeatureTable) -> Result<(), LoadError> {
    let bytes = export_bytes(table, ExportFormat::from_path(path));
    std::fs::write(path, bytes).map_err(|source| LoadError::Write {
        path: path.to_path_buf(),
        source,
    })
}
