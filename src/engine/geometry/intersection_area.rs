//! Area of the intersection of two polygonal regions by boundary integration (Green's theorem).
//!
//! `area(A ∩ B) = ½ ∮ (x dy − y dx)` over the boundary of `A ∩ B`, which is made of the parts of
//! A's boundary inside B, the parts of B's boundary inside A, and the boundary the two share with
//! the same orientation (counted once, from A's side). Each edge is split where it meets the other
//! region's boundary and each piece is classified by its midpoint, so no polygon is built: the
//! cost is one pass over A's edges against the few edges of B near each of them. Both regions
//! must be valid and oriented (exteriors counter-clockwise, holes clockwise).
//!
//! # Examples
//! ```
//! use cpts_atlas::engine::intersection_area;
//! use geo::{polygon, MultiPolygon};
//! let a = MultiPolygon(vec![polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 2.0), (x: 0.0, y: 2.0)]]);
//! let b = MultiPolygon(vec![polygon![(x: 1.0, y: 1.0), (x: 3.0, y: 1.0), (x: 3.0, y: 3.0), (x: 1.0, y: 3.0)]]);
//! assert!((intersection_area(&a, &b) - 1.0).abs() < 1e-12);
//! ```

use geo::line_intersection::{line_intersection, LineIntersection};
use geo::orient::{Direction, Orient};
use geo::{BoundingRect, Coord, Line, MultiPolygon, Rect};

/// Where a point lies relative to a region.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Side {
    Inside,
    Outside,
    /// On an edge of the region's boundary, whose direction is given.
    Boundary(Coord<f64>),
}

/// Consecutive edges of one ring, grouped so that whole runs far from the other region's
/// boundary are handled at once.
const BLOCK_EDGES: usize = 16;

/// A run of consecutive edges of one ring, with its box and its share of the shoelace sum.
struct Block {
    edges: std::ops::Range<usize>,
    rect: Rect<f64>,
    /// Sum of `x₀y₁ − x₁y₀` over the block's edges, relative to the boundary's `rect.min()`.
    twice_area: f64,
}

/// A region's boundary as a flat list of directed edges, with its bounding box.
pub(crate) struct Boundary {
    edges: Vec<Line<f64>>,
    /// For each ring, the range of its blocks in `blocks`.
    rings: Vec<std::ops::Range<usize>>,
    blocks: Vec<Block>,
    pub rect: Rect<f64>,
}

/// A region's bounding box and area, computed as [`Boundary::new`] and [`Boundary::area`] do
/// (same orientation, edges, blocks and summation order, so the same bits) without storing the
/// edges.
pub(crate) struct Extent {
    pub rect: Rect<f64>,
    pub area_km2: f64,
}

impl Extent {
    /// The extent of a (projected) region; `None` for an empty one.
    pub fn new(region: &MultiPolygon<f64>) -> Option<Self> {
        use geo::winding_order::{Winding, WindingOrder};
        let rect = region.bounding_rect()?;
        if region.0.is_empty() {
            return None;
        }
        let origin = rect.min();
        let mut block_sums: Vec<f64> = Vec::new();
        for polygon in &region.0 {
            let rings = std::iter::once((polygon.exterior(), WindingOrder::Clockwise)).chain(
                polygon
                    .interiors()
                    .iter()
                    .map(|r| (r, WindingOrder::CounterClockwise)),
            );
            for (ring, reversed_when) in rings {
                let c = &ring.0;
                let reversed = ring.winding_order() == Some(reversed_when);
                let n = c.len().saturating_sub(1);
                let edges = (0..n)
                    .map(|k| {
                        if reversed {
                            Line::new(c[n - k], c[n - k - 1])
                        } else {
                            Line::new(c[k], c[k + 1])
                        }
                    })
                    .filter(|l| l.start != l.end);
                let (mut sum, mut in_block) = (Vec::with_capacity(BLOCK_EDGES), 0);
                for l in edges {
                    sum.push(cross(&l, origin));
                    in_block += 1;
                    if in_block == BLOCK_EDGES {
                        block_sums.push(sum.iter().sum());
                        sum.clear();
                        in_block = 0;
                    }
                }
                if in_block > 0 {
                    block_sums.push(sum.iter().sum());
                }
            }
        }
        Some(Self {
            rect,
            area_km2: block_sums.iter().sum::<f64>() / 2.0 / 1e6,
        })
    }
}

