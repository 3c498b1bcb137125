//! The commune outline measures stored built by the import (`data/france-measures.cpat`):
//! projected box, area and centroid of every commune, for the geography file they were
//! computed from.
//!
//! # Format (version 1, framed as `france.cpat`: magic, version, length, checksum)
//! ```text
//! magic     8 bytes  "CPTSMSR\0"
//! payload:
//!   geography checksum  uint (the checksum of the france.cpat payload measured)
//!   communes            n, then per commune a tag uint (0 = no outline, 1 = measures,
//!                       2 = measures and centroid), then the floats as 8 raw bytes each:
//!                       min x, min y, max x, max y, area km², [lon, lat]
//! ```
//! The floats are stored as their bits: the atlas reads back exactly what it would compute.

use std::path::Path;

use super::dataset::{write_framed, DecodeError, FramedFile, Writer};
use crate::loaders::LoadError;
use crate::model::OutlineMeasures;

const MAGIC: &[u8; 8] = b"CPTSMSR\0";
const VERSION: u32 = 1;

/// File name of the measures inside a data directory.
pub const MEASURES_FILE: &str = "france-measures.cpat";

/// Writes the measures of the geography whose payload checksum is `geography_checksum`.
pub fn write_measures(
    path: &Path,
    geography_checksum: u64,
    measures: &[Option<OutlineMeasures>],
) -> Result<(), LoadError> {
    let mut w = Writer::default();
    w.uint(geography_checksum);
    w.len(measures.len());
    for m in measures {
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
    write_framed(path, MAGIC, VERSION, &w.buf)
}

/// Reads the measures at `path` (header and checksum checked); `None` when they were computed
/// for another geography than the one whose payload checksum is `geography_checksum` (a stale
/// file: the atlas then computes them).
pub fn read_measures(
    path: &Path,
    geography_checksum: u64,
) -> Result<Option<Vec<Option<OutlineMeasures>>>, LoadError> {
    let file = FramedFile::open(path, MAGIC, VERSION)?;
    let (recorded, _) = file.decode_at(0, |r| r.uint())?;
    if recorded != geography_checksum {
        return Ok(None);
    }
    file.decode(|r| {
        r.uint()?;
        r.list(|r| {
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
        })
    })
    .map(Some)
}
