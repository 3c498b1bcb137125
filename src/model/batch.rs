//! Territories of a batch file, as read (before resolution), and the flat record of each result.

/// One territory of a batch input file.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchTerritory {
    pub name: String,
    /// Where it starts in the input: `line 12` (CSV) or `feature 3` (GeoJSON).
    pub location: String,
    pub source: BatchSource,
    /// Problems found while reading (`line 4: no code`); such a territory is reported failed.
    pub problems: Vec<String>,
}

/// How a batch territory is given.
#[derive(Debug, Clone, PartialEq)]
pub enum BatchSource {
    /// Commune, arrondissement or IRIS codes, each with the input line it was read from.
    Codes(Vec<ListedCode>),
    /// A GeoJSON geometry, not yet validated.
    Geometry(geojson::Geometry),
    /// All member communes of an EPCI, by SIREN.
    Epci(String),
}

/// A code as listed in a batch file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedCode {
    pub code: String,
    pub line: u64,
}

/// One output row of a batch: the territory's indicators, or why it failed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchRecord {
    pub territory: String,
    pub location: String,
    /// `None` when the territory was computed; else the problem (with line numbers).
    pub error: Option<String>,
    pub population: Option<u64>,
    pub population_estimated: Option<u64>,
    /// ACI tier, 1 to 4.
    pub tier: Option<u8>,
    /// Annual maximum of the ACI envelope for the chosen missions, euros.
    pub funding_total: Option<f64>,
    /// Id of the funding grid (`aci-2019`, `avenant-2-2021`).
    pub funding_grid: Option<String>,
    pub commune_count: Option<usize>,
    pub partial_commune_count: Option<usize>,
    pub area_km2: Option<f64>,
    pub area_complete: Option<bool>,
    pub density_per_km2: Option<f64>,
    /// Codes, `|`-separated.
    pub departements: String,
    pub regions: String,
    /// Existing CPTS overlapped (`None` when no registry was checked).
    pub overlap_count: Option<usize>,
    /// Their names, `|`-separated.
    pub overlaps: String,
    /// `full`, `partial` or `none`: whether the territory lies in the area of a loaded
    /// registry (an empty `overlaps` is only a verified absence where `full`).
    pub registry_coverage: Option<String>,
    /// General practitioners (practice sites) and their density per 10 000 inhabitants.
    pub gp_count: Option<f64>,
    pub gp_density_per_10k: Option<f64>,
    /// Id of the directory the GP figures come from (`bpe-2019`, `normandie-ars-2021`...).
    pub gp_source: String,
    /// DREES APL to general practitioners, latest edition available, and that edition.
    pub apl: Option<f64>,
    pub apl_edition: Option<u16>,
    /// Warnings of the resolution (codes mapped, polygons repaired...), `|`-separated.
    pub warnings: String,
    /// Emergency services (INSEE BPE D106) in the territory, and the distance from the nearest
    /// outside (centroid of its commune) to the territory's outline, km.
    pub emergency_inside: Option<u32>,
    pub emergency_nearest_km: Option<f64>,
    /// Care-place types with none inside nor within 30 km (`emergency|maternity`).
    pub care_places_missing_30km: String,
    /// RP 2020 share of people aged 75 or more, in [0, 1].
    pub share_75_plus: Option<f64>,
    /// F-EDI deprivation index, population-weighted.
    pub fedi: Option<f64>,
    /// Poverty rate (Filosofi), population-weighted, in [0, 1].
    pub poverty_rate: Option<f64>,
    /// The territory's outline (WGS84), for the outputs with geometry.
    pub outline: Option<geo::MultiPolygon<f64>>,
}
