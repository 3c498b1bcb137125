//! What a territory holds of each commune it touches: all of it, an area share, arrondissements,
//! or an unlocated part; the common ground of candidates and registry CPTS for overlap checks.

use std::sync::Arc;

use geo::Rect;

use crate::engine::geometry::coverage::PreparedTerritory;
use crate::engine::territory::atlas::{Atlas, CommuneRef};
use crate::engine::territory::resolve::ResolvedTerritory;

/// How much of one commune a territory holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Claim {
    /// The whole commune.
    Whole,
    /// This share of the commune's area, located by the territory's outline.
    Share(f64),
    /// These whole arrondissements municipaux (indexes in `Geography::arrondissements`).
    Arrondissements(Vec<usize>),
    /// A part of the commune the source does not locate (ARS `infra_communal` without
    /// arrondissements: Nice, Toulon). Its population is bounded by the commune's.
    Part,
}

/// A territory seen commune by commune, with its outline when it was given as a geometry.
pub struct Footprint {
    /// One claim per commune, sorted by commune index.
    pub claims: Vec<(usize, Claim)>,
    /// The projected outline of territories given as a geometry (drawn, polygon registries),
    /// shared with their resolution.
    pub(crate) outline: Option<Arc<PreparedTerritory>>,
    /// Projected bounding box of the communes touched (or of the outline); `None` when no
    /// member has a polygon.
    pub rect: Option<Rect<f64>>,
    /// Area counted, km² (whole communes, shares, arrondissements with an outline; unlocated parts
    /// count their whole commune).
    pub area_km2: f64,
}

impl Footprint {
    /// The claim on a commune, if any.
    pub fn claim(&self, commune_index: usize) -> Option<&Claim> {
        self.claims
            .binary_search_by_key(&commune_index, |(i, _)| *i)
            .ok()
            .map(|k| &self.claims[k].1)
    }

    /// Whether the territory was given as a geometry (its overlaps are computed exactly).
    pub fn has_outline(&self) -> bool {
        self.outline.is_some()
    }
}

impl Atlas {
    /// The footprint of a resolved territory, with the outline it was drawn with, if any;
    /// `parts` are commune indexes held only in part (unlocated).
    pub fn footprint(&self, resolved: &ResolvedTerritory, parts: &[usize]) -> Footprint {
        let mut claims: Vec<(usize, Claim)> = Vec::with_capacity(resolved.members.len());
        for m in &resolved.members {
            let claim = if m.arrondissement {
                match self.find(&m.code) {
                    Some(CommuneRef::Arrondissement(a)) => Claim::Arrondissements(vec![a]),
                    _ => Claim::Whole,
                }
            } else if parts.contains(&m.commune_index) {
                Claim::Part
            } else if m.coverage >= 1.0 {
                Claim::Whole
            } else {
                Claim::Share(m.coverage)
            };
            claims.push((m.commune_index, claim));
        }
        claims.sort_by_key(|(i, _)| *i);
        // Arrondissements of one commune become one claim.
        claims.dedup_by(|later, earlier| match (&later.1, &mut earlier.1) {
            (Claim::Arrondissements(more), Claim::Arrondissements(list))
                if later.0 == earlier.0 =>
            {
                list.extend(more);
                true
            }
            _ => false,
        });
        let outline = resolved.outline.clone();
        let rect = match &outline {
            Some(o) => Some(o.rect()),
            None => claims
                .iter()
                .filter_map(|(i, _)| self.projected(*i).map(|p| p.boundary.rect))
                .reduce(union_rect),
        };
        let area_km2 = claims
            .iter()
            .filter_map(|(i, claim)| match claim {
                Claim::Whole | Claim::Part => self.commune_area_km2(*i),
                Claim::Share(f) => self.commune_area_km2(*i).map(|a| a * f),
                Claim::Arrondissements(s) => self.arrondissements_area_km2(s),
            })
            .sum::<f64>()
            + 0.0; // an empty float sum is -0.0
        Footprint {
            claims,
            outline,
            rect,
            area_km2,
        }
    }
}

/// The smallest rectangle holding both.
pub(crate) fn union_rect(a: Rect<f64>, b: Rect<f64>) -> Rect<f64> {
    Rect::new(
        (a.min().x.min(b.min().x), a.min().y.min(b.min().y)),
        (a.max().x.max(b.max().x), a.max().y.max(b.max().y)),
    )
}
