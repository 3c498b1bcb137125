//! Commune centroids (area centroids of the outlines) and each commune's reach around it.

use std::sync::OnceLock;

use geo::{BoundingRect, CoordsIter};

use crate::engine::geometry::great_circle::{farthest_km, PointIndex};
use crate::engine::Atlas;

/// How far a commune's outline reaches around its centroid.
struct Reach {
    radius_km: f64,
    bbox: Option<[f64; 4]>,
}

/// The centroid of every commune with an outline, indexed for distance queries.
pub struct CommuneCentroids {
    /// (longitude, latitude) by commune index; `None` without outline.
    points: Vec<Option<(f64, f64)>>,
    /// Greatest distance (km) from the centroid to the outline and the outline's bounding box,
    /// by commune index, measured on first use (one great-circle distance per vertex: too many
    /// for all France at load).
    reach: Vec<OnceLock<Reach>>,
    index: PointIndex,
}

impl CommuneCentroids {
    /// Computes centroids from the atlas outlines (WGS84; the planar centroid in degrees is
    /// within metres of the geodesic one at commune scale).
    pub fn new(atlas: &Atlas) -> Self {
        let points: Vec<Option<(f64, f64)>> = (0..atlas.communes().len())
            .map(|i| atlas.commune_centroid(i))
            .collect();
        let reach = points.iter().map(|_| OnceLock::new()).collect();
        let index = PointIndex::new(
            points
                .iter()
                .enumerate()
                .filter_map(|(i, p)| Some((i, (*p)?))),
        );
        Self {
            points,
            reach,
            index,
        }
    }

    /// The centroid (longitude, latitude) of a commune, if it has an outline.
    pub fn centroid(&self, commune: usize) -> Option<(f64, f64)> {
        self.points[commune]
    }

    /// Greatest distance from a commune's centroid to its outline, km (0 without outline);
    /// `atlas` is the one the centroids were computed on.
    pub fn radius_km(&self, atlas: &Atlas, commune: usize) -> f64 {
        self.reach(atlas, commune).radius_km
    }

    /// The bounding box `[min lon, min lat, max lon, max lat]` of a commune's outline; `None`
    /// without outline.
    pub fn bbox(&self, atlas: &Atlas, commune: usize) -> Option<[f64; 4]> {
        self.reach(atlas, commune).bbox
    }

    fn reach(&self, atlas: &Atlas, commune: usize) -> &Reach {
        self.reach[commune].get_or_init(|| {
            let outline = atlas.commune(commune).geometry.as_ref();
            let bbox = outline.and_then(|g| g.bounding_rect()).map(|r| {
                let (min, max) = (r.min(), r.max());
                [min.x, min.y, max.x, max.y]
            });
            let radius_km = match (self.points[commune], outline) {
                (Some(c), Some(g)) => farthest_km(c, g.coords_iter().map(|v| (v.x, v.y))),
                _ => 0.0,
            };
            Reach { radius_km, bbox }
        })
    }

    /// Communes whose centroid lies within `km` of `point`.
    pub fn within_km(&self, point: (f64, f64), km: f64) -> impl Iterator<Item = usize> + '_ {
        self.index.within_km(point, km)
    }
}
