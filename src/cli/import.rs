//! `cpts-atlas import`: raw sources -> the shipped dataset, with a log of what was joined.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use crate::engine::{Atlas, RegistryIndex};
use crate::loaders::{dataset, health_data, health_import, import, registry};

#[derive(Args)]
pub struct ImportArgs {
    /// Folder of the raw sources (cog-2026/, communes-2018-ign/, ...).
    #[arg(long, default_value = "../shared/data")]
    shared: PathBuf,
    /// Folder to write the dataset into.
    #[arg(long, default_value = "data")]
    out: PathBuf,
}

pub fn run(args: ImportArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let (geography, report) = import::import_geography(&args.shared)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let path = args.out.join(dataset::GEOGRAPHY_FILE);
    dataset::write_geography(&path, &geography)?;

    let mut log = String::new();
    let population: u64 = geography.communes.iter().filter_map(|c| c.population).sum();
    writeln!(log, "# cpts-atlas import log\n")?;
    writeln!(log, "geography: {}", geography.vintage)?;
    writeln!(
        log,
        "communes: {} ({} with polygon), population {population}",
        report.communes, report.with_polygon
    )?;
    writeln!(
        log,
        "arrondissements municipaux: {} (no polygon in the sources)",
        geography.arrondissements.len()
    )?;
    writeln!(
        log,
        "EPCI: {}, former codes mapped: {}",
        geography.epcis.len(),
        geography.former_codes.len()
    )?;
    writeln!(
        log,
        "\n## {} communes dissolved from several 2018 polygons",
        report.dissolved.len()
    )?;
    for (code, parts) in &report.dissolved {
        writeln!(log, "{code}: {parts} polygons")?;
    }
    writeln!(
        log,
        "\n## {} communes without polygon",
        report.without_polygon.len()
    )?;
    for (code, name, reason) in &report.without_polygon {
        writeln!(log, "{code} {name}: {reason}")?;
    }
    writeln!(
        log,
        "\n## {} IGN 2018 codes matching no current commune",
        report.unmatched_ign_codes.len()
    )?;
    for code in &report.unmatched_ign_codes {
        writeln!(log, "{code}")?;
    }
    let (health, health_report) = health_import::import_health(&args.shared, &geography)?;
    health_data::write_health_data(&args.out, &health)?;
    write_health_log(&mut log, &health, &health_report)?;

    // The ARS PACA registry of existing CPTS, checked against the geography just built.
    let registry = registry::import_paca_registry(&args.shared.join(registry::PACA_DIR))?;
    let registry_path = args.out.join(registry::DEFAULT_REGISTRY_FILE);
    registry::write_registry(&registry_path, &registry)?;
    let atlas = Atlas::new(geography);
    let index = RegistryIndex::new(&atlas, registry)
        .with_context(|| format!("{} does not match the geography", registry_path.display()))?;
    let members: usize = index.cpts().iter().map(|c| c.members.len()).sum();
    writeln!(
        log,
        "\n## Registry {}: {} CPTS, {members} members\n{}",
        registry::DEFAULT_REGISTRY_FILE,
        index.cpts().len(),
        index.source()
    )?;
    for c in index.cpts() {
        for note in &c.notes {
            writeln!(log, "{}: {note}", c.cpts.name)?;
        }
    }
    let log_path = args.out.join("import-log.md");
    std::fs::write(&log_path, &log)
        .with_context(|| format!("cannot write {}", log_path.display()))?;
    eprintln!(
        "wrote {} ({} bytes) and {} in {:.1} s: {} communes, {} with polygon, {} without (see the log)",
        path.display(),
        std::fs::metadata(&path)?.len(),
        log_path.display(),
        started.elapsed().as_secs_f64(),
        report.communes,
        report.with_polygon,
        report.without_polygon.len()
    );
    Ok(())
}

/// The health part of the import log: what each source gave and what was left aside.
fn write_health_log(
    log: &mut String,
    health: &crate::model::HealthData,
    report: &health_import::HealthImportReport,
) -> anyhow::Result<()> {
    writeln!(log, "\n## Health data ({}/)", health_data::SUPPLY_DIR)?;
    for (d, (id, r)) in health.directories.iter().zip(&report.directories) {
        writeln!(
            log,
            "directory {id} ({}): {} rows read, {} practice sites kept in {} communes; {} rows without commune, {} repeated, {} rows with unknown commune codes {:?}",
            d.vintage,
            r.rows,
            d.counts.iter().map(|c| u64::from(c.count)).sum::<u64>(),
            d.counts.iter().map(|c| &c.commune).collect::<std::collections::BTreeSet<_>>().len(),
            r.without_commune,
            r.duplicates,
            r.unmapped.rows(),
            r.unmapped.codes
        )?;
        writeln!(
            log,
            "  coverage: départements {:?} + {} border communes; professions {:?}; modes {:?}",
            d.coverage.departements,
            d.coverage.communes.len(),
            d.coverage
                .professions
                .iter()
                .map(|p| p.id())
                .collect::<Vec<_>>(),
            d.coverage.modes.iter().map(|m| m.id()).collect::<Vec<_>>()
        )?;
    }
    writeln!(
        log,
        "ARS Normandie per-commune counts equal its per-professional lines aggregated: {}",
        report.normandie_counts_match_lines
    )?;
    for (t, (edition, r)) in health.apl.iter().zip(&report.apl) {
        writeln!(
            log,
            "APL {edition}: {} rows, {} communes kept, {} rows without value, {} current communes merged from several rows, {} rows with unknown codes {:?}",
            r.rows,
            t.values.len(),
            r.missing,
            r.merged.len(),
            r.unmapped.rows(),
            r.unmapped.codes
        )?;
    }
    writeln!(log, "FINESS hospitals: {}", report.establishments)?;
    for a in &health.ages {
        writeln!(
            log,
            "ages ({}): {} communes; {} rows with unknown codes {:?}",
            a.vintage,
            a.communes.len(),
            report.ages_unmapped.rows(),
            report.ages_unmapped.codes
        )?;
    }
    Ok(())
}
