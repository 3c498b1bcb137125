//! FlatGeobuf 3 writer (MultiPolygon, EPSG:4326, no spatial index): the header, then each
//! feature as a size-prefixed FlatBuffer with its properties in the column encoding.

use flatbuffers::{FlatBufferBuilder, WIPOffset};
use geo::{BoundingRect, MultiPolygon, Polygon};
use serde_json::Value;

use crate::model::{ColumnKind, FeatureTable};

const MAGIC: &[u8] = &[0x66, 0x67, 0x62, 0x03, 0x66, 0x67, 0x62, 0x00];
/// GeometryType values.
const POLYGON: u8 = 3;
const MULTI_POLYGON: u8 = 6;

/// A table field's slot in its vtable.
const fn slot(field: u16) -> u16 {
    4 + 2 * field
}

/// The bytes of a FlatGeobuf file holding `table`.
pub fn flatgeobuf_bytes(table: &FeatureTable) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    let mut b = FlatBufferBuilder::new();
    header(&mut b, table);
    out.extend_from_slice(b.finished_data());
    for row in &table.rows {
        b.reset();
        let geometry = row.geometry.as_ref().map(|g| multipolygon(&mut b, g));
        let props = properties(table, &row.values);
        let props = b.create_vector(&props);
        let feature = b.start_table();
        if let Some(g) = geometry {
            b.push_slot_always(slot(0), g);
        }
        b.push_slot_always(slot(1), props);
        let feature = b.end_table(feature);
        b.finish_size_prefixed(feature, None);
        out.extend_from_slice(b.finished_data());
    }
    out
}

fn header(b: &mut FlatBufferBuilder, table: &FeatureTable) {
    let columns: Vec<_> = table
        .columns
        .iter()
        .map(|c| {
            let name = b.create_string(&c.name);
            let column = b.start_table();
            b.push_slot_always(slot(0), name);
            b.push_slot::<u8>(slot(1), column_type(c.kind), 0);
            b.end_table(column)
        })
        .collect();
    let columns = b.create_vector(&columns);
    let envelope = table
        .rows
        .iter()
        .filter_map(|r| r.geometry.as_ref()?.bounding_rect())
        .reduce(|a, r| {
            geo::Rect::new(
                geo::coord! {x: a.min().x.min(r.min().x), y: a.min().y.min(r.min().y)},
                geo::coord! {x: a.max().x.max(r.max().x), y: a.max().y.max(r.max().y)},
            )
        })
        .map(|r| b.create_vector(&[r.min().x, r.min().y, r.max().x, r.max().y]));
    let org = b.create_string("EPSG");
    let crs = b.start_table();
    b.push_slot_always(slot(0), org);
    b.push_slot::<i32>(slot(1), 4326, 0);
    let crs = b.end_table(crs);
    let name = b.create_string("cpts-atlas");
    let header = b.start_table();
    b.push_slot_always(slot(0), name);
    if let Some(envelope) = envelope {
        b.push_slot_always(slot(1), envelope);
    }
    b.push_slot::<u8>(slot(2), MULTI_POLYGON, 0);
    b.push_slot_always(slot(7), columns);
    b.push_slot::<u64>(slot(8), table.rows.len() as u64, 0);
    // No spatial index: readers scan the features in order.
    b.push_slot::<u16>(slot(9), 0, 16);
    b.push_slot_always(slot(10), crs);
    let header = b.end_table(header);
    b.finish_size_prefixed(header, None);
}

/// FlatGeobuf ColumnType values.
fn column_type(kind: ColumnKind) -> u8 {
    match kind {
        ColumnKind::Bool => 2,
        ColumnKind::Int => 7,
        ColumnKind::Float => 10,
        ColumnKind::Text => 11,
    }
}

/// The property bytes: for each non-null value, its column index (u16) then the value.
fn properties(table: &FeatureTable, values: &[Value]) -> Vec<u8> {
    let mut out = Vec::new();
    for (k, (column, value)) in table.columns.iter().zip(values).enumerate() {
        if value.is_null() {
            continue;
        }
        out.extend((k as u16).to_le_bytes());
        match column.kind {
            ColumnKind::Bool => out.push(u8::from(value.as_bool().unwrap_or(false))),
            ColumnKind::Int => out.extend(value.as_i64().unwrap_or(0).to_le_bytes()),
            ColumnKind::Float => out.extend(value.as_f64().unwrap_or(f64::NAN).to_le_bytes()),
            ColumnKind::Text => {
                let text = match value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                out.extend((text.len() as u32).to_le_bytes());
                out.extend_from_slice(text.as_bytes());
            }
        }
    }
    out
}

fn multipolygon<'a>(
    b: &mut FlatBufferBuilder<'a>,
    geometry: &MultiPolygon<f64>,
) -> WIPOffset<flatbuffers::TableFinishedWIPOffset> {
    let parts: Vec<_> = geometry.0.iter().map(|p| polygon(b, p)).collect();
    let parts = b.create_vector(&parts);
    let g = b.start_table();
    b.push_slot::<u8>(slot(6), MULTI_POLYGON, 0);
    b.push_slot_always(slot(7), parts);
    b.end_table(g)
}

fn polygon<'a>(
    b: &mut FlatBufferBuilder<'a>,
    polygon: &Polygon<f64>,
) -> WIPOffset<flatbuffers::TableFinishedWIPOffset> {
    let mut xy = Vec::new();
    let mut ends = Vec::new();
    for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
        xy.extend(ring.0.iter().flat_map(|c| [c.x, c.y]));
        ends.push((xy.len() / 2) as u32);
    }
    let ends = b.create_vector(&ends);
    let xy = b.create_vector(&xy);
    let g = b.start_table();
    b.push_slot_always(slot(0), ends);
    b.push_slot_always(slot(1), xy);
    b.push_slot::<u8>(slot(6), POLYGON, 0);
    b.end_table(g)
}
