//! Population by age group per commune: ARS Normandie's file and INSEE `base-cc-evol-struct-pop`.
//!
//! Codes of communes merged since the source's vintage are mapped to the current commune and
//! their counts summed.

use std::collections::BTreeMap;
use std::path::Path;

use crate::loaders::geography::codes::{CurrentCodes, Unmapped};
use crate::loaders::table::{Dialect, Table};
use crate::loaders::LoadError;
use crate::model::{AgeCounts, AgeGroup};

/// Counts by current commune, with the groups in column order, and the codes left aside.
pub type AgeRows = (Vec<AgeGroup>, BTreeMap<String, AgeCounts>, Unmapped);

/// Reads ARS Normandie's `communes_ts_population_ages_2017.csv`
/// (`pop_legale_2017, pop_0_6, pop_60p, pop_75p, pop_femmes_16_59`).
pub fn load_normandie_ages(path: &Path, codes: &CurrentCodes) -> Result<AgeRows, LoadError> {
    let table = Table::open(
        path,
        Dialect::COMMA,
        "ARS Normandie communes_ts_population_ages",
    )?;
    let code = table.column("code_commune")?;
    let population = table.column("pop_legale_2017")?;
    let groups = [
        (AgeGroup::Age0To6, table.column("pop_0_6")?),
        (AgeGroup::Age60Plus, table.column("pop_60p")?),
        (AgeGroup::Age75Plus, table.column("pop_75p")?),
        (AgeGroup::Women16To59, table.column("pop_femmes_16_59")?),
    ];
    read_counts(table, code, population, &groups, codes)
}

/// Reads INSEE's `base-cc-evol-struct-pop-YYYY` (';' separated): `CODGEO`, `PYY_POP` and the
/// age bands `PYY_POP0014`, `PYY_POP1529`, `PYY_POP3044`, `PYY_POP4559`, `PYY_POP6074`,
/// `PYY_POP75P` (or `PYY_POP7589` + `PYY_POP90P`, as some vintages split it) of the census
/// year `YY` found in the header; 60+ is derived as 60-74 + 75+.
/// Returns the census year too (`2021`).
pub fn load_insee_age_bands(
    path: &Path,
    codes: &CurrentCodes,
) -> Result<(u16, AgeRows), LoadError> {
    let table = Table::open(path, Dialect::SEMICOLON, "INSEE base-cc-evol-struct-pop")?;
    let year = table
        .headers()
        .iter()
        .find_map(|h| {
            let h = h.to_ascii_uppercase();
            let yy = h.strip_prefix('P')?.strip_suffix("_POP")?;
            (yy.len() == 2 && yy.bytes().all(|b| b.is_ascii_digit())).then(|| yy.to_string())
        })
        .ok_or_else(|| table.column("P21_POP").unwrap_err())?;
    let column = |band: &str| table.column(&format!("P{year}_POP{band}"));
    let code = table.column("CODGEO")?;
    let population = column("")?;
    let groups = [
        (AgeGroup::Age0To14, column("0014")?),
        (AgeGroup::Age15To29, column("1529")?),
        (AgeGroup::Age30To44, column("3044")?),
        (AgeGroup::Age45To59, column("4559")?),
        (AgeGroup::Age60To74, column("6074")?),
    ];
    // 75+ in one column, or in two read as extra groups and summed below.
    let split_75 = column("75P").is_err();
    let mut columns = groups.to_vec();
    if split_75 {
        columns.push((AgeGroup::Age75Plus, column("7589")?));
        columns.push((AgeGroup::Age75Plus, column("90P")?));
    } else {
        columns.push((AgeGroup::Age75Plus, column("75P")?));
    }
    let mut rows = read_counts(table, code, population, &columns, codes)?;
    if split_75 {
        rows.0.pop();
        for counts in rows.1.values_mut() {
            let ninety = counts.groups.pop().unwrap_or(0.0);
            counts.groups[5] += ninety;
        }
    }
    rows.0.push(AgeGroup::Age60Plus);
    for counts in rows.1.values_mut() {
        let sixty_plus = counts.groups[4] + counts.groups[5];
        counts.groups.push(sixty_plus);
    }
    let year = 2000 + year.parse::<u16>().unwrap_or(0);
    Ok((year, rows))
}

fn read_counts(
    table: Table,
    code: usize,
    population: usize,
    groups: &[(AgeGroup, usize)],
    codes: &CurrentCodes,
) -> Result<AgeRows, LoadError> {
    let mut out: BTreeMap<String, AgeCounts> = BTreeMap::new();
    let mut unmapped = Unmapped::default();
    table.for_each_row(|row| {
        let raw = row.commune_code(code)?;
        let Some(current) = codes.current(&raw) else {
            unmapped.add(&raw);
            return Ok(());
        };
        let pop = row.f64(population)?;
        let values = groups
            .iter()
            .map(|&(_, c)| row.f64(c))
            .collect::<Result<Vec<f64>, _>>()?;
        let entry = out.entry(current.to_string()).or_insert_with(|| AgeCounts {
            population: 0.0,
            groups: vec![0.0; groups.len()],
        });
        entry.population += pop;
        entry
            .groups
            .iter_mut()
            .zip(&values)
            .for_each(|(a, v)| *a += v);
        Ok(())
    })?;
    Ok((groups.iter().map(|&(g, _)| g).collect(), out, unmapped))
}
