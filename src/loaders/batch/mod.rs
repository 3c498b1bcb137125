//! Batch files: territories read from CSV, GeoJSON or Parquet (their results are written by
//! [`crate::export::batch`]).
//!
//! # Input (recognised without options)
//! - **GeoJSON** (`.geojson`/`.json`, or content starting with `{`): a FeatureCollection of
//!   Polygon / MultiPolygon features; the name is the first of the properties `territory`,
//!   `name`, `nom`, `cpts_nom`, `id`, `code`, else the feature id, else `feature N`.
//! - **CSV** with a header, `,` `;` or tab separated (detected on the header line), UTF-8 with or
//!   without BOM (Latin-1 fields are decoded too). A territory column (`territory`, `name`,
//!   `nom`, `cpts_nom`, `nom_cpts`, `cpts`, `territoire`, `libelle`, `id`) and a code column
//!   (`commune`, `code_commune`, `insee`, `code_insee`, `codgeo`, `depcom`, `codes`, `communes`,
//!   `code`, `members`, `iris`, `code_iris`), matched case-insensitively. Rows of the same
//!   territory are gathered (long format, one row per code, as the ARS membership files); a code
//!   field may also hold a list separated by spaces, `,`, `;` or `|` (wide format, one row per
//!   territory). An `arrondissements` column, when filled, replaces the row's commune by those
//!   arrondissements (Marseille in the ARS PACA file). An `epci` column (`epci`, `siren`,
//!   `siren_epci`, `code_epci`) names a territory by the SIREN of an EPCI instead of codes, one
//!   row per territory; the code column may then be absent.
//! - **Parquet / GeoParquet** (content starting with `PAR1`, as DuckDB, Sedona or pyarrow write
//!   it): the same territory and code columns (text, a list column, or integers), or without a
//!   code column a WKB geometry column (the `geo` metadata's primary column, else `geometry`,
//!   `geom`, `wkb_geometry`); see [`crate::loaders::batch::parquet`].

pub mod parquet;

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::loaders::table::{Dialect, Table};
use crate::loaders::{read_file, LoadError};
use crate::model::{BatchSource, BatchTerritory, ListedCode};

pub(crate) const TERRITORY_COLUMNS: &[&str] = &[
    "territory",
    "name",
    "nom",
    "cpts_nom",
    "nom_cpts",
    "cpts",
    "territoire",
    "libelle",
    "id",
];
pub(crate) const CODE_COLUMNS: &[&str] = &[
    "commune",
    "code_commune",
    "insee",
    "code_insee",
    "codgeo",
    "depcom",
    "codes",
    "communes",
    "code",
    "members",
    "iris",
    "code_iris",
];
const ARRONDISSEMENT_COLUMNS: &[&str] = &["arrondissements", "arrondissement"];
const EPCI_COLUMNS: &[&str] = &["epci", "siren", "siren_epci", "code_epci"];
const NAME_PROPERTIES: &[&str] = &["territory", "name", "nom", "cpts_nom", "id", "code"];

/// Reads the territories of a batch file (format detected, see the module doc).
pub fn read_batch_input(path: &Path) -> Result<Vec<BatchTerritory>, LoadError> {
    let bytes = read_file(path)?;
    if crate::loaders::batch::parquet::is_parquet(&bytes) {
        return crate::loaders::batch::parquet::read_parquet(path);
    }
    let text = String::from_utf8_lossy(&bytes);
    let text = text.trim_start_matches('\u{feff}');
    let geojson = text.trim_start().starts_with('{')
        || path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("geojson"));
    if geojson {
        read_geojson(path, text)
    } else {
        let header = text.lines().next().unwrap_or_default();
        read_csv(path, detect_delimiter(header))
    }
}

/// The most frequent of `,` `;` and tab outside quotes in the header line.
fn detect_delimiter(header: &str) -> u8 {
    let mut quoted = false;
    let mut counts = [0usize; 3];
    for ch in header.chars() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], i == 0)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

fn find_any(table: &Table, names: &[&str]) -> Option<usize> {
    names.iter().find_map(|n| table.find_column(n))
}

