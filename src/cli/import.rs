//! `cpts-atlas import`: raw sources -> the shipped dataset, with a log of what was joined.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use crate::engine::{commune_at, Atlas, RegistryIndex, TILING_TOLERANCE};
use crate::loaders::{geography, health, iris, registry, statistics};
use crate::model::HealthData;

#[derive(Args)]
pub struct ImportArgs {
    /// Folder of the raw sources (cog-2026/, communes-2018-ign/, ...).
    #[arg(long, default_value = "../shared/data")]
    shared: PathBuf,
    /// Folder to write the dataset into.
    #[arg(long, default_value = "data")]
    out: PathBuf,
    /// More IRIS outline files (shapefile or GeoJSON, WGS84 or Lambert-93), read before the
    /// shipped ones (Rhône, Lyon, Lille) so that they take precedence; repeatable.
    #[arg(long = "iris")]
    iris: Vec<PathBuf>,
    /// An INSEE IRIS population file (`base-ic-evol-struct-pop-20yy.csv`).
    #[arg(long)]
    iris_population: Option<PathBuf>,
    /// Only recompute the outline measures and adjacency (`france-measures.cpat`) of the
    /// `france.cpat` in `--out` (after an edit of the geography file), reading no raw source.
    #[arg(long)]
    measures_only: bool,
}

/// The atlas of `<out>/france.cpat` alone, as every command decodes it (coordinates rounded
/// as stored), measured from its outlines: the measures file beside it, stale from now on (or
/// damaged, or of an older format), is removed unread.
fn stored_atlas(out: &Path) -> anyhow::Result<Atlas> {
    let path = out.join(geography::measures::MEASURES_FILE);
    if path.exists() {
        std::fs::remove_file(&path)
            .with_context(|| format!("cannot replace {}", path.display()))?;
    }
    let geography =
        geography::dataset::read_geography(&out.join(geography::dataset::GEOGRAPHY_FILE))?;
    Ok(Atlas::new(geography))
}

/// Writes the outline measures and adjacency of `atlas`, the [`stored_atlas`] of `out`, beside
/// its `france.cpat`; returns the number of communes.
fn store_measures(out: &Path, atlas: &Atlas) -> anyhow::Result<usize> {
    let path = out.join(geography::measures::MEASURES_FILE);
    let checksum =
        geography::dataset::geography_checksum(&out.join(geography::dataset::GEOGRAPHY_FILE))?;
    let measures = atlas.stored_measures();
    geography::measures::write_measures(&path, checksum, &measures)?;
    Ok(measures.outlines.len())
}

/// Gives every establishment the source left without a commune the commune whose stored
/// outline holds its point, as the atlas would at each load; returns how many were located and
/// how many lie in no commune.
fn locate_establishments(atlas: &Atlas, health: &mut HealthData) -> (usize, usize) {
    let Some(list) = health.establishments.as_mut() else {
        return (0, 0);
    };
    let (mut located, mut outside) = (0, 0);
    for e in list
        .establishments
        .iter_mut()
        .filter(|e| e.commune.is_none())
    {
        match commune_at(atlas, (e.lon, e.lat)) {
            Some(i) => {
                e.commune = Some(atlas.commune(i).code.clone());
                located += 1;
            }
            None => outside += 1,
        }
    }
    (located, outside)
}

