//! « Le territoire » : members, map, population, tier, area and density, overlaps with
//! existing CPTS.

use crate::diagnosis::Diagnosis;
use crate::dossier::document::{bold, cell, paragraph, text, to_complete, Block, Section};
use crate::dossier::format::{fr_number, percent};
use crate::dossier::map::{render_map, MapLayer};
use crate::dossier::{DossierError, DossierInput};
use crate::model::CountingMethod;

/// Most members listed one per row; beyond, the table stops and says how many are left.
const MEMBERS_LISTED: usize = 60;
/// Width of the map in the document, cm.
const MAP_WIDTH_CM: f64 = 15.0;

/// The figures of the section, read from the diagnosis in one place.
struct Facts<'a> {
    population: u64,
    population_estimated: u64,
    tier: String,
    members: &'a [crate::model::TerritoryMember],
    area: Option<(f64, bool)>,
    density: Option<f64>,
    places: String,
    overlaps: Vec<String>,
    overlaps_checked: Option<&'a str>,
}

fn facts(d: &Diagnosis) -> Facts<'_> {
    let names = |v: &[crate::diagnosis::NamedCode]| {
        v.iter()
            .map(|n| format!("{} ({})", n.name, n.code))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Facts {
        population: d.population,
        population_estimated: d.population_estimated,
        tier: d.tier.label(),
        members: &d.communes,
        area: (d.area_km2 > 0.0).then_some((d.area_km2, d.area_complete)),
        density: d.density_per_km2,
        places: format!(
            "département(s) : {} ; région(s) : {}",
            names(&d.departements),
            names(&d.regions)
        ),
        overlaps: d
            .overlaps
            .iter()
            .map(|o| {
                format!(
                    "{} : {} commune(s) partagée(s), {} hab. ({} de la population du territoire)",
                    o.name,
                    o.overlap.shared_communes.len(),
                    fr_number(o.overlap.population as f64, 0),
                    percent(o.population_share)
                )
            })
            .collect(),
        overlaps_checked: d.overlaps_checked_against.as_deref(),
    }
}

pub fn section(input: &DossierInput) -> Result<Section, DossierError> {
    let f = facts(input.diagnosis);
    let mut s = Section::new("1. Le territoire");
    let kind = member_kind(f.members);
    let estimated = if f.population_estimated > 0 {
        format!(
            " (dont {} estimés pour les communes partiellement couvertes)",
            fr_number(f.population_estimated as f64, 0)
        )
    } else {
        String::new()
    };
    s.push(paragraph(vec![
        text("Le territoire proposé pour la CPTS compte "),
        bold(format!("{} habitants", fr_number(f.population as f64, 0))),
        text(format!("{estimated}, soit la ")),
        bold(f.tier.to_lowercase()),
        text(format!(
            " de l'accord conventionnel interprofessionnel (ACI). Il réunit {} {kind} ({}).",
            f.members.len(),
            f.places
        )),
    ]));
    let area = match (f.area, f.density) {
        (Some((a, true)), Some(d)) => format!(
            "Superficie : {} km² ; densité : {} hab./km².",
            fr_number(a, 1),
            fr_number(d, 1)
        ),
        (Some((a, _)), _) => format!(
            "Superficie connue : {} km² (incomplète : des membres sans contour, densité non \
             calculée).",
            fr_number(a, 1)
        ),
        (None, _) => "Superficie : non disponible (membres sans contour, comme les \
                      arrondissements de Paris et Marseille)."
            .into(),
    };
    s.push(paragraph(vec![text(area)]));
    s.push(map_block(input)?);
    s.push(members_table(f.members));
    s.push(overlaps_block(&f));
    s.push(paragraph(vec![to_complete(
        "pourquoi ce périmètre (bassin de vie, habitudes de recours, coopérations existantes)",
    )]));
    Ok(s)
}

