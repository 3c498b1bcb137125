//! Population density of the territory's départements, régions and France, to compare with its own.

use serde::Serialize;

use crate::diagnosis::NamedCode;
use crate::engine::{Atlas, ComparisonArea};

/// Population and density of a comparison area.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PlaceDensity {
    /// `departement`, `region` or `france`.
    pub level: &'static str,
    /// Code of the département or région; `None` for France.
    pub code: Option<String>,
    /// Its name.
    pub name: String,
    /// Legal population of all its communes.
    pub population: u64,
    /// Area of its communes with an outline, km².
    pub area_km2: f64,
    /// Inhabitants per km²: the population of its départements with outlines over their area.
    pub density_per_km2: Option<f64>,
    /// Communes without an outline: restored since the outlines' vintage (their area lies in a
    /// neighbour's, their population counts), or in the collectivités d'outre-mer (left out).
    pub communes_without_outline: usize,
    /// Population left out of the density (départements without any outline).
    pub population_without_area: u64,
}

/// The densities of `departements`, then `regions`, then France.
pub fn density_comparisons(
    atlas: &Atlas,
    departements: &[NamedCode],
    regions: &[NamedCode],
) -> Vec<PlaceDensity> {
    let places = departements
        .iter()
        .map(|d| {
            (
                "departement",
                Some(d),
                ComparisonArea::Departement(d.code.clone()),
            )
        })
        .chain(
            regions
                .iter()
                .map(|r| ("region", Some(r), ComparisonArea::Region(r.code.clone()))),
        )
        .chain([("france", None, ComparisonArea::France)]);
    places
        .map(|(level, named, place)| {
            let total = atlas.area_total(&place);
            PlaceDensity {
                level,
                code: named.map(|n| n.code.clone()),
                name: named.map_or_else(|| "France".to_string(), |n| n.name.clone()),
                population: total.population,
                area_km2: total.area_km2,
                density_per_km2: total.density_per_km2(),
                communes_without_outline: total.communes_without_outline,
                population_without_area: total.population_without_area,
            }
        })
        .collect()
}
