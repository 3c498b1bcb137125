//! How a user names a territory: codes, a drawn geometry or an EPCI, as given (raw) and as
//! validated (spec).

use geo::MultiPolygon;
use serde::Serialize;

/// A candidate territory as given by a user, before resolution against the geography.
#[derive(Debug, Clone, PartialEq)]
pub enum TerritorySpec {
    /// Commune, arrondissement (5 characters) or IRIS (9 characters) codes (INSEE).
    Codes(Vec<String>),
    /// A polygon drawn by the user, WGS84 longitude/latitude, already validated.
    Drawn(MultiPolygon<f64>),
    /// All member communes of an EPCI, by SIREN.
    Epci(String),
}

/// A territory as a user gives it, before any validation: the body of a diagnosis request, the
/// CLI options, a batch row, a saved definition. `prepare_territory` (engine) validates it into
/// a [`TerritorySpec`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawTerritory {
    /// Commune, arrondissement or IRIS codes.
    Codes(Vec<String>),
    /// A drawn GeoJSON Polygon / MultiPolygon (or Feature / FeatureCollection of them), WGS84.
    Geojson(serde_json::Value),
    /// All member communes of an EPCI, by SIREN.
    Epci(String),
}

/// How a member's population was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CountingMethod {
    /// The member is wholly inside: its legal population.
    Whole,
    /// Partly covered, no IRIS loaded: legal population × covered share of the area (estimate).
    Area,
    /// Through its IRIS, weighted by the IRIS populations of an INSEE file, then by the area
    /// covered within each IRIS; scaled to the legal population (estimate).
    IrisPopulation,
    /// Through its IRIS, weighted by IRIS type (residential IRIS carry the population, activity
    /// and miscellaneous ones little), then by the area covered within each IRIS (estimate).
    IrisTypeWeighted,
}

/// One member of a resolved territory: a commune (or arrondissement, or IRIS) and how much of it
/// counts.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TerritoryMember {
    pub code: String,
    pub name: String,
    /// Index in `Geography::communes` of the commune (or of the commune an arrondissement divides).
    #[serde(skip)]
    pub commune_index: usize,
    /// Whether this member is an arrondissement municipal rather than a whole commune.
    pub arrondissement: bool,
    /// Whether this member is an IRIS (given by its 9-character code).
    pub iris: bool,
    /// Legal population of the member (0 when unpublished); for an IRIS, its estimated share of
    /// its commune's (or arrondissement's) legal population.
    pub population: u64,
    /// Share of the member's area inside the territory, in `[0, 1]`.
    pub coverage: f64,
    /// Population counted for the territory: `population * coverage` by area, or through the
    /// IRIS (see `method`).
    pub population_counted: f64,
    /// True when the counted population is an estimate (partial coverage, or an IRIS).
    pub estimated: bool,
    /// How `population_counted` was obtained.
    pub method: CountingMethod,
    /// Area of the member inside the territory, km²; `None` when the member has no polygon.
    pub area_km2: Option<f64>,
    /// For a partly covered commune counted through its IRIS: each IRIS code and the share of
    /// its area inside the territory (computed once, at resolution); empty otherwise.
    #[serde(skip)]
    pub iris_coverage: Vec<(String, f64)>,
}
