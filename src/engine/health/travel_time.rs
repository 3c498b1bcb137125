//! Estimated car travel time from a great-circle distance: a road detour factor and a speed by
//! distance band, calibrated on observed OSRM road times (`travel-times/`).
//!
//! `minutes(km)` drives `km × detour_factor` road kilometres, the part of the trip inside each
//! band of great-circle distance at that band's speed, so time is continuous and grows with
//! distance. [`TravelTimeModel::calibrated`] holds the constants fitted by
//! [`TravelTimeModel::fit`] on the ~2 500 Gironde OSRM pairs (`cpts-atlas check-access`
//! reproduces them and reports the fit on METRIC and on the Grand Paris matrix).

use crate::engine::geometry::great_circle::distance_km;

/// A band of great-circle distance and the mean speed driven over it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpeedBand {
    /// Upper bound of the band, great-circle km (`f64::INFINITY` for the last one).
    pub up_to_km: f64,
    /// Mean door-to-door speed over the band's road kilometres, km/h.
    pub speed_kmh: f64,
}

/// Road detour and speed by distance band.
#[derive(Debug, Clone, PartialEq)]
pub struct TravelTimeModel {
    /// Road distance over great-circle distance.
    pub detour_factor: f64,
    /// Bands by increasing `up_to_km`, the last unbounded.
    pub bands: Vec<SpeedBand>,
    /// Where the parameters come from.
    pub source: &'static str,
}

/// Upper bounds (great-circle km) of the calibrated bands but the last, unbounded one.
pub const BAND_LIMITS_KM: [f64; 3] = [5.0, 15.0, 40.0];

/// The source line of the calibrated model.
pub const CALIBRATION_SOURCE: &str = "fitted on 2 500 OSRM car times between points of Gironde (travel-times/gironde_osrm_pairs.csv, phileas-condemine/comparaison_distanciers; data © OpenStreetMap contributors, ODbL): `cpts-atlas check-access`";

/// A trip with an observed road time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ObservedTrip {
    /// Great-circle distance, km.
    pub crow_km: f64,
    /// Road distance, km, when known.
    pub road_km: Option<f64>,
    /// Observed travel time, minutes.
    pub minutes: f64,
}

impl ObservedTrip {
    /// A trip between two WGS84 points.
    pub fn between(from: (f64, f64), to: (f64, f64), minutes: f64, road_km: Option<f64>) -> Self {
        Self {
            crow_km: distance_km(from, to),
            road_km,
            minutes,
        }
    }
}

/// How well a model reproduces observed times.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitQuality {
    /// Observed trips compared.
    pub trips: usize,
    /// `1 − Σ(model − observed)² / Σ(observed − mean)²`.
    pub r2: f64,
    /// Median of |model − observed|, minutes.
    pub median_abs_minutes: f64,
    /// 90th percentile of |model − observed|, minutes (nearest rank).
    pub p90_abs_minutes: f64,
    /// Median of (model − observed), minutes (positive: the model is slower).
    pub median_bias_minutes: f64,
}

impl TravelTimeModel {
    /// The model before calibration: detour 1.3 and 50 km/h at every distance.
    pub fn uncalibrated() -> Self {
        Self::single_speed(
            1.3,
            50.0,
            "assumed: detour 1.3 (a usual figure for France's roads), 50 km/h",
        )
    }

    /// One detour factor and one speed at every distance.
    pub fn single_speed(detour_factor: f64, speed_kmh: f64, source: &'static str) -> Self {
        Self {
            detour_factor,
            bands: vec![SpeedBand {
                up_to_km: f64::INFINITY,
                speed_kmh,
            }],
            source,
        }
    }

