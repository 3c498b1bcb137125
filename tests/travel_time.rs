//! The shipped travel-time model recomputed here from the raw Gironde OSRM pairs (own CSV
//! reading, own Lambert-93 inverse, own haversine, own least squares), and its fit error
//! computed here from the shipped constants.

mod health_common;

use cpts_atlas::engine::health::travel_time::{BAND_LIMITS_KM, CALIBRATION_SOURCE};
use cpts_atlas::engine::{ObservedTrip, TravelTimeModel};
use cpts_atlas::loaders::health::travel_times::{load_osrm_pairs, load_time_matrix};
use health_common::*;

/// Lambert-93 (EPSG:2154, GRS80, secant conic at 44° and 49°) to longitude/latitude, degrees
/// (Snyder, Map Projections, eq. 15-1 to 15-11, inverse with iteration 7-9).
fn lambert93_to_wgs84(x: f64, y: f64) -> (f64, f64) {
    use std::f64::consts::FRAC_PI_4;
    let a: f64 = 6_378_137.0;
    let f: f64 = 1.0 / 298.257_222_101;
    let e = (2.0 * f - f * f).sqrt();
    let m = |phi: f64| phi.cos() / (1.0 - (e * phi.sin()).powi(2)).sqrt();
    let t = |phi: f64| {
        (FRAC_PI_4 - phi / 2.0).tan()
            / ((1.0 - e * phi.sin()) / (1.0 + e * phi.sin())).powf(e / 2.0)
    };
    let (phi1, phi2, phi0) = (44f64.to_radians(), 49f64.to_radians(), 46.5f64.to_radians());
    let n = (m(phi1).ln() - m(phi2).ln()) / (t(phi1).ln() - t(phi2).ln());
    let big_f = m(phi1) / (n * t(phi1).powf(n));
    let rho0 = a * big_f * t(phi0).powf(n);
    let (dx, dy) = (x - 700_000.0, rho0 - (y - 6_600_000.0));
    let rho = (dx * dx + dy * dy).sqrt();
    let tt = (rho / (a * big_f)).powf(1.0 / n);
    let lon = dx.atan2(dy) / n + 3f64.to_radians();
    let mut lat = std::f64::consts::FRAC_PI_2 - 2.0 * tt.atan();
    for _ in 0..20 {
        let s = e * lat.sin();
        lat =
            std::f64::consts::FRAC_PI_2 - 2.0 * (tt * ((1.0 - s) / (1.0 + s)).powf(e / 2.0)).atan();
    }
    (lon.to_degrees(), lat.to_degrees())
}

fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (p1, p2) = (a.1.to_radians(), b.1.to_radians());
    let h = ((p2 - p1) / 2.0).sin().powi(2)
        + p1.cos() * p2.cos() * ((b.0 - a.0).to_radians() / 2.0).sin().powi(2);
    2.0 * 6_371.008_8 * h.sqrt().asin()
}

/// (great-circle km, road km, minutes) of every raw pair.
fn raw_pairs(shared: &std::path::Path) -> Vec<(f64, f64, f64)> {
    let (h, rows) = read_rows(&shared.join("travel-times/gironde_osrm_pairs.csv"), ',');
    let h: std::collections::HashMap<String, usize> = h
        .into_iter()
        .map(|(k, v)| (k.trim_matches('"').to_string(), v))
        .collect();
    rows.iter()
        .map(|r| {
            let v = |c: &str| r[h[c]].parse::<f64>().unwrap();
            let from = lambert93_to_wgs84(v("X1"), v("Y1"));
            let to = lambert93_to_wgs84(v("X2"), v("Y2"));
            (haversine_km(from, to), v("Dist_km"), v("Dist_min"))
        })
        .collect()
}

/// Minutes of the cumulative band model written here: road km inside each band at its speed.
fn model_minutes(detour: f64, limits: &[f64], speeds: &[f64], km: f64) -> f64 {
    let mut lower = 0.0;
    let mut total = 0.0;
    for (i, speed) in speeds.iter().enumerate() {
        let upper = limits.get(i).copied().unwrap_or(f64::INFINITY);
        total += (km.min(upper) - lower).max(0.0) * detour * 60.0 / speed;
        lower = upper;
    }
    total
}

