//! Geography sources: COG communes and units, IGN outlines, code history, postal codes, and the
//! shipped dataset with its import.

pub mod codes;
pub(crate) mod cog;
pub mod dataset;
pub(crate) mod ign;
pub mod import;
pub mod postal_codes;
