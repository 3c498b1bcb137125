//! IRIS sources: outline files and their CRS, attribute dialects, INSEE IRIS populations, and the
//! shipped IRIS layer with its import.

pub mod crs;
pub mod dataset;
pub(crate) mod fields;
pub(crate) mod files;
pub mod import;
pub mod population;
