//! Age structure of any territory in France (INSEE RP 2020: under 15, under 25, 25-64, 65+,
//! 75+, 80+; counts = share x population 2020) against its départements, régions and France,
//! and the RP 2022 share of 75+.

use serde::Serialize;

use crate::diagnosis::health::weighted::{
    comparison_areas, comparisons, none_available, not_loaded, territory_sum, weighted_figure,
    Comparison, FigureKind, MemberWithoutValue, WeightedFigure,
};
use crate::diagnosis::indicator::Indicator;
use crate::engine::{Atlas, HealthAtlas};
use crate::model::{AgeGroup, StatisticSource, TerritoryMember, CENSUS_AGE_BANDS};

/// The RP 2022 share of 75+ as a weighted figure.
pub const SHARE_75_PLUS_2022: FigureKind = FigureKind {
    id: StatisticSource::Share75Plus2022,
    label_fr: "Part des 75 ans et plus (recensement 2022)",
    unit: "share",
};

/// Age structure of a territory from the census.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CensusAgeStructure {
    /// RP 2020 population counted (the base of the shares; partly covered communes pro rata).
    pub population_2020: f64,
    /// True when partly covered communes count pro rata of their population counted.
    pub estimated: bool,
    /// One entry per RP 2020 band, in [`crate::model::CENSUS_AGE_BANDS`] order.
    pub groups: Vec<CensusAgeGroup>,
    /// Members the census has no value for.
    pub communes_without_value: usize,
    /// Their population counted, left out of the shares.
    pub population_without_value: f64,
    /// Those members, with the reason.
    pub without_value: Vec<MemberWithoutValue>,
    /// RP 2022 share of people aged 75 or more, population-weighted.
    pub share_75_plus_2022: Indicator<WeightedFigure>,
    /// Who published the figures (French, shown in the UI).
    pub source: String,
    /// Census year of the bands (`RP 2020`).
    pub vintage: String,
    /// Licence of the data.
    pub licence: String,
}

/// One band: the territory's count and share, and each comparison area's share.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CensusAgeGroup {
    /// The band.
    pub group: AgeGroup,
    /// Its French label (`75 ans et plus`).
    pub label_fr: &'static str,
    /// People of the band: sum over the members of share x population 2020.
    pub count: f64,
    /// Share of the population 2020 counted, in [0, 1].
    pub share: f64,
    /// The département(s), région(s) and France (`value` = share).
    pub comparisons: Vec<Comparison>,
}

/// The census age structure of `members`; not available without the shipped statistics or
/// when no member has RP 2020 ages.
pub fn age_structure(
    atlas: &Atlas,
    health: &HealthAtlas,
    members: &[TerritoryMember],
) -> Indicator<CensusAgeStructure> {
    let Some(index) = health.statistics() else {
        return not_loaded();
    };
    let sum = territory_sum(atlas, index, members, StatisticSource::Ages2020);
    if let Some(reason) = none_available(&sum) {
        return Indicator::not_available(reason);
    }
    let areas = comparison_areas(atlas, members);
    let groups = CENSUS_AGE_BANDS
        .iter()
        .enumerate()
        .map(|(i, &group)| CensusAgeGroup {
            group,
            label_fr: group.label_fr(),
            count: sum.sum.sums.get(i).copied().unwrap_or(0.0),
            share: sum.sum.mean(i).unwrap_or(0.0),
            comparisons: comparisons(index, &areas, StatisticSource::Ages2020, i),
        })
        .collect();
    let note = index.note(StatisticSource::Ages2020);
    Indicator::available(CensusAgeStructure {
        population_2020: sum.sum.weight,
        estimated: sum.estimated,
        groups,
        communes_without_value: sum.without_value.len(),
        population_without_value: sum.sum.population_without_value,
        without_value: sum.without_value,
        share_75_plus_2022: weighted_figure(atlas, Some(index), members, SHARE_75_PLUS_2022),
        source: note.map(|n| n.source.clone()).unwrap_or_default(),
        vintage: note.map(|n| n.vintage.clone()).unwrap_or_default(),
        licence: note.map(|n| n.licence.clone()).unwrap_or_default(),
    })
}
