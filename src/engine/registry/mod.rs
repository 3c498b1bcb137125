//! The registry of existing CPTS indexed on the atlas: overlaps, coverage of a territory by the
//! registry, communes no CPTS covers.

pub(crate) mod coverage;
pub(crate) mod index;
pub(crate) mod overlap;
pub(crate) mod uncovered;
