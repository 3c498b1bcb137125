//! `cpts-atlas overlaps`: every pair of registry CPTS that overlap, and optionally the saved
//! territories checked against the registry; as text, JSON or a GeoJSON layer.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use serde::Serialize;

use super::diagnose::{kind_label, overlap_summary};
use super::registry::{RegistryArgs, ReportFormat};
use crate::diagnosis::{
    overlaps_layer, registry_overlaps, saved_territory_overlaps, CandidateOverlap, PairOverlap,
};
use crate::engine::{Atlas, OverlapKind};
use crate::store::TerritoryStore;

#[derive(Args)]
pub struct OverlapsArgs {
    /// Dataset folder.
    #[arg(long, env = "CPTS_ATLAS_DATA")]
    data: Option<PathBuf>,
    #[command(flatten)]
    registry: RegistryArgs,
    /// Also check the territories saved in this database against the registry.
    #[arg(long)]
    territories: Option<PathBuf>,
    /// Output format (`geojson`: the registry pairs as a map layer).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
}

/// The JSON report.
#[derive(Serialize)]
struct Report {
    registry: String,
    cpts: usize,
    pairs: Vec<PairOverlap>,
    saved_territories: Vec<SavedCheck>,
}

#[derive(Serialize)]
struct SavedCheck {
    id: i64,
    name: String,
    /// Why the territory could not be checked, if so.
    error: Option<String>,
    overlaps: Vec<CandidateOverlap>,
}

pub fn run(args: OverlapsArgs) -> anyhow::Result<()> {
    let data_dir = args.data.unwrap_or_else(super::default_data_dir);
    let atlas = Atlas::new(crate::loaders::geography::read_atlas_sources(&data_dir)?);
    let registry = args.registry.require(&atlas, &data_dir)?;
    let pairs = registry_overlaps(&atlas, &registry);
    let saved_territories = match &args.territories {
        None => Vec::new(),
        Some(path) => {
            let store = TerritoryStore::open(path)?;
            store
                .list(None)?
                .into_iter()
                .map(|t| {
                    let checked = saved_territory_overlaps(&atlas, &registry, &t);
                    SavedCheck {
                        id: t.id,
                        name: t.name,
                        error: checked.as_ref().err().map(|e| e.to_string()),
                        overlaps: checked.unwrap_or_default(),
                    }
                })
                .collect()
        }
    };
    let answer = match args.format {
        ReportFormat::Json => {
            let report = Report {
                registry: registry.source().to_string(),
                cpts: registry.cpts().len(),
                pairs,
                saved_territories,
            };
            serde_json::to_string_pretty(&report)? + "\n"
        }
        ReportFormat::Geojson => {
            let layer = overlaps_layer(&atlas, &registry, &pairs);
            serde_json::to_string(&layer).context("GeoJSON")? + "\n"
        }
        ReportFormat::Text => {
            let mut out = String::new();
            let count = |kind| pairs.iter().filter(|p| p.overlap.kind == kind).count();
            writeln!(
                out,
                "{} CPTS ({}) : {} conflit(s), {} liseré(s) sous la tolérance, {} partage(s) déclaré(s)",
                registry.cpts().len(),
                registry.source(),
                count(OverlapKind::Conflict),
                count(OverlapKind::Sliver),
                count(OverlapKind::DeclaredSplit)
            )?;
            for p in &pairs {
                writeln!(
                    out,
                    "{:<16} {} / {} : {}",
                    kind_label(p.overlap.kind),
                    p.first.name,
                    p.second.name,
                    overlap_summary(&p.overlap, None)
                )?;
            }
            for t in &saved_territories {
                writeln!(out, "Territoire enregistré {} « {} » :", t.id, t.name)?;
                if let Some(error) = &t.error {
                    writeln!(out, "  non vérifiable : {error}")?;
                } else if t.overlaps.is_empty() {
                    writeln!(out, "  aucun chevauchement")?;
                }
                for o in &t.overlaps {
                    writeln!(
                        out,
                        "  {:<16} {} : {}",
                        kind_label(o.overlap.kind),
                        o.name,
                        overlap_summary(&o.overlap, Some(o.population_share))
                    )?;
                }
            }
            out
        }
    };
    super::emit(&answer)
}
