//! GeoParquet 1.1 writer: one row group, one uncompressed PLAIN page per column, every column
//! optional, the outline as WKB in `geometry`, the `geo` metadata (CRS84, bbox) in the footer.

use serde_json::{json, Value};

use super::thrift::{CompactWriter, BINARY, I32, STRUCT};
use super::wkb::multipolygon_wkb;
use crate::model::{ColumnKind, FeatureTable};

const MAGIC: &[u8] = b"PAR1";
const GEOMETRY: &str = "geometry";

/// Parquet physical types.
const BOOLEAN: i32 = 0;
const INT64: i32 = 2;
const DOUBLE: i32 = 5;
const BYTE_ARRAY: i32 = 6;
/// Encodings.
const PLAIN: i32 = 0;
const RLE: i32 = 3;

/// One column as Parquet stores it: its physical type and its values, `None` for nulls.
struct ColumnData<'a> {
    name: &'a str,
    physical: i32,
    text: bool,
    values: Vec<Option<Vec<u8>>>,
}

/// The bytes of a GeoParquet file holding `table`.
pub fn geoparquet_bytes(table: &FeatureTable) -> Vec<u8> {
    let mut columns: Vec<ColumnData> = table
        .columns
        .iter()
        .enumerate()
        .map(|(k, c)| ColumnData {
            name: &c.name,
            physical: match c.kind {
                ColumnKind::Int => INT64,
                ColumnKind::Float => DOUBLE,
                ColumnKind::Bool => BOOLEAN,
                ColumnKind::Text => BYTE_ARRAY,
            },
            text: c.kind == ColumnKind::Text,
            values: table
                .rows
                .iter()
                .map(|r| plain_value(&r.values[k], c.kind))
                .collect(),
        })
        .collect();
    columns.push(ColumnData {
        name: GEOMETRY,
        physical: BYTE_ARRAY,
        text: false,
        values: table
            .rows
            .iter()
            .map(|r| r.geometry.as_ref().map(multipolygon_wkb))
            .collect(),
    });

    let mut out = MAGIC.to_vec();
    let mut chunks = Vec::new();
    for column in &columns {
        let offset = out.len() as i64;
        let page = page_bytes(column);
        out.extend_from_slice(&page);
        chunks.push((offset, page.len() as i64));
    }
    let footer = file_metadata(table, &columns, &chunks);
    out.extend_from_slice(&footer);
    out.extend((footer.len() as u32).to_le_bytes());
    out.extend_from_slice(MAGIC);
    out
}

/// A value's PLAIN encoding without the length prefix of byte arrays (booleans: one byte).
fn plain_value(value: &Value, kind: ColumnKind) -> Option<Vec<u8>> {
    match (value, kind) {
        (Value::Null, _) => None,
        (v, ColumnKind::Int) => v.as_i64().map(|i| i.to_le_bytes().to_vec()),
        (v, ColumnKind::Float) => v.as_f64().map(|f| f.to_le_bytes().to_vec()),
        (v, ColumnKind::Bool) => v.as_bool().map(|b| vec![u8::from(b)]),
        (Value::String(s), ColumnKind::Text) => Some(s.as_bytes().to_vec()),
        (v, ColumnKind::Text) => Some(v.to_string().into_bytes()),
    }
}

/// Page header and data page (v1) of a column: definition levels, then the non-null values.
fn page_bytes(column: &ColumnData) -> Vec<u8> {
    let levels = definition_levels(column.values.iter().map(Option::is_some));
    let mut data = (levels.len() as u32).to_le_bytes().to_vec();
    data.extend_from_slice(&levels);
    let present = column.values.iter().flatten();
    match column.physical {
        BOOLEAN => {
            let bits: Vec<bool> = present.map(|v| v[0] == 1).collect();
            for byte in bits.chunks(8) {
                data.push(
                    byte.iter()
                        .enumerate()
                        .fold(0u8, |acc, (i, &b)| acc | (u8::from(b) << i)),
                );
            }
        }
        BYTE_ARRAY => {
            for v in present {
                data.extend((v.len() as u32).to_le_bytes());
                data.extend_from_slice(v);
            }
        }
        _ => present.for_each(|v| data.extend_from_slice(v)),
    }
    let mut header = CompactWriter::new();
    header.i32(1, 0); // DATA_PAGE
    header.i32(2, data.len() as i32);
    header.i32(3, data.len() as i32);
    header.begin(5); // DataPageHeader
    header.i32(1, column.values.len() as i32);
    header.i32(2, PLAIN);
    header.i32(3, RLE);
    header.i32(4, RLE);
    header.end();
    header.end();
    let mut page = header.out;
    page.extend_from_slice(&data);
    page
}

