//! DREES APL to general practitioners, per commune (`apl_mg_communes_YYYY.csv`).
//!
//! Codes of communes merged since the edition are mapped to the current commune, whose APL is
//! then the mean of its parts weighted by standardised population (the DREES aggregation rule:
//! accessible consultations summed over standardised inhabitants summed).

use std::collections::BTreeMap;
use std::path::Path;

use crate::loaders::geography::codes::{CurrentCodes, Unmapped};
use crate::loaders::table::{Dialect, Table};
use crate::loaders::LoadError;
use crate::model::{AplTable, AplValue};

/// What the APL loader read, merged and left aside.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AplReport {
    /// Rows read.
    pub rows: usize,
    /// Rows without an APL value.
    pub missing: usize,
    /// Current codes that absorbed several rows (merged communes).
    pub merged: Vec<String>,
    /// Codes the COG does not map to a current commune.
    pub unmapped: Unmapped,
}

/// Reads one edition of the DREES APL CSV
/// (`code_commune,commune,apl_mg,apl_mg_moins65,pop_standardisee,pop_totale`).
pub fn load_apl(
    path: &Path,
    edition: u16,
    source: &str,
    codes: &CurrentCodes,
) -> Result<(AplTable, AplReport), LoadError> {
    let table = Table::open(path, Dialect::COMMA, "DREES APL (apl_mg_communes)")?;
    let code = table.column("code_commune")?;
    let apl = table.column("apl_mg")?;
    let apl65 = table.column("apl_mg_moins65")?;
    let std_pop = table.column("pop_standardisee")?;
    let pop = table.column("pop_totale")?;
    let mut report = AplReport::default();
    let mut parts: BTreeMap<String, Vec<AplValue>> = BTreeMap::new();
    table.for_each_row(|row| {
        report.rows += 1;
        let raw = row.commune_code(code)?;
        let (Some(a), Some(a65)) = (row.opt_f64(apl)?, row.opt_f64(apl65)?) else {
            report.missing += 1;
            return Ok(());
        };
        let value = AplValue {
            apl: a,
            apl_under_65: a65,
            standardized_population: row.f64(std_pop)?,
            population: row.f64(pop)?,
        };
        match codes.current(&raw) {
            Some(current) => parts.entry(current.to_string()).or_default().push(value),
            None => report.unmapped.add(&raw),
        }
        Ok(())
    })?;
    let values = parts
        .into_iter()
        .map(|(code, values)| {
            if values.len() > 1 {
                report.merged.push(code.clone());
            }
            (code, AplValue::combine(&values).expect("at least one part"))
        })
        .collect();
    Ok((
        AplTable {
            edition,
            source: source.to_string(),
            values,
        },
        report,
    ))
}
