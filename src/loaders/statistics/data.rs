//! The shipped commune statistics (`data/supply/statistics.csv`): one row per current commune
//! or arrondissement, `code,population_2020,change_2014_2020,<RP 2020 age shares, %>,
//! share_75_plus_2022,fedi,poverty_rate`; an empty field has no value (the manifest's notes
//! say why).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::loaders::table::{Dialect, Table};
use crate::loaders::LoadError;
use crate::model::{CommuneFigures, CommuneStatistics, StatisticNote, CENSUS_AGE_BANDS};

/// The table's file name inside `data/supply/`.
pub const STATISTICS_FILE: &str = "statistics.csv";

/// The manifest's entry for the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatisticsEntry {
    /// File name inside `data/supply/`.
    pub file: String,
    /// Source, vintage, licence and missing-value note of each figure.
    pub notes: Vec<StatisticNote>,
}

fn columns() -> Vec<String> {
    let mut columns = vec![
        "code".to_string(),
        "population_2020".into(),
        "change_2014_2020".into(),
    ];
    columns.extend(
        CENSUS_AGE_BANDS
            .iter()
            .map(|g| crate::loaders::health::data::age_group_id(*g)),
    );
    columns.extend(["share_75_plus_2022", "fedi", "poverty_rate"].map(String::from));
    columns
}

/// Writes the table into `dir`; returns its manifest entry.
pub fn write_statistics(
    dir: &Path,
    statistics: &CommuneStatistics,
) -> Result<StatisticsEntry, LoadError> {
    let number = |v: Option<f64>| {
        v.map(|v| crate::loaders::health::data::round(v, 4))
            .unwrap_or_default()
    };
    let mut rows = vec![columns().join(",")];
    for (code, f) in &statistics.communes {
        let mut fields = vec![
            code.clone(),
            number(f.population_2020),
            number(f.change_2014_2020),
        ];
        match f.age_shares {
            Some(shares) => fields.extend(shares.iter().map(|&s| number(Some(s)))),
            None => fields.extend(std::iter::repeat_n(String::new(), 6)),
        }
        fields.extend([f.share_75_plus_2022, f.fedi, f.poverty_rate].map(number));
        rows.push(fields.join(","));
    }
    let path = dir.join(STATISTICS_FILE);
    std::fs::write(&path, rows.join("\n") + "\n").map_err(|source| LoadError::Write {
        path: path.clone(),
        source,
    })?;
    Ok(StatisticsEntry {
        file: STATISTICS_FILE.into(),
        notes: statistics.notes.clone(),
    })
}

/// Reads the table an entry names, from `dir`.
pub fn read_statistics(dir: &Path, entry: StatisticsEntry) -> Result<CommuneStatistics, LoadError> {
    let table = Table::open(
        &dir.join(&entry.file),
        Dialect::COMMA,
        "cpts-atlas statistics table",
    )?;
    let index = columns()
        .iter()
        .map(|c| table.column(c))
        .collect::<Result<Vec<usize>, _>>()?;
    let mut communes = BTreeMap::new();
    table.for_each_row(|row| {
        let value = |i: usize| row.opt_f64(index[i]);
        let shares = (3..9).map(value).collect::<Result<Vec<_>, _>>()?;
        let age_shares = shares
            .into_iter()
            .collect::<Option<Vec<f64>>>()
            .and_then(|s| <[f64; 6]>::try_from(s).ok());
        communes.insert(
            row.commune_code(index[0])?,
            CommuneFigures {
                population_2020: value(1)?,
                change_2014_2020: value(2)?,
                age_shares,
                share_75_plus_2022: value(9)?,
                fedi: value(10)?,
                poverty_rate: value(11)?,
            },
        );
        Ok(())
    })?;
    Ok(CommuneStatistics {
        notes: entry.notes,
        communes,
    })
}
