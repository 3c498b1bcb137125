//! Area of a commune covered by a drawn territory, in the equal-area plane.

use geo::{MultiPolygon, Rect};
use rstar::primitives::{GeomWithData, Line as RLine};
use rstar::{RTree, AABB};

use super::atlas::ProjectedCommune;
use super::intersection_area::{intersection_area_of, Boundary};

/// A drawn territory prepared for many coverage queries: its boundary and an edge index.
pub(crate) struct PreparedTerritory {
    boundary: Boundary,
    edges: RTree<GeomWithData<RLine<[f64; 2]>, usize>>,
}

impl PreparedTerritory {
    /// Prepares a projected, valid, non-empty multipolygon.
    pub fn new(outline: &MultiPolygon<f64>) -> Option<Self> {
        let boundary = Boundary::new(outline)?;
        let edges = boundary
            .edges()
            .iter()
            .enumerate()
            .map(|(i, l)| {
                GeomWithData::new(RLine::new([l.start.x, l.start.y], [l.end.x, l.end.y]), i)
            })
            .collect();
        Some(Self {
            boundary,
            edges: RTree::bulk_load(edges),
        })
    }

    /// The territory's bounding box.
    pub fn rect(&self) -> Rect<f64> {
        self.boundary.rect
    }

    /// Indexes of the territory's edges whose bounding box meets `rect`.
    fn edges_near(&self, rect: Rect<f64>) -> impl Iterator<Item = usize> + '_ {
        let envelope =
            AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
        self.edges
            .locate_in_envelope_intersecting(&envelope)
            .map(|e| e.data)
    }

    /// Area (m²) of a commune inside the territory.
    ///
    /// When no edge of the territory comes near the commune's bounding box, the commune lies
    /// wholly inside or wholly outside and one vertex decides; otherwise the intersection area
    /// is integrated along both boundaries.
    pub fn covered_area(&self, commune: &ProjectedCommune) -> f64 {
        if self.edges_near(commune.boundary.rect).next().is_none() {
            return if self.boundary.contains(commune.boundary.first_vertex()) {
                commune.area_km2 * 1e6
            } else {
                0.0
            };
        }
        intersection_area_of(&commune.boundary, &self.boundary, |rect| {
            self.edges_near(rect)
        })
    }
}
