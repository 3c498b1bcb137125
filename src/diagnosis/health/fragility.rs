//! Fragility of a territory's population: F-EDI deprivation index and poverty rate of its
//! communes, weighted by their legal population; indicators of context, not counts of patients.

use serde::Serialize;

use crate::diagnosis::health::weighted::{weighted_figure, FigureKind, WeightedFigure};
use crate::diagnosis::indicator::Indicator;
use crate::engine::{Atlas, HealthAtlas};
use crate::model::{StatisticSource, TerritoryMember};

/// The F-EDI index.
pub const FEDI: FigureKind = FigureKind {
    id: StatisticSource::Fedi,
    label_fr: "Indice de défavorisation F-EDI (plus élevé = plus défavorisé)",
    unit: "index",
};

/// The poverty rate, as a share.
pub const POVERTY_RATE: FigureKind = FigureKind {
    id: StatisticSource::PovertyRate,
    label_fr: "Taux de pauvreté",
    unit: "share",
};

/// What a fragility figure is and is not.
pub const FRAGILITY_NOTE_FR: &str = "Indicateurs de contexte sur la population des communes \
     (défavorisation, pauvreté), pondérés par la population : pas des nombres de patients \
     (ALD, C2S : seule la CPAM les a).";

/// F-EDI and poverty rate of a territory.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Fragility {
    /// F-EDI deprivation index, population-weighted, or why not available.
    pub fedi: Indicator<WeightedFigure>,
    /// Filosofi poverty rate, population-weighted, or why not available.
    pub poverty_rate: Indicator<WeightedFigure>,
    /// What these figures are and are not (French, [`FRAGILITY_NOTE_FR`]).
    pub note_fr: &'static str,
}

/// The fragility indicators of `members`.
pub fn fragility(atlas: &Atlas, health: &HealthAtlas, members: &[TerritoryMember]) -> Fragility {
    Fragility {
        fedi: weighted_figure(atlas, health.statistics(), members, FEDI),
        poverty_rate: weighted_figure(atlas, health.statistics(), members, POVERTY_RATE),
        note_fr: FRAGILITY_NOTE_FR,
    }
}
