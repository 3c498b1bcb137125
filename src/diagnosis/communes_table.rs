//! A territory's communes as a table for exports: one row per member with its counting and its
//! outline.

use serde_json::json;

use crate::engine::Atlas;
use crate::model::{Column, ColumnKind, FeatureTable, TableRow, TerritoryMember};

/// Columns of [`communes_table`], in order.
pub const COMMUNE_COLUMNS: &[(&str, ColumnKind)] = &[
    ("code", ColumnKind::Text),
    ("name", ColumnKind::Text),
    ("departement", ColumnKind::Text),
    ("region", ColumnKind::Text),
    ("epci", ColumnKind::Text),
    ("arrondissement", ColumnKind::Bool),
    ("iris", ColumnKind::Bool),
    ("population", ColumnKind::Int),
    ("coverage", ColumnKind::Float),
    ("population_counted", ColumnKind::Float),
    ("estimated", ColumnKind::Bool),
    ("method", ColumnKind::Text),
    ("area_km2", ColumnKind::Float),
];

/// The members of a resolved territory, with the outline of each (its commune's, its
/// arrondissement's or its IRIS', at full resolution; none for arrondissements without one).
pub fn communes_table(atlas: &Atlas, members: &[TerritoryMember]) -> FeatureTable {
    let rows = members
        .iter()
        .map(|m| {
            let commune = atlas.commune(m.commune_index);
            TableRow {
                geometry: atlas.member_outline(m, u8::MAX).cloned(),
                values: vec![
                    json!(m.code),
                    json!(m.name),
                    json!(commune.departement),
                    json!(commune.region),
                    json!(commune.epci),
                    json!(m.arrondissement),
                    json!(m.iris),
                    json!(m.population),
                    json!(m.coverage),
                    json!(m.population_counted),
                    json!(m.estimated),
                    json!(m.method),
                    json!(m.area_km2),
                ],
            }
        })
        .collect();
    FeatureTable {
        columns: COMMUNE_COLUMNS
            .iter()
            .map(|&(name, kind)| Column {
                name: name.into(),
                kind,
            })
            .collect(),
        rows,
    }
}