fn member_kind(members: &[crate::model::TerritoryMember]) -> &'static str {
    let iris = members.iter().filter(|m| m.iris).count();
    let arrondissements = members.iter().filter(|m| m.arrondissement).count();
    match (iris, arrondissements) {
        (0, 0) => "communes",
        (0, _) => "communes et arrondissements municipaux",
        _ => "communes, arrondissements ou IRIS",
    }
}

fn map_block(input: &DossierInput) -> Result<Block, DossierError> {
    let layers: Vec<MapLayer> = input
        .diagnosis
        .communes
        .iter()
        .zip(&input.outlines)
        .filter_map(|(m, outline)| {
            Some(MapLayer {
                outline: (*outline)?,
                partial: m.estimated && !m.iris,
            })
        })
        .collect();
    Ok(match render_map(&layers, input.perimeter)? {
        Some(map) => Block::Picture {
            width_px: map.width,
            height_px: map.height,
            png: map.png,
            width_cm: MAP_WIDTH_CM,
            caption: format!(
                "Carte du territoire : {} membre(s) dessiné(s) sur {}{}. Contours IGN ADMIN \
                 EXPRESS-COG 2018 simplifiés.",
                layers.len(),
                input.diagnosis.communes.len(),
                if input.perimeter.is_some() {
                    " ; en rouge, le périmètre dessiné ; en orange, les communes partiellement \
                     couvertes"
                } else {
                    ""
                }
            ),
        },
        None => paragraph(vec![text(
            "Carte : non disponible (aucun membre du territoire n'a de contour dans les données \
             chargées).",
        )]),
    })
}

fn members_table(members: &[crate::model::TerritoryMember]) -> Block {
    let mut sorted: Vec<_> = members.iter().collect();
    sorted.sort_by(|a, b| b.population_counted.total_cmp(&a.population_counted));
    let mut rows: Vec<Vec<Vec<crate::dossier::Run>>> = sorted
        .iter()
        .take(MEMBERS_LISTED)
        .map(|m| {
            vec![
                cell(&m.code),
                cell(&m.name),
                cell(fr_number(m.population as f64, 0)),
                cell(percent(m.coverage)),
                cell(fr_number(m.population_counted, 0)),
                cell(method_fr(m.method)),
            ]
        })
        .collect();
    if sorted.len() > MEMBERS_LISTED {
        let rest = &sorted[MEMBERS_LISTED..];
        let population: f64 = rest.iter().map(|m| m.population_counted).sum();
        rows.push(vec![
            cell(""),
            cell(format!("{} autres membres", rest.len())),
            cell(""),
            cell(""),
            cell(fr_number(population, 0)),
            cell(""),
        ]);
    }
    Block::Table {
        header: vec![
            "Code".into(),
            "Nom".into(),
            "Population légale".into(),
            "Part couverte".into(),
            "Population comptée".into(),
            "Méthode".into(),
        ],
        rows,
    }
}

fn method_fr(method: CountingMethod) -> &'static str {
    match method {
        CountingMethod::Whole => "entière",
        CountingMethod::Area => "estimation (surface)",
        CountingMethod::IrisPopulation => "estimation (IRIS, population)",
        CountingMethod::IrisTypeWeighted => "estimation (IRIS, type)",
    }
}

fn overlaps_block(f: &Facts) -> Block {
    let text_ = match (f.overlaps_checked, f.overlaps.is_empty()) {
        (None, _) => "Chevauchements avec les CPTS existantes : non vérifiés (aucun registre \
                      chargé)."
            .to_string(),
        (Some(source), true) => format!(
            "Le territoire ne chevauche aucune des CPTS existantes du registre chargé ({source}) ; \
             les CPTS absentes de ce registre ne sont pas vérifiées."
        ),
        (Some(source), false) => format!(
            "Attention, le territoire chevauche des CPTS existantes ({source}) : {}. Deux CPTS \
             ne peuvent couvrir le même territoire (DGOS).",
            f.overlaps.join(" ; ")
        ),
    };
    paragraph(vec![text(text_)])
}
