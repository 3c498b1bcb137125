//! Builds the commune statistics from the raw INSEE files (`../shared/data/insee-communes`):
//! RP 2020 population, change and age shares, RP 2022 share of 75+, F-EDI, poverty rate.
//!
//! Codes of older vintages are mapped to the current COG; the rows of communes merged since
//! are combined, weighted by their RP 2020 population (summed for the population itself).

use std::collections::BTreeMap;
use std::path::Path;

use crate::loaders::geography::codes::{CurrentCodes, Unmapped};
use crate::loaders::table::{Dialect, Row, Table};
use crate::loaders::{read_json, LoadError};
use crate::model::{CommuneFigures, CommuneStatistics, Geography, StatisticNote, StatisticSource};

/// The raw folder under the shared data.
pub const INSEE_COMMUNES_DIR: &str = "insee-communes";

const LICENCE: &str = "Licence Ouverte / Etalab 2.0";

/// What the import of one source read, combined and left aside, for `data/import-log.md`.
#[derive(Debug, Default)]
pub struct SourceReport {
    /// Rows read.
    pub rows: usize,
    /// Rows whose value is "N/A", empty or null: raw code -> marker.
    pub without_value: BTreeMap<String, String>,
    /// Current codes combined from several rows: current -> raw codes.
    pub merged: BTreeMap<String, Vec<String>>,
    /// Codes the COG does not map to a current commune.
    pub unmapped: Unmapped,
    /// Rows of a merged commune left out of its combination for lack of an RP 2020 weight.
    pub without_weight: Vec<String>,
    /// Current communes (COG) the source has no row for.
    pub absent: Vec<String>,
}

/// Reports of the five sources, in [`StatisticSource`] order of the notes.
pub type StatisticsReport = Vec<(StatisticSource, SourceReport)>;

/// One raw row: its code and values (`None` where the source gives none).
type RawRows = Vec<(String, Vec<Option<f64>>)>;

/// The raw rows of each current code: (raw code, values).
type Parts<'a> = BTreeMap<String, Vec<(&'a str, &'a [Option<f64>])>>;

/// Reads the raw files under `shared_data/insee-communes` and maps them to current COG codes.
pub fn import_statistics(
    shared_data: &Path,
    geography: &Geography,
) -> Result<(CommuneStatistics, StatisticsReport), LoadError> {
    let dir = shared_data.join(INSEE_COMMUNES_DIR);
    let codes = CurrentCodes::new(geography);
    let mut reports = StatisticsReport::new();

    let (population, mut population_report) = read_rp_csv(
        &dir.join("rp2020_population_evolution.csv"),
        &[
            "Population municipale 2020",
            "Évol. annuelle moy. de la population 2014-2020",
        ],
    )?;
    // RP 2020 population of each raw code: the weights of merged communes.
    let weights: BTreeMap<String, f64> = population
        .iter()
        .filter_map(|(code, v)| Some((code.clone(), v[0]?)))
        .collect();
    let (ages, mut ages_report) = read_rp_csv(
        &dir.join("rp2020_ages_diplomes.csv"),
        &[
            "Part des pers. âgées de - 15 ans 2020",
            "Part des pers. âgées de - de 25 ans 2020",
            "Part des pers. âgées de 25 à 64 ans 2020",
            "Part des pers. âgées de 65 ans ou + 2020",
            "Part des pers. âgées de 75 ans ou + 2020",
            "Part des pers. âgées de 80 ans ou + 2020",
        ],
    )?;
    let json_sources = [
        (
            StatisticSource::Share75Plus2022,
            "part_personnes_agees_communes.json",
            "part_personnes_agees_75_plus",
        ),
        (StatisticSource::Fedi, "fedi_communes.json", "EDI"),
        (
            StatisticSource::PovertyRate,
            "tx_pauvrete_communes.json",
            "tx_pauvrete",
        ),
    ];

    let mut communes: BTreeMap<String, CommuneFigures> = BTreeMap::new();
    // Population 2020 is summed over merged parts; its change is weighted by population.
    let combined = combine(&population, &codes, &weights, &mut population_report, 1);
    for (code, values) in combined {
        let figures = communes.entry(code).or_default();
        figures.population_2020 = values[0];
        figures.change_2014_2020 = values[1];
    }
    for (code, values) in combine(&ages, &codes, &weights, &mut ages_report, 0) {
        let shares: Option<Vec<f64>> = values.into_iter().collect();
        communes.entry(code).or_default().age_shares =
            shares.and_then(|s| <[f64; 6]>::try_from(s).ok());
    }
    reports.push((StatisticSource::Population2020, population_report));
    reports.push((StatisticSource::Ages2020, ages_report));
    for (id, file, field) in json_sources {
        let (rows, mut report) = read_json_values(&dir.join(file), field)?;
        for (code, values) in combine(&rows, &codes, &weights, &mut report, 0) {
            let figures = communes.entry(code).or_default();
            let slot = match id {
                StatisticSource::Share75Plus2022 => &mut figures.share_75_plus_2022,
                StatisticSource::Fedi => &mut figures.fedi,
                _ => &mut figures.poverty_rate,
            };
            *slot = values[0];
        }
        reports.push((id, report));
    }
    for (id, report) in &mut reports {
        report.absent = geography
            .communes
            .iter()
            .filter(|c| {
                communes.get(&c.code).is_none_or(|f| match id {
                    StatisticSource::Population2020 => f.population_2020.is_none(),
                    StatisticSource::Ages2020 => f.age_shares.is_none(),
                    StatisticSource::Share75Plus2022 => f.share_75_plus_2022.is_none(),
                    StatisticSource::Fedi => f.fedi.is_none(),
                    StatisticSource::PovertyRate => f.poverty_rate.is_none(),
                })
            })
            .map(|c| c.code.clone())
            .collect();
    }
    Ok((
        CommuneStatistics {
            notes: notes(),
            communes,
        },
        reports,
    ))
}