/// Definition levels (0 null, 1 present) in the RLE hybrid encoding, bit width 1, as runs.
fn definition_levels(present: impl Iterator<Item = bool>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut run: Option<(bool, u64)> = None;
    let flush = |out: &mut Vec<u8>, (value, len): (bool, u64)| {
        let mut header = len << 1;
        while header >= 0x80 {
            out.push((header as u8) | 0x80);
            header >>= 7;
        }
        out.push(header as u8);
        out.push(u8::from(value));
    };
    for p in present {
        run = match run {
            Some((value, len)) if value == p => Some((value, len + 1)),
            Some(done) => {
                flush(&mut out, done);
                Some((p, 1))
            }
            None => Some((p, 1)),
        };
    }
    if let Some(done) = run {
        flush(&mut out, done);
    }
    out
}

/// The footer: schema, the row group's column chunks, the `geo` metadata.
fn file_metadata(table: &FeatureTable, columns: &[ColumnData], chunks: &[(i64, i64)]) -> Vec<u8> {
    let rows = table.rows.len() as i64;
    let mut w = CompactWriter::new();
    w.i32(1, 1); // version
    w.list(2, STRUCT, columns.len() + 1);
    w.begin_element();
    w.binary(4, b"schema");
    w.i32(5, columns.len() as i32);
    w.end();
    for c in columns {
        w.begin_element();
        w.i32(1, c.physical);
        w.i32(3, 1); // OPTIONAL
        w.binary(4, c.name.as_bytes());
        if c.text {
            w.i32(6, 0); // converted type UTF8
            w.begin(10); // logical type
            w.begin(1); // STRING
            w.end();
            w.end();
        }
        w.end();
    }
    w.i64(3, rows);
    w.list(4, STRUCT, 1);
    w.begin_element(); // RowGroup
    w.list(1, STRUCT, columns.len());
    for (c, &(offset, size)) in columns.iter().zip(chunks) {
        w.begin_element(); // ColumnChunk
        w.i64(2, offset);
        w.begin(3); // ColumnMetaData
        w.i32(1, c.physical);
        w.list(2, I32, 2);
        w.element_i32(PLAIN);
        w.element_i32(RLE);
        w.list(3, BINARY, 1);
        w.element_binary(c.name.as_bytes());
        w.i32(4, 0); // UNCOMPRESSED
        w.i64(5, rows);
        w.i64(6, size);
        w.i64(7, size);
        w.i64(9, offset);
        w.end();
        w.end();
    }
    w.i64(2, chunks.iter().map(|c| c.1).sum());
    w.i64(3, rows);
    w.end();
    w.list(5, STRUCT, 1);
    w.begin_element(); // KeyValue
    w.binary(1, b"geo");
    w.binary(2, geo_metadata(table).to_string().as_bytes());
    w.end();
    w.binary(
        6,
        concat!("cpts-atlas ", env!("CARGO_PKG_VERSION")).as_bytes(),
    );
    w.end();
    w.out
}

/// The GeoParquet `geo` metadata: WKB MultiPolygons in OGC:CRS84 (PROJJSON), their bbox.
fn geo_metadata(table: &FeatureTable) -> Value {
    use geo::BoundingRect;
    let bbox = table
        .rows
        .iter()
        .filter_map(|r| r.geometry.as_ref()?.bounding_rect())
        .reduce(|a, b| {
            geo::Rect::new(
                geo::coord! {x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y)},
                geo::coord! {x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y)},
            )
        });
    let mut column = json!({
        "encoding": "WKB",
        "geometry_types": ["MultiPolygon"],
        "crs": crs84_projjson(),
    });
    if let Some(b) = bbox {
        column["bbox"] = json!([b.min().x, b.min().y, b.max().x, b.max().y]);
    }
    json!({
        "version": "1.1.0",
        "primary_column": GEOMETRY,
        "columns": {GEOMETRY: column},
    })
}

/// OGC:CRS84 (WGS 84, longitude then latitude) as PROJJSON.
fn crs84_projjson() -> Value {
    json!({
        "$schema": "https://proj.org/schemas/v0.7/projjson.schema.json",
        "type": "GeographicCRS",
        "name": "WGS 84 (CRS84)",
        "datum": {
            "type": "GeodeticReferenceFrame",
            "name": "World Geodetic System 1984",
            "ellipsoid": {"name": "WGS 84", "semi_major_axis": 6378137, "inverse_flattening": 298.257223563}
        },
        "coordinate_system": {
            "subtype": "ellipsoidal",
            "axis": [
                {"name": "Geodetic longitude", "abbreviation": "Lon", "direction": "east", "unit": "degree"},
                {"name": "Geodetic latitude", "abbreviation": "Lat", "direction": "north", "unit": "degree"}
            ]
        },
        "id": {"authority": "OGC", "code": "CRS84"}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_length_encodes_definition_levels() {
        let levels = definition_levels([true, true, true, false, true].into_iter());
        assert_eq!(levels, [6, 1, 2, 0, 2, 1]);
    }
}
