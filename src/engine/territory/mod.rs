//! The indexed geography and territory resolution: the atlas, IRIS and their population shares,
//! footprints, adjacency, centroids, search and saved territories.

pub(crate) mod adjacency;
pub(crate) mod area_totals;
pub(crate) mod atlas;
pub(crate) mod centroids;
pub(crate) mod dasymetric;
pub(crate) mod footprint;
pub(crate) mod iris;
pub(crate) mod prepare;
pub(crate) mod resolve;
pub(crate) mod search;
