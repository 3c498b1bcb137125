//! The indexed geography: R-tree over commune outlines, territory resolution, covered areas.

mod atlas;
mod coverage;
mod drawn;
pub mod equal_area;
mod footprint;
mod overlap;
mod registry;
mod resolve;
mod saved;
mod uncovered;

pub use atlas::{Atlas, CommuneRef};
pub use drawn::{drawn_from_geojson, DrawnError, DrawnLimits};
pub use footprint::{Claim, Footprint};
pub use overlap::{
    overlap, Estimate, Overlap, OverlapKind, OverlapTolerance, SharedCommune, TOUCH_M2,
};
pub use registry::{
    CptsName, CptsOverlap, IndexedCpts, RegistryError, RegistryIndex, RegistryPair,
};
pub use resolve::{ResolveError, ResolvedTerritory};
pub use saved::territory_spec;
pub use uncovered::{
    CoverageError, CoverageReport, CoverageScope, CoverageTotals, PartlyCoveredCommune,
    UncoveredCommune, FULL_SHARE,
};
