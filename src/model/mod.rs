//! Plain data of the domain (communes, territories, administrative units); no I/O.

mod admin;
mod commune;
mod geography;
mod iris;
mod territory;

pub use admin::{Arrondissement, Departement, Epci, Region};
pub use commune::{Commune, CommuneCode};
pub use geography::{DisplayLevel, Geography};
pub use iris::{is_iris_code, Iris, IrisLayer, IrisType};
pub use territory::{CountingMethod, TerritoryMember, TerritorySpec};
