//! Planar and spherical geometry: equal-area projection, areas of intersections, edge crossings,
//! outlines and distances, drawn polygons and their coverage of communes.

pub(crate) mod coverage;
pub(crate) mod coverage_work;
pub(crate) mod crossings;
pub(crate) mod drawn;
pub mod equal_area;
pub mod great_circle;
pub(crate) mod intersection_area;
pub(crate) mod outline;
pub(crate) mod outline_distance;
