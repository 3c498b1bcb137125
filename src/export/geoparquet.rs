//! GeoParquet 1.1 writer on arrow-rs `parquet`: every column nullable, the outline as WKB in
//! `geometry`, the `geo` metadata (CRS84, bbox) in the footer; streamed in row groups.

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{BinaryBuilder, StringBuilder};
use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use geo::BoundingRect;
use parquet::arrow::ArrowWriter;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use serde_json::{json, Value};

use crate::export::wkb::multipolygon_wkb;
use crate::model::{ColumnKind, FeatureTable};

const GEOMETRY: &str = "geometry";

/// Most rows of one row group: the writer holds one row group in memory, then flushes it.
pub const ROW_GROUP_ROWS: usize = 1024;
/// Most encoded bytes of one row group (large outlines flush before [`ROW_GROUP_ROWS`]).
pub const ROW_GROUP_BYTES: usize = 32 << 20;

/// The bytes of a GeoParquet file holding `table`.
pub fn geoparquet_bytes(table: &FeatureTable) -> Vec<u8> {
    let mut stream = GeoParquetStream::new(Vec::new(), table).expect("in memory");
    stream.rows(table).expect("in memory");
    stream.end().expect("in memory")
}

/// A GeoParquet file written as its rows come: rows are encoded into the current row group,
/// which goes to the output once it holds [`ROW_GROUP_ROWS`] rows or [`ROW_GROUP_BYTES`];
/// the footer (with the `geo` metadata and the bbox of every outline) at [`Self::end`].
pub struct GeoParquetStream<W: Write + Send> {
    writer: ArrowWriter<W>,
    schema: SchemaRef,
    bbox: Option<geo::Rect<f64>>,
}

impl<W: Write + Send> GeoParquetStream<W> {
    /// Begins a file with the columns of `table` (its rows are not written).
    pub fn new(out: W, table: &FeatureTable) -> std::io::Result<Self> {
        let mut fields: Vec<Field> = table
            .columns
            .iter()
            .map(|c| Field::new(&c.name, data_type(c.kind), true))
            .collect();
        fields.push(Field::new(GEOMETRY, DataType::Binary, true));
        let schema = Arc::new(Schema::new(fields));
        let properties = WriterProperties::builder()
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
            .set_created_by(concat!("cpts-atlas ", env!("CARGO_PKG_VERSION")).to_string())
            .build();
        let writer = ArrowWriter::try_new(out, schema.clone(), Some(properties))
            .map_err(std::io::Error::other)?;
        Ok(Self {
            writer,
            schema,
            bbox: None,
        })
    }

    /// Appends the rows of `table` (the columns given to [`Self::new`]).
    pub fn rows(&mut self, table: &FeatureTable) -> std::io::Result<()> {
        if table.rows.is_empty() {
            return Ok(());
        }
        for rect in table
            .rows
            .iter()
            .filter_map(|r| r.geometry.as_ref()?.bounding_rect())
        {
            self.bbox = Some(match self.bbox {
                None => rect,
                Some(a) => geo::Rect::new(
                    geo::coord! {x: a.min().x.min(rect.min().x), y: a.min().y.min(rect.min().y)},
                    geo::coord! {x: a.max().x.max(rect.max().x), y: a.max().y.max(rect.max().y)},
                ),
            });
        }
        let mut arrays: Vec<ArrayRef> = table
            .columns
            .iter()
            .enumerate()
            .map(|(k, c)| array(c.kind, table.rows.iter().map(|r| &r.values[k])))
            .collect();
        let mut geometry = BinaryBuilder::new();
        for row in &table.rows {
            geometry.append_option(row.geometry.as_ref().map(multipolygon_wkb));
        }
        arrays.push(Arc::new(geometry.finish()));
        let batch =
            RecordBatch::try_new(self.schema.clone(), arrays).map_err(std::io::Error::other)?;
        self.writer.write(&batch).map_err(std::io::Error::other)
    }

    /// Row groups written to the output so far.
    pub fn flushed_row_groups(&self) -> usize {
        self.writer.flushed_row_groups().len()
    }

    /// Writes the last row group and the footer; returns the output.
    pub fn end(mut self) -> std::io::Result<W> {
        let geo = geo_metadata(self.bbox);
        self.writer
            .append_key_value_metadata(KeyValue::new("geo".to_string(), geo.to_string()));
        self.writer.into_inner().map_err(std::io::Error::other)
    }
}

/// The Arrow type a column kind is stored as.
fn data_type(kind: ColumnKind) -> DataType {
    match kind {
        ColumnKind::Int => DataType::Int64,
        ColumnKind::Float => DataType::Float64,
        ColumnKind::Bool => DataType::Boolean,
        ColumnKind::Text => DataType::Utf8,
    }
}

/// The column of `values` (nulls, and values not of the column's kind, as nulls; any value of
/// a text column as text).
fn array<'a>(kind: ColumnKind, values: impl Iterator<Item = &'a Value>) -> ArrayRef {
    match kind {
        ColumnKind::Int => Arc::new(values.map(Value::as_i64).collect::<Int64Array>()),
        ColumnKind::Float => Arc::new(values.map(Value::as_f64).collect::<Float64Array>()),
        ColumnKind::Bool => Arc::new(values.map(Value::as_bool).collect::<BooleanArray>()),
        ColumnKind::Text => {
            let mut builder = StringBuilder::new();
            for v in values {
                match v {
                    Value::Null => builder.append_null(),
                    Value::String(s) => builder.append_value(s),
                    other => builder.append_value(other.to_string()),
                }
            }
            Arc::new(builder.finish())
        }
    }
}

/// The GeoParquet `geo` metadata: WKB MultiPolygons in OGC:CRS84 (PROJJSON), their bbox.
fn geo_metadata(bbox: Option<geo::Rect<f64>>) -> Value {
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
