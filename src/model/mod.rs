//! Plain data of the domain (communes, territories, administrative units); no I/O.

mod admin;
mod commune;
mod cpts;
mod geography;
mod saved;
mod territory;

pub use admin::{Arrondissement, Departement, Epci, Region};
pub use commune::{Commune, CommuneCode};
pub use cpts::{Cpts, CptsMember, Registry};
pub use geography::{DisplayLevel, Geography};
pub use saved::{SavedSpec, SavedTerritory, TerritoryChange, TerritoryDraft};
pub use territory::{TerritoryMember, TerritorySpec};
