//! Geography sources: COG communes and units, IGN outlines, code history, postal codes, and the
//! shipped dataset with its import.

pub mod codes;
pub(crate) mod cog;
pub mod data_dir;
pub mod dataset;
pub(crate) mod ign;
pub mod import;
pub mod measures;
pub mod postal_codes;

pub use data_dir::read_atlas_sources;
