//! The atlas's files in a data directory: the geography (`france.cpat`), its outline measures
//! (`france-measures.cpat`), its postal codes and the IRIS layer (`iris.cpat`), read and
//! checked at load; display levels and IRIS decoded on first use.

use std::path::Path;

use super::dataset::{read_geography_deferred, GEOGRAPHY_FILE};
use super::measures::{read_measures, MEASURES_FILE};
use super::postal_codes::{read_postal_codes, POSTAL_CODES_FILE};
use crate::loaders::iris::dataset::{IrisFile, IRIS_FILE};
use crate::loaders::LoadError;
use crate::model::{AtlasSources, Deferred};

/// Reads what the atlas indexes from a data directory; a damaged file is refused here, even one
/// decoded later.
pub fn read_atlas_sources(data_dir: &Path) -> Result<AtlasSources, LoadError> {
    let (mut geography, display_levels, checksum) =
        read_geography_deferred(&data_dir.join(GEOGRAPHY_FILE))?;
    let measures_path = data_dir.join(MEASURES_FILE);
    let measures = if measures_path.exists() {
        read_measures(&measures_path, checksum)?
    } else {
        None
    };
    let postal_path = data_dir.join(POSTAL_CODES_FILE);
    if postal_path.exists() {
        geography.postal_codes = read_postal_codes(&postal_path)?;
    }
    let iris_path = data_dir.join(IRIS_FILE);
    let iris = if iris_path.exists() {
        let file = IrisFile::open(&iris_path)?;
        Some(Deferred::new(move || {
            file.read().map_err(|e| e.to_string())
        }))
    } else {
        None
    };
    Ok(AtlasSources {
        geography,
        display_levels: Some(display_levels),
        iris,
        measures,
    })
}
