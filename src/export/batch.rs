//! Batch results as files: one row per territory, its indicators as columns and its outline.
//!
//! By extension of the output file: `.geojson`/`.json`, a FeatureCollection, one feature per
//! territory with the columns as properties and its outline as geometry (null for failed
//! territories); `.parquet`: GeoParquet and `.fgb`: FlatGeobuf, the same columns and outlines.
//! Anything else: CSV, `;` separated, UTF-8, decimal point, one row per territory, columns
//! [`COLUMNS`].

use std::path::Path;

use serde_json::{json, Value};

use crate::export::ExportWriter;
use crate::loaders::LoadError;
use crate::model::{BatchRecord, Column, ColumnKind, FeatureTable, TableRow};

/// One output column: its name, kind, and how a record fills it (null when absent).
pub type BatchColumn = (&'static str, ColumnKind, fn(&BatchRecord) -> Value);

/// Rounded to `digits` decimals.
fn round(v: Option<f64>, digits: i32) -> Value {
    let k = 10f64.powi(digits);
    json!(v.map(|v| (v * k).round() / k))
}

/// A text, null when empty.
fn text(s: &str) -> Value {
    json!((!s.is_empty()).then_some(s))
}

/// The output columns, in order: each column's name, kind and value are written together.
pub const COLUMNS: &[BatchColumn] = &[
    ("territory", ColumnKind::Text, |r| json!(r.territory)),
    ("population", ColumnKind::Int, |r| json!(r.population)),
    ("population_estimated", ColumnKind::Int, |r| {
        json!(r.population_estimated)
    }),
    ("tier", ColumnKind::Int, |r| json!(r.tier)),
    ("funding_total_eur", ColumnKind::Int, |r| {
        json!(r.funding_total.map(|v| v.round() as i64))
    }),
    ("funding_grid", ColumnKind::Text, |r| json!(r.funding_grid)),
    ("commune_count", ColumnKind::Int, |r| json!(r.commune_count)),
    ("partial_commune_count", ColumnKind::Int, |r| {
        json!(r.partial_commune_count)
    }),
    ("area_km2", ColumnKind::Float, |r| round(r.area_km2, 3)),
    ("area_complete", ColumnKind::Bool, |r| {
        json!(r.area_complete)
    }),
    ("density_per_km2", ColumnKind::Float, |r| {
        round(r.density_per_km2, 1)
    }),
    ("departements", ColumnKind::Text, |r| text(&r.departements)),
    ("regions", ColumnKind::Text, |r| text(&r.regions)),
    ("overlap_count", ColumnKind::Int, |r| json!(r.overlap_count)),
    ("overlaps", ColumnKind::Text, |r| text(&r.overlaps)),
    ("registry_coverage", ColumnKind::Text, |r| {
        json!(r.registry_coverage)
    }),
    ("gp_count", ColumnKind::Float, |r| round(r.gp_count, 1)),
    ("gp_density_per_10k", ColumnKind::Float, |r| {
        round(r.gp_density_per_10k, 2)
    }),
    ("gp_source", ColumnKind::Text, |r| text(&r.gp_source)),
    ("apl", ColumnKind::Float, |r| round(r.apl, 2)),
    ("apl_edition", ColumnKind::Int, |r| json!(r.apl_edition)),
    ("warnings", ColumnKind::Text, |r| text(&r.warnings)),
    ("location", ColumnKind::Text, |r| json!(r.location)),
    ("error", ColumnKind::Text, |r| json!(r.error)),
    ("emergency_inside", ColumnKind::Int, |r| {
        json!(r.emergency_inside)
    }),
    ("emergency_nearest_km", ColumnKind::Float, |r| {
        round(r.emergency_nearest_km, 1)
    }),
    ("care_places_missing_30km", ColumnKind::Text, |r| {
        text(&r.care_places_missing_30km)
    }),
    ("share_75_plus", ColumnKind::Float, |r| {
        round(r.share_75_plus, 4)
    }),
    ("fedi", ColumnKind::Float, |r| round(r.fedi, 2)),
    ("poverty_rate", ColumnKind::Float, |r| {
        round(r.poverty_rate, 4)
    }),
];

/// The output of a batch, in the format the output's extension names, written as its records
/// come (CSV and GeoJSON rows go straight to the file; see [`ExportWriter`]).
pub struct BatchOutput(ExportWriter);

impl BatchOutput {
    /// Creates the file; a CSV gets its header line at once.
    pub fn create(path: &Path) -> Result<Self, LoadError> {
        let mut writer = ExportWriter::create(path)?;
        writer.write(&batch_table(&[]))?;
        Ok(Self(writer))
    }

    /// Writes these records.
    pub fn write(&mut self, records: &[BatchRecord]) -> Result<(), LoadError> {
        self.0.write(&batch_table(records))
    }

    /// Completes the file (footers, counts, extent).
    pub fn finish(self) -> Result<(), LoadError> {
        self.0.finish()
    }
}

/// The records as a table: the [`COLUMNS`] and each territory's outline.
pub fn batch_table(records: &[BatchRecord]) -> FeatureTable {
    FeatureTable {
        columns: COLUMNS
            .iter()
            .map(|&(name, kind, _)| Column {
                name: name.to_string(),
                kind,
            })
            .collect(),
        rows: records
            .iter()
            .map(|r| TableRow {
                geometry: r.outline.clone(),
                values: COLUMNS.iter().map(|(_, _, value)| value(r)).collect(),
            })
            .collect(),
    }
}
