//! `cpts-atlas export`: the registry, its overlaps, the uncovered communes or one territory's
//! communes as a file for analysts — GeoParquet (`.parquet`), FlatGeobuf (`.fgb`), GeoJSON
//! (`.geojson`) or `;`-separated CSV (anything else).

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};

use super::registry::RegistryArgs;
use super::territory::TerritoryArgs;
use crate::diagnosis::{
    communes_table, coverage_layer, overlaps_layer, registry_layer, registry_overlaps,
};
use crate::engine::{Atlas, CoverageScope};
use crate::export::{table_from_features, write_export};
use crate::model::FeatureTable;

#[derive(Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    what: Export,
    /// The file written; its extension chooses the format.
    #[arg(long, global = true)]
    output: Option<PathBuf>,
    /// Dataset folder.
    #[arg(long, env = "CPTS_ATLAS_DATA", global = true)]
    data: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Export {
    /// The registry of existing CPTS: one row per CPTS (as `GET /api/cpts`).
    Cpts(RegistryOnly),
    /// Every overlapping pair of registry CPTS, on the shared area (as `GET /api/overlaps`).
    Overlaps(RegistryOnly),
    /// Communes no registry CPTS covers or covers in part (as `GET /api/coverage`).
    Uncovered(UncoveredArgs),
    /// One territory's communes (codes, a GeoJSON polygon, an EPCI or a saved territory).
    Territory(TerritoryExportArgs),
}

#[derive(Args)]
struct RegistryOnly {
    #[command(flatten)]
    registry: RegistryArgs,
}

#[derive(Args)]
struct UncoveredArgs {
    #[command(flatten)]
    registry: RegistryArgs,
    /// Only the communes of this département (default: all France).
    #[arg(long, conflicts_with = "region")]
    departement: Option<String>,
    /// Only the communes of this région.
    #[arg(long)]
    region: Option<String>,
}

#[derive(Args)]
struct TerritoryExportArgs {
    #[command(flatten)]
    territory: TerritoryArgs,
    /// Id of a saved territory of the `--territories` database.
    #[arg(long, requires = "territories")]
    saved: Option<i64>,
    /// Database of saved territories.
    #[arg(long)]
    territories: Option<PathBuf>,
}

pub fn run(args: ExportArgs) -> anyhow::Result<()> {
    let output = args
        .output
        .context("give the file to write with --output (.parquet, .fgb, .geojson or .csv)")?;
    let data_dir = args.data.unwrap_or_else(super::default_data_dir);
    let atlas = Atlas::new(crate::loaders::geography::read_atlas_sources(&data_dir)?);
    let table = match args.what {
        Export::Cpts(a) => {
            let registry = a.registry.require(&atlas, &data_dir)?;
            table_from_features(&registry_layer(&atlas, &registry).features)
        }
        Export::Overlaps(a) => {
            let registry = a.registry.require(&atlas, &data_dir)?;
            let pairs = registry_overlaps(&atlas, &registry);
            table_from_features(&overlaps_layer(&atlas, &registry, &pairs).features)
        }
        Export::Uncovered(a) => {
            let registry = a.registry.require(&atlas, &data_dir)?;
            let scope =
                CoverageScope::from_options(a.departement, a.region)?.unwrap_or(CoverageScope::All);
            let report = registry.coverage(&atlas, &scope)?;
            table_from_features(&coverage_layer(&atlas, &report).features)
        }
        Export::Territory(a) => territory_table(&atlas, &a)?,
    };
    write_export(&output, &table).with_context(|| format!("cannot write {}", output.display()))?;
    eprintln!("{} rows -> {}", table.rows.len(), output.display());
    Ok(())
}

fn territory_table(atlas: &Atlas, args: &TerritoryExportArgs) -> anyhow::Result<FeatureTable> {
    let (raw, _) = args
        .territory
        .raw_or_saved(args.saved, args.territories.as_deref())?;
    let resolved = super::territory::resolve(atlas, &raw)?;
    Ok(communes_table(atlas, &resolved.members))
}
