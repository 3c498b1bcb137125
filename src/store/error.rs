//! Errors of the store: invalid territories (typed), unknown ids, database failures.

use crate::engine::DrawnError;

/// Why a territory cannot be saved as given.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValidationError {
    #[error("name: must not be empty")]
    EmptyName,
    #[error("name: {len} characters, at most {max}")]
    NameTooLong { len: usize, max: usize },
    #[error("author: must not be empty")]
    EmptyAuthor,
    #[error("author: {len} characters, at most {max}")]
    AuthorTooLong { len: usize, max: usize },
    #[error("{field}: character U+{code_point:04X} at position {position} is a control or invisible formatting character")]
    ControlCharacter {
        field: &'static str,
        position: usize,
        code_point: u32,
    },
    #[error("spec.codes: give at least one commune code")]
    NoCodes,
    #[error("spec.codes: {count} codes, at most {max}")]
    TooManyCodes { count: usize, max: usize },
    #[error(
        "spec.codes[{index}]: {code:?} is not an INSEE code (5 characters, e.g. 13001, 2A004) or an IRIS code (9)"
    )]
    BadCode { index: usize, code: String },
    #[error("spec.epci: {0:?} is not a SIREN (9 digits)")]
    BadEpci(String),
    #[error("spec.geojson: {0}")]
    Geometry(DrawnError),
    #[error("missions: {count} missions, at most {max}")]
    TooManyMissions { count: usize, max: usize },
    #[error("missions[{index}]: {mission:?} is not a mission id (lower-case letters, digits, _)")]
    BadMission { index: usize, mission: String },
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("invalid territory: {0}")]
    Invalid(#[from] ValidationError),
    #[error("no saved territory with id {0}")]
    NotFound(i64),
    #[error("database {path}: {source}")]
    Database {
        path: String,
        source: rusqlite::Error,
    },
    #[error("database {path}: migration {migration} failed: {source}")]
    Migration {
        path: String,
        migration: String,
        source: rusqlite::Error,
    },
    #[error("database {path} has schema version {found}, newer than this build's {known}: upgrade cpts-atlas")]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("database {path} is unavailable: {reason}")]
    Unavailable { path: String, reason: String },
    #[error("database {path}: saved territory {id} is unreadable: {reason}")]
    Corrupt {
        path: String,
        id: i64,
        reason: String,
    },
}