impl Boundary {
    /// Orients `region` (exteriors counter-clockwise) and flattens its edges.
    pub fn new(region: &MultiPolygon<f64>) -> Option<Self> {
        let rect = region.bounding_rect()?;
        if region.0.is_empty() {
            return None;
        }
        let rect_origin = rect.min();
        let oriented = region.orient(Direction::Default);
        let mut edges: Vec<Line<f64>> = Vec::new();
        let mut rings = Vec::new();
        let mut blocks = Vec::new();
        for polygon in &oriented.0 {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                let start = edges.len();
                edges.extend(ring.lines().filter(|l| l.start != l.end));
                let first_block = blocks.len();
                for chunk_start in (start..edges.len()).step_by(BLOCK_EDGES) {
                    let range = chunk_start..(chunk_start + BLOCK_EDGES).min(edges.len());
                    let chunk = &edges[range.clone()];
                    let rect = chunk
                        .iter()
                        .map(line_rect)
                        .reduce(|a, b| {
                            Rect::new(
                                Coord {
                                    x: a.min().x.min(b.min().x),
                                    y: a.min().y.min(b.min().y),
                                },
                                Coord {
                                    x: a.max().x.max(b.max().x),
                                    y: a.max().y.max(b.max().y),
                                },
                            )
                        })
                        .expect("a chunk has edges");
                    blocks.push(Block {
                        twice_area: chunk.iter().map(|l| cross(l, rect_origin)).sum(),
                        edges: range,
                        rect,
                    });
                }
                rings.push(first_block..blocks.len());
            }
        }
        Some(Self {
            edges,
            rings,
            blocks,
            rect,
        })
    }

    /// The directed edges, ring after ring.
    pub fn edges(&self) -> &[Line<f64>] {
        &self.edges
    }

    /// A vertex of the boundary (of its first ring).
    pub fn first_vertex(&self) -> Coord<f64> {
        self.edges[0].start
    }

    /// Area enclosed (shoelace over the oriented rings).
    pub fn area(&self) -> f64 {
        self.blocks.iter().map(|b| b.twice_area).sum::<f64>() / 2.0
    }

    /// Whether a point is strictly inside (not on the boundary).
    pub fn contains(&self, p: Coord<f64>) -> bool {
        self.side_of(p) == Side::Inside
    }

    /// Classifies a point against the whole boundary, visiting only the blocks that can matter:
    /// those within `EPS` of it, or crossed by the horizontal ray from it to the right.
    fn side_of(&self, p: Coord<f64>) -> Side {
        let edges = self
            .blocks
            .iter()
            .filter(move |b| {
                b.rect.max().x + EPS >= p.x
                    && b.rect.min().y - EPS <= p.y
                    && p.y <= b.rect.max().y + EPS
            })
            .flat_map(|b| b.edges.clone());
        self.side(p, edges)
    }

    /// Classifies a point: on an edge (within `EPS`), else inside or outside (crossing parity).
    fn side(&self, p: Coord<f64>, near: impl Iterator<Item = usize>) -> Side {
        let mut inside = false;
        for i in near {
            let e = self.edges[i];
            let d = e.delta();
            let len2 = d.x * d.x + d.y * d.y;
            let w = p - e.start;
            let t = (w.x * d.x + w.y * d.y) / len2;
            if (0.0..=1.0).contains(&t) {
                let cross = w.x * d.y - w.y * d.x;
                if cross * cross <= EPS * EPS * len2 {
                    return Side::Boundary(d);
                }
            }
            // Half-open rule on y so that a vertex is counted once.
            if (e.start.y > p.y) != (e.end.y > p.y) {
                let x = e.start.x + (p.y - e.start.y) / (e.end.y - e.start.y) * d.x;
                if x > p.x {
                    inside = !inside;
                }
            }
        }
        if inside {
            Side::Inside
        } else {
            Side::Outside
        }
    }
}

/// Distance (in the coordinates' unit) under which a point is on an edge: 1 mm in metres.
const EPS: f64 = 1e-3;

