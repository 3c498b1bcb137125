//! Which communes of a territory lie in the area of a loaded registry: `full`, `partial` or
//! `none`, so that an absence of overlap is only reported where it was checked.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::engine::registry::index::RegistryIndex;
use crate::engine::territory::atlas::Atlas;
use crate::model::RegistryArea;

/// Most communes named in `communes_outside_sample`.
pub const OUTSIDE_SAMPLE: usize = 10;

/// How much of a territory the loaded registries cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CoverageStatus {
    /// Every commune lies in the area of a loaded registry: overlaps were checked everywhere.
    Full,
    /// Some communes lie outside every registry's area: not checked there.
    Partial,
    /// No commune lies in a registry's area (or no registry is loaded): nothing was checked.
    None,
}

/// Whether the overlaps of a territory (or the white zones of a scope) could be checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RegistryCoverage {
    /// `full`, `partial` or `none`: how much of it lies in a loaded registry's area.
    pub status: CoverageStatus,
    /// Every loaded registry source and its area.
    pub registries: Vec<RegistryArea>,
    /// Communes of the territory outside every registry's area.
    pub communes_outside: usize,
    /// Up to [`OUTSIDE_SAMPLE`] of them, as `code (name)`, in code order.
    pub communes_outside_sample: Vec<String>,
    /// Départements of the communes outside: what a registry to load should cover.
    pub departements_outside: Vec<String>,
}

impl RegistryCoverage {
    /// The coverage of `communes` (commune indexes) by `registry`, or by none.
    pub fn of(
        atlas: &Atlas,
        registry: Option<&RegistryIndex>,
        communes: impl IntoIterator<Item = usize>,
    ) -> Self {
        let communes: BTreeSet<usize> = communes.into_iter().collect();
        let mut outside: Vec<&crate::model::Commune> = communes
            .iter()
            .map(|&i| atlas.commune(i))
            .filter(|c| !registry.is_some_and(|r| r.covers_departement(&c.departement)))
            .collect();
        outside.sort_by(|a, b| a.code.cmp(&b.code));
        let status = if outside.is_empty() {
            CoverageStatus::Full
        } else if outside.len() == communes.len() {
            CoverageStatus::None
        } else {
            CoverageStatus::Partial
        };
        Self {
            status,
            registries: registry.map(|r| r.areas().to_vec()).unwrap_or_default(),
            communes_outside: outside.len(),
            communes_outside_sample: outside
                .iter()
                .take(OUTSIDE_SAMPLE)
                .map(|c| format!("{} ({})", c.code, c.name))
                .collect(),
            departements_outside: outside
                .iter()
                .map(|c| c.departement.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
        }
    }

    /// What to load to check the communes outside, in a sentence (English, for messages).
    pub fn what_to_load(&self) -> String {
        format!(
            "load a registry covering département(s) {} (--registry FILE: the DGOS layer \
             \"CPTS et projets de CPTS\" as GeoJSON, or a CPTS;commune member list)",
            self.departements_outside.join(", "),
        )
    }
}
