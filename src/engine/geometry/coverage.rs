//! Area of a commune covered by a drawn territory, in the equal-area plane.

use geo::{MultiPolygon, Rect};
use rstar::primitives::{GeomWithData, Line as RLine};
use rstar::{RTree, AABB};

use crate::engine::geometry::intersection_area::{intersection_area_of, Boundary};
use crate::engine::territory::atlas::ProjectedCommune;

/// Up to this many edges, scanning them beats querying an R-tree (measured on drawn polygons).
const LINEAR_SCAN_EDGES: usize = 64;

/// A drawn territory prepared for many coverage queries: its boundary and an edge index.
pub(crate) struct PreparedTerritory {
    /// The projected outline (equal-area metres).
    pub outline: MultiPolygon<f64>,
    boundary: Boundary,
    /// Edge bounding boxes, for the linear scan of small territories.
    edge_rects: Vec<Rect<f64>>,
    /// Edge index, for large territories.
    edges: RTree<GeomWithData<RLine<[f64; 2]>, usize>>,
}

impl std::fmt::Debug for PreparedTerritory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedTerritory")
            .field("rect", &self.rect())
            .field("edges", &self.edge_rects.len())
            .finish_non_exhaustive()
    }
}

impl PreparedTerritory {
    /// Prepares a projected, valid, non-empty multipolygon.
    pub fn new(outline: &MultiPolygon<f64>) -> Option<Self> {
        let boundary = Boundary::new(outline)?;
        let lines = boundary.edges();
        let edges = if lines.len() > LINEAR_SCAN_EDGES {
            let entries = lines
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    GeomWithData::new(RLine::new([l.start.x, l.start.y], [l.end.x, l.end.y]), i)
                })
                .collect();
            RTree::bulk_load(entries)
        } else {
            RTree::new()
        };
        Some(Self {
            outline: outline.clone(),
            edge_rects: lines.iter().map(|l| Rect::new(l.start, l.end)).collect(),
            boundary,
            edges,
        })
    }

    /// The territory's bounding box.
    pub fn rect(&self) -> Rect<f64> {
        self.boundary.rect
    }

    /// Indexes of the territory's edges whose bounding box meets `rect`.
    pub(crate) fn edges_near(&self, rect: Rect<f64>) -> impl Iterator<Item = usize> + '_ {
        let small = self.edge_rects.len() <= LINEAR_SCAN_EDGES;
        let scan = small.then(|| {
            self.edge_rects
                .iter()
                .enumerate()
                .filter(move |(_, r)| {
                    r.min().x <= rect.max().x
                        && rect.min().x <= r.max().x
                        && r.min().y <= rect.max().y
                        && rect.min().y <= r.max().y
                })
                .map(|(i, _)| i)
        });
        let tree = (!small).then(|| {
            let envelope =
                AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
            self.edges
                .locate_in_envelope_intersecting(&envelope)
                .map(|e| e.data)
        });
        scan.into_iter().flatten().chain(tree.into_iter().flatten())
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