#[test]
fn calibrated_model_is_the_fit_of_the_raw_gironde_pairs() {
    let Some(shared) = shared("calibrated_model_is_the_fit") else {
        return;
    };
    let pairs = raw_pairs(&shared);
    assert_eq!(pairs.len(), 2500);
    // Detour: least squares of road km on great-circle km through the origin.
    let detour =
        pairs.iter().map(|p| p.0 * p.1).sum::<f64>() / pairs.iter().map(|p| p.0 * p.0).sum::<f64>();
    // Speeds: band after band, least squares of the minutes beyond the previous bands.
    let limits = [5.0, 15.0, 40.0];
    let mut speeds: Vec<f64> = Vec::new();
    for band in 0..4 {
        let lower = if band == 0 { 0.0 } else { limits[band - 1] };
        let upper = limits.get(band).copied().unwrap_or(f64::INFINITY);
        let (mut num, mut den) = (0.0, 0.0);
        for p in pairs.iter().filter(|p| p.0 > lower && p.0 <= upper) {
            let before = model_minutes(detour, &limits, &speeds, lower);
            num += (p.2 - before) * (p.0 - lower);
            den += (p.0 - lower).powi(2);
        }
        speeds.push(detour * 60.0 / (num / den));
    }
    let shipped = TravelTimeModel::calibrated();
    assert_eq!(BAND_LIMITS_KM, limits);
    assert!(
        (shipped.detour_factor - detour).abs() <= 0.0005 + 1e-9,
        "{} vs {detour}",
        shipped.detour_factor
    );
    assert_eq!(shipped.bands.len(), 4);
    for (b, s) in shipped.bands.iter().zip(&speeds) {
        assert!((b.speed_kmh - s).abs() <= 0.05 + 1e-9, "{b:?} vs {s}");
    }
    // The crate's fit on its own reading of the file gives the shipped constants once rounded.
    let trips: Vec<ObservedTrip> =
        load_osrm_pairs(&shared.join("travel-times/gironde_osrm_pairs.csv"))
            .unwrap()
            .iter()
            .map(|p| ObservedTrip::between(p.from, p.to, p.minutes, p.road_km))
            .collect();
    let fitted = TravelTimeModel::fit(&trips, &BAND_LIMITS_KM, CALIBRATION_SOURCE).unwrap();
    assert_eq!(fitted.rounded(), shipped);

    // The fit error, computed here with the shipped constants.
    let shipped_speeds: Vec<f64> = shipped.bands.iter().map(|b| b.speed_kmh).collect();
    let modelled: Vec<f64> = pairs
        .iter()
        .map(|p| model_minutes(shipped.detour_factor, &limits, &shipped_speeds, p.0))
        .collect();
    let observed: Vec<f64> = pairs.iter().map(|p| p.2).collect();
    let mean = observed.iter().sum::<f64>() / 2500.0;
    let ss_res: f64 = modelled
        .iter()
        .zip(&observed)
        .map(|(m, o)| (m - o).powi(2))
        .sum();
    let ss_tot: f64 = observed.iter().map(|o| (o - mean).powi(2)).sum();
    let mut abs: Vec<f64> = modelled
        .iter()
        .zip(&observed)
        .map(|(m, o)| (m - o).abs())
        .collect();
    abs.sort_by(f64::total_cmp);
    let median = (abs[1249] + abs[1250]) / 2.0;
    let p90 = abs[2249]; // nearest rank: ceil(0.9 × 2500) = 2250th value
    let q = shipped.quality(&trips).unwrap();
    assert_eq!(q.trips, 2500);
    assert!((q.r2 - (1.0 - ss_res / ss_tot)).abs() < 1e-6, "{q:?}");
    assert!(
        (q.median_abs_minutes - median).abs() < 1e-3,
        "{q:?} {median}"
    );
    assert!((q.p90_abs_minutes - p90).abs() < 1e-3, "{q:?} {p90}");
    // The figures the README states (R² 0.909, median 3.41 min, p90 10.16 min).
    assert!((1.0 - ss_res / ss_tot - 0.909).abs() < 0.0005);
    assert!((median - 3.41).abs() < 0.005 && (p90 - 10.16).abs() < 0.005);
    // Before calibration (1.3, 50 km/h) the model was 25 minutes too slow at the median.
    let old: Vec<f64> = pairs
        .iter()
        .map(|p| (p.0 * 1.3 / 50.0 * 60.0 - p.2).abs())
        .collect();
    let mut old = old;
    old.sort_by(f64::total_cmp);
    let q_old = TravelTimeModel::uncalibrated().quality(&trips).unwrap();
    assert!((q_old.median_abs_minutes - (old[1249] + old[1250]) / 2.0).abs() < 1e-3);
    assert!(q_old.median_abs_minutes > 20.0);
}

#[test]
fn grand_paris_matrix_reads_as_published() {
    let Some(shared) = shared("grand_paris_matrix_reads") else {
        return;
    };
    let path = shared.join("travel-times/mta_cardist_grand_paris.txt");
    let m = load_time_matrix(&path).unwrap();
    // Read here: the header's codes and the first row (Paris 1er).
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    let first: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(m.codes.len(), header.len());
    assert_eq!(m.codes[0], "75101");
    assert_eq!(m.minutes[0][0], 0.0);
    assert_eq!(m.minutes[0][1], first[2].parse::<f64>().unwrap());
    assert_eq!(m.minutes.len(), header.len());
}
