//! The indexed geography: R-tree over commune outlines, territory resolution, covered areas,
//! the registry of existing CPTS with their overlaps and the communes none covers, and the
//! health sources indexed on it (centroids, establishments, computed accessibility).

pub mod geometry;
pub mod health;
mod proposal;
pub mod registry;
pub mod territory;

pub use crate::model::Neighbour;
pub use geometry::coverage_work::MAX_COVERAGE_WORK;
pub use geometry::crossings::{count_crossings, BudgetExceeded, CrossingBudget, Crossings};
pub use geometry::drawn::{drawn_from_geojson, DrawnError, DrawnLimits};
pub use geometry::intersection_area::intersection_area;
pub use geometry::outline_distance::{distance_to_outline_km, CommunesDistance};
pub use health::atlas::HealthAtlas;
pub use health::care_places::{
    CarePlaceIndex, NearestPlace, PlaceCount, PlaceUnit, NEAREST_SEARCH_KM,
};
pub use health::commune_statistics::{StatisticsIndex, WeightedSum, FIGURES};
pub use health::e2sfca::{e2sfca, DecayStep, E2sfcaParams};
pub use health::establishments::{commune_at, EstablishmentIndex};
pub use health::travel_time::{ObservedTrip, TravelTimeModel};
pub use proposal::{
    Across, BorderShare, CandidateCut, Partition, ProposalError, ProposalRules, SizeStatus,
};
pub use registry::coverage::{CoverageStatus, RegistryCoverage, OUTSIDE_SAMPLE};
pub use registry::index::{
    CptsName, CptsOverlap, IndexedCpts, RegistryError, RegistryIndex, RegistryPair,
};
pub use registry::overlap::{
    overlap, Estimate, Overlap, OverlapKind, OverlapTolerance, SharedCommune, TOUCH_M2,
};
pub use registry::uncovered::{
    CoverageError, CoverageReport, CoverageScope, CoverageTotals, PartlyCoveredCommune, ScopeError,
    UncoveredCommune,
};
pub use territory::adjacency::Adjacency;
pub use territory::area_totals::{AreaTotal, AreaTotals, ComparisonArea};
pub use territory::atlas::{Atlas, CommuneRef};
pub use territory::centroids::CommuneCentroids;
pub use territory::dasymetric::type_weight;
pub use territory::footprint::{Claim, Footprint};
pub use territory::iris::{IrisShare, IrisTiling, TILING_TOLERANCE};
pub use territory::prepare::{prepare_territory, TerritoryError};
pub use territory::resolve::{ResolveError, ResolvedTerritory};
pub use territory::search::{CommuneSearch, Place, PlaceKind};
