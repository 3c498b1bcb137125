//! What the diagnosing commands load: dataset, funding grid, registry and health data.

use std::path::PathBuf;

use clap::Args;

use crate::diagnosis::{DiagnosisOptions, FundingGrid};
use crate::engine::{Atlas, HealthAtlas, RegistryIndex};

/// Options shared by `diagnose` and `batch`.
#[derive(Args)]
pub struct EngineArgs {
    /// Optional missions chosen, comma-separated (mandatory ones are always counted).
    #[arg(long, value_delimiter = ',')]
    pub missions: Vec<String>,
    /// A funding grid JSON file instead of the shipped ACI 2019 grid.
    #[arg(long)]
    grid: Option<PathBuf>,
    /// Dataset folder.
    #[arg(long, env = "CPTS_ATLAS_DATA")]
    data: Option<PathBuf>,
    #[command(flatten)]
    registry: super::registry::RegistryArgs,
    #[command(flatten)]
    health: super::health::HealthArgs,
}

/// The loaded engines, indexed once.
pub struct Engines {
    pub atlas: Atlas,
    pub grid: FundingGrid,
    pub registry: Option<RegistryIndex>,
    pub health: Option<HealthAtlas>,
    pub missions: Vec<String>,
}

impl EngineArgs {
    /// Loads and indexes everything the options name.
    pub fn load(self) -> anyhow::Result<Engines> {
        let grid = match &self.grid {
            Some(path) => FundingGrid::from_file(path)?,
            None => FundingGrid::aci_2019(),
        };
        let data_dir = self.data.unwrap_or_else(super::default_data_dir);
        let atlas = Atlas::load(&data_dir)?;
        let registry = self.registry.load(&atlas, &data_dir)?;
        let health = super::health::load_health(&atlas, &data_dir, self.health)?;
        Ok(Engines {
            atlas,
            grid,
            registry,
            health,
            missions: self.missions,
        })
    }
}

impl Engines {
    /// Diagnosis options over these engines.
    pub fn options(&self) -> DiagnosisOptions<'_> {
        DiagnosisOptions {
            grid: &self.grid,
            missions: self.missions.clone(),
            registry: self.registry.as_ref(),
        }
    }
}
