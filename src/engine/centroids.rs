//! Commune centroids (area centroids of the outlines) and each commune's reach around it.

use geo::{Centroid, CoordsIter};

use super::great_circle::{distance_km, PointIndex};
use super::Atlas;

/// The centroid of every commune with an outline, indexed for distance queries.
pub struct CommuneCentroids {
    /// (longitude, latitude) by commune index; `None` without outline.
    points: Vec<Option<(f64, f64)>>,
    /// Greatest distance (km) from the centroid to the outline, by commune index.
    radius_km: Vec<f64>,
    index: PointIndex,
}

impl CommuneCentroids {
    /// Computes centroids from the atlas outlines (WGS84; the planar centroid in degrees is
    /// within metres of the geodesic one at commune scale).
    pub fn new(atlas: &Atlas) -> Self {
        let mut points = Vec::with_capacity(atlas.communes().len());
        let mut radius_km = Vec::with_capacity(atlas.communes().len());
        for commune in atlas.communes() {
            let centroid = commune
                .geometry
                .as_ref()
                .and_then(|g| Some((g, g.centroid()?)));
            match centroid {
                Some((g, c)) => {
                    let c = (c.x(), c.y());
                    let r = g
                        .coords_iter()
                        .map(|v| distance_km(c, (v.x, v.y)))
                        .fold(0.0, f64::max);
                    points.push(Some(c));
                    radius_km.push(r);
                }
                None => {
                    points.push(None);
                    radius_km.push(0.0);
                }
            }
        }
        let index = PointIndex::new(
            points
                .iter()
                .enumerate()
                .filter_map(|(i, p)| Some((i, (*p)?))),
        );
        Self {
            points,
            radius_km,
            index,
        }
    }

    /// The centroid (longitude, latitude) of a commune, if it has an outline.
    pub fn centroid(&self, commune: usize) -> Option<(f64, f64)> {
        self.points[commune]
    }

    /// Greatest distance from a commune's centroid to its outline, km.
    pub fn radius_km(&self, commune: usize) -> f64 {
        self.radius_km[commune]
    }

    /// Communes whose centroid lies within `km` of `point`.
    pub fn within_km(&self, point: (f64, f64), km: f64) -> impl Iterator<Item = usize> + '_ {
        self.index.within_km(point, km)
    }
}