/// Area of `a ∩ b` for two valid multipolygons (any orientation).
pub fn intersection_area(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> f64 {
    match (Boundary::new(a), Boundary::new(b)) {
        (Some(a), Some(b)) => {
            let b_edges = &b.edges;
            intersection_area_of(&a, &b, |rect| {
                (0..b_edges.len()).filter(move |&i| rects_meet(&line_rect(&b_edges[i]), &rect))
            })
        }
        _ => 0.0,
    }
}

/// Area of `a ∩ b`, with `b_edges_near(rect)` listing the edges of `b` whose box meets `rect`.
pub(crate) fn intersection_area_of<I: Iterator<Item = usize>>(
    a: &Boundary,
    b: &Boundary,
    b_edges_near: impl Fn(Rect<f64>) -> I,
) -> f64 {
    if !rects_meet(&a.rect, &grow(b.rect)) {
        return 0.0;
    }
    // Every piece is summed relative to a's origin, the one its blocks were summed with.
    let origin = a.rect.min();
    let mut twice_area = 0.0;
    // Split parameters found on b's edges while walking a's, keyed by b edge index.
    let mut b_splits: Vec<(usize, f64)> = Vec::new();
    let mut ts: Vec<f64> = Vec::new();
    for ring in &a.rings {
        // Whether the current point of the ring is inside b, when known (never known on b's
        // boundary).
        let mut inside: Option<bool> = None;
        for block in &a.blocks[ring.clone()] {
            if b_edges_near(grow(block.rect)).next().is_none() {
                // No edge of b near the whole run: it keeps the state of its start.
                let now = match inside {
                    Some(now) => now,
                    None if !rects_meet(&block.rect, &b.rect) => false,
                    None => {
                        let first = a.edges[block.edges.start];
                        b.side_of(midpoint(&first, 0.0, 1.0)) == Side::Inside
                    }
                };
                inside = Some(now);
                if now {
                    twice_area += block.twice_area;
                }
                continue;
            }
            for &e in &a.edges[block.edges.clone()] {
                ts.clear();
                let mut near = false;
                for j in b_edges_near(grow(line_rect(&e))) {
                    near = true;
                    let f = b.edges[j];
                    match line_intersection(e, f) {
                        Some(LineIntersection::SinglePoint { intersection, .. }) => {
                            ts.push(param(&e, intersection));
                            b_splits.push((j, param(&f, intersection)));
                        }
                        Some(LineIntersection::Collinear { intersection }) => {
                            for x in [intersection.start, intersection.end] {
                                ts.push(param(&e, x));
                                b_splits.push((j, param(&f, x)));
                            }
                        }
                        None => {}
                    }
                }
                if !near {
                    // Far from b's boundary: the edge keeps the state of its start.
                    let now =
                        inside.unwrap_or_else(|| b.side_of(midpoint(&e, 0.0, 1.0)) == Side::Inside);
                    inside = Some(now);
                    if now {
                        twice_area += cross(&e, origin);
                    }
                    continue;
                }
                ts.push(0.0);
                ts.push(1.0);
                ts.sort_by(f64::total_cmp);
                let mut last = Side::Outside;
                for w in ts.windows(2) {
                    let (t0, t1) = (w[0].clamp(0.0, 1.0), w[1].clamp(0.0, 1.0));
                    if t1 - t0 <= 1e-12 {
                        continue;
                    }
                    let piece = Line::new(at(&e, t0), at(&e, t1));
                    last = b.side_of(midpoint(&e, t0, t1));
                    let counted = match last {
                        Side::Inside => true,
                        Side::Boundary(d) => d.x * piece.dx() + d.y * piece.dy() > 0.0,
                        Side::Outside => false,
                    };
                    if counted {
                        twice_area += cross(&piece, origin);
                    }
                }
                inside = match last {
                    Side::Inside => Some(true),
                    Side::Outside => Some(false),
                    Side::Boundary(_) => None,
                };
            }
        }
    }
    // b's edges near a: the parts inside a (shared boundary was counted from a's side).
    b_splits.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)));
    for j in b_edges_near(grow(a.rect)) {
        let f = b.edges[j];
        let from = b_splits.partition_point(|s| s.0 < j);
        let to = b_splits.partition_point(|s| s.0 <= j);
        ts.clear();
        ts.push(0.0);
        ts.extend(b_splits[from..to].iter().map(|s| s.1));
        ts.push(1.0);
        for w in ts.windows(2) {
            let (t0, t1) = (w[0].clamp(0.0, 1.0), w[1].clamp(0.0, 1.0));
            if t1 - t0 <= 1e-12 {
                continue;
            }
            if a.side_of(midpoint(&f, t0, t1)) == Side::Inside {
                twice_area += cross(&Line::new(at(&f, t0), at(&f, t1)), origin);
            }
        }
    }
    (twice_area / 2.0).max(0.0)
}

