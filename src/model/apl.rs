//! DREES APL (accessibilité potentielle localisée) to general practitioners, by commune.

use std::collections::BTreeMap;

use super::CommuneCode;

/// The APL of one commune in one edition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AplValue {
    /// Consultations/visits accessible per year per age-standardised inhabitant (all GPs).
    pub apl: f64,
    /// Same, counting only GPs aged 65 or under.
    pub apl_under_65: f64,
    /// Age-standardised population DREES divides by.
    pub standardized_population: f64,
    /// Resident population DREES used.
    pub population: f64,
}

/// One edition of the DREES APL file (e.g. 2023), keyed by current commune code.
#[derive(Debug, Clone, PartialEq)]
pub struct AplTable {
    /// Edition year (2022, 2023).
    pub edition: u16,
    pub source: String,
    /// Values by commune code (Paris, Lyon and Marseille by arrondissement, as DREES publishes).
    pub values: BTreeMap<CommuneCode, AplValue>,
}