/// The sources' notes: what each is, its vintage and licence, and why a value may be missing.
fn notes() -> Vec<StatisticNote> {
    let note = |id, source: &str, vintage: &str, missing: &str| StatisticNote {
        id,
        source: source.into(),
        vintage: vintage.into(),
        licence: LICENCE.into(),
        missing: missing.into(),
    };
    vec![
        note(
            StatisticSource::Population2020,
            "INSEE, recensement de la population 2020 (Statistiques locales, COG 2023) : population municipale 2020 et évolution annuelle moyenne 2014-2020",
            "RP 2020",
            "not published for this commune in RP 2020 (Mayotte: N/A; Paris, Lyon and Marseille are published as whole communes, not by arrondissement; communes restored after 2023 are inside their former commune)",
        ),
        note(
            StatisticSource::Ages2020,
            "INSEE, recensement de la population 2020 (Statistiques locales, COG 2023) : parts des moins de 15 ans, moins de 25 ans, 25-64 ans, 65 ans et plus, 75 ans et plus, 80 ans et plus ; effectifs = part x population 2020",
            "RP 2020",
            "no RP 2020 age shares for this commune (Mayotte: N/A; Paris, Lyon and Marseille are published as whole communes, not by arrondissement; communes restored after 2023 are inside their former commune)",
        ),
        note(
            StatisticSource::Share75Plus2022,
            "INSEE, recensement de la population 2022 : part des 75 ans et plus (via linalek/hackathon, COG 2025)",
            "RP 2022",
            "no RP 2022 share of 75+ for this commune (absent from the file: Mayotte, Paris/Lyon/Marseille arrondissements, communes without inhabitants)",
        ),
        note(
            StatisticSource::Fedi,
            "Santé publique France / Odissé, indice de défavorisation F-EDI (French European Deprivation Index) par commune ; plus élevé = plus défavorisé",
            "2021",
            "no F-EDI for this commune (absent from the file: overseas départements; Paris, Lyon and Marseille only by arrondissement)",
        ),
        note(
            StatisticSource::PovertyRate,
            "INSEE, Filosofi : taux de pauvreté (%) par commune (via linalek/hackathon). Beaucoup de petites communes portent la valeur d'une zone plus large (secret statistique) : lecture approchée",
            "millésime non précisé par la source",
            "poverty rate not published for this commune (statistical secret where too few households, or outside Filosofi's coverage: overseas)",
        ),
    ]
}

