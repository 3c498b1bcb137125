//! The `--registry` option shared by the commands that check existing CPTS.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, ValueEnum};

use crate::engine::{Atlas, RegistryIndex};
use crate::loaders::registry::{read_registries, DEFAULT_REGISTRY_FILE};

/// Output of the registry reports.
#[derive(Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    /// A readable report in French.
    Text,
    Json,
    /// A map layer (FeatureCollection, WGS84).
    Geojson,
}

#[derive(Args)]
pub struct RegistryArgs {
    /// Registry of existing CPTS: a compact registry JSON or GeoJSON polygons with `id` and
    /// `name` properties; repeat to merge several. Default: the shipped ARS PACA 2026 registry.
    #[arg(long = "registry", env = "CPTS_ATLAS_REGISTRY", value_delimiter = ',')]
    files: Vec<PathBuf>,
    /// Check no registry (diagnose without overlaps).
    #[arg(long, conflicts_with = "files")]
    no_registry: bool,
}

impl RegistryArgs {
    /// The registry files given, or the default one of the data directory.
    fn paths(&self, data_dir: &Path) -> Vec<PathBuf> {
        if self.files.is_empty() {
            vec![data_dir.join(DEFAULT_REGISTRY_FILE)]
        } else {
            self.files.clone()
        }
    }

    /// The indexed registry, or `None` with `--no-registry`.
    pub fn load(&self, atlas: &Atlas, data_dir: &Path) -> anyhow::Result<Option<RegistryIndex>> {
        if self.no_registry {
            return Ok(None);
        }
        let paths = self.paths(data_dir);
        let index = read_registries(&paths)
            .map_err(anyhow::Error::from)
            .and_then(|registry| Ok(RegistryIndex::new(atlas, registry)?))
            .context(
                "cannot load the CPTS registry (give another with --registry, or --no-registry)",
            )?;
        Ok(Some(index))
    }

    /// The indexed registry; an error with `--no-registry`.
    pub fn require(&self, atlas: &Atlas, data_dir: &Path) -> anyhow::Result<RegistryIndex> {
        self.load(atlas, data_dir)?
            .context("this command needs a registry: remove --no-registry")
    }
}
