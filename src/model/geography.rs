//! The loaded geography: every commune, arrondissement and administrative unit, plus code history.

use geo::MultiPolygon;

use crate::model::{Arrondissement, Commune, Departement, Epci, Region};

/// Everything the engine knows of French geography, as loaded (no index).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Geography {
    /// Vintage label of the geography, e.g. `COG 2026 / IGN ADMIN EXPRESS-COG 2018`.
    pub vintage: String,
    pub communes: Vec<Commune>,
    pub arrondissements: Vec<Arrondissement>,
    pub departements: Vec<Departement>,
    pub regions: Vec<Region>,
    pub epcis: Vec<Epci>,
    /// Former or delegated commune codes -> current commune code (e.g. `05120` -> `05001`).
    pub former_codes: Vec<(String, String)>,
    /// Simplified commune outlines for the map, coarsest first.
    pub display_levels: Vec<DisplayLevel>,
    /// La Poste postal codes (`codesPostaux` of the COG file) -> commune and arrondissement
    /// codes, sorted by postal code (`data/postal-codes.txt`; empty when absent).
    pub postal_codes: Vec<(String, Vec<String>)>,
}

/// Commune outlines simplified for display at low zoom (Douglas-Peucker).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DisplayLevel {
    /// Simplification tolerance, degrees.
    pub tolerance_deg: f64,
    /// One outline per commune, aligned with `Geography::communes`.
    pub outlines: Vec<Option<MultiPolygon<f64>>>,
}
