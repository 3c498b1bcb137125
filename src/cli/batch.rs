//! `cpts-atlas batch`: diagnose every territory of a CSV or GeoJSON file, write CSV, GeoJSON,
//! GeoParquet or FlatGeobuf.
//!
//! Exit code: 0 when every territory was computed, 1 when some failed (the output still holds
//! all territories, failed ones with their `error`), 1 also when nothing could be read or written.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{bail, Context};
use clap::Args;

use crate::diagnosis::{diagnose_batch_chunks, BatchOptions};
use crate::loaders::batch::{read_batch_input, BatchOutput};
use crate::loaders::export::ExportFormat;

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
    #[command(flatten)]
    engines: super::engines::EngineArgs,
}

pub fn run(args: BatchArgs) -> anyhow::Result<()> {
    let territories = read_batch_input(&args.input)?;
    let engines = args.engines.load()?;
    let options = engines.options();
    let outlines = ExportFormat::from_path(&args.output) != ExportFormat::Csv;

    let total = territories.len();
    let done = AtomicUsize::new(0);
    let tty = std::io::stderr().is_terminal();
    let progress = || {
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if tty && (n % 10 == 0 || n == total) {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{n}/{total} territories");
            let _ = err.flush();
        } else if !tty && total >= 1000 && n % (total / 10) == 0 {
            // In a log: one line every tenth.
            eprintln!("{n}/{total} territories");
        }
    };
    let start = Instant::now();
    // Records go to the output chunk by chunk as they are computed; only the failures are kept.
    let mut output = BatchOutput::create(&args.output)
        .with_context(|| format!("cannot write the results to {}", args.output.display()))?;
    let mut failed: Vec<String> = Vec::new();
    diagnose_batch_chunks(
        &engines.atlas,
        &territories,
        &options,
        engines.health.as_ref(),
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
    if tty {
        eprintln!();
    }
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
