//! The indexed geography: R-tree over commune outlines, territory resolution, covered areas,
//! the registry of existing CPTS with their overlaps and the communes none covers, and the
//! health sources indexed on it (centroids, establishments, computed accessibility).

mod adjacency;
mod area_totals;
mod atlas;
mod care_places;
mod centroids;
mod commune_statistics;
mod coverage;
mod coverage_work;
mod crossings;
mod dasymetric;
mod drawn;
mod e2sfca;
pub mod equal_area;
mod establishments;
mod footprint;
pub mod great_circle;
mod health_atlas;
mod intersection_area;
mod iris;
mod outline;
mod outline_distance;
mod overlap;
mod proposal;
mod registry;
mod registry_coverage;
mod resolve;
mod saved;
mod search;
pub mod travel_time;
mod uncovered;

pub use adjacency::{Adjacency, Neighbour};
pub use area_totals::{AreaTotal, AreaTotals, ComparisonArea};
pub use atlas::{Atlas, CommuneRef};
pub use care_places::{CarePlaceIndex, NearestPlace, PlaceCount, PlaceUnit, NEAREST_SEARCH_KM};
pub use centroids::CommuneCentroids;
pub use commune_statistics::{StatisticsIndex, WeightedSum, FIGURES};
pub use coverage_work::MAX_COVERAGE_WORK;
pub use crossings::{count_crossings, BudgetExceeded, CrossingBudget, Crossings};
pub use dasymetric::type_weight;
pub use drawn::{drawn_from_geojson, DrawnError, DrawnLimits};
pub use e2sfca::{e2sfca, DecayStep, E2sfcaParams};
pub use establishments::{commune_at, EstablishmentIndex};
pub use footprint::{Claim, Footprint};
pub use health_atlas::HealthAtlas;
pub use intersection_area::intersection_area;
pub use iris::{IrisShare, IrisTiling, TILING_TOLERANCE};
pub use outline_distance::{distance_to_outline_km, CommunesDistance};
pub use overlap::{
    overlap, Estimate, Overlap, OverlapKind, OverlapTolerance, SharedCommune, TOUCH_M2,
};
pub use proposal::{
    Across, BorderShare, CandidateCut, Partition, ProposalError, ProposalRules, SizeStatus,
};
pub use registry::{
    CptsName, CptsOverlap, IndexedCpts, RegistryError, RegistryIndex, RegistryPair,
};
pub use registry_coverage::{CoverageStatus, RegistryCoverage, OUTSIDE_SAMPLE};
pub use resolve::{ResolveError, ResolvedTerritory};
pub use saved::territory_spec;
pub use search::{CommuneSearch, Place, PlaceKind};
pub use travel_time::{ObservedTrip, TravelTimeModel};
pub use uncovered::{
    CoverageError, CoverageReport, CoverageScope, CoverageTotals, PartlyCoveredCommune,
    UncoveredCommune,
};
