//! Errors of the store: invalid territories (typed), unknown ids, database failures.

use crate::engine::DrawnError;

/// Why a territory cannot be saved as given.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValidationError {
    /// The name is empty (or only spaces).
    #[error("name: must not be empty")]
    EmptyName,
    /// The name is too long.
    #[error("name: {len} characters, at most {max}")]
    NameTooLong {
        /// Characters of the name.
        len: usize,
        /// Characters allowed.
        max: usize,
    },
    /// The author is empty (or only spaces).
    #[error("author: must not be empty")]
    EmptyAuthor,
    /// The author is too long.
    #[error("author: {len} characters, at most {max}")]
    AuthorTooLong {
        /// Characters of the author.
        len: usize,
        /// Characters allowed.
        max: usize,
    },
    /// A text field holds a control or invisible formatting character.
    #[error("{field}: character U+{code_point:04X} at position {position} is a control or invisible formatting character")]
    ControlCharacter {
        /// The field (`name`, `author`).
        field: &'static str,
        /// Position of the character in the field, from 0, in characters.
        position: usize,
        /// Its Unicode code point.
        code_point: u32,
    },
    /// A territory by codes lists none.
    #[error("spec.codes: give at least one commune code")]
    NoCodes,
    /// A territory by codes lists too many.
    #[error("spec.codes: {count} codes, at most {max}")]
    TooManyCodes {
        /// Codes given.
        count: usize,
        /// Codes allowed.
        max: usize,
    },
    /// A code that is neither an INSEE commune/arrondissement code nor an IRIS code.
    #[error(
        "spec.codes[{index}]: {code:?} is not an INSEE code (5 characters, e.g. 13001, 2A004) or an IRIS code (9)"
    )]
    BadCode {
        /// Its position in `spec.codes`, from 0.
        index: usize,
        /// The code as given.
        code: String,
    },
    /// An EPCI that is not a SIREN (9 digits), as given.
    #[error("spec.epci: {0:?} is not a SIREN (9 digits)")]
    BadEpci(String),
    /// A drawn territory refused by the geometry checks.
    #[error("spec.geojson: {0}")]
    Geometry(DrawnError),
    /// Too many missions.
    #[error("missions: {count} missions, at most {max}")]
    TooManyMissions {
        /// Missions given.
        count: usize,
        /// Missions allowed.
        max: usize,
    },
    /// A mission id of another shape than lower-case letters, digits and `_`.
    #[error("missions[{index}]: {mission:?} is not a mission id (lower-case letters, digits, _)")]
    BadMission {
        /// Its position in `missions`, from 0.
        index: usize,
        /// The id as given.
        mission: String,
    },
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The territory is refused as given.
    #[error("invalid territory: {0}")]
    Invalid(#[from] ValidationError),
    /// No saved territory has this id.
    #[error("no saved territory with id {0}")]
    NotFound(i64),
    /// SQLite failed.
    #[error("database {path}: {source}")]
    Database {
        /// The database, as named to the user (its path).
        path: String,
        /// SQLite's reason.
        source: rusqlite::Error,
    },
    /// A schema migration failed.
    #[error("database {path}: migration {migration} failed: {source}")]
    Migration {
        /// The database file.
        path: String,
        /// Name of the migration.
        migration: String,
        /// SQLite's reason.
        source: rusqlite::Error,
    },
    /// The database was migrated by a newer build.
    #[error("database {path} has schema version {found}, newer than this build's {known}: upgrade cpts-atlas")]
    TooNew {
        /// The database file.
        path: String,
        /// Its schema version.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// The database cannot be used now (read-only, busy, locked or damaged).
    #[error("database {path} is unavailable: {reason}")]
    Unavailable {
        /// The database file.
        path: String,
        /// Why.
        reason: String,
    },
    /// A stored territory cannot be decoded.
    #[error("database {path}: saved territory {id} is unreadable: {reason}")]
    Corrupt {
        /// The database file.
        path: String,
        /// Id of the territory.
        id: i64,
        /// What failed to decode.
        reason: String,
    },
}
