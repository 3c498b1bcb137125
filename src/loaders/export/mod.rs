//! Exports of feature tables for analysts: CSV, GeoJSON, GeoParquet and FlatGeobuf, by format.

mod csv_out;
mod features;
mod flatgeobuf;
mod geojson_out;
mod geoparquet;
mod thrift;
mod wkb;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

pub use features::table_from_features;

use super::LoadError;
use crate::model::FeatureTable;

/// A file format features are exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// `;`-separated, UTF-8, decimal point, a header line; no geometry.
    Csv,
    /// RFC 7946 FeatureCollection.
    GeoJson,
    /// GeoParquet 1.1: a WKB `geometry` column and the `geo` file metadata.
    GeoParquet,
    /// FlatGeobuf 3, without spatial index.
    FlatGeobuf,
}

impl ExportFormat {
    /// The format named by a file's extension (`.csv`, `.geojson`/`.json`, `.parquet`, `.fgb`);
    /// CSV for anything else.
    pub fn from_path(path: &Path) -> Self {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Self::from_name)
            .unwrap_or(Self::Csv)
    }

    /// The format named `csv`, `geojson`/`json`, `parquet`/`geoparquet` or `fgb`/`flatgeobuf`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "csv" => Some(Self::Csv),
            "geojson" | "json" => Some(Self::GeoJson),
            "parquet" | "geoparquet" => Some(Self::GeoParquet),
            "fgb" | "flatgeobuf" => Some(Self::FlatGeobuf),
            _ => None,
        }
    }

    /// The media type of files of this format.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::GeoJson => "application/geo+json",
            Self::GeoParquet => "application/vnd.apache.parquet",
            Self::FlatGeobuf => "application/flatgeobuf",
        }
    }

    /// The usual file extension, without dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::GeoJson => "geojson",
            Self::GeoParquet => "parquet",
            Self::FlatGeobuf => "fgb",
        }
    }
}

/// The bytes of `table` in `format`.
pub fn export_bytes(table: &FeatureTable, format: ExportFormat) -> Vec<u8> {
    match format {
        ExportFormat::Csv => csv_out::csv_bytes(table),
        ExportFormat::GeoJson => geojson_out::geojson_bytes(table),
        ExportFormat::GeoParquet => geoparquet::geoparquet_bytes(table),
        ExportFormat::FlatGeobuf => flatgeobuf::flatgeobuf_bytes(table),
    }
}

/// Writes `table` to `path` in the format its extension names (see [`ExportFormat::from_path`]).
pub fn write_export(path: &Path, table: &FeatureTable) -> Result<(), LoadError> {
    let mut writer = ExportWriter::create(path)?;
    writer.write(table)?;
    writer.finish()
}

/// A file written chunk by chunk in the format its extension names: CSV and GeoJSON rows go to
/// the file as they come (only one chunk in memory); GeoParquet and FlatGeobuf, whose layouts
/// need every row, are gathered and written at [`ExportWriter::finish`].
pub struct ExportWriter {
    path: std::path::PathBuf,
    sink: Sink,
}

enum Sink {
    Csv(Box<csv_out::CsvStream<BufWriter<File>>>),
    GeoJson(geojson_out::GeoJsonStream<BufWriter<File>>),
    Whole(ExportFormat, Option<FeatureTable>),
}

impl ExportWriter {
    /// Creates (truncates) the file at `path`.
    pub fn create(path: &Path) -> Result<Self, LoadError> {
        let failed = |source| LoadError::Write {
            path: path.to_path_buf(),
            source,
        };
        let format = ExportFormat::from_path(path);
        let sink = match format {
            ExportFormat::Csv | ExportFormat::GeoJson => {
                let out = BufWriter::new(File::create(path).map_err(failed)?);
                if format == ExportFormat::Csv {
                    Sink::Csv(Box::new(csv_out::CsvStream::new(out)))
                } else {
                    Sink::GeoJson(geojson_out::GeoJsonStream::begin(out).map_err(failed)?)
                }
            }
            other => Sink::Whole(other, None),
        };
        Ok(Self {
            path: path.to_path_buf(),
            sink,
        })
    }

    /// Appends the rows of `table` (every chunk has the same columns).
    pub fn write(&mut self, table: &FeatureTable) -> Result<(), LoadError> {
        let result = match &mut self.sink {
            Sink::Csv(stream) => stream.rows(table),
            Sink::GeoJson(stream) => stream.features(table),
            Sink::Whole(_, gathered) => {
                match gathered {
                    Some(all) => all.rows.extend(table.rows.iter().cloned()),
                    None => *gathered = Some(table.clone()),
                }
                Ok(())
            }
        };
        result.map_err(|source| self.failed(source))
    }

    /// Ends the file (the closing of a GeoJSON collection, the whole of the other formats).
    pub fn finish(self) -> Result<(), LoadError> {
        let result = match self.sink {
            Sink::Csv(stream) => stream.end().and_then(|mut out| out.flush()),
            Sink::GeoJson(stream) => stream.end().map(|_| ()),
            Sink::Whole(format, gathered) => std::fs::write(
                &self.path,
                export_bytes(&gathered.unwrap_or_default(), format),
            ),
        };
        result.map_err(|source| LoadError::Write {
            path: self.path.clone(),
            source,
        })
    }

    fn failed(&self, source: std::io::Error) -> LoadError {
        LoadError::Write {
            path: self.path.clone(),
            source,
        }
    }
}
