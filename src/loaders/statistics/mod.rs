//! Commune statistics (INSEE RP, F-EDI, Filosofi): the shipped table and its import from the raw
//! files.

pub mod data;
pub mod import;
