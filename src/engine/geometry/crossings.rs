//! Crossings between the edges of drawn polygons, counted within a work budget.
//!
//! Two edges cross when they meet anywhere but at an endpoint they share (a bow-tie's centre, a
//! ring running into itself or another ring, two polygons overlapping). The count says whether a
//! polygon needs repair and bounds the repair's cost before it runs: repairing (triangulating)
//! and then covering a geometry costs in proportion to its crossings, and a star of 2 000
//! vertices has a million of them. Candidate pairs come from an R-tree of edge boxes; the number
//! of pairs examined is bounded too, so a comb of long overlapping edges is refused early.
//!
//! # Examples
//! ```
//! use cpts_atlas::engine::{count_crossings, CrossingBudget};
//! use geo::polygon;
//! let bow_tie = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0), (x: 0.0, y: 1.0)];
//! let square = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
//! let budget = CrossingBudget { max_crossings: 10, max_edge_pairs: 100 };
//! assert_eq!(count_crossings(&[bow_tie], &budget).unwrap().within, vec![true]);
//! assert_eq!(count_crossings(&[square], &budget).unwrap().within, vec![false]);
//! ```

use geo::{Intersects, Line, LinesIter, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

/// How much crossing-counting (and, through it, repairing) one geometry may cause.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CrossingBudget {
    /// Most crossings accepted (each is repaired).
    pub max_crossings: usize,
    /// Most pairs of edges with meeting boxes examined.
    pub max_edge_pairs: usize,
}

/// Which polygons cross themselves, and whether different polygons cross each other.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossings {
    /// For each polygon, whether two of its edges cross (a self-intersection, rings crossing).
    pub within: Vec<bool>,
    /// Whether an edge of one polygon crosses an edge of another.
    pub between: bool,
    /// Crossings counted.
    pub count: usize,
}

/// The budget was exhausted: the geometry is too complex to repair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BudgetExceeded {
    /// More crossings than `max_crossings` (the limit).
    Crossings(usize),
    /// More pairs of nearby edges than `max_edge_pairs` (the limit).
    EdgePairs(usize),
}

/// Counts the crossings between the edges of `polygons`, stopping when the budget runs out.
pub fn count_crossings(
    polygons: &[Polygon<f64>],
    budget: &CrossingBudget,
) -> Result<Crossings, BudgetExceeded> {
    let edges: Vec<(usize, Line<f64>)> = polygons
        .iter()
        .enumerate()
        .flat_map(|(p, polygon)| polygon.lines_iter().map(move |l| (p, l)))
        .filter(|(_, l)| l.start != l.end)
        .collect();
    let tree = RTree::bulk_load(
        edges
            .iter()
            .enumerate()
            .map(|(i, (_, l))| GeomWithData::new(Rectangle::from_aabb(envelope(l)), i))
            .collect(),
    );
    let mut found = Crossings {
        within: vec![false; polygons.len()],
        between: false,
        count: 0,
    };
    let mut pairs = 0;
    for (i, (p, line)) in edges.iter().enumerate() {
        for near in tree.locate_in_envelope_intersecting(&envelope(line)) {
            let j = near.data;
            if j <= i {
                continue;
            }
            pairs += 1;
            if pairs > budget.max_edge_pairs {
                return Err(BudgetExceeded::EdgePairs(budget.max_edge_pairs));
            }
            let (q, other) = &edges[j];
            let shares_endpoint = [line.start, line.end]
                .iter()
                .any(|c| *c == other.start || *c == other.end);
            if shares_endpoint || !line.intersects(other) {
                continue;
            }
            found.count += 1;
            if found.count > budget.max_crossings {
                return Err(BudgetExceeded::Crossings(budget.max_crossings));
            }
            if p == q {
                found.within[*p] = true;
            } else {
                found.between = true;
            }
        }
    }
    Ok(found)
}

fn envelope(line: &Line<f64>) -> AABB<[f64; 2]> {
    AABB::from_corners([line.start.x, line.start.y], [line.end.x, line.end.y])
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Coord, LineString};

    const BUDGET: CrossingBudget = CrossingBudget {
        max_crossings: 1_000_000,
        max_edge_pairs: 10_000_000,
    };

    fn ring(points: &[(f64, f64)]) -> Polygon<f64> {
        Polygon::new(
            LineString(points.iter().map(|&(x, y)| Coord { x, y }).collect()),
            vec![],
        )
    }

    /// A regular star polygon {n/k}: each edge crosses 2(k-1) others, n(k-1) crossings in all.
    fn star(n: usize, k: usize) -> Polygon<f64> {
        let points: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                let a = (i * k) as f64 / n as f64 * std::f64::consts::TAU;
                (a.cos(), a.sin())
            })
            .collect();
        ring(&points)
    }

    #[test]
    fn counts_the_crossings_of_star_polygons_against_the_formula() {
        for (n, k) in [(5, 2), (7, 3), (11, 4), (101, 50)] {
            let got = count_crossings(&[star(n, k)], &BUDGET).unwrap();
            assert_eq!(got.count, n * (k - 1), "{{{n}/{k}}}");
            assert!(got.within[0] && !got.between);
        }
    }

    #[test]
    fn polygons_crossing_each_other_and_touching_ones() {
        let a = ring(&[(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (0.0, 0.0)]);
        let b = ring(&[(1.0, 1.0), (3.0, 1.0), (3.0, 3.0), (1.0, 3.0), (1.0, 1.0)]);
        let touching = ring(&[(2.0, 0.0), (4.0, 0.0), (2.0, 2.0), (2.0, 0.0)]);
        let got = count_crossings(&[a.clone(), b], &BUDGET).unwrap();
        assert_eq!(
            (got.count, got.between, got.within),
            (2, true, vec![false, false])
        );
        // Sharing a vertex, or a whole edge, is not a crossing.
        let got = count_crossings(&[a, touching], &BUDGET).unwrap();
        assert_eq!(got.count, 0);
    }

    #[test]
    fn stops_when_the_budget_runs_out() {
        let tight = CrossingBudget {
            max_crossings: 100,
            max_edge_pairs: 10_000_000,
        };
        assert_eq!(
            count_crossings(&[star(101, 50)], &tight),
            Err(BudgetExceeded::Crossings(100))
        );
        let few_pairs = CrossingBudget {
            max_crossings: 1_000_000,
            max_edge_pairs: 50,
        };
        assert_eq!(
            count_crossings(&[star(101, 50)], &few_pairs),
            Err(BudgetExceeded::EdgePairs(50))
        );
    }
}
