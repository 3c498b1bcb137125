//! cpts-atlas: a GIS engine and service for French primary-care territories (CPTS).
//!
//! Rooms, with arrows going one way: `cli`/`http` -> (`dossier` ->) `diagnosis` -> `engine` ->
//! `model` <- `loaders`;
//! `store` (saved territories, SQLite) -> `engine` (validation of drawn geometries).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod cli;
pub mod diagnosis;
pub mod dossier;
pub mod engine;
pub mod export;
#[cfg(feature = "server")]
pub mod http;
pub mod loaders;
pub mod model;
pub mod store;