fn read_csv(path: &Path, delimiter: u8) -> Result<Vec<BatchTerritory>, LoadError> {
    let table = Table::open(
        path,
        Dialect {
            delimiter,
            quoting: true,
        },
        "batch CSV (territory and code columns)",
    )?;
    let missing = |kind: &str, names: &[&str]| LoadError::MissingColumn {
        path: path.to_path_buf(),
        column: format!("{kind} ({})", names.join(", ")),
        format: format!("batch CSV; columns found: {}", table.headers().join(", ")),
    };
    let name_col = find_any(&table, TERRITORY_COLUMNS)
        .ok_or_else(|| missing("territory", TERRITORY_COLUMNS))?;
    let epci_col = find_any(&table, EPCI_COLUMNS);
    let code_col = find_any(&table, CODE_COLUMNS);
    if code_col.is_none() && epci_col.is_none() {
        return Err(missing("code", CODE_COLUMNS));
    }
    let arr_col = find_any(&table, ARRONDISSEMENT_COLUMNS);

    let mut territories: Vec<BatchTerritory> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    table.for_each_row(|row| {
        let line = row.line();
        let name = row.get(name_col).into_owned();
        let index = *by_name.entry(name.clone()).or_insert_with(|| {
            territories.push(BatchTerritory {
                name: name.clone(),
                location: format!("line {line}"),
                source: BatchSource::Codes(Vec::new()),
                problems: Vec::new(),
            });
            territories.len() - 1
        });
        let territory = &mut territories[index];
        if name.is_empty() {
            territory
                .problems
                .push(format!("line {line}: no territory name"));
        }
        let arrondissements = arr_col.map(|c| row.get(c)).unwrap_or_default();
        let field = if arrondissements.is_empty() {
            code_col.map(|c| row.get(c)).unwrap_or_default()
        } else {
            arrondissements
        };
        let codes: Vec<&str> = split_codes(&field).collect();
        let epci = epci_col.map(|c| row.get(c)).unwrap_or_default();
        let epci = epci.trim();
        match &mut territory.source {
            _ if codes.is_empty() && epci.is_empty() => {
                territory.problems.push(format!("line {line}: no code"));
            }
            BatchSource::Codes(list) if epci.is_empty() => {
                list.extend(codes.into_iter().map(|code| ListedCode {
                    code: code.to_string(),
                    line,
                }));
            }
            BatchSource::Codes(list) if list.is_empty() && codes.is_empty() => {
                territory.source = BatchSource::Epci(epci.to_string());
            }
            _ => territory.problems.push(format!(
                "line {line}: a territory is given by codes or by one EPCI, not both"
            )),
        }
        Ok(())
    })?;
    Ok(territories)
}

/// Codes of a field: separated by spaces, `,`, `;` or `|`.
pub(crate) fn split_codes(field: &str) -> impl Iterator<Item = &str> {
    field
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|'))
        .filter(|c| !c.is_empty())
}

fn read_geojson(path: &Path, text: &str) -> Result<Vec<BatchTerritory>, LoadError> {
    let bad = |message: String| LoadError::GeoJson {
        path: path.to_path_buf(),
        message,
    };
    let geojson: geojson::GeoJson = text.parse().map_err(|e| bad(format!("{e}")))?;
    let geojson::GeoJson::FeatureCollection(collection) = geojson else {
        return Err(bad("expected a FeatureCollection of territories".into()));
    };
    Ok(collection
        .features
        .into_iter()
        .enumerate()
        .map(|(i, feature)| {
            let location = format!("feature {}", i + 1);
            let property = NAME_PROPERTIES
                .iter()
                .find_map(|p| match feature.property(p)? {
                    Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                });
            let id = feature.id.as_ref().map(|id| match id {
                geojson::feature::Id::String(s) => s.clone(),
                geojson::feature::Id::Number(n) => n.to_string(),
            });
            let name = property.or(id).unwrap_or_else(|| location.clone());
            let (source, problems) = match feature.geometry {
                Some(g) => (BatchSource::Geometry(g), Vec::new()),
                None => (
                    BatchSource::Codes(Vec::new()),
                    vec![format!("{location}: no geometry")],
                ),
            };
            BatchTerritory {
                name,
                location,
                source,
                problems,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_delimiters_outside_quotes() {
        assert_eq!(detect_delimiter("nom;code_commune"), b';');
        assert_eq!(detect_delimiter("\"a;b\",code"), b',');
        assert_eq!(detect_delimiter("nom\tcode"), b'\t');
        assert_eq!(detect_delimiter("nom"), b',');
    }

    #[test]
    fn splits_code_lists() {
        let codes: Vec<&str> = split_codes(" 13001, 13002|13003 ;13004").collect();
        assert_eq!(codes, ["13001", "13002", "13003", "13004"]);
    }
}
