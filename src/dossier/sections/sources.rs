//! « Sources et millésimes » : where every figure of the lettre comes from.

use crate::dossier::document::{cell, paragraph, text, Block, Section};
use crate::dossier::DossierInput;

/// French names of the diagnosis's source keys.
fn indicator_fr(key: &str) -> &str {
    match key {
        "population" => "Population",
        "geometry" => "Contours",
        "funding" => "Financement ACI",
        "iris" => "IRIS",
        "supply" => "Offre de soins",
        "apl" => "APL",
        "hospitals" => "Établissements de santé",
        "patients_without_gp" => "Patients sans médecin traitant",
        "age_structure" => "Structure par âge",
        other => other,
    }
}

pub fn section(input: &DossierInput) -> Section {
    let d = input.diagnosis;
    let mut s = Section::new("7. Sources et millésimes");
    let mut rows: Vec<Vec<Vec<crate::dossier::Run>>> = d
        .sources
        .iter()
        .map(|x| vec![cell(indicator_fr(&x.indicator)), cell(&x.source)])
        .collect();
    if let Some(registry) = &d.overlaps_checked_against {
        rows.push(vec![cell("CPTS existantes"), cell(registry)]);
    }
    s.push(Block::Table {
        header: vec!["Donnée".into(), "Source et millésime".into()],
        rows,
    });
    for w in &d.warnings {
        s.push(Block::SourceNote(format!(
            "Avertissement du diagnostic : {w}"
        )));
    }
    s.push(paragraph(vec![text(format!(
        "Chiffres calculés par cpts-atlas le {} ; les populations des communes partiellement \
         couvertes sont des estimations (colonne « Méthode » du tableau des communes).",
        input.date_fr()
    ))]));
    s
}
