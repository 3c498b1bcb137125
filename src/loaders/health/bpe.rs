//! INSEE BPE (Base permanente des équipements): the 2019 health table per IRIS, the 2021 counts.
//!
//! Commune codes of the source's COG (2019, 2023) are mapped to the current COG: merged
//! communes are summed into their successor, Paris, Lyon and Marseille arrondissements keep
//! their arrondissement codes. A code that maps to no current commune is reported, not kept.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::loaders::geography::codes::{CurrentCodes, Unmapped};
use crate::loaders::table::{Dialect, Table};
use crate::loaders::LoadError;
use crate::model::{Equipment, EquipmentTable};

/// The raw BPE 2019 health table (TYPEQU `D*`), under the shared data folder.
pub const BPE_2019_FILE: &str = "bpe-insee/bpe19_sante_iris.csv";
/// The raw BPE 2021 counts per commune (INSEE Statistiques locales export).
pub const BPE_2021_FILE: &str = "bpe-insee/bpe21_communes_6_insee_equipements.csv";

/// The BPE 2021 columns kept, with the BPE type each one counts.
pub const BPE_2021_COLUMNS: [(&str, &str); 6] = [
    ("Service d'urgences (en nombre) 2021", "D106"),
    ("Médecin généraliste (en nombre) 2021", "D201"),
    ("Chirurgien dentiste (en nombre) 2021", "D221"),
    ("Infirmier (en nombre) 2021", "D232"),
    ("Masseur kinésithérapeute (en nombre) 2021", "D233"),
    ("Pharmacie (en nombre) 2021", "D301"),
];

const LICENCE: &str = "Licence Ouverte / Open Licence (Etalab)";
const CAVEAT: &str = "La BPE compte les lieux d'exercice libéral (RPPS/ADELI) : un professionnel exerçant sur deux sites compte deux fois ; les médecins salariés des hôpitaux n'y figurent pas.";

/// What a BPE loader read, merged and left aside.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BpeReport {
    /// Rows read.
    pub rows: usize,
    /// Current code -> the former codes (merged communes) whose rows were added to it.
    pub former: BTreeMap<String, BTreeSet<String>>,
    /// Rows whose IRIS field is neither the commune code nor `<commune>_<IRIS>` (kept at
    /// commune level).
    pub odd_iris: usize,
    /// Codes the COG does not map to a current commune.
    pub unmapped: Unmapped,
}

impl BpeReport {
    fn note_source(&mut self, current: &str, raw: &str) {
        if current != raw {
            self.former
                .entry(current.to_string())
                .or_default()
                .insert(raw.to_string());
        }
    }
}

/// Reads `bpe19_sante_iris.csv` (`REG;DEP;DEPCOM;DCIRIS;AN;TYPEQU;NB_EQUIP`), every `D*` type.
pub fn load_bpe_2019(
    path: &Path,
    codes: &CurrentCodes,
) -> Result<(EquipmentTable, BpeReport), LoadError> {
    let table = Table::open(
        path,
        Dialect::SEMICOLON,
        "INSEE BPE 2019 (bpe19_sante_iris)",
    )?;
    let [dep, depcom, dciris, typequ, count] =
        ["DEP", "DEPCOM", "DCIRIS", "TYPEQU", "NB_EQUIP"].map(|c| table.column(c));
    let (dep, depcom, dciris, typequ, count) = (dep?, depcom?, dciris?, typequ?, count?);
    let mut report = BpeReport::default();
    let mut departements = BTreeSet::new();
    let mut sums: BTreeMap<(String, Option<String>, String), u32> = BTreeMap::new();
    table.for_each_row(|row| {
        report.rows += 1;
        let raw = row.commune_code(depcom)?;
        let kind = row.get(typequ).to_ascii_uppercase();
        if !(kind.len() == 4 && kind.starts_with('D')) {
            return Err(row.error(typequ, "not a BPE health or social type (D + 3 characters)"));
        }
        let n = row.u32(count)?;
        departements.insert(row.get(dep).into_owned());
        let iris_field = row.get(dciris);
        let iris = match iris_field.strip_prefix(raw.as_str()) {
            Some("") => None,
            Some(rest) if rest.len() == 5 && rest.starts_with('_') => {
                Some(format!("{raw}{}", &rest[1..]))
            }
            _ => {
                report.odd_iris += 1;
                None
            }
        };
        let Some(current) = codes.current(&raw) else {
            report.unmapped.add(&raw);
            return Ok(());
        };
        report.note_source(current, &raw);
        *sums.entry((current.to_string(), iris, kind)).or_default() += n;
        Ok(())
    })?;
    let rows = sums
        .into_iter()
        .map(|((commune, iris, typequ), count)| Equipment {
            commune,
            iris,
            typequ,
            count,
        })
        .collect();
    Ok((
        EquipmentTable {
            id: "bpe-2019".into(),
            source: "INSEE, Base permanente des équipements 2019 (domaine santé et action sociale, par IRIS)".into(),
            vintage: "2019".into(),
            licence: LICENCE.into(),
            caveat: CAVEAT.into(),
            departements: departements.into_iter().collect(),
            rows,
        },
        report,
    ))
}

/// Reads the BPE 2021 counts per commune (`Code;Libellé;...`), the columns of
/// [`BPE_2021_COLUMNS`]; the table covers the départements of `departements` (the export has
/// every commune of France, no département column).
pub fn load_bpe_2021(
    path: &Path,
    codes: &CurrentCodes,
) -> Result<(EquipmentTable, BpeReport), LoadError> {
    let table = Table::open(
        path,
        Dialect::SEMICOLON,
        "INSEE BPE 2021 export (bpe21_communes_6_insee_equipements)",
    )?;
    let code = table.column("Code")?;
    let columns = BPE_2021_COLUMNS
        .iter()
        .map(|(name, kind)| Ok((table.column(name)?, *kind)))
        .collect::<Result<Vec<_>, LoadError>>()?;
    let mut report = BpeReport::default();
    let mut departements = BTreeSet::new();
    let mut sums: BTreeMap<(String, String), u32> = BTreeMap::new();
    table.for_each_row(|row| {
        report.rows += 1;
        let raw = row.commune_code(code)?;
        let values = columns
            .iter()
            .map(|&(c, kind)| Ok((kind, row.u32(c)?)))
            .collect::<Result<Vec<_>, LoadError>>()?;
        let Some(current) = codes.current(&raw) else {
            report.unmapped.add(&raw);
            return Ok(());
        };
        report.note_source(current, &raw);
        if let Some(d) = codes.departement(current) {
            departements.insert(d.to_string());
        }
        for (kind, n) in values.into_iter().filter(|&(_, n)| n > 0) {
            *sums
                .entry((current.to_string(), kind.to_string()))
                .or_default() += n;
        }
        Ok(())
    })?;
    let rows = sums
        .into_iter()
        .map(|((commune, typequ), count)| Equipment {
            commune,
            iris: None,
            typequ,
            count,
        })
        .collect();
    Ok((
        EquipmentTable {
            id: "bpe-2021".into(),
            source: "INSEE, Base permanente des équipements 2021, par commune (export Statistiques locales)".into(),
            vintage: "2021".into(),
            licence: LICENCE.into(),
            caveat: CAVEAT.into(),
            departements: departements.into_iter().collect(),
            rows,
        },
        report,
    ))
}
