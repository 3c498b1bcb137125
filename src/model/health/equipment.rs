//! INSEE BPE (Base permanente des équipements) counts: equipment type by commune and IRIS.

use std::collections::BTreeSet;

use crate::model::{
    CommuneCode, Directory, DirectoryCoverage, PracticeMode, PractitionerCount, Profession,
};

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
    /// Equipments of that type there.
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
    /// Licence of the data (`Licence Ouverte 2.0`).
    pub licence: String,
    /// What the counts are and are not (French, shown beside the figures).
    pub caveat: String,
    /// Départements the table covers wholly (a commune there without a row has none).
    pub departements: Vec<String>,
    /// The counts, sorted by commune, IRIS, type.
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

    /// The professions (and pharmacies, laboratories, ambulances) this table counts, as a
    /// directory covering its départements, every count filed as liberal (the BPE lists liberal
    /// practice sites and private officines, laboratories, ambulance firms). IRIS are summed
    /// into their commune.
    ///
    /// ```
    /// use cpts_atlas::model::{Equipment, EquipmentTable, Profession};
    /// let row = |i: Option<&str>, t: &str, n| Equipment { commune: "69381".into(), iris: i.map(String::from), typequ: t.into(), count: n };
    /// let t = EquipmentTable { id: "bpe-2019".into(), departements: vec!["69".into()],
    ///     rows: vec![row(Some("693810101"), "D201", 3), row(Some("693810102"), "D201", 4), row(None, "D106", 1)], ..Default::default() };
    /// let d = t.professions_directory();
    /// assert_eq!(d.total(Profession::GeneralPractitioner), 7);
    /// assert_eq!(d.counts.len(), 1);
    /// assert_eq!(d.coverage.professions, vec![Profession::GeneralPractitioner]);
    /// ```
    pub fn professions_directory(&self) -> Directory {
        let mut professions = BTreeSet::new();
        let counts: Vec<PractitionerCount> = self
            .rows
            .iter()
            .filter_map(|r| {
                let profession = Profession::from_bpe_type(&r.typequ)?;
                professions.insert(profession);
                Some(PractitionerCount {
                    commune: r.commune.clone(),
                    profession,
                    mode: PracticeMode::Liberal,
                    count: r.count,
                })
            })
            .collect();
        let coverage = DirectoryCoverage {
            professions: professions.into_iter().collect(),
            modes: vec![PracticeMode::Liberal],
            departements: self.departements.clone(),
            communes: Vec::new(),
        };
        let mut directory =
            Directory::from_counts(&self.id, &self.source, &self.vintage, coverage, counts);
        directory.caveat = Some(self.caveat.clone()).filter(|c| !c.is_empty());
        directory
    }
}