fn line_rect(l: &Line<f64>) -> Rect<f64> {
    Rect::new(l.start, l.end)
}

fn rects_meet(a: &Rect<f64>, b: &Rect<f64>) -> bool {
    a.min().x <= b.max().x
        && b.min().x <= a.max().x
        && a.min().y <= b.max().y
        && b.min().y <= a.max().y
}

/// Twice the signed area of the triangle (origin, start, end). Taken relative to a nearby
/// origin, so that pieces that do not exactly close (edges that nearly coincide) cost little.
fn cross(l: &Line<f64>, origin: Coord<f64>) -> f64 {
    let (p, q) = (l.start - origin, l.end - origin);
    p.x * q.y - q.x * p.y
}

/// `rect` grown by `EPS` on every side: edges closer than that are near.
fn grow(rect: Rect<f64>) -> Rect<f64> {
    Rect::new(
        Coord {
            x: rect.min().x - EPS,
            y: rect.min().y - EPS,
        },
        Coord {
            x: rect.max().x + EPS,
            y: rect.max().y + EPS,
        },
    )
}

fn at(l: &Line<f64>, t: f64) -> Coord<f64> {
    if t >= 1.0 {
        l.end
    } else {
        l.start + l.delta() * t
    }
}

fn midpoint(l: &Line<f64>, t0: f64, t1: f64) -> Coord<f64> {
    at(l, (t0 + t1) / 2.0)
}