    /// The calibrated model (the default): the constants [`Self::fit`] gives on the Gironde
    /// OSRM pairs with [`BAND_LIMITS_KM`], rounded to 3 decimals (detour) and 0.1 km/h
    /// (speeds). Reproduced by `cpts-atlas check-access`.
    pub fn calibrated() -> Self {
        let speeds = [50.8, 73.4, 69.9, 89.3];
        Self {
            detour_factor: 1.266,
            bands: Self::bands(&BAND_LIMITS_KM, &speeds),
            source: CALIBRATION_SOURCE,
        }
    }

    fn bands(limits: &[f64], speeds: &[f64]) -> Vec<SpeedBand> {
        limits
            .iter()
            .copied()
            .chain([f64::INFINITY])
            .zip(speeds)
            .map(|(up_to_km, &speed_kmh)| SpeedBand {
                up_to_km,
                speed_kmh,
            })
            .collect()
    }

    /// Estimated minutes for a great-circle distance.
    pub fn minutes(&self, km: f64) -> f64 {
        let mut from = 0.0;
        let mut minutes = 0.0;
        for band in &self.bands {
            if km <= from {
                break;
            }
            let inside = km.min(band.up_to_km) - from;
            minutes += inside * self.detour_factor / band.speed_kmh * 60.0;
            from = band.up_to_km;
        }
        minutes
    }

    /// Greatest great-circle distance reached within `minutes` (the inverse of
    /// [`Self::minutes`]).
    pub fn reach_km(&self, minutes: f64) -> f64 {
        let mut from = 0.0;
        let mut left = minutes;
        for band in &self.bands {
            let per_km = self.detour_factor / band.speed_kmh * 60.0;
            let width = band.up_to_km - from;
            if left <= width * per_km {
                return from + left / per_km;
            }
            left -= width * per_km;
            from = band.up_to_km;
        }
        from
    }

    /// One line for the API's `method` field.
    pub fn describe(&self) -> String {
        let mut from = 0.0;
        let bands: Vec<String> = self
            .bands
            .iter()
            .map(|b| {
                let text = if b.up_to_km.is_finite() {
                    format!("{from}-{} km: {} km/h", b.up_to_km, b.speed_kmh)
                } else {
                    format!("beyond {from} km: {} km/h", b.speed_kmh)
                };
                from = b.up_to_km;
                text
            })
            .collect();
        format!(
            "great-circle distance × {} at {} ({})",
            self.detour_factor,
            bands.join(", "),
            self.source
        )
    }

    /// Fits the model on observed trips: the detour factor by least squares of road km on
    /// great-circle km (through the origin, trips with a road distance), then each band's
    /// speed in turn by least squares of the time its trips spend beyond the previous bands.
    /// `None` when a band has no trip or no trip has a road distance.
    pub fn fit(trips: &[ObservedTrip], limits: &[f64], source: &'static str) -> Option<Self> {
        let (mut cross, mut square) = (0.0, 0.0);
        for t in trips {
            if let Some(road) = t.road_km {
                cross += road * t.crow_km;
                square += t.crow_km * t.crow_km;
            }
        }
        if square <= 0.0 {
            return None;
        }
        let detour_factor = cross / square;
        let mut model = Self {
            detour_factor,
            bands: Vec::new(),
            source,
        };
        let mut from = 0.0;
        for &up_to_km in limits.iter().chain([&f64::INFINITY]) {
            let (mut cross, mut square) = (0.0, 0.0);
            for t in trips
                .iter()
                .filter(|t| t.crow_km > from && t.crow_km <= up_to_km)
            {
                let before = model.minutes(from);
                let beyond = t.crow_km - from;
                cross += (t.minutes - before) * beyond;
                square += beyond * beyond;
            }
            if square <= 0.0 || cross <= 0.0 {
                return None;
            }
            let minutes_per_km = cross / square;
            model.bands.push(SpeedBand {
                up_to_km,
                speed_kmh: detour_factor * 60.0 / minutes_per_km,
            });
            from = up_to_km;
        }
        Some(model)
    }

