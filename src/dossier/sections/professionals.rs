//! « Les professionnels à informer et mobiliser » : counts by profession and mode of practice,
//! establishments inside the territory, médico-social partners (issue 14), and how the porteurs
//! informed them (theirs to write).

use crate::diagnosis::health::supply::Located;
use crate::diagnosis::Diagnosis;
use crate::dossier::document::{cell, paragraph, text, to_complete, Block, Section};
use crate::dossier::format::fr_number;
use crate::model::PracticeMode;

/// One profession's row.
struct Count {
    label: &'static str,
    count: Option<f64>,
    estimated: bool,
    /// Whether partly covered communes were counted through their IRIS (BPE).
    by_iris: bool,
    liberal: Option<f64>,
    /// Directory and vintage, when available.
    source: Option<String>,
}

/// An establishment inside the territory.
struct Establishment {
    name: String,
    category: String,
    commune: String,
}

/// The figures of the section, read from the diagnosis in one place.
struct Facts {
    counts: Vec<Count>,
    establishments: Option<Vec<Establishment>>,
}

fn facts(d: &Diagnosis) -> Option<Facts> {
    let h = d.health.as_ref()?;
    let counts = h
        .supply
        .iter()
        .map(|(p, indicator)| match indicator.get() {
            Some(s) => Count {
                label: p.label_fr(),
                count: Some(s.count),
                estimated: s.estimated,
                by_iris: matches!(s.located, Located::Iris | Located::Mixed),
                liberal: s.by_mode.get(&PracticeMode::Liberal).copied(),
                source: Some(format!("{} (millésime {})", s.source, s.vintage)),
            },
            None => Count {
                label: p.label_fr(),
                count: None,
                estimated: false,
                by_iris: false,
                liberal: None,
                source: None,
            },
        })
        .collect();
    let establishments = h.hospitals.get().map(|x| {
        x.inside
            .iter()
            .map(|e| Establishment {
                name: e.name.clone(),
                category: e.category.clone(),
                commune: e
                    .commune
                    .as_ref()
                    .map(|code| {
                        d.communes
                            .iter()
                            .find(|m| &m.code == code)
                            .map_or_else(|| code.clone(), |m| format!("{} ({code})", m.name))
                    })
                    .unwrap_or_default(),
            })
            .collect()
    });
    Some(Facts {
        counts,
        establishments,
    })
}

pub fn section(input: &crate::dossier::DossierInput) -> Section {
    let mut s = Section::new("3. Les professionnels du territoire à informer et mobiliser");
    let Some(f) = facts(input.diagnosis) else {
        s.push(paragraph(vec![text(
            "Offre de soins : non disponible (aucune donnée de santé chargée : annuaires, FINESS).",
        )]));
        s.push(mobilisation());
        return s;
    };
    let available: Vec<&Count> = f.counts.iter().filter(|c| c.count.is_some()).collect();
    if available.is_empty() {
        s.push(paragraph(vec![text(
            "Effectifs par profession : non disponibles (le territoire est hors de la couverture \
             des annuaires chargés).",
        )]));
    } else {
        s.push(paragraph(vec![text(
            if available.iter().any(|c| c.by_iris) {
                "Professionnels de santé par lieu d'exercice dans le territoire (communes \
             partiellement couvertes : effectifs BPE de chaque IRIS au prorata de la part de \
             l'IRIS couverte, là où la BPE les localise, sinon au prorata de la surface de la \
             commune ; estimation) :"
            } else {
                "Professionnels de santé par lieu d'exercice dans le territoire (communes \
             partiellement couvertes au prorata de la surface) :"
            },
        )]));
        s.push(Block::Table {
            header: vec![
                "Profession".into(),
                "Effectif".into(),
                "dont libéraux".into(),
            ],
            rows: available
                .iter()
                .map(|c| {
                    let count = c.count.unwrap_or_default();
                    vec![
                        cell(c.label),
                        cell(format!(
                            "{}{}",
                            fr_number(count, if c.estimated { 1 } else { 0 }),
                            if c.estimated { " (estimé)" } else { "" }
                        )),
                        cell(c.liberal.map_or("—".into(), |v| fr_number(v, 0))),
                    ]
                })
                .collect(),
        });
    }
    let mut sources: Vec<&str> = available
        .iter()
        .filter_map(|c| c.source.as_deref())
        .collect();
    sources.sort_unstable();
    sources.dedup();
    if !sources.is_empty() {
        s.push(Block::SourceNote(format!(
            "Source : {}.",
            sources.join(" ; ")
        )));
    }
    let missing: Vec<&str> = f
        .counts
        .iter()
        .filter(|c| c.count.is_none())
        .map(|c| c.label)
        .collect();
    if !missing.is_empty() {
        s.push(paragraph(vec![text(format!(
            "Non disponibles (aucun annuaire chargé ne couvre ces professions pour ce \
             territoire) : {}.",
            missing.join(", ")
        ))]));
    }
    match &f.establishments {
        Some(list) if list.is_empty() => s.push(paragraph(vec![text(
            "Aucun établissement de santé (FINESS) dans le territoire.",
        )])),
        Some(list) => s.push(Block::Table {
            header: vec![
                "Établissement de santé".into(),
                "Catégorie".into(),
                "Commune".into(),
            ],
            rows: list
                .iter()
                .map(|e| vec![cell(&e.name), cell(&e.category), cell(&e.commune)])
                .collect(),
        }),
        None => s.push(paragraph(vec![text(
            "Établissements de santé : non disponible (aucun fichier FINESS chargé).",
        )])),
    }
    s.push(paragraph(vec![
        text("Partenaires médico-sociaux et sociaux (EHPAD, SSIAD, services d'aide à domicile, CCAS) : non disponibles dans les données chargées. "),
        to_complete("les partenaires médico-sociaux et sociaux associés au projet"),
    ]));
    s.push(mobilisation());
    s
}

fn mobilisation() -> Block {
    paragraph(vec![to_complete(
        "comment les professionnels ont été informés et mobilisés (réunions, courriers, \
         URPS, nombre de professionnels adhérents ou ayant manifesté leur intérêt)",
    )])
}
