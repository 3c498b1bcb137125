//! Population change of a territory: the mean annual rate 2014-2020 of its communes (INSEE
//! RP), weighted by their population 2020, against its départements, régions and France.

use crate::diagnosis::health::weighted::{weighted_figure, FigureKind, WeightedFigure};
use crate::diagnosis::indicator::Indicator;
use crate::engine::{Atlas, HealthAtlas};
use crate::model::{StatisticSource, TerritoryMember};

/// The change 2014-2020, % per year.
pub const POPULATION_CHANGE: FigureKind = FigureKind {
    id: StatisticSource::Population2020,
    label_fr: "Évolution annuelle moyenne de la population 2014-2020 (% par an)",
    unit: "percent_per_year",
};

/// The population-weighted mean annual change 2014-2020 of `members`.
pub fn population_change(
    atlas: &Atlas,
    health: &HealthAtlas,
    members: &[TerritoryMember],
) -> Indicator<WeightedFigure> {
    weighted_figure(atlas, health.statistics(), members, POPULATION_CHANGE)
}
