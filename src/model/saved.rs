//! A territory a porteur saved to reopen later: its name, definition, missions and author.

use serde::{Deserialize, Serialize};

use crate::model::RawTerritory;

/// What a porteur submits to save a territory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TerritoryDraft {
    /// Name of the territory, shown in lists (at most 200 characters, no control character).
    pub name: String,
    /// The territory: codes, a drawn geometry or an EPCI.
    pub spec: RawTerritory,
    /// Optional ACI missions chosen (ids of the funding grid).
    #[serde(default)]
    pub missions: Vec<String>,
    /// Who saves it (an e-mail or a name).
    pub author: String,
}

/// A saved territory as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SavedTerritory {
    /// Id given by the store.
    pub id: i64,
    /// Name of the territory.
    pub name: String,
    /// The territory: codes, a drawn geometry or an EPCI.
    pub spec: RawTerritory,
    /// Optional ACI missions chosen (ids of the funding grid).
    pub missions: Vec<String>,
    /// Who saved it.
    pub author: String,
    /// UTC, RFC 3339 with milliseconds (`2026-05-01T09:30:00.000Z`).
    pub created_at: String,
    /// Last change, UTC, RFC 3339 with milliseconds.
    pub updated_at: String,
}

/// A change to a saved territory: only the fields given are replaced; unknown fields are
/// refused (a misspelt field must not pass as "nothing to change").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TerritoryChange {
    /// New name, if given.
    #[serde(default)]
    pub name: Option<String>,
    /// New territory, if given.
    #[serde(default)]
    pub spec: Option<RawTerritory>,
    /// New missions (replacing all of them), if given.
    #[serde(default)]
    pub missions: Option<Vec<String>>,
}
