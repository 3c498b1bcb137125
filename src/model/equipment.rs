//! INSEE BPE (Base permanente des équipements) counts: equipment type by commune and IRIS.

use super::CommuneCode;

/// Number of equipments of one BPE type (`D201`) in one commune (or one of its IRIS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Equipment {
    /// Current (COG 2026) commune or arrondissement code.
    pub commune: CommuneCode,
    /// IRIS code (9 characters, `010040202`) where the source splits the commune into IRIS;
    /// the IRIS of a commune merged since the source's vintage keep their former prefix.
    pub iris: Option<String>,
    /// BPE equipment type (`D201` médecin omnipraticien, `D106` urgences...).
    pub typequ: String,
    pub count: u32,
}

/// One BPE vintage with its provenance; rows sorted by commune, IRIS, type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EquipmentTable {
    /// Stable id (`bpe-2019`).
    pub id: String,
    /// Who published it (French, shown in the UI).
    pub source: String,
    /// Year of the counts (`2019`).
    pub vintage: String,
    pub licence: String,
    /// What the counts are and are not (French, shown beside the figures).
    pub caveat: String,
    /// Départements the table covers wholly (a commune there without a row has none).
    pub departements: Vec<String>,
    pub rows: Vec<Equipment>,
}

impl EquipmentTable {
    /// Total count of one equipment type.
    ///
    /// ```
    /// use cpts_atlas::model::{Equipment, EquipmentTable};
    /// let row = |c: &str, t: &str, n| Equipment { commune: c.into(), iris: None, typequ: t.into(), count: n };
    /// let t = EquipmentTable { rows: vec![row("23096", "D201", 30), row("23096", "D232", 40), row("23001", "D201", 1)], ..Default::default() };
    /// assert_eq!(t.total("D201"), 31);
    /// ```
    pub fn total(&self, typequ: &str) -> u64 {
        self.rows
            .iter()
            .filter(|r| r.typequ == typequ)
            .map(|r| u64::from(r.count))
            .sum()
    }
}
