//! `cpts-atlas overlaps`: every pair of registry CPTS that overlap, as a table or JSON.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::diagnose::{kind_label, overlap_summary};
use super::registry::RegistryArgs;
use crate::diagnosis::registry_overlaps;
use crate::engine::{Atlas, OverlapKind};

#[derive(Args)]
pub struct OverlapsArgs {
    /// Dataset folder.
    #[arg(long, env = "CPTS_ATLAS_DATA")]
    data: Option<PathBuf>,
    #[command(flatten)]
    registry: RegistryArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Text,
}

pub fn run(args: OverlapsArgs) -> anyhow::Result<()> {
    let data_dir = args.data.unwrap_or_else(super::default_data_dir);
    let atlas = Atlas::load(&data_dir)?;
    let registry = args.registry.require(&atlas, &data_dir)?;
    let pairs = registry_overlaps(&atlas, &registry);
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&pairs)?),
        Format::Text => {
            let count = |kind| pairs.iter().filter(|p| p.overlap.kind == kind).count();
            println!(
                "{} CPTS ({}) : {} conflit(s), {} liseré(s) sous la tolérance, {} partage(s) déclaré(s)",
                registry.cpts().len(),
                registry.source(),
                count(OverlapKind::Conflict),
                count(OverlapKind::Sliver),
                count(OverlapKind::DeclaredSplit)
            );
            for p in &pairs {
                println!(
                    "{:<16} {} / {} : {}",
                    kind_label(p.overlap.kind),
                    p.first.name,
                    p.second.name,
                    overlap_summary(&p.overlap, None)
                );
            }
        }
    }
    Ok(())
}
