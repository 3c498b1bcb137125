//! The outline of a set of communes: the union of their polygons (WGS84).

use geo::{unary_union, MultiPolygon, Polygon};

use super::atlas::Atlas;

impl Atlas {
    /// Union of the polygons of the communes at `indices` (communes without polygon add
    /// nothing; an index listed twice is drawn once).
    pub fn communes_outline(&self, indices: impl IntoIterator<Item = usize>) -> MultiPolygon<f64> {
        let mut indices: Vec<usize> = indices.into_iter().collect();
        indices.sort_unstable();
        indices.dedup();
        let polygons: Vec<Polygon<f64>> = indices
            .into_iter()
            .filter_map(|i| self.commune(i).geometry.as_ref())
            .flat_map(|g| g.0.iter().cloned())
            .collect();
        unary_union(&polygons)
    }
}
