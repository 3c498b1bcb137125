//! `cpts-atlas check-supply`: how the supply aggregation agrees with ARS Normandie's published
//! synthesis per territoire de santé, and how the computed accessibility (E2SFCA) correlates
//! with DREES's APL in Normandie, and how the INSEE BPE 2019 GPs agree with ARS Normandie's.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;

use crate::diagnosis::health::access::apl;
use crate::diagnosis::health::supply::supply;
use crate::engine::{Atlas, E2sfcaParams, HealthAtlas, TravelTimeModel};
use crate::loaders::geography::codes::CurrentCodes;
use crate::loaders::health::data::read_health_data;
use crate::loaders::health::import::{
    load_normandie_synthesis, load_normandie_territories, NORMANDIE_DEPARTEMENTS, NORMANDIE_DIR,
};
use crate::model::{Profession, TerritorySpec};

#[derive(Args)]
pub struct CheckSupplyArgs {
    /// Folder of the raw sources (for the ARS territoires de santé).
    #[arg(long, default_value = "../shared/data")]
    shared: PathBuf,
    /// CSV conversion of Synthe_TSNormandie20210306.xls (tools/xls_to_csv.py).
    #[arg(long)]
    synthesis: Option<PathBuf>,
    /// Dataset folder.
    #[arg(long, env = "CPTS_ATLAS_DATA")]
    data: Option<PathBuf>,
    /// E2SFCA travel time at this one mean speed, km/h, instead of the calibrated model.
    #[arg(long, requires = "detour")]
    speed: Option<f64>,
    /// E2SFCA road detour factor, with `--speed`.
    #[arg(long, requires = "speed")]
    detour: Option<f64>,
}

const DIRECTORY: &str = "normandie-ars-2021";

/// One profession in one territoire de santé: our figures and the ARS's.
struct Compared {
    ours: f64,
    theirs: f64,
    our_density_10k: f64,
    their_density_10k: f64,
    /// Our count over the ARS population, minus the ARS density (per 100 000).
    density_diff_with_their_population: f64,
}