/// Parameter of the projection of `x` on `l` (0 at its start, 1 at its end).
fn param(l: &Line<f64>, x: Coord<f64>) -> f64 {
    let d = l.delta();
    let w = x - l.start;
    (w.x * d.x + w.y * d.y) / (d.x * d.x + d.y * d.y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, BooleanOps, LineString, Polygon};

    fn star(cx: f64, cy: f64, r: f64, n: usize, seed: &mut u64) -> Polygon<f64> {
        let ring: Vec<(f64, f64)> = (0..n)
            .map(|k| {
                *seed ^= *seed << 13;
                *seed ^= *seed >> 7;
                *seed ^= *seed << 17;
                let rr = r * (0.3 + 0.7 * ((*seed % 1000) as f64 / 1000.0));
                let a = k as f64 / n as f64 * std::f64::consts::TAU;
                (cx + rr * a.cos(), cy + rr * a.sin())
            })
            .collect();
        Polygon::new(LineString::from(ring), vec![])
    }

    #[test]
    fn extent_gives_the_bits_of_the_boundary() {
        // Random stars in both orientations, with holes of both orientations and repeated
        // vertices (zero-length edges): the area must be the boundary's to the last bit.
        let mut seed = 0x9e37_79b9_u64;
        for i in 0..300 {
            let outer = star(0.0, 0.0, 1000.0, 5 + i % 70, &mut seed);
            let hole = star(0.0, 0.0, 200.0, 4 + i % 9, &mut seed);
            let mut exterior = outer.exterior().clone();
            if i % 2 == 0 {
                exterior.0.reverse();
            }
            if i % 3 == 0 {
                let c = exterior.0[2];
                exterior.0.insert(2, c);
            }
            let mut interior = hole.exterior().clone();
            if i % 4 < 2 {
                interior.0.reverse();
            }
            let region = MultiPolygon(vec![
                Polygon::new(exterior, vec![interior]),
                star(5000.0, 0.0, 300.0, 3 + i % 30, &mut seed),
            ]);
            let boundary = Boundary::new(&region).unwrap();
            let extent = Extent::new(&region).unwrap();
            assert_eq!(extent.rect, boundary.rect);
            assert_eq!(
                extent.area_km2.to_bits(),
                (boundary.area() / 1e6).to_bits(),
                "{i}"
            );
        }
        assert!(Extent::new(&MultiPolygon(vec![])).is_none());
    }

    #[test]
    fn matches_boolean_intersection_on_random_polygons() {
        let mut seed = 0x1234_5678_u64;
        for i in 0..300 {
            let a = MultiPolygon(vec![star(0.0, 0.0, 1000.0, 5 + i % 40, &mut seed)]);
            let dx = ((i * 37) % 200) as f64 * 10.0 - 1000.0;
            let b = MultiPolygon(vec![star(dx, 300.0, 800.0, 3 + i % 17, &mut seed)]);
            let expected = a.intersection(&b).unsigned_area();
            let got = intersection_area(&a, &b);
            assert!(
                (got - expected).abs() <= 1e-6 * a.unsigned_area().max(1.0),
                "case {i}: {got} vs {expected}"
            );
            assert!((intersection_area(&b, &a) - got).abs() <= 1e-6 * a.unsigned_area());
        }
    }

    #[test]
    fn nearly_coincident_boundaries_count_once() {
        // b is a with every vertex moved by up to 0.1 mm and a jittered vertex added on every
        // edge, as a polygon clipper's output of the same outline would be.
        let mut seed = 0x9e37_79b9_u64;
        for n in [5, 17, 40, 120] {
            let a = star(5_000.0, -3_000.0, 4_000.0, n, &mut seed);
            let mut jitter = || {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                (seed % 2001) as f64 / 1000.0 * 1e-4 - 1e-4
            };
            let mut ring = Vec::new();
            for l in a.exterior().lines() {
                ring.push((l.start.x + jitter(), l.start.y + jitter()));
                let m = l.start + l.delta() * 0.5;
                ring.push((m.x + jitter(), m.y + jitter()));
            }
            let b = MultiPolygon(vec![Polygon::new(LineString::from(ring), vec![])]);
            let a = MultiPolygon(vec![a]);
            let area = a.unsigned_area();
            for got in [intersection_area(&a, &b), intersection_area(&b, &a)] {
                assert!((got - area).abs() < 1e-6 * area, "{n}: {got} vs {area}");
            }
        }
    }

    #[test]
    fn identical_touching_nested_and_holed_regions() {
        let sq = |x0: f64, y0: f64, s: f64| {
            Polygon::new(
                LineString::from(vec![(x0, y0), (x0 + s, y0), (x0 + s, y0 + s), (x0, y0 + s)]),
                vec![],
            )
        };
        let a = MultiPolygon(vec![sq(0.0, 0.0, 10.0)]);
        assert_eq!(intersection_area(&a, &a), 100.0);
        // Clockwise copy: orientation does not matter.
        let cw = a.orient(Direction::Reversed);
        assert_eq!(intersection_area(&a, &cw), 100.0);
        // Neighbours sharing an edge, or a corner: no area.
        assert_eq!(
            intersection_area(&a, &MultiPolygon(vec![sq(10.0, 0.0, 10.0)])),
            0.0
        );
        assert_eq!(
            intersection_area(&a, &MultiPolygon(vec![sq(10.0, 10.0, 5.0)])),
            0.0
        );
        // Sharing part of an edge from inside.
        assert_eq!(
            intersection_area(&a, &MultiPolygon(vec![sq(0.0, 0.0, 4.0)])),
            16.0
        );
        // Nested, both ways.
        assert_eq!(
            intersection_area(&a, &MultiPolygon(vec![sq(2.0, 2.0, 3.0)])),
            9.0
        );
        assert_eq!(
            intersection_area(&MultiPolygon(vec![sq(2.0, 2.0, 3.0)]), &a),
            9.0
        );
        // A square with a hole, against a square covering the hole's half.
        let holed = MultiPolygon(vec![Polygon::new(
            sq(0.0, 0.0, 10.0).exterior().clone(),
            vec![sq(4.0, 4.0, 2.0).exterior().clone()],
        )]);
        let right = MultiPolygon(vec![sq(5.0, 0.0, 10.0)]);
        assert!((intersection_area(&holed, &right) - (50.0 - 2.0)).abs() < 1e-9);
        // Disjoint.
        assert_eq!(
            intersection_area(&a, &MultiPolygon(vec![sq(50.0, 50.0, 1.0)])),
            0.0
        );
    }
}