/// Reads an INSEE Statistiques locales CSV (`Code;Libellé;...`) and the named columns;
/// `N/A - ...` markers are kept as `None` with the marker in the report.
fn read_rp_csv(path: &Path, columns: &[&str]) -> Result<(RawRows, SourceReport), LoadError> {
    let table = Table::open(path, Dialect::SEMICOLON, "INSEE Statistiques locales (RP)")?;
    let code = table.column("Code")?;
    let columns = columns
        .iter()
        .map(|c| table.column(c))
        .collect::<Result<Vec<usize>, _>>()?;
    let mut rows = RawRows::new();
    let mut report = SourceReport::default();
    table.for_each_row(|row| {
        let raw = row.commune_code(code)?;
        let values = columns
            .iter()
            .map(|&c| rp_value(row, c))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some((_, marker)) = values.iter().find(|(v, _)| v.is_none()) {
            report.without_value.insert(raw.clone(), marker.clone());
        }
        report.rows += 1;
        rows.push((raw, values.into_iter().map(|(v, _)| v).collect()));
        Ok(())
    })?;
    Ok((rows, report))
}

/// A value of an RP export: a number (decimal point or comma), or `None` with its marker.
fn rp_value(row: &Row, column: usize) -> Result<(Option<f64>, String), LoadError> {
    let text = row.get(column);
    if text.starts_with("N/A") {
        return Ok((None, text.into_owned()));
    }
    Ok((row.opt_f64(column)?, "empty".into()))
}

/// Reads `{code: {field: number|null}}`.
fn read_json_values(path: &Path, field: &str) -> Result<(RawRows, SourceReport), LoadError> {
    let raw: BTreeMap<String, serde_json::Map<String, serde_json::Value>> = read_json(path)?;
    let mut rows = RawRows::new();
    let mut report = SourceReport::default();
    for (code, record) in raw {
        report.rows += 1;
        let value = match record.get(field) {
            Some(serde_json::Value::Number(n)) => n.as_f64(),
            Some(serde_json::Value::Null) | None => None,
            Some(other) => {
                return Err(LoadError::Corrupt {
                    path: path.to_path_buf(),
                    reason: format!("{code}: {field} is {other}, not a number"),
                })
            }
        };
        if value.is_none() {
            report.without_value.insert(code.clone(), "null".into());
        }
        rows.push((code, vec![value]));
    }
    Ok((rows, report))
}

/// Maps raw rows to current codes; the rows of one current commune are combined, each value
/// weighted by the row's RP 2020 population, except the first `summed` values, summed. A
/// combination with a part without value has no value.
fn combine(
    rows: &RawRows,
    codes: &CurrentCodes,
    weights: &BTreeMap<String, f64>,
    report: &mut SourceReport,
    summed: usize,
) -> BTreeMap<String, Vec<Option<f64>>> {
    let mut parts = Parts::new();
    for (raw, values) in rows {
        match codes.current(raw) {
            Some(current) => parts
                .entry(current.to_string())
                .or_default()
                .push((raw, values)),
            None => report.unmapped.add(raw),
        }
    }
    let mut out = BTreeMap::new();
    for (current, mut list) in parts {
        if list.len() == 1 {
            out.insert(current, list[0].1.to_vec());
            continue;
        }
        report.merged.insert(
            current.clone(),
            list.iter().map(|(raw, _)| raw.to_string()).collect(),
        );
        list.retain(|(raw, _)| {
            let known = weights.contains_key(*raw);
            if !known {
                report.without_weight.push(raw.to_string());
            }
            known
        });
        let total: f64 = list.iter().map(|(raw, _)| weights[*raw]).sum();
        let width = list.first().map_or(0, |(_, v)| v.len());
        let values = (0..width)
            .map(|i| {
                let mut sum = 0.0;
                for (raw, v) in &list {
                    let value = v[i]?;
                    sum += if i < summed {
                        value
                    } else {
                        value * weights[*raw]
                    };
                }
                match i < summed {
                    true => Some(sum),
                    false => (total > 0.0).then(|| sum / total),
                }
            })
            .collect();
        out.insert(current, values);
    }
    out
}
