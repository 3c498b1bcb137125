//! `cpts-atlas batch`: diagnose every territory of a CSV or GeoJSON file, write CSV, GeoJSON,
//! GeoParquet or FlatGeobuf.
//!
//! Exit code: 0 when every territory was computed, 1 when some failed (the output still holds
//! all territories, failed ones with their `error`), 1 also when nothing could be read or written.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::diagnosis::{diagnose_batch_chunks, BatchOptions};
use crate::export::batch::BatchOutput;
use crate::export::ExportFormat;
use crate::loaders::batch::read_batch_input;

#[derive(Args)]
pub struct BatchArgs {
    /// Territories: CSV (territory and code columns, one row per code or a code list per row)
    /// or a GeoJSON FeatureCollection of polygons with a name property.
    #[arg(long)]
    input: PathBuf,
    /// Results: `.geojson`/`.json` for GeoJSON, `.parquet` for GeoParquet, `.fgb` for
    /// FlatGeobuf, else `;`-separated CSV.
    #[arg(long)]
    output: PathBuf,
    /// Worker threads (default: all cores).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// No progress bar (there is none either when standard error is not a terminal).
    #[arg(long)]
    quiet: bool,
    #[command(flatten)]
    engines: super::engines::EngineArgs,
}

pub fn run(args: BatchArgs) -> anyhow::Result<()> {
    let territories = read_batch_input(&args.input)?;
    let engines = args.engines.load()?;
    let options = engines.options();
    let outlines = ExportFormat::from_path(&args.output) != ExportFormat::Csv;

    let total = territories.len();
    let progress_bar = progress_bar(total, args.quiet || !std::io::stderr().is_terminal());
    let progress = || progress_bar.inc(1);
    let start = Instant::now();
    // Records go to the output chunk by chunk as they are computed; only the failures are kept.
    let mut output = BatchOutput::create(&args.output)
        .with_context(|| format!("cannot write the results to {}", args.output.display()))?;
    let mut failed: Vec<String> = Vec::new();
    diagnose_batch_chunks(
        &engines.context(),
        &territories,
        &options,
        BatchOptions {
            threads: args.threads,
            outlines,
        },
        &progress,
        |records| {
            failed.extend(records.iter().filter_map(|r| {
                let error = r.error.as_deref()?;
                Some(format!("error: {} ({}): {error}", r.territory, r.location))
            }));
            output.write(&records)
        },
    )
    .and_then(|()| output.finish())
    .with_context(|| format!("cannot write the results to {}", args.output.display()))?;
    progress_bar.finish_and_clear();
    for line in &failed {
        eprintln!("{line}");
    }
    eprintln!(
        "{} territories computed, {} failed, in {:.1} s -> {}",
        total - failed.len(),
        failed.len(),
        start.elapsed().as_secs_f64(),
        args.output.display()
    );
    if !failed.is_empty() {
        bail!(
            "{} of {total} territories failed (listed above and in the `error` column)",
            failed.len()
        );
    }
    Ok(())
}

/// The progress bar on standard error (`12/70 territories`), hidden when `hidden`.
fn progress_bar(total: usize, hidden: bool) -> ProgressBar {
    if hidden {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template("{pos}/{len} territories {wide_bar} {eta}")
        .expect("a valid template");
    ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr())
        .with_style(style)
}
