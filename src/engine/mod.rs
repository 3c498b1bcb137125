//! The indexed geography: R-tree over commune outlines, territory resolution, covered areas.

mod atlas;
mod coverage;
mod dasymetric;
mod drawn;
pub mod equal_area;
mod intersection_area;
mod iris;
mod resolve;
mod search;

pub use atlas::{Atlas, CommuneRef};
pub use dasymetric::type_weight;
pub use drawn::{drawn_from_geojson, DrawnError, DrawnLimits};
pub use intersection_area::intersection_area;
pub use iris::{IrisShare, IrisTiling, TILING_TOLERANCE};
pub use resolve::{ResolveError, ResolvedTerritory};
pub use search::{CommuneSearch, Place, PlaceKind};