    /// The same model with the detour rounded to 3 decimals and the speeds to 0.1 km/h (the
    /// precision of the shipped constants).
    pub fn rounded(&self) -> Self {
        let round = |x: f64, per_unit: f64| (x * per_unit).round() / per_unit;
        Self {
            detour_factor: round(self.detour_factor, 1000.0),
            bands: self
                .bands
                .iter()
                .map(|b| SpeedBand {
                    up_to_km: b.up_to_km,
                    speed_kmh: round(b.speed_kmh, 10.0),
                })
                .collect(),
            source: self.source,
        }
    }

    /// How well the model reproduces `trips`; `None` without trips.
    pub fn quality(&self, trips: &[ObservedTrip]) -> Option<FitQuality> {
        quality(trips.iter().map(|t| (self.minutes(t.crow_km), t.minutes)))
    }
}

/// Fit statistics of (model, observed) minute pairs; `None` when empty.
pub fn quality(pairs: impl Iterator<Item = (f64, f64)>) -> Option<FitQuality> {
    let pairs: Vec<(f64, f64)> = pairs.collect();
    if pairs.is_empty() {
        return None;
    }
    let n = pairs.len() as f64;
    let mean = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let residual: f64 = pairs.iter().map(|(m, o)| (m - o).powi(2)).sum();
    let total: f64 = pairs.iter().map(|(_, o)| (o - mean).powi(2)).sum();
    let mut abs: Vec<f64> = pairs.iter().map(|(m, o)| (m - o).abs()).collect();
    let mut signed: Vec<f64> = pairs.iter().map(|(m, o)| m - o).collect();
    abs.sort_by(f64::total_cmp);
    signed.sort_by(f64::total_cmp);
    Some(FitQuality {
        trips: pairs.len(),
        r2: 1.0 - residual / total,
        median_abs_minutes: median(&abs),
        p90_abs_minutes: nearest_rank(&abs, 0.9),
        median_bias_minutes: median(&signed),
    })
}

/// Median of sorted values (mean of the two middle ones for an even count).
fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// Nearest-rank percentile of sorted values: the value at rank ⌈p·n⌉.
fn nearest_rank(sorted: &[f64], p: f64) -> f64 {
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_and_reach_are_inverse() {
        let m = TravelTimeModel::calibrated();
        for km in [0.0, 1.0, 4.9, 5.0, 12.0, 15.0, 30.0, 80.0] {
            assert!((m.reach_km(m.minutes(km)) - km).abs() < 1e-9, "{km}");
        }
        let old = TravelTimeModel::uncalibrated();
        assert!((old.minutes(10.0) - 10.0 * 1.3 / 50.0 * 60.0).abs() < 1e-12);
        assert!((old.reach_km(20.0) - 20.0 / 60.0 * 50.0 / 1.3).abs() < 1e-12);
    }

    #[test]
    fn fit_recovers_a_model_that_generated_the_trips() {
        let truth = TravelTimeModel {
            detour_factor: 1.2,
            bands: TravelTimeModel::bands(&[5.0, 15.0], &[40.0, 60.0, 90.0]),
            source: "test",
        };
        let trips: Vec<ObservedTrip> = (1..200)
            .map(|i| {
                let km = f64::from(i) * 0.3;
                ObservedTrip {
                    crow_km: km,
                    road_km: Some(km * 1.2),
                    minutes: truth.minutes(km),
                }
            })
            .collect();
        let fitted = TravelTimeModel::fit(&trips, &[5.0, 15.0], "test").unwrap();
        assert!((fitted.detour_factor - 1.2).abs() < 1e-9);
        for (a, b) in fitted.bands.iter().zip(&truth.bands) {
            assert!((a.speed_kmh - b.speed_kmh).abs() < 1e-6, "{a:?} {b:?}");
        }
        let q = fitted.quality(&trips).unwrap();
        assert!(q.r2 > 1.0 - 1e-12 && q.p90_abs_minutes < 1e-9);
    }
}
