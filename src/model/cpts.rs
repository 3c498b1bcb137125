//! Existing CPTS as published by an ARS: member codes or a polygon, gathered in a `Registry`.

use geo::MultiPolygon;
use serde::{Deserialize, Serialize};

/// One member of a registry CPTS: a commune or an arrondissement municipal code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CptsMember {
    /// INSEE code of a commune (`04001`) or of an arrondissement municipal (`13214`), as published
    /// (a former code such as `05120` is kept as is and mapped when the registry is indexed).
    pub code: String,
    /// True when the CPTS covers only part of the commune, the rest belonging to other CPTS
    /// (`infra_communal` in the ARS listing: Nice, Toulon).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub infra_communal: bool,
}

/// An existing CPTS of a registry.
#[derive(Debug, Clone, PartialEq)]
pub struct Cpts {
    /// Stable identifier within its registry (given by the source, or derived from the name).
    pub id: String,
    pub name: String,
    /// Member communes and arrondissements; empty for a CPTS published as a polygon only.
    pub members: Vec<CptsMember>,
    /// Outline (WGS84) when the registry publishes polygons instead of member codes.
    pub outline: Option<MultiPolygon<f64>>,
    /// Web site, as published (may be empty).
    pub site: String,
}

/// A published list of existing CPTS.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Registry {
    /// What the registry is, e.g. `ARS PACA, CPTS existantes 01/2026`.
    pub source: String,
    pub cpts: Vec<Cpts>,
}

impl Registry {
    /// Appends the CPTS of `other` (e.g. another région's registry), joining the sources.
    ///
    /// ```
    /// use cpts_atlas::model::Registry;
    /// let mut paca = Registry { source: "PACA".into(), cpts: vec![] };
    /// paca.merge(Registry { source: "Corse".into(), cpts: vec![] });
    /// assert_eq!(paca.source, "PACA; Corse");
    /// ```
    pub fn merge(&mut self, other: Registry) {
        if self.source.is_empty() {
            self.source = other.source;
        } else if !other.source.is_empty() {
            self.source = format!("{}; {}", self.source, other.source);
        }
        self.cpts.extend(other.cpts);
    }
}
