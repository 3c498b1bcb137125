//! Computed accessibility: the enhanced two-step floating catchment area (E2SFCA), the method
//! family of the DREES APL, on commune centroids.
//!
//! Until a road network is loaded, travel time is estimated from the great-circle distance
//! between commune centroids by a [`TravelTimeModel`]: a road detour factor and a speed by
//! distance band, calibrated on OSRM road times (see `travel_time.rs`). Distance decay
//! follows the DREES APL steps for general practitioners: weight 1 up to 10 minutes, 2/3 up to
//! 15, 1/3 up to 20, none beyond. A commune reaches its own practitioners at 0 minutes.
//!
//! Step 1: each commune `j` with practitioners gets a ratio `R_j = S_j / Σ_k w(t_kj) P_k`
//! (practitioners over the population that can reach them, decayed). Step 2: each commune `i`
//! gets `A_i = Σ_j w(t_ij) R_j`, reported per 10 000 inhabitants. Unlike the DREES APL it counts
//! practitioners (not consultations, no activity or age weights) and uses the legal population
//! (not the age-standardised one): its level differs, its geography is comparable.

use crate::engine::health::travel_time::TravelTimeModel;
use crate::engine::territory::centroids::CommuneCentroids;
use crate::engine::Atlas;

/// One step of the distance decay: practitioners reached within `max_minutes` weigh `weight`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecayStep {
    /// Upper bound of the step, minutes by car.
    pub max_minutes: f64,
    /// Weight of the practitioners reached within it, in [0, 1].
    pub weight: f64,
}

/// Travel-time model, decay steps and their documentation.
#[derive(Debug, Clone, PartialEq)]
pub struct E2sfcaParams {
    /// Travel minutes from great-circle km.
    pub travel: TravelTimeModel,
    /// Decay steps by increasing `max_minutes`.
    pub steps: Vec<DecayStep>,
}

impl Default for E2sfcaParams {
    /// The calibrated travel-time model, DREES steps 10/15/20 minutes with weights 1, 2/3, 1/3.
    fn default() -> Self {
        Self {
            travel: TravelTimeModel::calibrated(),
            steps: vec![
                DecayStep {
                    max_minutes: 10.0,
                    weight: 1.0,
                },
                DecayStep {
                    max_minutes: 15.0,
                    weight: 2.0 / 3.0,
                },
                DecayStep {
                    max_minutes: 20.0,
                    weight: 1.0 / 3.0,
                },
            ],
        }
    }
}

impl E2sfcaParams {
    /// Estimated travel minutes for a great-circle distance.
    pub fn minutes(&self, km: f64) -> f64 {
        self.travel.minutes(km)
    }

    /// Decay weight of a travel time.
    pub fn weight(&self, minutes: f64) -> f64 {
        self.steps
            .iter()
            .find(|s| minutes <= s.max_minutes)
            .map_or(0.0, |s| s.weight)
    }

    /// Greatest great-circle distance with a non-zero weight, km.
    pub fn reach_km(&self) -> f64 {
        self.travel
            .reach_km(self.steps.last().map_or(0.0, |s| s.max_minutes))
    }

    /// One line describing the method, for the API's `method` field.
    pub fn describe(&self) -> String {
        let steps: Vec<String> = self
            .steps
            .iter()
            .map(|s| format!("≤ {} min: {:.2}", s.max_minutes, s.weight))
            .collect();
        format!(
            "E2SFCA on commune centroids; travel time = {}; decay steps {}",
            self.travel.describe(),
            steps.join(", ")
        )
    }
}

/// Accessibility of every commune (practitioners reachable per 10 000 inhabitants), by commune
/// index; `None` for communes without centroid. `supply[i]` is the number of practitioners in
/// commune `i`.
///
/// ```
/// use cpts_atlas::engine::E2sfcaParams;
/// let p = E2sfcaParams::default();
/// assert_eq!(p.weight(0.0), 1.0);
/// assert!((p.weight(12.0) - 2.0 / 3.0).abs() < 1e-12);
/// assert_eq!(p.weight(25.0), 0.0);
/// assert!((p.minutes(p.reach_km()) - 20.0).abs() < 1e-9);
/// ```
pub fn e2sfca(
    atlas: &Atlas,
    centroids: &CommuneCentroids,
    supply: &[f64],
    params: &E2sfcaParams,
) -> Vec<Option<f64>> {
    let reach = params.reach_km();
    let population = |k: usize| atlas.commune(k).population.unwrap_or(0) as f64;
    let mut access: Vec<Option<f64>> = (0..supply.len())
        .map(|i| centroids.centroid(i).map(|_| 0.0))
        .collect();
    for (j, &s) in supply.iter().enumerate() {
        let Some(cj) = centroids.centroid(j).filter(|_| s > 0.0) else {
            continue;
        };
        let reached: Vec<(usize, f64)> = centroids
            .within_km(cj, reach)
            .filter_map(|k| {
                let ck = centroids.centroid(k)?;
                let km = if k == j {
                    0.0
                } else {
                    crate::engine::geometry::great_circle::distance_km(cj, ck)
                };
                let w = params.weight(params.minutes(km));
                (w > 0.0).then_some((k, w))
            })
            .collect();
        let demand: f64 = reached.iter().map(|&(k, w)| w * population(k)).sum();
        if demand <= 0.0 {
            continue;
        }
        let ratio = s / demand;
        for (k, w) in reached {
            if let Some(a) = access[k].as_mut() {
                *a += w * ratio * 10_000.0;
            }
        }
    }
    access
}
