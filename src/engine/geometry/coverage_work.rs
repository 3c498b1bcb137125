//! An upper estimate of the work a drawn territory's coverage will take, checked before it runs.
//!
//! Covering a commune classifies points against the whole drawn boundary: one point per commune
//! the territory's edges do not come near (inside or outside), and one per piece of commune edge
//! cut by nearby territory edges, plus the territory's nearby edges against the commune's. The
//! estimate counts these point-against-edge tests, stopping as soon as it passes the budget, so a
//! territory with few crossings but long edges spread over thousands of communes (a comb over
//! France) is refused in milliseconds instead of computing for minutes.

use geo::CoordsIter;

use crate::engine::geometry::coverage::PreparedTerritory;
use crate::engine::territory::atlas::Atlas;

/// Up to this many edges, a drawn territory is not estimated: a point is classified against at
/// most 16 blocks of its boundary plus the edges near it, so even a comb of this size drawn over
/// all of France covers in under two seconds (24 266 communes cut: measured 1.7 s), and the estimate would cost as much as the coverage of
/// an ordinary territory (it doubled the 56-commune bench).
const UNESTIMATED_EDGES: u64 = 256;

/// Most point-against-edge tests one drawn territory's coverage may take: a few seconds on the
/// 2-core development machine (a 20 000-vertex circle over all of France needs about 1e9).
pub const MAX_COVERAGE_WORK: u64 = 2_500_000_000;

impl Atlas {
    /// Whether covering the communes with `territory` stays within `budget` tests.
    pub(crate) fn coverage_within(&self, territory: &PreparedTerritory, budget: u64) -> bool {
        let territory_edges = territory.outline.coords_count() as u64;
        if territory_edges <= UNESTIMATED_EDGES {
            return true;
        }
        let mut work: u64 = 0;
        for i in self.communes_near(territory.rect()) {
            let Some(commune) = self.projected(i) else {
                continue;
            };
            let near = territory.edges_near(commune.boundary.rect).count() as u64;
            work += if near == 0 {
                territory_edges
            } else {
                let edges = commune.boundary.edges();
                let pieces: u64 = edges
                    .iter()
                    .map(|e| {
                        1 + territory.edges_near(geo::Rect::new(e.start, e.end)).count() as u64
                    })
                    .sum();
                pieces * territory_edges + (near + pieces) * edges.len() as u64
            };
            if work > budget {
                return false;
            }
        }
        true
    }
}
