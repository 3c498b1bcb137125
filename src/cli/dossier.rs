//! `cpts-atlas dossier`: the lettre d'intention (DOCX) and the budget prévisionnel (XLSX) of a
//! territory, pre-filled from its diagnosis.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::territory::TerritoryArgs;
use crate::diagnosis::diagnose;
use crate::dossier::{budget_xlsx, letter_docx, today, DossierInput};
use crate::engine::DrawnLimits;

#[derive(Args)]
pub struct DossierArgs {
    #[command(flatten)]
    territory: TerritoryArgs,
    /// Id of a saved territory of the `--territories` database (its name and missions are used;
    /// `--missions` replaces them).
    #[arg(long, requires = "territories")]
    saved: Option<i64>,
    /// Database of saved territories.
    #[arg(long)]
    territories: Option<PathBuf>,
    /// The lettre d'intention written (DOCX).
    #[arg(long)]
    output: Option<PathBuf>,
    /// The budget prévisionnel written (XLSX).
    #[arg(long)]
    budget: Option<PathBuf>,
    /// Name of the territory in the documents (default: a saved territory's name, else its
    /// most populous commune and how many others).
    #[arg(long)]
    name: Option<String>,
    #[command(flatten)]
    engines: super::engines::EngineArgs,
}

pub fn run(mut args: DossierArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.output.is_some() || args.budget.is_some(),
        "give the files to write: --output lettre.docx and/or --budget budget.xlsx"
    );
    let (raw, saved) = args
        .territory
        .raw_or_saved(args.saved, args.territories.as_deref())?;
    let saved_name = saved.map(|saved| {
        if args.engines.missions.is_empty() {
            args.engines.missions = saved.missions;
        }
        saved.name
    });
    let engines = args.engines.load()?;
    let atlas = &engines.atlas;
    let resolved = atlas
        .resolve_raw(&raw, &DrawnLimits::default())
        .with_context(|| match args.saved {
            Some(id) => format!("saved territory {id}"),
            None => "the territory given".to_string(),
        })?;
    let diagnosis = diagnose(&engines.context(), resolved, &engines.options())?;
    diagnosis
        .warnings
        .iter()
        .for_each(|w| eprintln!("warning: {w}"));
    let mut input = DossierInput::new(atlas, &diagnosis, &engines.grid, today());
    input.name = args.name.or(saved_name);
    if let Some(path) = &args.output {
        write(path, &letter_docx(&input)?)?;
    }
    if let Some(path) = &args.budget {
        write(path, &budget_xlsx(&input)?)?;
    }
    Ok(())
}

fn write(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("{} bytes -> {}", bytes.len(), path.display());
    Ok(())
}
