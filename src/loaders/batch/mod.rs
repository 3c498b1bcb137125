//! Batch files: territories read from CSV, GeoJSON or Parquet, and their results written as CSV or GeoJSON.
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
//!   arrondissements (Marseille in the ARS PACA file).
//! - **Parquet / GeoParquet** (content starting with `PAR1`, as DuckDB, Sedona or pyarrow write
//!   it): the same territory and code columns (text, a list column, or integers), or without a
//!   code column a WKB geometry column (the `geo` metadata's primary column, else `geometry`,
//!   `geom`, `wkb_geometry`); see [`crate::loaders::batch::parquet`].
//!
//! # Output (by extension of the output file)
//! `.geojson`/`.json`: a FeatureCollection, one feature per territory with the columns below as
//! properties and its outline as geometry (null for failed territories); `.parquet`: GeoParquet
//! and `.fgb`: FlatGeobuf, the same columns and outlines. Anything else: CSV, `;` separated,
//! UTF-8, decimal point, one row per territory, columns [`COLUMNS`].
pub mod parquet;

use std::collections::HashMap;
use std::path::Path;

use serde_json::{json, Value};

use crate::export::ExportWriter;
use crate::loaders::table::{Dialect, Table};
use crate::loaders::{read_file, LoadError};
use crate::model::{
    BatchRecord, BatchSource, BatchTerritory, Column, ColumnKind, FeatureTable, ListedCode,
    TableRow,
};

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
const NAME_PROPERTIES: &[&str] = &["territory", "name", "nom", "cpts_nom", "id", "code"];

/// Output columns, in order, with their kinds.
pub const COLUMNS: &[(&str, ColumnKind)] = &[
    ("territory", ColumnKind::Text),
    ("population", ColumnKind::Int),
    ("population_estimated", ColumnKind::Int),
    ("tier", ColumnKind::Int),
    ("funding_total_eur", ColumnKind::Int),
    ("funding_grid", ColumnKind::Text),
    ("commune_count", ColumnKind::Int),
    ("partial_commune_count", ColumnKind::Int),
    ("area_km2", ColumnKind::Float),
    ("area_complete", ColumnKind::Bool),
    ("density_per_km2", ColumnKind::Float),
    ("departements", ColumnKind::Text),
    ("regions", ColumnKind::Text),
    ("overlap_count", ColumnKind::Int),
    ("overlaps", ColumnKind::Text),
    ("registry_coverage", ColumnKind::Text),
    ("gp_count", ColumnKind::Float),
    ("gp_density_per_10k", ColumnKind::Float),
    ("gp_source", ColumnKind::Text),
    ("apl", ColumnKind::Float),
    ("apl_edition", ColumnKind::Int),
    ("warnings", ColumnKind::Text),
    ("location", ColumnKind::Text),
    ("error", ColumnKind::Text),
    ("emergency_inside", ColumnKind::Int),
    ("emergency_nearest_km", ColumnKind::Float),
    ("care_places_missing_30km", ColumnKind::Text),
    ("share_75_plus", ColumnKind::Float),
    ("fedi", ColumnKind::Float),
    ("poverty_rate", ColumnKind::Float),
];

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
    let code_col = find_any(&table, CODE_COLUMNS).ok_or_else(|| missing("code", CODE_COLUMNS))?;
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
            row.get(code_col)
        } else {
            arrondissements
        };
        let codes: Vec<&str> = split_codes(&field).collect();
        if codes.is_empty() {
            territory.problems.push(format!("line {line}: no code"));
        }
        if let BatchSource::Codes(list) = &mut territory.source {
            list.extend(codes.into_iter().map(|code| ListedCode {
                code: code.to_string(),
                line,
            }));
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

/// The output fields of a record, in [`COLUMNS`] order (null when absent).
fn fields(r: &BatchRecord) -> [Value; 30] {
    let round = |v: Option<f64>, digits: i32| {
        v.map(|v| {
            let k = 10f64.powi(digits);
            (v * k).round() / k
        })
    };
    let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
    [
        json!(r.territory),
        json!(r.population),
        json!(r.population_estimated),
        json!(r.tier),
        json!(r.funding_total.map(|v| v.round() as i64)),
        json!(r.funding_grid),
        json!(r.commune_count),
        json!(r.partial_commune_count),
        json!(round(r.area_km2, 3)),
        json!(r.area_complete),
        json!(round(r.density_per_km2, 1)),
        json!(text(&r.departements)),
        json!(text(&r.regions)),
        json!(r.overlap_count),
        json!(text(&r.overlaps)),
        json!(r.registry_coverage),
        json!(round(r.gp_count, 1)),
        json!(round(r.gp_density_per_10k, 2)),
        json!(text(&r.gp_source)),
        json!(round(r.apl, 2)),
        json!(r.apl_edition),
        json!(text(&r.warnings)),
        json!(r.location),
        json!(r.error),
        json!(r.emergency_inside),
        json!(round(r.emergency_nearest_km, 1)),
        json!(text(&r.care_places_missing_30km)),
        json!(round(r.share_75_plus, 4)),
        json!(round(r.fedi, 2)),
        json!(round(r.poverty_rate, 4)),
    ]
}

/// The output of a batch, in the format the output's extension names (`.geojson`/`.json`,
/// `.parquet` GeoParquet, `.fgb` FlatGeobuf, else `;`-separated CSV), written as its records
/// come (CSV and GeoJSON rows go straight to the file; see [`ExportWriter`]).
pub struct BatchOutput(ExportWriter);

impl BatchOutput {
    /// Creates the file; a CSV gets its header line at once.
    pub fn create(path: &Path) -> Result<Self, LoadError> {
        let mut writer = ExportWriter::create(path)?;
        writer.write(&batch_table(&[]))?;
        Ok(Self(writer))
    }

    /// Appends the rows of `records`.
    pub fn write(&mut self, records: &[BatchRecord]) -> Result<(), LoadError> {
        self.0.write(&batch_table(records))
    }

    /// Completes the file (a FlatGeobuf's count and envelope, a GeoParquet footer) and closes it.
    pub fn finish(self) -> Result<(), LoadError> {
        self.0.finish()
    }
}

/// The records as a table: the [`COLUMNS`] and each territory's outline.
pub fn batch_table(records: &[BatchRecord]) -> FeatureTable {
    FeatureTable {
        columns: COLUMNS
            .iter()
            .map(|&(name, kind)| Column {
                name: name.to_string(),
                kind,
            })
            .collect(),
        rows: records
            .iter()
            .map(|r| TableRow {
                geometry: r.outline.clone(),
                values: fields(r).to_vec(),
            })
            .collect(),
    }
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
