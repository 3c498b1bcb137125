//! Census, population-change and fragility figures of every commune (INSEE RP, F-EDI, Filosofi).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{AgeGroup, CommuneCode};

/// The RP 2020 age bands, in the order of [`CommuneFigures::age_shares`].
pub const CENSUS_AGE_BANDS: [AgeGroup; 6] = [
    AgeGroup::Age0To14,
    AgeGroup::Age0To24,
    AgeGroup::Age25To64,
    AgeGroup::Age65Plus,
    AgeGroup::Age75Plus,
    AgeGroup::Age80Plus,
];

/// One source of [`CommuneStatistics`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatisticSource {
    /// RP 2020 population and its mean annual change 2014-2020.
    Population2020,
    /// RP 2020 shares of the age bands.
    Ages2020,
    /// RP 2022 share of people aged 75 or more.
    Share75Plus2022,
    /// French European Deprivation Index.
    Fedi,
    /// Filosofi poverty rate.
    PovertyRate,
}

/// Where a [`StatisticSource`] comes from, and why a commune may lack its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatisticNote {
    /// Which figure the note is about.
    pub id: StatisticSource,
    /// Who published it (French, shown in the UI).
    pub source: String,
    /// Year of the figures.
    pub vintage: String,
    /// Licence of the data.
    pub licence: String,
    /// Why a commune has no value (Mayotte, statistical secret, ...).
    pub missing: String,
}

/// The figures of one commune or arrondissement; `None` where the source gives none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommuneFigures {
    /// Population municipale 2020.
    pub population_2020: Option<f64>,
    /// Mean annual change of the population 2014-2020, % per year.
    pub change_2014_2020: Option<f64>,
    /// Shares (%) of [`CENSUS_AGE_BANDS`], RP 2020.
    pub age_shares: Option<[f64; 6]>,
    /// Share (%) of people aged 75 or more, RP 2022.
    pub share_75_plus_2022: Option<f64>,
    /// F-EDI deprivation index (higher = more deprived).
    pub fedi: Option<f64>,
    /// Poverty rate, %.
    pub poverty_rate: Option<f64>,
}

/// Figures of every commune by current code, with their sources.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommuneStatistics {
    /// One note per figure: source, vintage, licence, why values are missing.
    pub notes: Vec<StatisticNote>,
    /// Figures by current commune (or arrondissement) code.
    pub communes: BTreeMap<CommuneCode, CommuneFigures>,
}

impl CommuneStatistics {
    /// The note of a source (every loaded table has all five).
    pub fn note(&self, id: StatisticSource) -> Option<&StatisticNote> {
        self.notes.iter().find(|n| n.id == id)
    }
}
