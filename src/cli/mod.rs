//! Command-line interface: `import`, `diagnose`, and `serve` (with the `server` feature).

mod batch;
mod check_access;
mod check_supply;
mod coverage;
mod diagnose;
mod dossier;
mod engines;
mod export;
mod health;
mod import;
mod overlaps;
mod propose;
mod registry;
#[cfg(feature = "server")]
mod serve;
mod territory;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// cpts-atlas: diagnostic territorial for CPTS (French primary-care territories).
#[derive(Parser)]
#[command(name = "cpts-atlas", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the compact dataset of `data/` from the raw sources (../shared/data).
    Import(import::ImportArgs),
    /// Diagnose a territory given by commune codes, a GeoJSON polygon or an EPCI.
    Diagnose(diagnose::DiagnoseArgs),
    /// Write the lettre d'intention (DOCX) and the budget prévisionnel (XLSX) of a territory,
    /// pre-filled from its diagnosis.
    Dossier(dossier::DossierArgs),
    /// Diagnose every territory of a CSV or GeoJSON file into a CSV or GeoJSON table.
    Batch(batch::BatchArgs),
    /// Serve the API and the map (default http://127.0.0.1:8765).
    #[cfg(feature = "server")]
    Serve(serve::ServeArgs),
    /// Every pair of existing CPTS that overlap (registry), as a table or JSON.
    Overlaps(overlaps::OverlapsArgs),
    /// Communes no existing CPTS covers, with their population, per département and région.
    Coverage(coverage::CoverageArgs),
    /// Candidate CPTS territories over the communes no CPTS covers (ARS initiative).
    Propose(propose::ProposeArgs),
    /// Check the supply aggregation against ARS Normandie's synthesis and the computed
    /// accessibility (E2SFCA) against DREES's APL.
    CheckSupply(check_supply::CheckSupplyArgs),
    /// Fit the travel-time model on observed road times and compare the computed
    /// accessibility (E2SFCA, all France) with DREES's APL, before and after calibration.
    CheckAccess(check_access::CheckAccessArgs),
    /// Write the registry, its overlaps, the uncovered communes or a territory's communes as
    /// GeoParquet, FlatGeobuf, GeoJSON or CSV.
    Export(export::ExportArgs),
}

/// Where the dataset is looked for when `--data` is not given: `./data` if it holds a dataset,
/// else the `data/` folder of the source tree this binary was built from.
pub fn default_data_dir() -> PathBuf {
    let local = PathBuf::from("data");
    if local
        .join(crate::loaders::geography::dataset::GEOGRAPHY_FILE)
        .exists()
    {
        local
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")
    }
}

/// Writes a command's answer to standard output. A pipe closed by its reader (`| head`) is not
/// an error: the reader has what it wanted.
pub(crate) fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => Ok(result?),
    }
}

/// Runs the command line; errors are printed with their causes, exit code 1 (2 for usage).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Import(args) => import::run(args),
        Command::Diagnose(args) => diagnose::run(args),
        Command::Dossier(args) => dossier::run(args),
        Command::Batch(args) => batch::run(args),
        #[cfg(feature = "server")]
        Command::Serve(args) => serve::run(args),
        Command::Overlaps(args) => overlaps::run(args),
        Command::Coverage(args) => coverage::run(args),
        Command::Propose(args) => propose::run(args),
        Command::CheckSupply(args) => check_supply::run(args),
        Command::CheckAccess(args) => check_access::run(args),
        Command::Export(args) => export::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
