//! A current commune of the COG with its legal population and outline.

use geo::MultiPolygon;

/// An INSEE commune code (5 characters: `13055`, `2A004`, `97411`).
pub type CommuneCode = String;

/// A current commune (COG `commune-actuelle`).
#[derive(Debug, Clone, PartialEq)]
pub struct Commune {
    /// INSEE code (COG).
    pub code: CommuneCode,
    /// Name (COG).
    pub name: String,
    /// Code of its département.
    pub departement: String,
    /// Code of its région.
    pub region: String,
    /// SIREN of the EPCI the commune belongs to, if any.
    pub epci: Option<String>,
    /// INSEE legal population (population municipale), if published.
    pub population: Option<u64>,
    /// Outline in WGS84 longitude/latitude; `None` when no polygon is available.
    pub geometry: Option<MultiPolygon<f64>>,
}
