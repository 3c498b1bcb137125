//! Plain data of the domain (communes, territories, administrative units); no I/O.

mod admin;
mod batch;
mod commune;
mod cpts;
mod feature_table;
mod geography;
mod health;
mod iris;
mod saved;
mod sources;
mod territory;
mod text;

pub use admin::{Arrondissement, Departement, Epci, Region};
pub use batch::{BatchRecord, BatchSource, BatchTerritory, ListedCode};
pub use commune::{Commune, CommuneCode};
pub use cpts::{AreaBasis, Cpts, CptsMember, CptsStatus, Registry, RegistryArea};
pub use feature_table::{Column, ColumnKind, FeatureTable, TableRow};
pub use geography::{check_wgs84, DisplayLevel, Geography, NotWgs84};
pub use health::age::{AgeCounts, AgeGroup, AgeStructure};
pub use health::apl::{AplTable, AplValue};
pub use health::care_place::CarePlace;
pub use health::data::HealthData;
pub use health::directory::{Directory, DirectoryCoverage, Practitioner, PractitionerCount};
pub use health::equipment::{Equipment, EquipmentTable};
pub use health::establishment::{Establishment, EstablishmentList};
pub use health::patients::{CpamCount, PatientsWithoutGp, PatientsWithoutGpRecord};
pub use health::profession::{PracticeMode, Profession};
pub use health::statistics::{
    CommuneFigures, CommuneStatistics, StatisticNote, StatisticSource, CENSUS_AGE_BANDS,
};
pub use iris::{is_iris_code, Iris, IrisLayer, IrisType};
pub use saved::{SavedTerritory, TerritoryChange, TerritoryDraft};
pub use sources::{
    AdjacencyRows, AtlasSources, Deferred, Neighbour, OutlineMeasures, StoredMeasures,
};
pub use territory::{CountingMethod, RawTerritory, TerritoryMember, TerritorySpec};
pub use text::fold;
