//! The indexed geography: R-tree over commune outlines, territory resolution, covered areas.

mod atlas;
mod coverage;
mod drawn;
pub mod equal_area;
mod intersection_area;
mod resolve;
mod search;

pub use atlas::{Atlas, CommuneRef};
pub use drawn::{drawn_from_geojson, DrawnError, DrawnLimits};
pub use intersection_area::intersection_area;
pub use resolve::{ResolveError, ResolvedTerritory};
pub use search::{CommuneSearch, Place, PlaceKind};
