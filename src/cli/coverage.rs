//! `cpts-atlas coverage`: communes no CPTS covers, with their population, per département and
//! région.

use std::collections::BTreeSet;
use std::path::PathBuf;

use clap::Args;

use super::diagnose::thousands;
use super::registry::{RegistryArgs, ReportFormat};
use crate::diagnosis::coverage_layer;
use crate::engine::{Atlas, CoverageReport, CoverageScope, RegistryIndex};

#[derive(Args)]
pub struct CoverageArgs {
    /// Only the communes of this département (e.g. 13).
    #[arg(long, conflicts_with = "region")]
    departement: Option<String>,
    /// Only the communes of this région (e.g. 93). Default: the région of the registry when it
    /// covers one, else all France.
    #[arg(long)]
    region: Option<String>,
    /// Dataset folder.
    #[arg(long, env = "CPTS_ATLAS_DATA")]
    data: Option<PathBuf>,
    #[command(flatten)]
    registry: RegistryArgs,
    /// Output format (`geojson`: uncovered and partly covered communes as a map layer).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
}

pub fn run(args: CoverageArgs) -> anyhow::Result<()> {
    let data_dir = args.data.unwrap_or_else(super::default_data_dir);
    let atlas = Atlas::new(crate::loaders::geography::read_atlas_sources(&data_dir)?);
    let registry = args.registry.require(&atlas, &data_dir)?;
    let scope = CoverageScope::from_options(args.departement, args.region)?
        .unwrap_or_else(|| default_scope(&atlas, &registry));
    let report = registry.coverage(&atlas, &scope)?;
    let answer = match args.format {
        ReportFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        ReportFormat::Text => text(&report),
        ReportFormat::Geojson => serde_json::to_string(&coverage_layer(&atlas, &report))? + "\n",
    };
    super::emit(&answer)
}

/// The région of the registry's communes when there is one, else all France.
fn default_scope(atlas: &Atlas, registry: &RegistryIndex) -> CoverageScope {
    let regions: BTreeSet<&str> = registry
        .cpts()
        .iter()
        .flat_map(|c| c.footprint.claims.iter())
        .map(|(i, _)| atlas.commune(*i).region.as_str())
        .collect();
    match regions.into_iter().collect::<Vec<_>>().as_slice() {
        [one] => CoverageScope::Region(one.to_string()),
        _ => CoverageScope::All,
    }
}

fn text(r: &CoverageReport) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!(
        "{} communes, {} hab. : {} communes sans CPTS ({} hab. hors CPTS, couverture {:.1} %)",
        r.communes,
        thousands(r.population as f64),
        r.uncovered_communes,
        thousands(r.uncovered_population as f64),
        r.covered_population_share * 100.0
    ));
    if let Some(note) = super::propose::not_checked_note(&r.registry_coverage) {
        line(note);
    }
    line(format!(
        "{:<6} {:<28} {:>8} {:>12} {:>10} {:>12}",
        "code", "territoire", "communes", "population", "sans CPTS", "hab. hors"
    ));
    for t in r.by_region.iter().chain(&r.by_departement) {
        line(format!(
            "{:<6} {:<28} {:>8} {:>12} {:>10} {:>12}",
            t.code,
            t.name,
            t.communes,
            thousands(t.population as f64),
            t.uncovered_communes,
            thousands(t.uncovered_population as f64)
        ));
    }
    line("Communes sans CPTS :".into());
    for c in &r.uncovered {
        line(format!(
            "  {} {:<40} {:>10} hab.",
            c.code,
            c.name,
            thousands(c.population as f64)
        ));
    }
    if !r.partly_covered.is_empty() {
        line("Communes couvertes en partie :".into());
    }
    for c in &r.partly_covered {
        let left = match c.uncovered_population {
            Some(p) => format!("{} hab. hors CPTS", thousands(p as f64)),
            None => "partagée entre CPTS, complétude non vérifiable".to_string(),
        };
        let arrondissements = if c.uncovered_arrondissements.is_empty() {
            String::new()
        } else {
            format!(
                " (arrondissements sans CPTS : {})",
                c.uncovered_arrondissements.join(", ")
            )
        };
        line(format!("  {} {} : {left}{arrondissements}", c.code, c.name));
    }
    out
}