pub fn run(args: CheckSupplyArgs) -> anyhow::Result<()> {
    let data_dir = args.data.unwrap_or_else(super::default_data_dir);
    let synthesis_path = args.synthesis.unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/normandie-synthese-ts-2021.csv")
    });
    let atlas = Atlas::new(crate::loaders::geography::read_atlas_sources(&data_dir)?);
    let mut params = E2sfcaParams::default();
    if let (Some(speed_kmh), Some(detour_factor)) = (args.speed, args.detour) {
        params.travel =
            TravelTimeModel::single_speed(detour_factor, speed_kmh, "given on the command line");
    }
    let health = HealthAtlas::with_params(&atlas, read_health_data(&data_dir)?, params);
    let Some(d) = health
        .data()
        .directories
        .iter()
        .position(|x| x.id == DIRECTORY)
    else {
        bail!("the dataset has no {DIRECTORY} directory: run `cpts-atlas import` first");
    };
    let codes = CurrentCodes::new(atlas.geography());
    let (territories, conflicts) =
        load_normandie_territories(&args.shared.join(NORMANDIE_DIR), &codes)?;
    let synthesis = load_normandie_synthesis(&synthesis_path)
        .with_context(|| "convert the .xls first: python3 tools/xls_to_csv.py")?;

    let mut out = String::new();
    writeln!(
        out,
        "# Supply check: ARS Normandie synthesis (06/03/2021)\n"
    )?;
    writeln!(
        out,
        "{} territoires de santé in the synthesis; {} communes split between territoires after COG 2026 merges: {:?}\n",
        synthesis.len(),
        conflicts.len(),
        conflicts
    )?;
    writeln!(
        out,
        "| profession | TS compared | exact counts | within ±2 | total ours | total ARS | density r (ours, COG 2026 pop.) | max abs. density diff. with ARS pop. (per 100 000) |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|")?;
    let mut per_profession: BTreeMap<Profession, Vec<Compared>> = BTreeMap::new();
    // Per territoire: (computed E2SFCA, APL of each edition), population-weighted.
    let mut territory_access: Vec<(f64, Vec<f64>)> = Vec::new();
    // Per territoire: (ARS Normandie lines GPs, BPE 2019 GPs, ARS synthesis GPs).
    let mut bpe_gps: Vec<(f64, f64, f64)> = Vec::new();
    for row in &synthesis {
        let Some(members) = territories.get(&row.code) else {
            writeln!(
                out,
                "territoire {} ({}) has no commune in the ARS files",
                row.code, row.name
            )?;
            continue;
        };
        let resolved = atlas.resolve(&TerritorySpec::Codes(members.clone()))?;
        let population: f64 = resolved.members.iter().map(|m| m.population_counted).sum();
        let ours = supply(&atlas, &health, &resolved.members, population);
        let access = apl(&atlas, &health, &resolved.members);
        if let Some(a) = access.get() {
            if let Some(c) = a.computed.get() {
                territory_access.push((c.value, a.editions.iter().map(|e| e.apl).collect()));
            }
        }
        if let Some(gp) = ours
            .get(&Profession::GeneralPractitioner)
            .and_then(|i| i.get())
        {
            let bpe = gp.bpe.as_ref().and_then(|b| b.get());
            let synthesis_gp = row
                .counts
                .iter()
                .find(|(p, _)| *p == Profession::GeneralPractitioner);
            if let (Some(bpe), Some(&(_, theirs))) = (bpe, synthesis_gp) {
                bpe_gps.push((gp.count, bpe.count, theirs));
            }
        }
        for (&(profession, theirs), &(_, their_density)) in
            row.counts.iter().zip(&row.densities_per_100k)
        {
            let Some(s) = ours.get(&profession).and_then(|i| i.get()) else {
                continue;
            };
            per_profession
                .entry(profession)
                .or_default()
                .push(Compared {
                    ours: s.count,
                    theirs,
                    our_density_10k: s.density_per_10k.unwrap_or(0.0),
                    their_density_10k: their_density / 10.0,
                    density_diff_with_their_population: s.count / row.population * 100_000.0
                        - their_density,
                });
        }
    }
    for (profession, rows) in &per_profession {
        let exact = rows
            .iter()
            .filter(|r| (r.ours - r.theirs).abs() < 0.5)
            .count();
        let close = rows
            .iter()
            .filter(|r| (r.ours - r.theirs).abs() <= 2.0)
            .count();
        let ours: f64 = rows.iter().map(|r| r.ours).sum();
        let theirs: f64 = rows.iter().map(|r| r.theirs).sum();
        let (a, b): (Vec<f64>, Vec<f64>) = rows
            .iter()
            .map(|r| (r.our_density_10k, r.their_density_10k))
            .unzip();
        let density_note = if *profession == Profession::Midwife {
            "n/a (ARS: per women 16-59)".to_string()
        } else {
            format!("{:.4}", pearson(&a, &b))
        };
        let max_diff = if *profession == Profession::Midwife {
            "n/a".to_string()
        } else {
            format!(
                "{:.3}",
                rows.iter()
                    .filter(|r| (r.ours - r.theirs).abs() < 0.5)
                    .map(|r| r.density_diff_with_their_population.abs())
                    .fold(0.0, f64::max)
            )
        };
        writeln!(
            out,
            "| {} | {} | {} | {} | {ours:.0} | {theirs:.0} | {density_note} | {max_diff} (exact-count TS) |",
            profession.id(),
            rows.len(),
            exact,
            close,
        )?;
    }

    let total = |f: fn(&(f64, f64, f64)) -> f64| bpe_gps.iter().map(f).sum::<f64>();
    let column = |f: fn(&(f64, f64, f64)) -> f64| bpe_gps.iter().map(f).collect::<Vec<f64>>();
    writeln!(
        out,
        "\n# INSEE BPE 2019 GPs (D201) vs ARS Normandie 2021, per territoire de santé\n"
    )?;
    writeln!(
        out,
        "{} territoires; totals: BPE 2019 {:.0}, ARS lines 2021 {:.0}, ARS synthesis {:.0}; Pearson r of counts: BPE vs ARS lines {:.4}, BPE vs ARS synthesis {:.4} (Spearman ρ {:.4}, {:.4})",
        bpe_gps.len(),
        total(|r| r.1),
        total(|r| r.0),
        total(|r| r.2),
        pearson(&column(|r| r.1), &column(|r| r.0)),
        pearson(&column(|r| r.1), &column(|r| r.2)),
        spearman(&column(|r| r.1), &column(|r| r.0)),
        spearman(&column(|r| r.1), &column(|r| r.2)),
    )?;
    writeln!(
        out,
        "\n# Computed accessibility (E2SFCA) vs DREES APL, Normandie\n"
    )?;
    writeln!(out, "method: {}\n", health.e2sfca_params().describe())?;
    let access = health
        .computed_access(&atlas, d)
        .context("the Normandie directory lists no general practitioner")?;
    let coverage = &health.data().directories[d].coverage;
    let reach = health.e2sfca_params().reach_km();
    writeln!(
        out,
        "| APL edition | communes | Pearson r | Spearman ρ | interior communes (catchment wholly covered) | Pearson r | Spearman ρ |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|")?;
    for table in &health.data().apl {
        let mut all = (Vec::new(), Vec::new());
        let mut interior = (Vec::new(), Vec::new());
        for (i, commune) in atlas.communes().iter().enumerate() {
            if !NORMANDIE_DEPARTEMENTS.contains(&commune.departement.as_str()) {
                continue;
            }
            let (Some(a), Some(apl)) = (access[i], table.values.get(&commune.code)) else {
                continue;
            };
            all.0.push(a);
            all.1.push(apl.apl);
            let centre = health
                .centroids()
                .centroid(i)
                .expect("has access so has centroid");
            let inside = health.centroids().within_km(centre, reach).all(|k| {
                let c = atlas.commune(k);
                coverage.covers_commune(&c.code, &c.departement)
            });
            if inside {
                interior.0.push(a);
                interior.1.push(apl.apl);
            }
        }
        writeln!(
            out,
            "| {} | {} | {:.3} | {:.3} | {} | {:.3} | {:.3} |",
            table.edition,
            all.0.len(),
            pearson(&all.0, &all.1),
            spearman(&all.0, &all.1),
            interior.0.len(),
            pearson(&interior.0, &interior.1),
            spearman(&interior.0, &interior.1)
        )?;
    }
    writeln!(
        out,
        "\nPer territoire de santé (population-weighted means, {} territoires):",
        territory_access.len()
    )?;
    for (t, table) in health.data().apl.iter().enumerate() {
        let (a, b): (Vec<f64>, Vec<f64>) = territory_access
            .iter()
            .filter_map(|(c, apls)| Some((*c, *apls.get(t)?)))
            .unzip();
        writeln!(
            out,
            "- APL {}: Pearson r {:.3}, Spearman ρ {:.3}",
            table.edition,
            pearson(&a, &b),
            spearman(&a, &b)
        )?;
    }
    super::emit(&out)
}

/// Pearson correlation coefficient.
pub(super) fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    if n < 2.0 {
        return f64::NAN;
    }
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

/// Spearman rank correlation (average ranks for ties).
pub(super) fn spearman(a: &[f64], b: &[f64]) -> f64 {
    pearson(&ranks(a), &ranks(b))
}

fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&i, &j| v[i].total_cmp(&v[j]));
    let mut ranks = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && v[order[j + 1]] == v[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            ranks[k] = rank;
        }
        i = j + 1;
    }
    ranks
}
