//! A territory a porteur saved to reopen later: its name, definition, missions and author.

use serde::{Deserialize, Serialize};

use crate::model::RawTerritory;

/// What a porteur submits to save a territory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TerritoryDraft {
    pub name: String,
    pub spec: RawTerritory,
    /// Optional ACI missions chosen (ids of the funding grid).
    #[serde(default)]
    pub missions: Vec<String>,
    pub author: String,
}

/// A saved territory as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SavedTerritory {
    pub id: i64,
    pub name: String,
    pub spec: RawTerritory,
    pub missions: Vec<String>,
    pub author: String,
    /// UTC, RFC 3339 with milliseconds (`2026-05-01T09:30:00.000Z`).
    pub created_at: String,
    pub updated_at: String,
}

/// A change to a saved territory: only the fields given are replaced; unknown fields are
/// refused (a misspelt field must not pass as "nothing to change").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TerritoryChange {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub spec: Option<RawTerritory>,
    #[serde(default)]
    pub missions: Option<Vec<String>>,
}
