//! Area of a commune covered by a drawn territory, in the equal-area plane.

use geo::{Area, BooleanOps, BoundingRect, Contains, Coord, Intersects, Line, MultiPolygon, Rect};
use rstar::primitives::GeomWithData;
use rstar::{RTree, AABB};

use super::atlas::ProjectedCommune;

/// A drawn territory prepared for many coverage queries: projected outline and an edge index.
pub(crate) struct PreparedTerritory {
    pub outline: MultiPolygon<f64>,
    pub rect: Rect<f64>,
    edges: RTree<GeomWithData<rstar::primitives::Line<[f64; 2]>, ()>>,
}

impl PreparedTerritory {
    /// Prepares a projected, valid, non-empty multipolygon.
    pub fn new(outline: MultiPolygon<f64>) -> Option<Self> {
        let rect = outline.bounding_rect()?;
        let edges = outline
            .0
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .flat_map(|ring| ring.lines())
            .map(|l: Line<f64>| {
                GeomWithData::new(
                    rstar::primitives::Line::new([l.start.x, l.start.y], [l.end.x, l.end.y]),
                    (),
                )
            })
            .collect();
        Some(Self {
            outline,
            rect,
            edges: RTree::bulk_load(edges),
        })
    }

    /// Area (m²) of a commune inside the territory.
    ///
    /// When no edge of the territory crosses the commune's bounding box, the commune lies wholly
    /// inside or wholly outside, and one point decides; otherwise the exact intersection is
    /// computed.
    pub fn covered_area(&self, commune: &ProjectedCommune) -> f64 {
        let commune_rect = commune.rect;
        if !self.rect.intersects(&commune_rect) {
            return 0.0;
        }
        let envelope = AABB::from_corners(
            [commune_rect.min().x, commune_rect.min().y],
            [commune_rect.max().x, commune_rect.max().y],
        );
        if self
            .edges
            .locate_in_envelope_intersecting(&envelope)
            .next()
            .is_none()
        {
            let probe: Coord<f64> = commune.outline.0[0].exterior().0[0];
            return if self.outline.contains(&probe) {
                commune.area_km2 * 1e6
            } else {
                0.0
            };
        }
        self.outline.intersection(&commune.outline).unsigned_area()
    }
}
