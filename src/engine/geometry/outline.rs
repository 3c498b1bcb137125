//! The outline of a set of communes, or of territory members: the union of their polygons
//! (WGS84).

use geo::orient::{Direction, Orient};
use geo::{unary_union, MultiPolygon, Polygon};

use crate::engine::territory::atlas::Atlas;
use crate::model::TerritoryMember;

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

    /// Union of the outlines of territory members: whole communes at full resolution, and the
    /// outlines of the arrondissements and IRIS listed (members without one add nothing).
    pub fn members_outline(&self, members: &[TerritoryMember]) -> MultiPolygon<f64> {
        if members.iter().all(|m| !m.iris && !m.arrondissement) {
            return self.communes_outline(members.iter().map(|m| m.commune_index));
        }
        let polygons: Vec<Polygon<f64>> = members
            .iter()
            .filter_map(|m| {
                if m.iris || m.arrondissement {
                    self.member_outline(m, u8::MAX)
                } else {
                    self.commune(m.commune_index).geometry.as_ref()
                }
            })
            .flat_map(|g| g.orient(Direction::Default).0)
            .collect();
        unary_union(&polygons)
    }
}
