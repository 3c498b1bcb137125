//! Indicators of a territory: population, ACI tier and funding, area and density, spans, and
//! health supply and access (professionals, APL, hospitals, patients without GP, ages,
//! population change, fragility, care places and partners).

mod batch;
mod communes_table;
mod contiguity;
mod density;
mod funding;
pub mod health;
mod indicator;
pub mod layers;
mod overlaps;
mod proposals;
mod tier;

pub use batch::{diagnose_batch, diagnose_batch_chunks, BatchOptions, BATCH_CHUNK};
pub use communes_table::{communes_table, COMMUNE_COLUMNS};
pub use contiguity::{Contiguity, NOT_CONTIGUOUS};
pub use density::{density_comparisons, PlaceDensity};
pub use funding::{
    Deadlines, FollowUpIndicator, FollowUpMeasure, FundingEnvelope, FundingGrid, FundingLine,
    GridChoiceError, Mission, MissionPart, UnknownMission, DEFAULT_GRID,
};
pub use health::{health_indicators, HealthIndicators};
pub use indicator::Indicator;
pub use layers::feature_layer::{CommuneLayer, Extent, FeatureLayer, FeaturePage, PageRequest};
pub use layers::published::{territories_layer, PublishedLayers};
pub use layers::registry_layers::{
    candidate_overlaps_layer, coverage_layer, overlaps_layer, registry_layer, CptsSummary,
};
pub use overlaps::{
    candidate_overlaps, registry_overlaps, saved_territory_overlaps, CandidateOverlap, PairOverlap,
};
pub use proposals::{
    proposal_layer, propose, AplSummary, CandidateTerritory, GpSupply, LeftOutCommune, PoleRule,
    Proposal, ProposeError,
};
pub use tier::PopulationTier;

use geo::MultiPolygon;
use serde::Serialize;

use crate::engine::{
    type_weight, Atlas, DrawnError, HealthAtlas, RegistryCoverage, RegistryIndex, ResolveError,
    ResolvedTerritory, TerritoryError,
};
use crate::model::{is_iris_code, CountingMethod, IrisType, TerritoryMember};

/// The diagnostic of a territory.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Diagnosis {
    /// Inhabitants counted (INSEE legal population; partly covered communes through their IRIS
    /// or pro rata of area, see each member's `method`).
    pub population: u64,
    /// Part of `population` that is an estimate (from partly covered communes).
    pub population_estimated: u64,
    pub tier: PopulationTier,
    pub commune_count: usize,
    pub partial_commune_count: usize,
    /// Area counted, km² (equal-area computation); members without polygon add nothing.
    pub area_km2: f64,
    /// False when some member has no polygon, so `area_km2` misses its area.
    pub area_complete: bool,
    /// Inhabitants per km²; absent when the area is incomplete or zero.
    pub density_per_km2: Option<f64>,
    pub departements: Vec<NamedCode>,
    pub regions: Vec<NamedCode>,
    /// Densities of the départements, régions and France, to compare `density_per_km2` with.
    pub density_comparisons: Vec<PlaceDensity>,
    pub funding: FundingEnvelope,
    pub communes: Vec<TerritoryMember>,
    /// Existing CPTS the territory overlaps (empty when no registry was given, see
    /// `overlaps_checked_against`).
    pub overlaps: Vec<CandidateOverlap>,
    /// Source of the registry the overlaps were checked against; `None` when not checked.
    pub overlaps_checked_against: Option<String>,
    /// Which communes lie in the area of a loaded registry: `overlaps` is only a verified
    /// absence of overlap where `status` is `full`; outside, the check is "non vérifié".
    pub registry_coverage: RegistryCoverage,
    pub warnings: Vec<String>,
    /// Codes of the warnings a client may translate (`not_contiguous`), each also in
    /// `warnings`.
    pub warning_codes: Vec<String>,
    /// The territory's connected parts (a warning `not_contiguous` when more than one).
    pub contiguity: Contiguity,
    pub sources: Vec<Source>,
    /// Health supply and access (`supply`, `apl`, `hospitals`, `patients_without_gp`,
    /// `age_structure`, `detailed_ages`, `population_change`, `fragility` at the top level of
    /// the JSON), when health data is loaded.
    #[serde(flatten)]
    #[schema(schema_with = health::without_or_with)]
    pub health: Option<HealthIndicators>,
    /// The geometry a drawn territory was given with (WGS84), for its map and export; not in
    /// the JSON answer (the `territory` outlines are).
    #[serde(skip)]
    pub drawn: Option<MultiPolygon<f64>>,
}

/// An administrative unit spanned by a territory.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
pub struct NamedCode {
    pub code: String,
    pub name: String,
}

/// Where a figure comes from.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Source {
    pub indicator: String,
    pub source: String,
}

/// What to compute besides the territory itself.
#[derive(Debug, Clone)]
pub struct DiagnosisOptions<'a> {
    /// The ACI funding grid the envelope is computed with.
    pub grid: &'a FundingGrid,
    /// Optional missions chosen (mandatory ones are always funded).
    pub missions: Vec<String>,
}

/// The loaded sources a diagnosis draws on: the atlas, and the registry of existing CPTS and the
/// health data when loaded. The CLI and the HTTP state each build one and pass it to
/// [`diagnose`], [`diagnose_batch`] and [`propose`].
#[derive(Clone, Copy)]
pub struct DiagnosisContext<'a> {
    /// The indexed geography.
    pub atlas: &'a Atlas,
    /// Registry of existing CPTS to check overlaps against, if any.
    pub registry: Option<&'a RegistryIndex>,
    /// Health supply and access data (with the user's files), if any.
    pub health: Option<&'a HealthAtlas>,
}

