//! Exports of feature tables for analysts: CSV, GeoJSON, GeoParquet and FlatGeobuf, by format,
//! and the batch results written with them.

pub mod batch;
mod csv_out;
mod features;
mod flatgeobuf;
mod geojson_out;
mod geoparquet;
mod wkb;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

pub use features::table_from_features;
pub use geoparquet::ROW_GROUP_ROWS;
pub(crate) use wkb::multipolygon_from_wkb;

use crate::loaders::LoadError;
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

/// A file written chunk by chunk in the format its extension names, each chunk going to the
/// file as it comes: CSV and GeoJSON rows, FlatGeobuf features (count and envelope filled in at
/// [`ExportWriter::finish`]), GeoParquet row groups of at most [`ROW_GROUP_ROWS`] rows. Only
/// the current chunk (and for GeoParquet the current row group) is in memory.
pub struct ExportWriter {
    path: std::path::PathBuf,
    sink: Sink,
}

enum Sink {
    Csv(Box<csv_out::CsvStream<BufWriter<File>>>),
    GeoJson(geojson_out::GeoJsonStream<BufWriter<File>>),
    GeoParquet(Box<geoparquet::GeoParquetStream<BufWriter<File>>>),
    FlatGeobuf(Box<flatgeobuf::FlatGeobufStream<BufWriter<File>>>),
    /// A binary format whose header needs the columns: begun at the first chunk.
    Unbegun(ExportFormat, BufWriter<File>),
    /// Between two states (only while a chunk is written).
    Taken,
}

impl Sink {
    /// The stream of a binary format, begun with the columns of `table`.
    fn begin(
        format: ExportFormat,
        out: BufWriter<File>,
        table: &FeatureTable,
    ) -> std::io::Result<Self> {
        Ok(match format {
            ExportFormat::GeoParquet => {
                Sink::GeoParquet(Box::new(geoparquet::GeoParquetStream::new(out, table)?))
            }
            _ => Sink::FlatGeobuf(Box::new(flatgeobuf::FlatGeobufStream::new(out, table)?)),
        })
    }
}

impl ExportWriter {
    /// Creates (truncates) the file at `path`.
    pub fn create(path: &Path) -> Result<Self, LoadError> {
        let failed = |source| LoadError::Write {
            path: path.to_path_buf(),
            source,
        };
        let format = ExportFormat::from_path(path);
        let out = BufWriter::new(File::create(path).map_err(failed)?);
        let sink = match format {
            ExportFormat::Csv => Sink::Csv(Box::new(csv_out::CsvStream::new(out))),
            ExportFormat::GeoJson => {
                Sink::GeoJson(geojson_out::GeoJsonStream::begin(out).map_err(failed)?)
            }
            other => Sink::Unbegun(other, out),
        };
        Ok(Self {
            path: path.to_path_buf(),
            sink,
        })
    }

    /// Appends the rows of `table` (every chunk has the same columns).
    pub fn write(&mut self, table: &FeatureTable) -> Result<(), LoadError> {
        if let Sink::Unbegun(..) = self.sink {
            let Sink::Unbegun(format, out) = std::mem::replace(&mut self.sink, Sink::Taken) else {
                unreachable!("matched above")
            };
            self.sink = Sink::begin(format, out, table).map_err(|source| self.failed(source))?;
        }
        let result = match &mut self.sink {
            Sink::Csv(stream) => stream.rows(table),
            Sink::GeoJson(stream) => stream.features(table),
            Sink::GeoParquet(stream) => stream.rows(table),
            Sink::FlatGeobuf(stream) => stream.rows(table),
            Sink::Unbegun(..) | Sink::Taken => Err(std::io::Error::other("the file failed before")),
        };
        result.map_err(|source| self.failed(source))
    }

    /// Row groups of a GeoParquet file already written to it (0 for the other formats).
    pub fn flushed_row_groups(&self) -> usize {
        match &self.sink {
            Sink::GeoParquet(stream) => stream.flushed_row_groups(),
            _ => 0,
        }
    }

    /// Ends the file (the closing of a GeoJSON collection, the footer of a GeoParquet file, the
    /// header's count of a FlatGeobuf file).
    pub fn finish(self) -> Result<(), LoadError> {
        let failed = |source| LoadError::Write {
            path: self.path.clone(),
            source,
        };
        let sink = match self.sink {
            Sink::Unbegun(format, out) => {
                Sink::begin(format, out, &FeatureTable::default()).map_err(failed)?
            }
            other => other,
        };
        let result = match sink {
            Sink::Csv(stream) => stream.end().and_then(|mut out| out.flush()),
            Sink::GeoJson(stream) => stream.end().map(|_| ()),
            Sink::GeoParquet(stream) => stream.end().and_then(|mut out| out.flush()),
            Sink::FlatGeobuf(stream) => stream.end().map(|_| ()),
            Sink::Unbegun(..) | Sink::Taken => Err(std::io::Error::other("the file failed before")),
        };
        result.map_err(failed)
    }

    fn failed(&self, source: std::io::Error) -> LoadError {
        LoadError::Write {
            path: self.path.clone(),
            source,
        }
    }
}
