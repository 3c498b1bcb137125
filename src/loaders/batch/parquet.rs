//! Batch territories from Parquet / GeoParquet (as DuckDB, Sedona or pyarrow write them): a
//! territory column and a code column (text, a list of texts, or integers), or a WKB geometry.

use std::collections::HashMap;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::export::multipolygon_from_wkb;
use crate::loaders::batch::{split_codes, CODE_COLUMNS, TERRITORY_COLUMNS};
use crate::loaders::LoadError;
use crate::model::{BatchSource, BatchTerritory, ListedCode};

/// Geometry column names, after the `geo` metadata's primary column.
const GEOMETRY_COLUMNS: &[&str] = &["geometry", "geom", "wkb_geometry", "the_geom", "wkb"];

/// Whether `bytes` start like a Parquet file.
pub fn is_parquet(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PAR1")
}

/// The territories of a Parquet file: rows of the same territory gathered (long format), a
/// code field holding one code, a list of codes (text separated as in CSV, or a list column);
/// with no code column, one territory per row from its WKB geometry. Row numbers start at 1.
pub fn read_parquet(path: &Path) -> Result<Vec<BatchTerritory>, LoadError> {
    let bad = |message: String| LoadError::Parquet {
        path: path.to_path_buf(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| bad(e.to_string()))?;
    let schema = builder.schema().clone();
    let primary = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .and_then(|kv| kv.iter().find(|kv| kv.key == "geo"))
        .and_then(|kv| kv.value.as_deref())
        .and_then(|geo| serde_json::from_str::<serde_json::Value>(geo).ok())
        .and_then(|geo| geo["primary_column"].as_str().map(str::to_string));
    let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let find = |candidates: &[&str]| {
        candidates
            .iter()
            .find_map(|c| names.iter().position(|n| n.eq_ignore_ascii_case(c)))
    };
    let missing = |kind: &str, candidates: &[&str]| LoadError::MissingColumn {
        path: path.to_path_buf(),
        column: format!("{kind} ({})", candidates.join(", ")),
        format: format!("batch Parquet; columns found: {}", names.join(", ")),
    };
    let name_col =
        find(TERRITORY_COLUMNS).ok_or_else(|| missing("territory", TERRITORY_COLUMNS))?;
    let code_col = find(CODE_COLUMNS);
    let geometry_col = match &primary {
        Some(p) => names.iter().position(|n| n == p),
        None => find(GEOMETRY_COLUMNS),
    };
    if code_col.is_none() && geometry_col.is_none() {
        let mut both = CODE_COLUMNS.to_vec();
        both.extend(GEOMETRY_COLUMNS);
        return Err(missing("code or WKB geometry", &both));
    }
    let reader = builder.build().map_err(|e| bad(e.to_string()))?;

    let mut territories: Vec<BatchTerritory> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut row = 0u64;
    for batch in reader {
        let batch = batch.map_err(|e| {
            let hint = if e.to_string().contains("Disabled feature") {
                " (this build reads uncompressed and Snappy Parquet only: write it with \
                 COMPRESSION snappy)"
            } else {
                ""
            };
            bad(format!("after row {row}: {e}{hint}"))
        })?;
        for k in 0..batch.num_rows() {
            row += 1;
            let column = |c: usize| (names[c].as_str(), batch.column(c));
            let name = match texts(column(name_col), k) {
                Ok(mut v) if v.len() == 1 => v.pop().unwrap_or_default(),
                Ok(_) => String::new(),
                Err(e) => return Err(bad(format!("row {row}, {e}"))),
            };
            let location = format!("row {row}");
            if let Some(c) = code_col {
                let codes = texts(column(c), k).map_err(|e| bad(format!("row {row}, {e}")))?;
                let index = *by_name.entry(name.clone()).or_insert_with(|| {
                    territories.push(BatchTerritory {
                        name: name.clone(),
                        location: location.clone(),
                        source: BatchSource::Codes(Vec::new()),
                        problems: Vec::new(),
                    });
                    territories.len() - 1
                });
                let territory = &mut territories[index];
                if name.is_empty() {
                    territory
                        .problems
                        .push(format!("{location}: no territory name"));
                }
                let listed: Vec<ListedCode> = codes
                    .iter()
                    .flat_map(|field| split_codes(field))
                    .map(|code| ListedCode {
                        code: code.to_string(),
                        line: row,
                    })
                    .collect();
                if listed.is_empty() {
                    territory
                        .problems
                        .push(format!("{location}, column {:?}: no code", names[c]));
                }
                if let BatchSource::Codes(list) = &mut territory.source {
                    list.extend(listed);
                }
            } else if let Some(c) = geometry_col {
                territories.push(geometry_territory(&batch, c, &names[c], k, name, location));
            }
        }
    }
    Ok(territories)
}

/// A territory from the WKB of row `k`; a problem naming the row and column when it is null
/// or not a (multi)polygon.
fn geometry_territory(
    batch: &RecordBatch,
    c: usize,
    column: &str,
    k: usize,
    name: String,
    location: String,
) -> BatchTerritory {
    let name = if name.is_empty() {
        location.clone()
    } else {
        name
    };
    let array = batch.column(c);
    let wkb: Option<&[u8]> = if array.is_null(k) {
        None
    } else {
        match array.data_type() {
            DataType::Binary => Some(array.as_binary::<i32>().value(k)),
            DataType::LargeBinary => Some(array.as_binary::<i64>().value(k)),
            DataType::BinaryView => Some(array.as_binary_view().value(k)),
            _ => None,
        }
    };
    let parsed = match wkb {
        None if array.is_null(k) => Err("no geometry (null)".to_string()),
        None => Err(format!(
            "expected WKB (binary), found {}",
            array.data_type()
        )),
        Some(bytes) => multipolygon_from_wkb(bytes),
    };
    let (source, problems) = match parsed {
        Ok(g) => (
            BatchSource::Geometry(geojson::Geometry::from(&g)),
            Vec::new(),
        ),
        Err(e) => (
            BatchSource::Codes(Vec::new()),
            vec![format!("{location}, column {column:?}: {e}")],
        ),
    };
    BatchTerritory {
        name,
        location,
        source,
        problems,
    }
}

/// The text values of row `k` of a column: none when null, one for a text or an integer (a
/// commune code written as a number gets its leading zero back: 1001 -> 01001), each item of
/// a list. Other types name the column.
fn texts((name, array): (&str, &ArrayRef), k: usize) -> Result<Vec<String>, String> {
    if array.is_null(k) {
        return Ok(Vec::new());
    }
    let one = |s: &str| Ok(vec![s.trim().to_string()]);
    match array.data_type() {
        DataType::Utf8 => one(array.as_string::<i32>().value(k)),
        DataType::LargeUtf8 => one(array.as_string::<i64>().value(k)),
        DataType::Utf8View => one(array.as_string_view().value(k)),
        DataType::Int32 | DataType::Int64 | DataType::UInt32 | DataType::UInt64 => {
            let value = match array.data_type() {
                DataType::Int32 => i64::from(
                    array
                        .as_primitive::<arrow_array::types::Int32Type>()
                        .value(k),
                ),
                DataType::UInt32 => i64::from(
                    array
                        .as_primitive::<arrow_array::types::UInt32Type>()
                        .value(k),
                ),
                DataType::UInt64 => array
                    .as_primitive::<arrow_array::types::UInt64Type>()
                    .value(k) as i64,
                _ => array
                    .as_primitive::<arrow_array::types::Int64Type>()
                    .value(k),
            };
            Ok(vec![format!("{value:05}")])
        }
        DataType::List(_) => {
            let items = array.as_list::<i32>().value(k);
            (0..items.len())
                .map(|i| texts((name, &items), i))
                .collect::<Result<Vec<_>, _>>()
                .map(|v| v.concat())
        }
        DataType::LargeList(_) => {
            let items = array.as_list::<i64>().value(k);
            (0..items.len())
                .map(|i| texts((name, &items), i))
                .collect::<Result<Vec<_>, _>>()
                .map(|v| v.concat())
        }
        other => Err(format!(
            "column {name:?}: expected text, integers or a list of them, found {other}"
        )),
    }
}
