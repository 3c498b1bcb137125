//! Great-circle distances on a sphere of the Earth's mean radius, and a 3-D point index for them.
//!
//! Points are stored as unit vectors: the straight-line (chord) distance between two unit
//! vectors grows with the great-circle distance, so an R-tree over them answers "within d km"
//! and "nearest" exactly, with no projection distortion.
//!
//! ```
//! use cpts_atlas::engine::geometry::great_circle::distance_km;
//! // Caen - Rouen, about 110 km as the crow flies.
//! let d = distance_km((-0.3707, 49.1829), (1.0993, 49.4431));
//! assert!((d - 110.0).abs() < 6.0, "{d}");
//! ```

use rstar::primitives::GeomWithData;
use rstar::RTree;

/// IUGG mean Earth radius, km.
pub const EARTH_RADIUS_KM: f64 = 6_371.008_8;

/// Great-circle (haversine) distance in km between two (longitude, latitude) points in degrees.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lat2) = (a.1.to_radians(), b.1.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.0 - a.0).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Great-circle distance in km between two unit vectors (see [`unit_vector`]): the same as
/// [`distance_km`] of their points, cheaper when one side is reused for many distances.
pub fn unit_distance_km(a: [f64; 3], b: [f64; 3]) -> f64 {
    let chord2 = (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2);
    2.0 * EARTH_RADIUS_KM * (chord2.sqrt() / 2.0).min(1.0).asin()
}

/// Unit vector of a (longitude, latitude) point in degrees.
pub fn unit_vector(point: (f64, f64)) -> [f64; 3] {
    let (lon, lat) = (point.0.to_radians(), point.1.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// Squared chord length between unit vectors that are `km` apart on the sphere.
pub fn squared_chord(km: f64) -> f64 {
    let half = (km / EARTH_RADIUS_KM / 2.0).min(std::f64::consts::FRAC_PI_2);
    (2.0 * half.sin()).powi(2)
}

/// An index of points on the sphere carrying an id each.
pub struct PointIndex {
    tree: RTree<GeomWithData<[f64; 3], usize>>,
}

impl PointIndex {
    /// Indexes `(id, (lon, lat))` pairs.
    pub fn new(points: impl IntoIterator<Item = (usize, (f64, f64))>) -> Self {
        let entries = points
            .into_iter()
            .map(|(id, p)| GeomWithData::new(unit_vector(p), id))
            .collect();
        Self {
            tree: RTree::bulk_load(entries),
        }
    }

    /// Ids of the points within `km` of `point` (great-circle).
    pub fn within_km(&self, point: (f64, f64), km: f64) -> impl Iterator<Item = usize> + '_ {
        self.tree
            .locate_within_distance(unit_vector(point), squared_chord(km))
            .map(|e| e.data)
    }
}
