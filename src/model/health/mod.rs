//! Plain data of health supply and needs: directories, professions, APL, BPE equipment,
//! establishments, care places, ages, statistics, patients.

pub(crate) mod age;
pub(crate) mod apl;
pub(crate) mod care_place;
pub(crate) mod data;
pub(crate) mod directory;
pub(crate) mod equipment;
pub(crate) mod establishment;
pub(crate) mod patients;
pub(crate) mod profession;
pub(crate) mod statistics;
