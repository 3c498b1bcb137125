//! The commune outline measures and adjacency stored built by the import
//! (`data/france-measures.cpat`): projected box, area and centroid of every commune, and which
//! communes share a border, for the geography file they were computed from.
//!
//! # Format (version 2, framed as `france.cpat`: magic, version, length, checksum)
//! ```text
//! magic     8 bytes  "CPTSMSR\0"
//! payload:
//!   geography checksum  uint (the checksum of the france.cpat payload measured)
//!   communes            n, then per commune a tag uint (0 = no outline, 1 = measures,
//!                       2 = measures and centroid), then the floats as 8 raw bytes each:
//!                       min x, min y, max x, max y, area km², [lon, lat]
//!   adjacency           n rows, one per commune: its neighbour count, then per neighbour
//!                       (by increasing index) the index (the first one) or the gap from the
//!                       previous one (uint), and the shared border's km (8 raw bytes)
//! ```
//! The floats are stored as their bits: the atlas reads back exactly what it would compute.

use std::path::Path;

use super::dataset::{write_framed, DecodeError, FramedFile, Reader, Writer};
use crate::loaders::LoadError;
use crate::model::{AdjacencyRows, Neighbour, OutlineMeasures, StoredMeasures};

const MAGIC: &[u8; 8] = b"CPTSMSR\0";
const VERSION: u32 = 2;

/// File name of the measures inside a data directory.
pub const MEASURES_FILE: &str = "france-measures.cpat";

/// Writes the measures of the geography whose payload checksum is `geography_checksum`.
pub fn write_measures(
    path: &Path,
    geography_checksum: u64,
    measures: &StoredMeasures,
) -> Result<(), LoadError> {
    let mut w = Writer::default();
    w.uint(geography_checksum);
    w.len(measures.outlines.len());
    for m in &measures.outlines {
        let Some(m) = m else {
            w.uint(0);
            continue;
        };
        w.uint(if m.centroid.is_some() { 2 } else { 1 });
        for v in m.projected_box {
            w.f64(v);
        }
        w.f64(m.area_km2);
        if let Some((lon, lat)) = m.centroid {
            w.f64(lon);
            w.f64(lat);
        }
    }
    let rows = &measures.adjacency;
    w.len(rows.offsets.len().saturating_sub(1));
    for row in rows.offsets.windows(2) {
        let row = &rows.neighbours[row[0]..row[1]];
        w.len(row.len());
        let mut previous = None;
        for n in row {
            w.uint(match previous {
                None => n.commune as u64,
                Some(p) => (n.commune - p) as u64,
            });
            w.f64(n.border_km);
            previous = Some(n.commune);
        }
    }
    write_framed(path, MAGIC, VERSION, &w.buf)
}

/// Reads the measures at `path` (header and checksum checked); `None` when they were computed
/// for another geography than the one whose payload checksum is `geography_checksum` (a stale
/// file: the atlas then computes them).
pub fn read_measures(
    path: &Path,
    geography_checksum: u64,
) -> Result<Option<StoredMeasures>, LoadError> {
    let file = FramedFile::open(path, MAGIC, VERSION)?;
    let (recorded, _) = file.decode_at(0, |r| r.uint())?;
    if recorded != geography_checksum {
        return Ok(None);
    }
    file.decode(|r| {
        r.uint()?;
        let outlines = r.list(outline)?;
        let adjacency = adjacency(r, outlines.len())?;
        Ok(StoredMeasures {
            outlines,
            adjacency,
        })
    })
    .map(Some)
}

/// One commune's outline measures.
fn outline(r: &mut Reader) -> Result<Option<OutlineMeasures>, DecodeError> {
    let tag = r.uint()?;
    if tag == 0 {
        return Ok(None);
    }
    if tag > 2 {
        return Err(DecodeError::Corrupt(format!("unknown measure tag {tag}")));
    }
    let projected_box = [r.f64()?, r.f64()?, r.f64()?, r.f64()?];
    let area_km2 = r.f64()?;
    let centroid = if tag == 2 {
        Some((r.f64()?, r.f64()?))
    } else {
        None
    };
    Ok(Some(OutlineMeasures {
        projected_box,
        area_km2,
        centroid,
    }))
}

/// The adjacency rows of `communes` communes, each neighbour index checked in range and
/// increasing along its row.
fn adjacency(r: &mut Reader, communes: usize) -> Result<AdjacencyRows, DecodeError> {
    let rows = r.len()?;
    if rows != communes {
        return Err(DecodeError::Corrupt(format!(
            "{rows} adjacency rows for {communes} communes"
        )));
    }
    let mut offsets = Vec::with_capacity(rows + 1);
    let mut neighbours = Vec::new();
    offsets.push(0);
    for _ in 0..rows {
        let count = r.len()?;
        let mut previous: Option<usize> = None;
        for _ in 0..count {
            let step = usize::try_from(r.uint()?).unwrap_or(usize::MAX);
            let commune = match previous {
                None => Some(step),
                Some(_) if step == 0 => None,
                Some(p) => p.checked_add(step),
            }
            .filter(|&c| c < communes)
            .ok_or_else(|| DecodeError::Corrupt("adjacency neighbour out of order".into()))?;
            neighbours.push(Neighbour {
                commune,
                border_km: r.f64()?,
            });
            previous = Some(commune);
        }
        offsets.push(neighbours.len());
    }
    Ok(AdjacencyRows {
        offsets,
        neighbours,
    })
}
