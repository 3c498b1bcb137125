//! Errors of the loaders, each carrying the file it concerns.

use std::path::PathBuf;

/// Why a data file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid JSON in {path}: {source}")]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("invalid GeoJSON in {path}: {message}")]
    GeoJson { path: PathBuf, message: String },
    #[error("{path} is not a cpts-atlas dataset (bad magic number)")]
    NotADataset { path: PathBuf },
    #[error("{path} has dataset format version {found}, this build reads version {expected}; re-run `cpts-atlas import`")]
    Version {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    #[error("{path} is corrupt: {reason}")]
    Corrupt { path: PathBuf, reason: String },
    #[error("{path}, {location}: {reason}")]
    Registry {
        path: PathBuf,
        /// Where in the file: `line 12`, `CPTS "CPTS Verdon"`, `feature 3`.
        location: String,
        reason: String,
    },
    #[error("{path}: unsupported coordinate reference system {crs}; IRIS files must be in WGS84 / RGF93 longitude-latitude or Lambert-93 (EPSG:2154)")]
    UnknownCrs { path: PathBuf, crs: String },
    #[error("invalid IRIS file {path}: {message}")]
    Iris { path: PathBuf, message: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: malformed CSV at line {line}: {message}")]
    Csv {
        path: PathBuf,
        line: u64,
        message: String,
    },
    #[error("{path}: invalid Parquet: {message}")]
    Parquet { path: PathBuf, message: String },
    #[error("{path}: missing column {column:?} (expected a {format} file)")]
    MissingColumn {
        path: PathBuf,
        column: String,
        format: String,
    },
    #[error("{path}, line {line}, column {column:?}: {problem} (value {value:?})")]
    Field {
        path: PathBuf,
        line: u64,
        column: String,
        value: String,
        problem: String,
    },
}
