//! The indexed geography: R-tree over commune outlines, territory resolution, covered areas,
//! and the health sources indexed on it (centroids, establishments, computed accessibility).

mod atlas;
mod centroids;
mod coverage;
mod drawn;
mod e2sfca;
pub mod equal_area;
mod establishments;
pub mod great_circle;
mod health_atlas;
mod resolve;

pub use atlas::{Atlas, CommuneRef};
pub use centroids::CommuneCentroids;
pub use drawn::{drawn_from_geojson, DrawnError, DrawnLimits};
pub use e2sfca::{e2sfca, DecayStep, E2sfcaParams};
pub use establishments::{commune_at, distance_to_communes_km, EstablishmentIndex};
pub use health_atlas::{HealthAtlas, Place};
pub use resolve::{ResolveError, ResolvedTerritory};
