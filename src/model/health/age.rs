//! Population by age group and commune (ARS Normandie bands or INSEE's standard bands).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::CommuneCode;

/// An age group a source counts people in.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
pub enum AgeGroup {
    /// People aged 0 to 6.
    #[serde(rename = "age_0_6")]
    Age0To6,
    /// People aged 0 to 14.
    #[serde(rename = "age_0_14")]
    Age0To14,
    /// People aged 0 to 24.
    #[serde(rename = "age_0_24")]
    Age0To24,
    /// People aged 15 to 29.
    #[serde(rename = "age_15_29")]
    Age15To29,
    /// People aged 30 to 44.
    #[serde(rename = "age_30_44")]
    Age30To44,
    /// People aged 45 to 59.
    #[serde(rename = "age_45_59")]
    Age45To59,
    /// People aged 25 to 64.
    #[serde(rename = "age_25_64")]
    Age25To64,
    /// People aged 60 to 74.
    #[serde(rename = "age_60_74")]
    Age60To74,
    /// People aged 60 or more.
    #[serde(rename = "age_60_plus")]
    Age60Plus,
    /// People aged 65 or more.
    #[serde(rename = "age_65_plus")]
    Age65Plus,
    /// People aged 75 or more.
    #[serde(rename = "age_75_plus")]
    Age75Plus,
    /// People aged 80 or more.
    #[serde(rename = "age_80_plus")]
    Age80Plus,
    /// Women aged 16 to 59 (the midwives' population).
    #[serde(rename = "women_16_59")]
    Women16To59,
}

impl AgeGroup {
    /// French label for the UI.
    pub fn label_fr(self) -> &'static str {
        match self {
            Self::Age0To6 => "0 à 6 ans",
            Self::Age0To14 => "0 à 14 ans",
            Self::Age0To24 => "0 à 24 ans",
            Self::Age25To64 => "25 à 64 ans",
            Self::Age65Plus => "65 ans et plus",
            Self::Age80Plus => "80 ans et plus",
            Self::Age15To29 => "15 à 29 ans",
            Self::Age30To44 => "30 à 44 ans",
            Self::Age45To59 => "45 à 59 ans",
            Self::Age60To74 => "60 à 74 ans",
            Self::Age60Plus => "60 ans et plus",
            Self::Age75Plus => "75 ans et plus",
            Self::Women16To59 => "Femmes de 16 à 59 ans",
        }
    }
}

/// People of one commune: total and per group (aligned with [`AgeStructure::groups`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AgeCounts {
    /// Inhabitants of the commune in the source (may be fractional: census weights).
    pub population: f64,
    /// People per group, aligned with [`AgeStructure::groups`].
    pub groups: Vec<f64>,
}

/// An age-structure source: which groups it has, where, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct AgeStructure {
    /// Who published it (French, shown in the UI).
    pub source: String,
    /// Year of the counts (`2020`).
    pub vintage: String,
    /// The groups counted, in the order of [`AgeCounts::groups`].
    pub groups: Vec<AgeGroup>,
    /// Départements the source covers wholly (a département reference needs all its communes).
    pub departements: Vec<String>,
    /// Counts by current commune code.
    pub communes: BTreeMap<CommuneCode, AgeCounts>,
}
