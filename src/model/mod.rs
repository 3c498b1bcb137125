//! Plain data of the domain (communes, territories, administrative units); no I/O.

mod admin;
mod age;
mod apl;
mod batch;
mod care_place;
mod commune;
mod cpts;
mod directory;
mod equipment;
mod establishment;
mod feature_table;
mod geography;
mod health_data;
mod iris;
mod patients;
mod profession;
mod saved;
mod statistics;
mod territory;
mod text;

pub use admin::{Arrondissement, Departement, Epci, Region};
pub use age::{AgeCounts, AgeGroup, AgeStructure};
pub use apl::{AplTable, AplValue};
pub use batch::{BatchRecord, BatchSource, BatchTerritory, ListedCode};
pub use care_place::CarePlace;
pub use commune::{Commune, CommuneCode};
pub use cpts::{AreaBasis, Cpts, CptsMember, CptsStatus, Registry, RegistryArea};
pub use directory::{Directory, DirectoryCoverage, Practitioner, PractitionerCount};
pub use equipment::{Equipment, EquipmentTable};
pub use establishment::{Establishment, EstablishmentList};
pub use feature_table::{Column, ColumnKind, FeatureTable, TableRow};
pub use geography::{DisplayLevel, Geography};
pub use health_data::HealthData;
pub use iris::{is_iris_code, Iris, IrisLayer, IrisType};
pub use patients::{CpamCount, PatientsWithoutGp, PatientsWithoutGpRecord};
pub use profession::{PracticeMode, Profession};
pub use saved::{SavedSpec, SavedTerritory, TerritoryChange, TerritoryDraft};
pub use statistics::{
    CommuneFigures, CommuneStatistics, StatisticNote, StatisticSource, CENSUS_AGE_BANDS,
};
pub use territory::{CountingMethod, TerritoryMember, TerritorySpec};
pub use text::fold;
