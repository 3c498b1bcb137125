//! FlatGeobuf 3 writer (MultiPolygon, EPSG:4326, no spatial index): the header, then each
//! feature as a size-prefixed FlatBuffer with its properties in the column encoding; streamed.

use std::io::{Cursor, Seek, SeekFrom, Write};

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
    let mut stream = FlatGeobufStream::new(Cursor::new(Vec::new()), table).expect("in memory");
    stream.rows(table).expect("in memory");
    stream.end().expect("in memory").into_inner()
}

/// A FlatGeobuf file written as its rows come: each feature goes to the output at once. The
/// header, written first, holds the feature count and the envelope of every outline: both are
/// written as placeholders and filled in at [`Self::end`] (the output is seekable). Without a
/// spatial index nothing else needs every feature up front.
pub struct FlatGeobufStream<W: Write + Seek> {
    out: W,
    columns: Vec<ColumnKind>,
    /// Where the header's feature count and envelope values are in the output.
    count_at: u64,
    envelope_at: u64,
    count: u64,
    envelope: Option<geo::Rect<f64>>,
    builder: FlatBufferBuilder<'static>,
}

impl<W: Write + Seek> FlatGeobufStream<W> {
    /// Writes the magic bytes and the header for the columns of `table` (not its rows).
    pub fn new(mut out: W, table: &FeatureTable) -> std::io::Result<Self> {
        let start = out.stream_position()? + MAGIC.len() as u64;
        out.write_all(MAGIC)?;
        let mut b = FlatBufferBuilder::new();
        header(&mut b, table);
        let data = b.finished_data();
        // The size prefix, then the FlatBuffer the field positions are relative to.
        let buffer = &data[4..];
        let root = read_u32(buffer, 0);
        let count_at = field_position(buffer, root, HEADER_FEATURES_COUNT);
        let envelope_field = field_position(buffer, root, HEADER_ENVELOPE);
        let envelope_at = envelope_field + read_u32(buffer, envelope_field) + 4;
        out.write_all(data)?;
        Ok(Self {
            out,
            columns: table.columns.iter().map(|c| c.kind).collect(),
            count_at: start + 4 + count_at as u64,
            envelope_at: start + 4 + envelope_at as u64,
            count: 0,
            envelope: None,
            builder: b,
        })
    }

    /// Appends the rows of `table` (the columns given to [`Self::new`]).
    pub fn rows(&mut self, table: &FeatureTable) -> std::io::Result<()> {
        for row in &table.rows {
            let b = &mut self.builder;
            b.reset();
            let geometry = row.geometry.as_ref().map(|g| multipolygon(b, g));
            let props = properties(&self.columns, &row.values);
            let props = b.create_vector(&props);
            let feature = b.start_table();
            if let Some(g) = geometry {
                b.push_slot_always(slot(0), g);
            }
            b.push_slot_always(slot(1), props);
            let feature = b.end_table(feature);
            b.finish_size_prefixed(feature, None);
            self.out.write_all(b.finished_data())?;
            self.count += 1;
            if let Some(r) = row.geometry.as_ref().and_then(|g| g.bounding_rect()) {
                self.envelope = Some(match self.envelope {
                    None => r,
                    Some(a) => geo::Rect::new(
                        geo::coord! {x: a.min().x.min(r.min().x), y: a.min().y.min(r.min().y)},
                        geo::coord! {x: a.max().x.max(r.max().x), y: a.max().y.max(r.max().y)},
                    ),
                });
            }
        }
        Ok(())
    }

    /// Fills in the header's feature count and envelope (NaN when no feature has an outline);
    /// returns the output, positioned at its end.
    pub fn end(mut self) -> std::io::Result<W> {
        let end = self.out.stream_position()?;
        self.out.seek(SeekFrom::Start(self.count_at))?;
        self.out.write_all(&self.count.to_le_bytes())?;
        let envelope = self.envelope.map_or([f64::NAN; 4], |r| {
            [r.min().x, r.min().y, r.max().x, r.max().y]
        });
        self.out.seek(SeekFrom::Start(self.envelope_at))?;
        for v in envelope {
            self.out.write_all(&v.to_le_bytes())?;
        }
        self.out.seek(SeekFrom::Start(end))?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Header fields filled in at the end.
const HEADER_ENVELOPE: u16 = 1;
const HEADER_FEATURES_COUNT: u16 = 8;

fn read_u32(buffer: &[u8], at: usize) -> usize {
    u32::from_le_bytes(buffer[at..at + 4].try_into().expect("4 bytes")) as usize
}

/// The position in `buffer` of field `field` of the table at `table` (FlatBuffers layout: the
/// table starts with the signed offset back to its vtable, whose entries are field offsets
/// from the table's start). The header's fields are always written, so present.
fn field_position(buffer: &[u8], table: usize, field: u16) -> usize {
    let back = i32::from_le_bytes(buffer[table..table + 4].try_into().expect("4 bytes"));
    let vtable = (table as i64 - i64::from(back)) as usize;
    let entry = vtable + slot(field) as usize;
    let offset = u16::from_le_bytes([buffer[entry], buffer[entry + 1]]) as usize;
    table + offset
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
    // Placeholders, filled in at the end.
    let envelope = b.create_vector(&[0f64; 4]);
    let org = b.create_string("EPSG");
    let crs = b.start_table();
    b.push_slot_always(slot(0), org);
    b.push_slot::<i32>(slot(1), 4326, 0);
    let crs = b.end_table(crs);
    let name = b.create_string("cpts-atlas");
    let header = b.start_table();
    b.push_slot_always(slot(0), name);
    b.push_slot_always(slot(HEADER_ENVELOPE), envelope);
    b.push_slot::<u8>(slot(2), MULTI_POLYGON, 0);
    b.push_slot_always(slot(7), columns);
    b.push_slot_always::<u64>(slot(HEADER_FEATURES_COUNT), 0);
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
fn properties(columns: &[ColumnKind], values: &[Value]) -> Vec<u8> {
    let mut out = Vec::new();
    for (k, (kind, value)) in columns.iter().zip(values).enumerate() {
        if value.is_null() {
            continue;
        }
        out.extend((k as u16).to_le_bytes());
        match kind {
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
