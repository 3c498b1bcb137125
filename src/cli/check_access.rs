//! `cpts-atlas check-access`: the travel-time model fitted on the Gironde OSRM pairs, its fit
//! on OSRM, METRIC and the Grand Paris matrix before and after calibration, and the E2SFCA of
//! all France (BPE GPs) against DREES APL 2022 and 2023, for France and per région.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;
use geo::Centroid;

use super::check_supply::{pearson, spearman};
use crate::engine::health::travel_time::{quality, FitQuality, BAND_LIMITS_KM, CALIBRATION_SOURCE};
use crate::engine::{Atlas, CommuneRef, E2sfcaParams, HealthAtlas, ObservedTrip, TravelTimeModel};
use crate::loaders::health::data::read_health_data;
use crate::loaders::health::travel_times::{
    load_metric_times, load_osrm_pairs, load_time_matrix, GIRONDE_METRIC, GIRONDE_OSRM,
    GRAND_PARIS_MATRIX,
};
use crate::model::AplValue;

#[derive(Args)]
pub struct CheckAccessArgs {
    /// Folder of the raw sources (for `travel-times/`).
    #[arg(long, default_value = "../shared/data")]
    shared: PathBuf,
    /// Dataset folder.
    #[arg(long, env = "CPTS_ATLAS_DATA")]
    data: Option<PathBuf>,
    /// Only the travel-time fit (skip the national E2SFCA).
    #[arg(long)]
    fit_only: bool,
    /// Compare with this one mean speed, km/h, instead of the former 50 km/h.
    #[arg(long, requires = "detour")]
    speed: Option<f64>,
    /// Compare with this road detour factor, with `--speed`, instead of the former 1.3.
    #[arg(long, requires = "speed")]
    detour: Option<f64>,
}

/// The Gironde OSRM pairs as trips (great-circle km, road km, minutes), in file order.
pub fn gironde_trips(shared: &std::path::Path) -> anyhow::Result<Vec<ObservedTrip>> {
    let pairs = load_osrm_pairs(&shared.join("travel-times").join(GIRONDE_OSRM))?;
    Ok(pairs
        .iter()
        .map(|p| ObservedTrip::between(p.from, p.to, p.minutes, p.road_km))
        .collect())
}

/// The model `fit` gives on the Gironde OSRM pairs with the shipped band limits.
pub fn fit_gironde(trips: &[ObservedTrip]) -> anyhow::Result<TravelTimeModel> {
    TravelTimeModel::fit(trips, &BAND_LIMITS_KM, CALIBRATION_SOURCE)
        .context("a band of the Gironde pairs has no trip")
}

pub fn run(args: CheckAccessArgs) -> anyhow::Result<()> {
    let data_dir = args.data.unwrap_or_else(super::default_data_dir);
    let travel = args.shared.join("travel-times");
    let atlas = Atlas::new(crate::loaders::geography::read_atlas_sources(&data_dir)?);
    let trips = gironde_trips(&args.shared)?;
    let fitted = fit_gironde(&trips)?;
    let shipped = TravelTimeModel::calibrated();
    let before = match (args.speed, args.detour) {
        (Some(speed), Some(detour)) => {
            TravelTimeModel::single_speed(detour, speed, "given on the command line")
        }
        _ => TravelTimeModel::uncalibrated(),
    };

    let mut out = String::new();
    writeln!(
        out,
        "# Travel-time model fitted on the Gironde OSRM pairs\n"
    )?;
    writeln!(out, "fitted:  {}", fitted.describe())?;
    writeln!(out, "shipped: {}", shipped.describe())?;
    if fitted.rounded() != shipped {
        bail!(
            "the shipped constants (TravelTimeModel::calibrated) differ from the fit rounded, {:?}: update them",
            fitted.rounded()
        );
    }
    writeln!(out, "(the shipped constants are the fit rounded)\n")?;

    let (metric, report) =
        load_metric_times(&travel.join(GIRONDE_METRIC), &travel.join(GIRONDE_OSRM))?;
    let metric_trips: Vec<ObservedTrip> = trips
        .iter()
        .zip(&metric)
        .filter_map(|(t, m)| {
            Some(ObservedTrip {
                minutes: (*m)?,
                ..*t
            })
        })
        .collect();
    let (paris, left_out) = grand_paris_trips(&atlas, &travel)?;
    let short: Vec<ObservedTrip> = trips
        .iter()
        .filter(|t| t.crow_km <= 20.0)
        .copied()
        .collect();
    writeln!(
        out,
        "METRIC: {} records, {} not computed (9999), {} matched to the OSRM pairs; Grand Paris: {} ordered pairs of distinct communes/arrondissements (centroids of the shipped outlines; left out, merged since: {:?})\n",
        report.records,
        report.not_computed,
        metric_trips.len(),
        paris.len(),
        left_out
    )?;
    writeln!(
        out,
        "| observed times | model | trips | R² | median abs. error (min) | p90 abs. error (min) | median bias (min) |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|")?;
    let sets: [(&str, &[ObservedTrip]); 4] = [
        ("Gironde OSRM (fit)", &trips),
        ("Gironde OSRM, great-circle ≤ 20 km", &short),
        ("Gironde METRIC (off-peak)", &metric_trips),
        ("Grand Paris OSRM", &paris),
    ];
    for (name, set) in sets {
        for (label, model) in [("before", &before), ("calibrated", &shipped)] {
            let Some(q) = model.quality(set) else {
                continue;
            };
            writeln!(out, "| {name} | {label} | {} |", row(&q))?;
        }
    }
    if let Some(q) = quality(
        trips
            .iter()
            .zip(&metric)
            .filter_map(|(t, m)| Some((t.minutes, (*m)?))),
    ) {
        writeln!(
            out,
            "| Gironde METRIC | OSRM itself (router vs router) | {} |",
            row(&q)
        )?;
    }
    if args.fit_only {
        return super::emit(&out);
    }

    writeln!(
        out,
        "\n# Computed accessibility (E2SFCA, INSEE BPE 2019 GPs) vs DREES APL, all France\n"
    )?;
    let data = read_health_data(&data_dir)?;
    let mut access = Vec::new();
    for (label, model) in [("before", before), ("calibrated", shipped)] {
        let params = E2sfcaParams {
            travel: model,
            ..E2sfcaParams::default()
        };
        let health = HealthAtlas::with_params(&atlas, data.clone(), params);
        let d = health
            .bpe_directory()
            .context("the dataset has no BPE table: run `cpts-atlas import` first")?;
        let values = health
            .computed_access(&atlas, d)
            .context("the BPE lists no general practitioner")?
            .to_vec();
        writeln!(out, "{label}: {}", health.e2sfca_params().describe())?;
        access.push((label, values));
    }
    writeln!(
        out,
        "\nPer commune (unweighted; Paris, Lyon, Marseille whole, their arrondissements' APL combined by the DREES rule):\n"
    )?;
    writeln!(
        out,
        "| area | APL edition | communes | Pearson r before | Pearson r calibrated | Spearman ρ before | Spearman ρ calibrated |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|")?;
    for table in &data.apl {
        // (région, computed before, computed after, APL) per commune.
        let mut rows: Vec<(&str, f64, f64, f64)> = Vec::new();
        for (i, commune) in atlas.communes().iter().enumerate() {
            let (Some(a), Some(b)) = (access[0].1[i], access[1].1[i]) else {
                continue;
            };
            if let Some(apl) = commune_apl(&atlas, &table.values, &commune.code) {
                rows.push((commune.region.as_str(), a, b, apl.apl));
            }
        }
        let mut regions: BTreeMap<&str, Vec<(&str, f64, f64, f64)>> = BTreeMap::new();
        for r in &rows {
            regions.entry(r.0).or_default().push(*r);
        }
        let mut areas = vec![("France".to_string(), rows.clone())];
        areas.extend(regions.into_iter().map(|(code, rows)| {
            let name = atlas.region(code).map_or(code, |r| r.name.as_str());
            (format!("{code} {name}"), rows)
        }));
        for (area, rows) in areas {
            let column =
                |f: fn(&(&str, f64, f64, f64)) -> f64| -> Vec<f64> { rows.iter().map(f).collect() };
            let (a, b, apl) = (column(|r| r.1), column(|r| r.2), column(|r| r.3));
            writeln!(
                out,
                "| {area} | {} | {} | {:.3} | {:.3} | {:.3} | {:.3} |",
                table.edition,
                rows.len(),
                pearson(&a, &apl),
                pearson(&b, &apl),
                spearman(&a, &apl),
                spearman(&b, &apl)
            )?;
        }
    }
    super::emit(&out)
}

