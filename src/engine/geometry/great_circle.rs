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

/// The greatest [`distance_km`] from `a` to any of `points` (0 without points), bit for bit:
/// the haversine's `sqrt` and `asin` are non-decreasing, so they are applied once, to the
/// greatest `h`, instead of once per point (the cold start measures every commune's reach).
pub fn farthest_km(a: (f64, f64), points: impl IntoIterator<Item = (f64, f64)>) -> f64 {
    let lat1 = a.1.to_radians();
    let cos1 = lat1.cos();
    let h = points
        .into_iter()
        .map(|b| {
            let lat2 = b.1.to_radians();
            let dlat = lat2 - lat1;
            let dlon = (b.0 - a.0).to_radians();
            (dlat / 2.0).sin().powi(2) + cos1 * lat2.cos() * (dlon / 2.0).sin().powi(2)
        })
        .fold(None, |m: Option<f64>, h| Some(m.map_or(h, |m| m.max(h))));
    h.map_or(0.0, |h| {
        (2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()).max(0.0)
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `farthest_km` is the greatest of the haversine distances, to the bit, on the vertices of
    /// a real commune-sized ring and on points around the globe.
    #[test]
    fn farthest_is_the_greatest_distance_bit_for_bit() {
        let from = (4.8357, 45.764);
        let mut points: Vec<(f64, f64)> = (0..500)
            .map(|i| {
                let t = f64::from(i) * 0.0137;
                (
                    4.8357 + 0.05 * t.cos() * (1.0 + 0.3 * (7.0 * t).sin()),
                    45.764 + 0.04 * t.sin(),
                )
            })
            .collect();
        points.extend([
            (-179.9, -89.0),
            (179.9, 89.0),
            (-175.1644, -45.764),
            (4.8357, 45.764),
        ]);
        for n in [0, 1, 2, 17, 500, points.len()] {
            let expected = points[..n]
                .iter()
                .map(|&p| distance_km(from, p))
                .fold(0.0, f64::max);
            assert_eq!(
                farthest_km(from, points[..n].iter().copied()).to_bits(),
                expected.to_bits(),
                "{n} points"
            );
        }
    }
}
