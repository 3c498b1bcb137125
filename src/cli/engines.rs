//! What the diagnosing commands load: dataset, funding grid, registry and health data.

use std::path::{Path, PathBuf};

use clap::Args;

use super::health::{index_health, read_shipped_health, HealthArgs};
use super::registry::RegistryArgs;
use crate::diagnosis::{DiagnosisContext, DiagnosisOptions, FundingGrid, DEFAULT_GRID};
use crate::engine::{Atlas, HealthAtlas, RegistryIndex};
use crate::loaders::geography::read_atlas_sources;

/// Options shared by `diagnose` and `batch`.
#[derive(Args)]
pub struct EngineArgs {
    /// Optional missions chosen, comma-separated (mandatory ones are always counted).
    #[arg(long, value_delimiter = ',')]
    pub missions: Vec<String>,
    #[command(flatten)]
    grid: GridArgs,
    /// Dataset folder.
    #[arg(long, env = "CPTS_ATLAS_DATA")]
    data: Option<PathBuf>,
    #[command(flatten)]
    registry: super::registry::RegistryArgs,
    #[command(flatten)]
    health: super::health::HealthArgs,
}

/// Which funding grid: a shipped one by id or by contract date, or a JSON file.
#[derive(Args)]
pub struct GridArgs {
    /// Funding grid: a shipped grid's id (`aci-2019`, `avenant-2-2021`) or a grid JSON file.
    /// Default: `avenant-2-2021` (contracts signed from 20/12/2021).
    #[arg(long, conflicts_with = "grid_date")]
    grid: Option<String>,
    /// The grid a contract signed on this date (YYYY-MM-DD) falls under.
    #[arg(long)]
    grid_date: Option<String>,
}

impl GridArgs {
    /// The grid the options name.
    pub fn load(&self) -> anyhow::Result<FundingGrid> {
        Ok(match (&self.grid, &self.grid_date) {
            (_, Some(date)) => FundingGrid::for_contract_date(date)?,
            (Some(id), None) if FundingGrid::by_id(id).is_ok() => FundingGrid::by_id(id)?,
            (Some(path), None) => {
                let path = PathBuf::from(path);
                if !path.exists() {
                    // Neither a shipped grid nor a file: name both.
                    FundingGrid::by_id(&path.to_string_lossy())?;
                }
                // A grid file has the shape of the shipped ones.
                crate::loaders::read_json::<FundingGrid>(&path)?
            }
            (None, None) => FundingGrid::by_id(DEFAULT_GRID)?,
        })
    }
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
    /// Loads and indexes everything the options name, for the rest of the process: a command
    /// runs once, and freeing the national indexes one by one at its end would cost more CPU
    /// than a diagnosis (~50 ms); the system takes the memory back at exit.
    pub fn load(self) -> anyhow::Result<&'static Engines> {
        let grid = self.grid.load()?;
        let data_dir = self.data.unwrap_or_else(super::default_data_dir);
        let (atlas, registry, health) = load_sources(&data_dir, &self.registry, self.health)?;
        Ok(Box::leak(Box::new(Engines {
            atlas,
            grid,
            registry,
            health,
            missions: self.missions,
        })))
    }
}

/// Reads and indexes the atlas, the registry the options name and the health data, on two
/// threads: the health tables are parsed while the geography loads and indexes, then the
/// registry is indexed while the health data is.
pub fn load_sources(
    data_dir: &Path,
    registry: &RegistryArgs,
    health: HealthArgs,
) -> anyhow::Result<(Atlas, Option<RegistryIndex>, Option<HealthAtlas>)> {
    let (atlas, shipped) = std::thread::scope(|s| {
        let shipped = s.spawn(|| read_shipped_health(data_dir));
        let atlas = read_atlas_sources(data_dir).map(Atlas::new);
        (atlas, joined(shipped))
    });
    let (atlas, shipped) = (atlas?, shipped?);
    let (registry, health) = std::thread::scope(|s| {
        let registry = s.spawn(|| registry.load(&atlas, data_dir));
        let health = index_health(&atlas, shipped, health);
        (joined(registry), health)
    });
    Ok((atlas, registry?, health?))
}

/// The result of a scoped thread; its panic, if it panicked.
fn joined<T>(thread: std::thread::ScopedJoinHandle<'_, T>) -> T {
    thread
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

impl Engines {
    /// Diagnosis options over these engines.
    pub fn options(&self) -> DiagnosisOptions<'_> {
        DiagnosisOptions {
            grid: &self.grid,
            missions: self.missions.clone(),
        }
    }

    /// The sources a diagnosis draws on: the atlas, the registry and health data loaded.
    pub fn context(&self) -> DiagnosisContext<'_> {
        DiagnosisContext::new(&self.atlas)
            .with_registry(self.registry.as_ref())
            .with_health(self.health.as_ref())
    }
}
