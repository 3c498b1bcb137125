//! « Les missions » : the missions funded (mandatory and chosen), their ACI deadlines from the
//! contract signature and their follow-up indicators with today's value where the diagnosis
//! has it.

use crate::diagnosis::{Diagnosis, FollowUpIndicator, FollowUpMeasure, FundingGrid};
use crate::dossier::document::{bold, cell, paragraph, text, to_complete, Block, Section};
use crate::dossier::format::{euros_known, fr_number, percent};
use crate::model::{AgeGroup, Profession};

use super::needs::shown;

pub fn section(input: &crate::dossier::DossierInput) -> Section {
    let d = input.diagnosis;
    let mut s = Section::new("4. Le projet de santé : missions retenues");
    s.push(paragraph(vec![text(format!(
        "Missions financées au titre de l'ACI ({}), {} :",
        input.grid.label,
        d.tier.label().to_lowercase()
    ))]));
    for line in &d.funding.lines {
        let mission = input.grid.missions.iter().find(|m| m.id == line.mission);
        s.push(Block::Heading(3, line.label.clone()));
        let deadlines = match mission.and_then(|m| m.deadline_months) {
            Some(dl) => format!(
                "Échéances ACI : démarrage {} mois et déploiement {} mois après la signature du \
                 contrat.",
                dl.start, dl.deployed
            ),
            None => "Échéances ACI : aucune fixée par l'accord pour cette mission.".into(),
        };
        s.push(paragraph(vec![
            bold(if line.mandatory {
                "Mission socle. "
            } else {
                "Mission optionnelle choisie. "
            }),
            text(format!(
                "Financement annuel maximal : {} ({} fixe, {} variable selon l'atteinte des \
                 indicateurs). {deadlines}",
                euros_known(line.total),
                euros_known(line.fixed),
                euros_known(line.variable)
            )),
        ]));
        if let Some(m) = mission.filter(|m| !m.indicators.is_empty()) {
            s.push(Block::Table {
                header: vec![
                    "Indicateur de suivi".into(),
                    "Valeur aujourd'hui".into(),
                    "Détenu par".into(),
                ],
                rows: m
                    .indicators
                    .iter()
                    .map(|i| vec![cell(&i.label), cell(today_value(d, i)), cell(&i.source)])
                    .collect(),
            });
        }
        s.push(paragraph(vec![to_complete(format!(
            "les actions prévues pour la mission « {} », leur calendrier et les professionnels \
             qui les portent",
            line.label
        ))]));
    }
    let others = not_chosen(d, input.grid);
    if !others.is_empty() {
        s.push(paragraph(vec![text(format!(
            "Missions de la grille non retenues à ce stade : {}.",
            others.join(" ; ")
        ))]));
    }
    if let Some(note) = &input.grid.indicators_note {
        s.push(Block::SourceNote(note.clone()));
    }
    s
}

/// Missions the grid offers that were not chosen, for the porteurs to weigh.
fn not_chosen(d: &Diagnosis, grid: &FundingGrid) -> Vec<String> {
    grid.missions
        .iter()
        .filter(|m| !d.funding.lines.iter().any(|l| l.mission == m.id))
        .map(|m| m.label.clone())
        .collect()
}

/// Today's value of a follow-up indicator, or why there is none.
fn today_value(d: &Diagnosis, indicator: &FollowUpIndicator) -> String {
    let Some(measure) = indicator.measure else {
        return "non disponible (à suivre par la CPTS)".into();
    };
    measure_value(d, measure).unwrap_or_else(|| "non disponible dans les données chargées".into())
}

/// The figure of the diagnosis a measure names, formatted.
fn measure_value(d: &Diagnosis, measure: FollowUpMeasure) -> Option<String> {
    let h = d.health.as_ref()?;
    let patients = || h.patients_without_gp.counts.get().map(|f| &f.territory);
    Some(match measure {
        FollowUpMeasure::ShareWithoutGp => percent(patients()?.share_without_gp?),
        FollowUpMeasure::WithoutGpAld => shown(patients()?.without_gp_ald),
        FollowUpMeasure::WithoutGp70Plus => shown(patients()?.without_gp_70_plus),
        FollowUpMeasure::WithoutGpC2s => shown(patients()?.without_gp_c2s),
        FollowUpMeasure::AplGeneralPractitioners => {
            let last = h.apl.get()?.editions.last()?;
            format!("{} (APL {})", fr_number(last.apl, 2), last.edition)
        }
        FollowUpMeasure::GpDensity => {
            let s = h.supply.get(&Profession::GeneralPractitioner)?.get()?;
            format!("{} pour 10 000 hab.", fr_number(s.density_per_10k?, 1))
        }
        FollowUpMeasure::Age75PlusShare => {
            let a = h.age_structure.get()?;
            percent(
                a.groups
                    .iter()
                    .find(|g| g.group == AgeGroup::Age75Plus)?
                    .share,
            )
        }
    })
}