impl<'a> DiagnosisContext<'a> {
    /// The atlas alone: no registry, no health data.
    pub fn new(atlas: &'a Atlas) -> Self {
        DiagnosisContext {
            atlas,
            registry: None,
            health: None,
        }
    }

    /// With this registry to check overlaps against.
    pub fn with_registry(self, registry: Option<&'a RegistryIndex>) -> Self {
        DiagnosisContext { registry, ..self }
    }

    /// With these health data.
    pub fn with_health(self, health: Option<&'a HealthAtlas>) -> Self {
        DiagnosisContext { health, ..self }
    }
}

/// Why a diagnosis could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DiagnosisError {
    #[error(transparent)]
    Territory(#[from] ResolveError),
    #[error(transparent)]
    Mission(#[from] UnknownMission),
    #[error(transparent)]
    Drawn(#[from] DrawnError),
}

impl From<TerritoryError> for DiagnosisError {
    fn from(e: TerritoryError) -> Self {
        match e {
            TerritoryError::Drawn(e) => DiagnosisError::Drawn(e),
            TerritoryError::Resolve(e) => DiagnosisError::Territory(e),
        }
    }
}

/// The diagnosis of a territory resolved once (`Atlas::resolve`), from the sources `context`
/// holds: the overlaps when a registry is loaded, the health indicators when health data is.
pub fn diagnose(
    context: &DiagnosisContext,
    resolved: ResolvedTerritory,
    options: &DiagnosisOptions,
) -> Result<Diagnosis, DiagnosisError> {
    let atlas = context.atlas;
    let missions: Vec<&str> = options.missions.iter().map(String::as_str).collect();
    options.grid.envelope(PopulationTier::One, &missions)?;
    let overlaps = context
        .registry
        .map(|registry| candidate_overlaps(atlas, registry, &resolved))
        .unwrap_or_default();
    let health = context
        .health
        .map(|health| (health, health_indicators(atlas, health, &resolved)));
    let members = &resolved.members;

    let counted = resolved.population;
    let population = counted.round() as u64;
    let tier = PopulationTier::from_population(population);
    // `+ 0.0`: an empty float sum is -0.0 (arrondissements only).
    let area_km2 = members.iter().filter_map(|m| m.area_km2).sum::<f64>() + 0.0;
    let area_complete = members.iter().all(|m| m.area_km2.is_some());
    let departements: Vec<NamedCode> = resolved
        .departements
        .iter()
        .filter_map(|code| atlas.departement(code))
        .map(|d| NamedCode {
            code: d.code.clone(),
            name: d.name.clone(),
        })
        .collect();
    let regions: Vec<NamedCode> = resolved
        .regions
        .iter()
        .filter_map(|code| atlas.region(code))
        .map(|r| NamedCode {
            code: r.code.clone(),
            name: r.name.clone(),
        })
        .collect();

    let mut sources = vec![
        Source {
            indicator: "population".into(),
            source: format!(
                "INSEE populations légales ({}); partly covered communes through their IRIS where \
                 loaded, else pro rata of area (estimates; each commune's `method` says which)",
                atlas.geography().vintage
            ),
        },
        Source {
            indicator: "geometry".into(),
            source: "IGN ADMIN EXPRESS-COG 2018 simplifié (Licence Ouverte), communes fusionnées dissoutes selon le COG 2026".into(),
        },
        Source {
            indicator: "funding".into(),
            source: options.grid.source.clone(),
        },
    ];
    // Listed only when some member was counted through IRIS (or given as an IRIS); the layer,
    // loaded on first use, is not touched otherwise.
    let used_iris = members.iter().any(|m| {
        matches!(
            m.method,
            CountingMethod::IrisPopulation | CountingMethod::IrisTypeWeighted
        ) || is_iris_code(&m.code)
    });
    if used_iris && !atlas.iris_layer().iris.is_empty() {
        let iris = atlas.iris_layer();
        sources.push(Source {
            indicator: "iris".into(),
            source: format!(
                "IRIS outlines: {}. IRIS populations: {}; other IRIS weighted by type \
                 (H and Z {}, A {}, D {})",
                iris.sources.join("; "),
                if iris.population_sources.is_empty() {
                    "none".to_string()
                } else {
                    iris.population_sources.join("; ")
                },
                type_weight(IrisType::Residential),
                type_weight(IrisType::Activity),
                type_weight(IrisType::Miscellaneous),
            ),
        });
    }

    let (contiguity, contiguity_warning) = contiguity::contiguity(atlas, members);
    let mut warnings = resolved.warnings;
    let mut warning_codes = Vec::new();
    if let Some(w) = contiguity_warning {
        warnings.push(w);
        warning_codes.push(NOT_CONTIGUOUS.to_string());
    }
    let registry_coverage = RegistryCoverage::of(
        atlas,
        context.registry,
        members.iter().map(|m| m.commune_index),
    );
    let mut diagnosis = Diagnosis {
        density_comparisons: density_comparisons(atlas, &departements, &regions),
        population,
        population_estimated: resolved.population_estimated.round() as u64,
        tier,
        commune_count: members.len(),
        partial_commune_count: members.iter().filter(|m| m.estimated).count(),
        area_km2,
        area_complete,
        density_per_km2: (area_complete && area_km2 > 0.0).then(|| counted / area_km2),
        departements,
        regions,
        funding: options.grid.envelope(tier, &missions)?,
        communes: resolved.members,
        overlaps,
        overlaps_checked_against: context.registry.map(|r| r.source().to_string()),
        registry_coverage,
        warnings,
        warning_codes,
        contiguity,
        health: None,
        sources,
        drawn: resolved.drawn,
    };
    if let Some((health, indicators)) = health {
        health::add_sources(&mut diagnosis, atlas, health);
        diagnosis.health = Some(indicators);
    }
    Ok(diagnosis)
}