pub fn run(args: ImportArgs) -> anyhow::Result<()> {
    if args.measures_only {
        let communes = store_measures(&args.out, &stored_atlas(&args.out)?)?;
        eprintln!(
            "wrote {} ({communes} communes)",
            args.out.join(geography::measures::MEASURES_FILE).display()
        );
        return Ok(());
    }
    let started = Instant::now();
    let (geography, report) = geography::import::import_geography(&args.shared)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let path = args.out.join(geography::dataset::GEOGRAPHY_FILE);
    geography::dataset::write_geography(&path, &geography)?;
    crate::loaders::geography::postal_codes::write_postal_codes(
        &args
            .out
            .join(crate::loaders::geography::postal_codes::POSTAL_CODES_FILE),
        &geography.postal_codes,
    )?;

    let stored = stored_atlas(&args.out)?;

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
    let (mut health, health_report) = health::import::import_health(&args.shared, &geography)?;
    let (statistics, statistics_report) =
        statistics::import::import_statistics(&args.shared, &geography)?;
    write_statistics_log(&mut log, &statistics, &statistics_report)?;
    health.statistics = Some(statistics);
    let (located, outside) = locate_establishments(&stored, &mut health);
    health::data::write_health_data(&args.out, &health)?;
    write_health_log(&mut log, &health, &health_report)?;
    writeln!(
        log,
        "FINESS establishments located in their commune by their coordinates: {located}; in no \
         commune outline: {outside}"
    )?;

    // The ARS PACA registry of existing CPTS, checked against the geography just built.
    let registry = registry::import_paca_registry(&args.shared.join(registry::PACA_DIR))?;
    let registry_path = args.out.join(registry::DEFAULT_REGISTRY_FILE);
    registry::write_registry(&registry_path, &registry)?;
    let iris_files: Vec<PathBuf> = args
        .iris
        .iter()
        .cloned()
        .chain(
            iris::import::SHIPPED_IRIS_FILES
                .iter()
                .map(|f| args.shared.join(f)),
        )
        .collect();
    let (layer, iris_report) =
        iris::import::import_iris(&geography, &iris_files, args.iris_population.as_deref())?;
    let iris_path = args.out.join(iris::dataset::IRIS_FILE);
    iris::dataset::write_iris_layer(&iris_path, &layer)?;
    write_iris_log(&mut log, &layer, &iris_report)?;
    let iris_count = layer.iris.len();
    let atlas = Atlas::new(geography).with_iris(layer);
    write_tiling_log(&mut log, &atlas)?;

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
    store_measures(&args.out, &stored)?;
    let log_path = args.out.join("import-log.md");
    std::fs::write(&log_path, &log)
        .with_context(|| format!("cannot write {}", log_path.display()))?;
    eprintln!(
        "wrote {} ({} bytes), {} ({} bytes, {} IRIS) and {} in {:.1} s: {} communes, {} with polygon, {} without (see the log)",
        path.display(),
        std::fs::metadata(&path)?.len(),
        iris_path.display(),
        std::fs::metadata(&iris_path)?.len(),
        iris_count,
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
    report: &health::import::HealthImportReport,
) -> anyhow::Result<()> {
    writeln!(log, "\n## Health data ({}/)", health::data::SUPPLY_DIR)?;
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
    for (t, (id, r)) in health.equipment.iter().zip(&report.bpe) {
        writeln!(
            log,
            "BPE {id} ({}): {} rows read, {} rows kept ({} with IRIS), {} départements; {} rows with an IRIS field neither the commune nor <commune>_<IRIS> (kept at commune level); {} rows with unknown commune codes {:?}",
            t.vintage,
            r.rows,
            t.rows.len(),
            t.rows.iter().filter(|e| e.iris.is_some()).count(),
            t.departements.len(),
            r.odd_iris,
            r.unmapped.rows(),
            r.unmapped.codes
        )?;
        writeln!(
            log,
            "  {} current communes given the rows of former codes (summed with their own):",
            r.former.len()
        )?;
        for (current, former) in &r.former {
            let former: Vec<&str> = former.iter().map(String::as_str).collect();
            writeln!(log, "  {current} <- {}", former.join(", "))?;
        }
    }
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

/// The commune statistics section of the import log: rows read, combined, without value, unmapped.
fn write_statistics_log(
    log: &mut String,
    statistics: &crate::model::CommuneStatistics,
    report: &statistics::import::StatisticsReport,
) -> std::fmt::Result {
    writeln!(
        log,
        "\n## Commune statistics (supply/statistics.csv): {} communes and arrondissements",
        statistics.communes.len()
    )?;
    for (id, r) in report {
        let source = statistics.note(*id).map_or("", |n| n.source.as_str());
        writeln!(
            log,
            "\n### {id:?}: {source}\n{} rows; {} current communes combined from several rows; {} rows without value; {} rows with unknown codes {:?}; {} merged rows without RP 2020 weight {:?}",
            r.rows,
            r.merged.len(),
            r.without_value.len(),
            r.unmapped.rows(),
            r.unmapped.codes,
            r.without_weight.len(),
            r.without_weight
        )?;
        for (current, parts) in &r.merged {
            writeln!(log, "combined {current} <- {}", parts.join(" + "))?;
        }
        for (code, marker) in &r.without_value {
            writeln!(log, "without value {code}: {marker}")?;
        }
        writeln!(
            log,
            "{} current communes without value (whole communes whose figures are only by arrondissement combine them in the diagnosis): {}",
            r.absent.len(),
            r.absent.join(", ")
        )?;
    }
    Ok(())
}

/// The IRIS section of the import log: sources, joins, and how each commune's IRIS tile it.
fn write_iris_log(
    log: &mut String,
    layer: &crate::model::IrisLayer,
    report: &iris::import::IrisImportReport,
) -> std::fmt::Result {
    writeln!(log, "\n## IRIS: {} loaded", layer.iris.len())?;
    for (path, read, dropped, units) in &report.files {
        writeln!(
            log,
            "{}: {read} features, {dropped} older vintages dropped, outlines of {units} communes or arrondissements taken",
            path.display()
        )?;
    }
    for source in &layer.population_sources {
        writeln!(log, "populations: {source}")?;
    }
    writeln!(
        log,
        "IRIS with a population: {}; known from the population file only: {}; population rows of another vintage (not used): {}",
        report.with_population,
        report.population_only,
        report.unmatched_population.len()
    )?;
    for (old, new) in &report.mapped_units {
        writeln!(log, "IRIS of former commune {old} counted in {new}")?;
    }
    let mut shadowed: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
    for (unit, path) in &report.shadowed {
        shadowed
            .entry(path.display().to_string())
            .or_default()
            .push(unit);
    }
    for (path, mut units) in shadowed {
        units.sort_unstable();
        writeln!(
            log,
            "{path}: outlines of {} communes or arrondissements not used, an earlier file has them (its populations are): {}",
            units.len(),
            units.join(", ")
        )?;
    }
    writeln!(
        log,
        "IRIS of communes unknown to the COG (dropped): {}",
        if report.unknown.is_empty() {
            "none".to_string()
        } else {
            report.unknown.join(", ")
        }
    )?;
    writeln!(
        log,
        "arrondissements given an outline (union of their IRIS): {}",
        report.arrondissement_outlines.join(", ")
    )?;
    writeln!(
        log,
        "IRIS given their commune's legal population (whole communes): {}",
        report.legal_population
    )?;
    writeln!(
        log,
        "IRIS without a type in any file, assumed residential (H; their populations are census ones except in the communes of {:?}): {}",
        report
            .assumed_residential
            .iter()
            .filter(|c| !layer.iris.iter().any(|i| &i.code == *c && i.population.is_some()))
            .map(|c| &c[..5])
            .collect::<std::collections::BTreeSet<_>>(),
        report.assumed_residential.len()
    )?;
    let (before, after, mean, worst, worst_code) = &report.simplification;
    writeln!(
        log,
        "outlines simplified (Douglas-Peucker {}°): {before} vertices -> {after}; area change: {:.4} % of the total area (sum of absolute changes), largest {:.3} % (IRIS {worst_code}, among IRIS over 1 ha)",
        iris::import::IRIS_TOLERANCE_DEG,
        mean * 100.0,
        worst * 100.0
    )?;
    Ok(())
}

/// How the IRIS tile their communes: which communes count their population through IRIS.
fn write_tiling_log(log: &mut String, atlas: &Atlas) -> std::fmt::Result {
    let mut tilings: Vec<(usize, crate::engine::IrisTiling)> = (0..atlas.communes().len())
        .filter_map(|i| Some((i, atlas.iris_tiling(i)?)))
        .collect();
    tilings.sort_by_key(|(i, _)| atlas.commune(*i).code.clone());
    let used = tilings
        .iter()
        .filter(|(_, t)| t.used_for_population)
        .count();
    let single = tilings.iter().filter(|(_, t)| t.iris_count == 1).count();
    writeln!(
        log,
        "\n## IRIS tiling: {} communes with IRIS; {used} count partial cuts through their IRIS, \
         {single} have a single IRIS (area method); sum of IRIS areas / commune area outside \
         ±{:.0} % (IRIS not used):",
        tilings.len(),
        TILING_TOLERANCE * 100.0
    )?;
    for (i, t) in tilings
        .iter()
        .filter(|(_, t)| t.iris_count > 1 && !t.used_for_population)
    {
        let c = atlas.commune(*i);
        let ratio = t
            .area_ratio
            .map_or("unknown".to_string(), |r| format!("{r:.3}"));
        writeln!(
            log,
            "{} {}: {} IRIS, area ratio {ratio}",
            c.code, c.name, t.iris_count
        )?;
    }
    let ratios: Vec<f64> = tilings
        .iter()
        .filter(|(_, t)| t.iris_count > 1)
        .filter_map(|(_, t)| t.area_ratio)
        .collect();
    if let (Some(min), Some(max)) = (
        ratios.iter().copied().reduce(f64::min),
        ratios.iter().copied().reduce(f64::max),
    ) {
        writeln!(
            log,
            "area ratios of communes with several IRIS: {min:.3} to {max:.3}"
        )?;
    }
    Ok(())
}
