//! The indexed geography: R-tree over commune outlines, territory resolution, covered areas,
//! the registry of existing CPTS with their overlaps and the communes none covers.

mod atlas;
mod coverage;
mod drawn;
pub mod equal_area;
mod footprint;
mod intersection_area;
mod overlap;
mod registry;
mod resolve;
mod saved;
mod search;
mod uncovered;

pub use atlas::{Atlas, CommuneRef};
pub use drawn::{drawn_from_geojson, DrawnError, DrawnLimits};
pub use footprint::{Claim, Footprint};
pub use intersection_area::intersection_area;
pub use overlap::{
    overlap, Estimate, Overlap, OverlapKind, OverlapTolerance, SharedCommune, TOUCH_M2,
};
pub use registry::{
    CptsName, CptsOverlap, IndexedCpts, RegistryError, RegistryIndex, RegistryPair,
};
pub use resolve::{ResolveError, ResolvedTerritory};
pub use saved::territory_spec;
pub use search::{CommuneSearch, Place, PlaceKind};
pub use uncovered::{
    CoverageError, CoverageReport, CoverageScope, CoverageTotals, PartlyCoveredCommune,
    UncoveredCommune, FULL_SHARE,
};
