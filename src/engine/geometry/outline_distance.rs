//! Distances from points to the outlines of a set of communes (a territory): a bounding circle
//! for cheap lower bounds, and exact distances that skip the communes too far to matter.
//!
//! ```
//! use cpts_atlas::engine::distance_to_outline_km;
//! use geo::{polygon, MultiPolygon};
//! // A 0.1° square at 45° N; a point 0.1° east of its east side is ~7.9 km away.
//! let square: MultiPolygon<f64> =
//!     polygon![(x: 0.0, y: 45.0), (x: 0.1, y: 45.0), (x: 0.1, y: 45.1), (x: 0.0, y: 45.1)].into();
//! let d = distance_to_outline_km(&square, (0.2, 45.05));
//! assert!((d - 7.86).abs() < 0.05, "{d}");
//! assert_eq!(distance_to_outline_km(&square, (0.05, 45.05)), 0.0);
//! ```

use geo::MultiPolygon;

use crate::engine::geometry::great_circle::{distance_km, EARTH_RADIUS_KM};
use crate::engine::{Atlas, CommuneCentroids};

/// The communes of a territory prepared for distance queries (built once per territory).
pub struct CommunesDistance<'a> {
    atlas: &'a Atlas,
    /// (commune index, bounding box of the outline `[min lon, min lat, max lon, max lat]`).
    members: Vec<(usize, [f64; 4])>,
    /// A circle containing every member outline: centre and radius in km.
    circle: Option<((f64, f64), f64)>,
}

impl<'a> CommunesDistance<'a> {
    /// Prepares `communes` (indexes into `atlas`); communes without outline are left out.
    pub fn new(atlas: &'a Atlas, centroids: &CommuneCentroids, communes: &[usize]) -> Self {
        let points: Vec<_> = communes
            .iter()
            .filter(|&&i| atlas.commune(i).geometry.is_some())
            .filter_map(|&i| {
                // No box (an empty outline): one that never skips it.
                let bbox = centroids.bbox(atlas, i).unwrap_or([
                    f64::NEG_INFINITY,
                    f64::NEG_INFINITY,
                    f64::INFINITY,
                    f64::INFINITY,
                ]);
                Some((
                    i,
                    centroids.centroid(i)?,
                    centroids.radius_km(atlas, i),
                    bbox,
                ))
            })
            .collect();
        let circle = (!points.is_empty()).then(|| {
            let n = points.len() as f64;
            let centre = points
                .iter()
                .fold((0.0, 0.0), |s, m| (s.0 + m.1 .0 / n, s.1 + m.1 .1 / n));
            let radius = points
                .iter()
                .map(|m| distance_km(centre, m.1) + m.2)
                .fold(0.0, f64::max);
            (centre, radius)
        });
        let members = points.into_iter().map(|(i, _, _, b)| (i, b)).collect();
        Self {
            atlas,
            members,
            circle,
        }
    }

    /// Centre and radius (km) of a circle containing every outline; `None` without outline.
    pub fn circle(&self) -> Option<((f64, f64), f64)> {
        self.circle
    }

    /// A lower bound of [`Self::distance_km`], from the bounding circle: one great-circle
    /// distance.
    pub fn lower_bound_km(&self, point: (f64, f64)) -> f64 {
        self.circle
            .map_or(f64::INFINITY, |(c, r)| (distance_km(c, point) - r).max(0.0))
    }

    /// Distance in km from a point to the nearest outline (0 inside); `None` without outline.
    pub fn distance_km(&self, point: (f64, f64)) -> Option<f64> {
        self.distance_within_km(point, f64::INFINITY)
    }

    /// [`Self::distance_km`] when it is at most `limit`, else `None`.
    ///
    /// The members are visited by increasing distance of their bounding box, measured in the
    /// plane of [`distance_to_outline_km`] (an outline is never nearer than its box), and the
    /// walk stops at the first box farther than the best distance found or than `limit`: the
    /// result is the minimum over all members, with an outline computed only where its box can
    /// beat it.
    pub fn distance_within_km(&self, point: (f64, f64), limit: f64) -> Option<f64> {
        let (kx, ky) = plane_scale(point);
        // Less a margin for rounding: a box so skipped is surely no nearer.
        let mut boxes: Vec<f64> = self
            .members
            .iter()
            .map(|(_, b)| {
                let dx = (b[0] - point.0).max(point.0 - b[2]).max(0.0) * kx;
                let dy = (b[1] - point.1).max(point.1 - b[3]).max(0.0) * ky;
                (dx * dx + dy * dy).sqrt() * (1.0 - 1e-9)
            })
            .collect();
        let mut best: Option<f64> = None;
        // Taken one at a time: the walk usually stops after a few, so sorting all the boxes
        // would cost more. A taken box is set to NaN, which `total_cmp` puts last.
        while let Some(k) = (0..boxes.len()).min_by(|&a, &b| boxes[a].total_cmp(&boxes[b])) {
            let lower = boxes[k];
            if lower.is_nan() || lower > limit || best.is_some_and(|b| lower >= b) {
                break;
            }
            boxes[k] = f64::NAN;
            if let Some(outline) = &self.atlas.commune(self.members[k].0).geometry {
                let d = distance_to_outline_km(outline, point);
                best = Some(best.map_or(d, |b: f64| b.min(d)));
            }
        }
        best.filter(|&d| d <= limit)
    }
}

/// Distance in km from a point to a commune outline (0 inside), measured in a local
/// equirectangular plane centred on the point (error well under 1 % within 100 km). Walks the
/// rings once, without allocating: the crossing parity over all rings of a polygon tells
/// whether the point lies inside it.
pub fn distance_to_outline_km(outline: &MultiPolygon<f64>, point: (f64, f64)) -> f64 {
    let (lon0, lat0) = point;
    let (kx, ky) = plane_scale(point);
    let mut best = f64::INFINITY;
    for polygon in outline {
        let mut inside = false;
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            let mut previous: Option<(f64, f64)> = None;
            for c in ring.coords() {
                let b = ((c.x - lon0) * kx, (c.y - lat0) * ky);
                if let Some(a) = previous {
                    if (a.1 > 0.0) != (b.1 > 0.0)
                        && a.0 + (b.0 - a.0) * (0.0 - a.1) / (b.1 - a.1) > 0.0
                    {
                        inside = !inside;
                    }
                    best = best.min(squared_distance_to_origin(a, b));
                }
                previous = Some(b);
            }
        }
        if inside {
            return 0.0;
        }
    }
    best.sqrt()
}

/// Km per degree of longitude and of latitude in the local equirectangular plane centred on a
/// point.
fn plane_scale(point: (f64, f64)) -> (f64, f64) {
    let ky = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;
    (ky * point.1.to_radians().cos(), ky)
}

/// Squared distance from the origin to the segment `a`–`b`.
fn squared_distance_to_origin(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length2 = dx * dx + dy * dy;
    let t = if length2 > 0.0 {
        (-(a.0 * dx + a.1 * dy) / length2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (x, y) = (a.0 + t * dx, a.1 + t * dy);
    x * x + y * y
}
