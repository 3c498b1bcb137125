//! Health sources indexed on the geography: the health atlas, establishments, care places, commune
//! statistics, travel times and computed accessibility.

pub(crate) mod atlas;
pub(crate) mod care_places;
pub(crate) mod commune_statistics;
pub(crate) mod e2sfca;
pub(crate) mod establishments;
pub mod travel_time;
