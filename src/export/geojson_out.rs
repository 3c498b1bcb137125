//! A feature table as a GeoJSON FeatureCollection (RFC 7946), the columns as properties;
//! written whole or streamed chunk by chunk.

use std::io::Write;

use serde_json::{json, Map, Value};

use crate::model::FeatureTable;

/// The GeoJSON bytes of `table`; rows without outline have a null geometry.
pub fn geojson_bytes(table: &FeatureTable) -> Vec<u8> {
    let mut stream = GeoJsonStream::begin(Vec::new()).expect("in memory");
    stream.features(table).expect("in memory");
    stream.end().expect("in memory")
}

/// A FeatureCollection written as its features come: the opening, features, the closing.
pub struct GeoJsonStream<W: Write> {
    out: W,
    first: bool,
}

impl<W: Write> GeoJsonStream<W> {
    pub fn begin(mut out: W) -> std::io::Result<Self> {
        out.write_all(br#"{"type":"FeatureCollection","features":["#)?;
        Ok(Self { out, first: true })
    }

    /// Appends the rows of `table` as features.
    pub fn features(&mut self, table: &FeatureTable) -> std::io::Result<()> {
        for row in &table.rows {
            let properties: Map<String, Value> = table
                .columns
                .iter()
                .map(|c| c.name.clone())
                .zip(row.values.iter().cloned())
                .collect();
            let geometry = row
                .geometry
                .as_ref()
                .map(|g| json!(geojson::Geometry::from(g)))
                .unwrap_or(Value::Null);
            if !std::mem::take(&mut self.first) {
                self.out.write_all(b",")?;
            }
            serde_json::to_writer(
                &mut self.out,
                &json!({"type": "Feature", "properties": properties, "geometry": geometry}),
            )?;
        }
        Ok(())
    }

    /// Closes the collection; returns the writer.
    pub fn end(mut self) -> std::io::Result<W> {
        self.out.write_all(b"]}")?;
        self.out.flush()?;
        Ok(self.out)
    }
}
