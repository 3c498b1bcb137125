//! Commune adjacency: which communes share a stretch of border, and how long, computed once from
//! the commune outlines.
//!
//! The shipped outlines come from a topology-preserving simplification of IGN ADMIN EXPRESS and
//! are stored on a 1e-5° grid, so two neighbouring communes carry the very same vertices along
//! their common border: a shared border is a segment present in both outlines. Segments are
//! keyed by their two (quantised) end points, sorted, and equal keys from two communes make
//! them neighbours (rook contiguity). Communes meeting at a single point (quadripoints) are not
//! neighbours. `tests/proposals.rs` checks this against `geo`'s DE-9IM relation on real data.

use geo::{Coord, LineString, MultiPolygon};
use rayon::prelude::*;

use crate::engine::geometry::great_circle::distance_km;
use crate::model::{AdjacencyRows, Commune, Neighbour};

/// Grid the dataset stores coordinates on (1e-5°).
const GRID: f64 = 1e5;

/// The adjacency graph of the communes, by commune index (compressed rows, neighbours sorted
/// by index).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Adjacency {
    rows: AdjacencyRows,
}

impl From<AdjacencyRows> for Adjacency {
    /// The graph the import stored (rows checked by the loader).
    fn from(rows: AdjacencyRows) -> Self {
        Self { rows }
    }
}

impl Adjacency {
    /// Builds the graph from the communes' outlines (communes without one have no neighbour).
    pub fn new(communes: &[Commune]) -> Self {
        // (segment start, segment end, commune): end points ordered so both sides agree.
        let mut segments: Vec<(u64, u64, u32)> = communes
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, c)| {
                c.geometry
                    .iter()
                    .flat_map(rings)
                    .flat_map(|ring| ring.lines())
                    .filter_map(move |line| {
                        let (a, b) = (grid_key(line.start), grid_key(line.end));
                        (a != b).then(|| (a.min(b), a.max(b), i as u32))
                    })
            })
            .collect();
        segments.par_sort_unstable();
        let mut pairs: Vec<(u32, u32, f64)> = Vec::new();
        for run in segments.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)) {
            if run.len() < 2 {
                continue;
            }
            let km = distance_km(grid_point(run[0].0), grid_point(run[0].1));
            for (k, a) in run.iter().enumerate() {
                for b in &run[k + 1..] {
                    if a.2 != b.2 {
                        pairs.push((a.2, b.2, km));
                        pairs.push((b.2, a.2, km));
                    }
                }
            }
        }
        pairs.par_sort_unstable_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)));
        let mut offsets = vec![0; communes.len() + 1];
        let mut neighbours: Vec<Neighbour> = Vec::new();
        for run in pairs.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)) {
            offsets[run[0].0 as usize + 1] += 1;
            neighbours.push(Neighbour {
                commune: run[0].1 as usize,
                border_km: run.iter().map(|p| p.2).sum(),
            });
        }
        for i in 0..communes.len() {
            offsets[i + 1] += offsets[i];
        }
        Self {
            rows: AdjacencyRows {
                offsets,
                neighbours,
            },
        }
    }

    /// The compressed rows, as the import stores them.
    pub fn rows(&self) -> &AdjacencyRows {
        &self.rows
    }

    /// The neighbours of a commune, by increasing index.
    pub fn neighbours(&self, commune: usize) -> &[Neighbour] {
        let offsets = &self.rows.offsets;
        match (offsets.get(commune), offsets.get(commune + 1)) {
            (Some(&a), Some(&b)) => &self.rows.neighbours[a..b],
            _ => &[],
        }
    }

    /// Length of the border two communes share, km (0 when they are not neighbours).
    pub fn border_km(&self, a: usize, b: usize) -> f64 {
        let list = self.neighbours(a);
        list.binary_search_by_key(&b, |n| n.commune)
            .map(|k| list[k].border_km)
            .unwrap_or(0.0)
    }

    /// Number of neighbouring pairs.
    pub fn pair_count(&self) -> usize {
        self.rows.neighbours.len() / 2
    }

    /// The connected parts of a set of communes (neighbours within the set), largest first,
    /// each sorted by index; ties by their first commune.
    pub fn components(&self, communes: &[usize]) -> Vec<Vec<usize>> {
        let set: std::collections::BTreeSet<usize> = communes.iter().copied().collect();
        let mut seen = std::collections::BTreeSet::new();
        let mut parts = Vec::new();
        for &start in &set {
            if !seen.insert(start) {
                continue;
            }
            let mut part = vec![start];
            let mut stack = vec![start];
            while let Some(i) = stack.pop() {
                for n in self.neighbours(i) {
                    if set.contains(&n.commune) && seen.insert(n.commune) {
                        part.push(n.commune);
                        stack.push(n.commune);
                    }
                }
            }
            part.sort_unstable();
            parts.push(part);
        }
        parts.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
        parts
    }
}

/// Exterior and interior rings of a multipolygon.
fn rings(geometry: &MultiPolygon<f64>) -> impl Iterator<Item = &LineString<f64>> {
    geometry
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
}

/// A coordinate on the dataset's grid, packed as (longitude, latitude) units of 1e-5°.
fn grid_key(c: Coord<f64>) -> u64 {
    let x = (c.x * GRID).round() as i32 as u32 as u64;
    let y = (c.y * GRID).round() as i32 as u32 as u64;
    (x << 32) | y
}

/// The (longitude, latitude) of a packed grid key.
fn grid_point(key: u64) -> (f64, f64) {
    let x = (key >> 32) as u32 as i32;
    let y = key as u32 as i32;
    (x as f64 / GRID, y as f64 / GRID)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn square(code: &str, x: f64, y: f64) -> Commune {
        let p = polygon![(x: x, y: y), (x: x + 0.01, y: y), (x: x + 0.01, y: y + 0.01), (x: x, y: y + 0.01)];
        Commune {
            code: code.into(),
            name: code.into(),
            departement: "13".into(),
            region: "93".into(),
            epci: None,
            population: Some(1),
            geometry: Some(MultiPolygon(vec![p])),
        }
    }

    #[test]
    fn squares_sharing_a_side_are_neighbours_corners_are_not() {
        // a b
        // c d   and e far away; a and d only meet at a corner.
        let communes = vec![
            square("a", 5.0, 43.01),
            square("b", 5.01, 43.01),
            square("c", 5.0, 43.0),
            square("d", 5.01, 43.0),
            square("e", 6.0, 44.0),
        ];
        let g = Adjacency::new(&communes);
        let ids = |i| {
            g.neighbours(i)
                .iter()
                .map(|n| n.commune)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(0), vec![1, 2]);
        assert_eq!(ids(3), vec![1, 2]);
        assert!(ids(4).is_empty());
        assert_eq!(g.pair_count(), 4);
        // a and b share a vertical side: 0.01° of latitude, about 1.112 km.
        let km = g.border_km(0, 1);
        assert!((km - 1.112).abs() < 0.01, "{km}");
        assert_eq!(g.border_km(0, 3), 0.0);
    }

    #[test]
    fn grid_keys_round_trip() {
        let c = Coord {
            x: -1.23456,
            y: 47.65432,
        };
        let (x, y) = grid_point(grid_key(c));
        assert!((x - c.x).abs() < 1e-9 && (y - c.y).abs() < 1e-9);
    }
}
