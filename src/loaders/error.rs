//! Errors of the loaders, each carrying the file it concerns.

use std::path::PathBuf;

/// Why a data file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file is not valid JSON, or not of the expected shape.
    #[error("invalid JSON in {path}: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The parser's reason, with line and column.
        source: serde_json::Error,
    },
    /// The file is JSON but not the GeoJSON expected.
    #[error("invalid GeoJSON in {path}: {message}")]
    GeoJson {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where.
        message: String,
    },
    /// The file does not start with the dataset's magic number.
    #[error("{path} is not a cpts-atlas dataset (bad magic number)")]
    NotADataset {
        /// The file.
        path: PathBuf,
    },
    /// The dataset was written by another format version.
    #[error("{path} has dataset format version {found}, this build reads version {expected}; re-run `cpts-atlas import`")]
    Version {
        /// The file.
        path: PathBuf,
        /// Version the file holds.
        found: u32,
        /// Version this build reads.
        expected: u32,
    },
    /// The dataset's bytes do not decode (truncated or damaged).
    #[error("{path} is corrupt: {reason}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What failed to decode.
        reason: String,
    },
    /// A registry file (compact JSON, GeoJSON or member list) is refused.
    #[error("{path}, {location}: {reason}")]
    Registry {
        /// The file.
        path: PathBuf,
        /// Where in the file: `line 12`, `CPTS "CPTS Verdon"`, `feature 3`.
        location: String,
        /// What is wrong there.
        reason: String,
    },
    /// An IRIS file in a coordinate reference system the loader does not read.
    #[error("{path}: unsupported coordinate reference system {crs}; IRIS files must be in WGS84 / RGF93 longitude-latitude or Lambert-93 (EPSG:2154)")]
    UnknownCrs {
        /// The file (its `.prj` or GeoJSON).
        path: PathBuf,
        /// The CRS as the file declares it.
        crs: String,
    },
    /// An IRIS file is refused (missing fields, bad codes, bad geometry).
    #[error("invalid IRIS file {path}: {message}")]
    Iris {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where.
        message: String,
    },
    /// A file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A CSV record could not be read (quotes, encoding, field count).
    #[error("{path}: malformed CSV at line {line}: {message}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// Line of the record, from 1 (the header is line 1).
        line: u64,
        /// The CSV reader's reason.
        message: String,
    },
    /// A Parquet file could not be read or written.
    #[error("{path}: invalid Parquet: {message}")]
    Parquet {
        /// The file.
        path: PathBuf,
        /// The Parquet library's reason, or the missing column.
        message: String,
    },
    /// A table lacks a column its format needs.
    #[error("{path}: missing column {column:?} (expected a {format} file)")]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column missing.
        column: String,
        /// The format expected (e.g. `FINESS etalab cs1100507`).
        format: String,
    },
    /// A cell of a table is refused.
    #[error("{path}, line {line}, column {column:?}: {problem} (value {value:?})")]
    Field {
        /// The file.
        path: PathBuf,
        /// Line of the row, from 1 (the header is line 1).
        line: u64,
        /// Name of the column.
        column: String,
        /// The cell as read.
        value: String,
        /// What is wrong with it.
        problem: String,
    },
}
