//! How a user names a territory: codes, a drawn geometry or an EPCI.

use geo::MultiPolygon;
use serde::Serialize;

/// A candidate territory as given by a user, before resolution against the geography.
#[derive(Debug, Clone, PartialEq)]
pub enum TerritorySpec {
    /// Commune or arrondissement codes (INSEE).
    Codes(Vec<String>),
    /// A polygon drawn by the user, WGS84 longitude/latitude, already validated.
    Drawn(MultiPolygon<f64>),
    /// All member communes of an EPCI, by SIREN.
    Epci(String),
}

/// One member of a resolved territory: a commune (or arrondissement) and how much of it counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TerritoryMember {
    pub code: String,
    pub name: String,
    /// Index in `Geography::communes` of the commune (or of the commune an arrondissement divides).
    #[serde(skip)]
    pub commune_index: usize,
    /// Whether this member is an arrondissement municipal rather than a whole commune.
    pub arrondissement: bool,
    /// Legal population of the member (0 when unpublished).
    pub population: u64,
    /// Share of the member's area inside the territory, in `[0, 1]`.
    pub coverage: f64,
    /// Population counted for the territory (`population * coverage`).
    pub population_counted: f64,
    /// True when the counted population is an estimate (partial coverage).
    pub estimated: bool,
    /// Area of the member inside the territory, km²; `None` when the member has no polygon.
    pub area_km2: Option<f64>,
}
