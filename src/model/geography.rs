//! The loaded geography: every commune, arrondissement and administrative unit, plus code history.

use geo::MultiPolygon;

use crate::model::{Arrondissement, Commune, Departement, Epci, Region};

/// Everything the engine knows of French geography, as loaded (no index).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Geography {
    /// Vintage label of the geography, e.g. `COG 2026 / IGN ADMIN EXPRESS-COG 2018`.
    pub vintage: String,
    /// Every current commune (COG), in the order of the dataset file.
    pub communes: Vec<Commune>,
    /// Municipal arrondissements of Paris, Lyon and Marseille.
    pub arrondissements: Vec<Arrondissement>,
    /// Départements (COG), with their région.
    pub departements: Vec<Departement>,
    /// Régions (COG).
    pub regions: Vec<Region>,
    /// EPCI (intercommunalities), by SIREN, with their member communes.
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

/// A position that is not a WGS84 longitude/latitude in degrees.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error(
    "position ({lon}, {lat}) is not a WGS84 longitude/latitude (finite degrees, longitude in \
     [-180, 180], latitude in [-90, 90])"
)]
pub struct NotWgs84 {
    /// The longitude given, degrees (maybe NaN or infinite).
    pub lon: f64,
    /// The latitude given, degrees (maybe NaN or infinite).
    pub lat: f64,
}

/// Checks that (`lon`, `lat`) is a WGS84 longitude/latitude: finite, longitude in [-180, 180]
/// and latitude in [-90, 90] degrees. Every position the project reads (drawn territories,
/// boxes, registry GeoJSON, IRIS files, FINESS lists) is checked here, with this wording.
///
/// ```
/// use cpts_atlas::model::check_wgs84;
/// assert!(check_wgs84(5.37, 43.30).is_ok());
/// assert!(check_wgs84(842_000.0, 6_519_000.0).is_err());
/// assert!(check_wgs84(f64::NAN, 0.0).is_err());
/// ```
pub fn check_wgs84(lon: f64, lat: f64) -> Result<(), NotWgs84> {
    if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) {
        Ok(())
    } else {
        Err(NotWgs84 { lon, lat })
    }
}
