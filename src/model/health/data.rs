//! Everything known of health supply and needs, as loaded: directories, APL, BPE, establishments, ages.

use crate::model::{
    AgeStructure, AplTable, CommuneStatistics, Directory, EquipmentTable, EstablishmentList,
    PatientsWithoutGp,
};

/// The health sources of a deployment (shipped `data/supply/` plus user files), no index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HealthData {
    /// Directories, most authoritative first: for a territory and a profession the first one
    /// covering it answers.
    pub directories: Vec<Directory>,
    /// DREES APL editions, oldest first.
    pub apl: Vec<AplTable>,
    /// FINESS establishments (hospitals and clinics), when loaded.
    pub establishments: Option<EstablishmentList>,
    /// Age-structure sources, most detailed first.
    pub ages: Vec<AgeStructure>,
    /// INSEE BPE vintages (all health and social `D*` types), oldest first.
    pub equipment: Vec<EquipmentTable>,
    /// The porteur's CPAM file, when given.
    pub patients: Option<PatientsWithoutGp>,
    /// Census ages, population change and fragility of every commune (RP, F-EDI, Filosofi).
    pub statistics: Option<CommuneStatistics>,
}
