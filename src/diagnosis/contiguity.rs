//! Whether a territory is in one piece: its communes' connected parts over shared borders.

use serde::Serialize;

use crate::engine::Atlas;
use crate::model::TerritoryMember;

/// Warning code of a territory in several parts (the English text is in `warnings`).
pub const NOT_CONTIGUOUS: &str = "not_contiguous";

/// The connected parts of a territory's communes (communes sharing a border are connected;
/// islands and communes without outline are parts of their own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Contiguity {
    /// Number of parts: 1 for a territory in one piece.
    pub parts: usize,
    /// Member codes of each part, largest part first (codes sorted; arrondissements are listed
    /// under their commune's part).
    pub parts_detail: Vec<Vec<String>>,
}

/// The parts of `members` and, when there are several, the warning naming them.
pub fn contiguity(atlas: &Atlas, members: &[TerritoryMember]) -> (Contiguity, Option<String>) {
    let communes: Vec<usize> = members.iter().map(|m| m.commune_index).collect();
    let components = if communes.len() > 1 {
        atlas.adjacency().components(&communes)
    } else {
        vec![communes]
    };
    let parts_detail: Vec<Vec<String>> = components
        .iter()
        .map(|part| {
            let mut codes: Vec<String> = members
                .iter()
                .filter(|m| part.contains(&m.commune_index))
                .map(|m| m.code.clone())
                .collect();
            codes.sort();
            codes.dedup();
            codes
        })
        .filter(|codes| !codes.is_empty())
        .collect();
    let warning = (parts_detail.len() > 1).then(|| {
        let listed: Vec<String> = parts_detail
            .iter()
            .enumerate()
            .map(|(k, codes)| format!("part {}: {}", k + 1, codes.join(" ")))
            .collect();
        format!(
            "{NOT_CONTIGUOUS}: the territory is in {} parts that share no border ({})",
            parts_detail.len(),
            listed.join("; ")
        )
    });
    (
        Contiguity {
            parts: parts_detail.len(),
            parts_detail,
        },
        warning,
    )
}
