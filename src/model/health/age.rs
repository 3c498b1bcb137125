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
    #[serde(rename = "age_0_6")]
    Age0To6,
    #[serde(rename = "age_0_14")]
    Age0To14,
    #[serde(rename = "age_0_24")]
    Age0To24,
    #[serde(rename = "age_15_29")]
    Age15To29,
    #[serde(rename = "age_30_44")]
    Age30To44,
    #[serde(rename = "age_45_59")]
    Age45To59,
    #[serde(rename = "age_25_64")]
    Age25To64,
    #[serde(rename = "age_60_74")]
    Age60To74,
    #[serde(rename = "age_60_plus")]
    Age60Plus,
    #[serde(rename = "age_65_plus")]
    Age65Plus,
    #[serde(rename = "age_75_plus")]
    Age75Plus,
    #[serde(rename = "age_80_plus")]
    Age80Plus,
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
    pub population: f64,
    pub groups: Vec<f64>,
}

/// An age-structure source: which groups it has, where, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct AgeStructure {
    pub source: String,
    pub vintage: String,
    pub groups: Vec<AgeGroup>,
    /// Départements the source covers wholly (a département reference needs all its communes).
    pub departements: Vec<String>,
    /// Counts by current commune code.
    pub communes: BTreeMap<CommuneCode, AgeCounts>,
}
