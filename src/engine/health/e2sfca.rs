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
    let catchment = Catchment::new(atlas, centroids, params);
    let mut access: Vec<Option<f64>> = (0..supply.len())
        .map(|i| centroids.centroid(i).map(|_| 0.0))
        .collect();
    for (j, &s) in supply.iter().enumerate() {
        let Some(reached) = catchment.reached_by_supply(j, s) else {
            continue;
        };
        let Some(ratio) = catchment.ratio(&reached, s) else {
            continue;
        };
        for (k, w) in reached {
            if let Some(a) = access[k].as_mut() {
                *a += w * ratio * 10_000.0;
            }
        }
    }
    access
}

/// The accessibility of one commune, as [`e2sfca`] gives it to the bit (the same terms added
/// in the same order), from the ratios of the communes around it: `ratio(j)` is step 1 for
/// commune `j` ([`supply_ratio`]), which a caller may keep between calls. `None` without
/// centroid.
pub fn commune_access(
    centroids: &CommuneCentroids,
    params: &E2sfcaParams,
    commune: usize,
    mut ratio: impl FnMut(usize) -> Option<f64>,
) -> Option<f64> {
    let ci = centroids.centroid(commune)?;
    // The R-tree's chord test is symmetric: `j` reaches `commune` exactly when `commune` is
    // within reach of `j`. Added in index order, as [`e2sfca`] adds them.
    let mut around: Vec<usize> = centroids.within_km(ci, params.reach_km()).collect();
    around.sort_unstable();
    let mut access = 0.0;
    for j in around {
        let Some(r) = ratio(j) else { continue };
        let Some(cj) = centroids.centroid(j) else {
            continue;
        };
        let w = params.weight(params.minutes(distance_between(j, cj, commune, ci)));
        if w > 0.0 {
            access += w * r * 10_000.0;
        }
    }
    Some(access)
}

/// Step 1 of [`e2sfca`] for commune `j` with `supply` practitioners: practitioners over the
/// decayed population that reaches them; `None` without practitioner, centroid or demand.
pub fn supply_ratio(
    atlas: &Atlas,
    centroids: &CommuneCentroids,
    params: &E2sfcaParams,
    j: usize,
    supply: f64,
) -> Option<f64> {
    let catchment = Catchment::new(atlas, centroids, params);
    let reached = catchment.reached_by_supply(j, supply)?;
    catchment.ratio(&reached, supply)
}

/// The great-circle km from `j` (supply) to `k`, as step 1 measures it (0 within a commune).
fn distance_between(j: usize, cj: (f64, f64), k: usize, ck: (f64, f64)) -> f64 {
    if k == j {
        0.0
    } else {
        crate::engine::geometry::great_circle::distance_km(cj, ck)
    }
}

/// The communes a commune's practitioners serve, with the decay weights.
struct Catchment<'a> {
    atlas: &'a Atlas,
    centroids: &'a CommuneCentroids,
    params: &'a E2sfcaParams,
}

impl<'a> Catchment<'a> {
    fn new(atlas: &'a Atlas, centroids: &'a CommuneCentroids, params: &'a E2sfcaParams) -> Self {
        Self {
            atlas,
            centroids,
            params,
        }
    }

    /// The communes reaching commune `j`'s `supply` practitioners, with their weights; `None`
    /// without practitioner or centroid.
    fn reached_by_supply(&self, j: usize, supply: f64) -> Option<Vec<(usize, f64)>> {
        let cj = self.centroids.centroid(j).filter(|_| supply > 0.0)?;
        let reached = self
            .centroids
            .within_km(cj, self.params.reach_km())
            .filter_map(|k| {
                let ck = self.centroids.centroid(k)?;
                let w = self
                    .params
                    .weight(self.params.minutes(distance_between(j, cj, k, ck)));
                (w > 0.0).then_some((k, w))
            })
            .collect();
        Some(reached)
    }

    /// Practitioners over the decayed population of `reached`; `None` without demand.
    fn ratio(&self, reached: &[(usize, f64)], supply: f64) -> Option<f64> {
        let population = |k: usize| self.atlas.commune(k).population.unwrap_or(0) as f64;
        let demand: f64 = reached.iter().map(|&(k, w)| w * population(k)).sum();
        (demand > 0.0).then(|| supply / demand)
    }
}