fn row(q: &FitQuality) -> String {
    format!(
        "{} | {:.3} | {:.2} | {:.2} | {:+.2}",
        q.trips, q.r2, q.median_abs_minutes, q.p90_abs_minutes, q.median_bias_minutes
    )
}

/// The APL of a commune, or of its arrondissements combined (Paris, Lyon, Marseille).
fn commune_apl(atlas: &Atlas, values: &BTreeMap<String, AplValue>, code: &str) -> Option<AplValue> {
    if let Some(v) = values.get(code) {
        return Some(*v);
    }
    let parts: Vec<AplValue> = atlas
        .geography()
        .arrondissements
        .iter()
        .filter(|a| a.commune == code)
        .filter_map(|a| values.get(&a.code).copied())
        .collect();
    AplValue::combine(&parts)
}

/// The Grand Paris matrix as trips between the centroids of the shipped outlines (communes,
/// and Paris by arrondissement), every ordered pair of distinct places; with the codes left
/// out (no outline, or merged since).
pub fn grand_paris_trips(
    atlas: &Atlas,
    travel: &std::path::Path,
) -> anyhow::Result<(Vec<ObservedTrip>, Vec<String>)> {
    let matrix = load_time_matrix(&travel.join(GRAND_PARIS_MATRIX))?;
    let centroid = |code: &str| -> Option<(f64, f64)> {
        let outline = match atlas.find(code)? {
            CommuneRef::Commune(i) => atlas.commune(i).geometry.as_ref()?,
            CommuneRef::Arrondissement(_) => atlas.arrondissement_outline(code)?,
        };
        outline.centroid().map(|c| (c.x(), c.y()))
    };
    // A code merged since (Pierrefitte-sur-Seine into Saint-Denis, 2025) is left out with the
    // commune that absorbed it, whose outline is no longer the one the matrix was timed on.
    let merged_into: Vec<&str> = matrix
        .codes
        .iter()
        .filter(|c| atlas.find(c).is_none())
        .filter_map(|c| atlas.successor(c))
        .collect();
    let points: Vec<Option<(f64, f64)>> = matrix
        .codes
        .iter()
        .map(|c| centroid(c).filter(|_| !merged_into.contains(&c.as_str())))
        .collect();
    let left_out: Vec<&String> = matrix
        .codes
        .iter()
        .zip(&points)
        .filter(|(_, p)| p.is_none())
        .map(|(c, _)| c)
        .collect();
    let mut trips = Vec::new();
    for (i, a) in points.iter().enumerate() {
        for (j, b) in points.iter().enumerate() {
            if let (true, Some(a), Some(b)) = (i != j, a, b) {
                trips.push(ObservedTrip::between(*a, *b, matrix.minutes[i][j], None));
            }
        }
    }
    Ok((trips, left_out.into_iter().cloned().collect()))
}
