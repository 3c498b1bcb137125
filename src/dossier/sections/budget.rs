//! The budget prévisionnel: the ACI envelope by mission for the grid chosen (receipts) and the
//! lines of charges the porteurs fill in (coordination, secrétariat, système d'information,
//! other charges). Shown as a table in the lettre and written as a spreadsheet with formulas.

use crate::diagnosis::{Diagnosis, FundingLine};
use crate::dossier::document::{bold, cell, paragraph, text, to_complete, Block, Run, Section};
use crate::dossier::format::euros;
use crate::dossier::DossierInput;

/// A receipt line: one mission's fixed and variable parts (`None`: the grid does not give the
/// amount).
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetLine {
    /// French name of the mission.
    pub label: String,
    /// Whether the mission is mandatory (socle).
    pub mandatory: bool,
    /// Fixed annual part, euros.
    pub fixed: Option<f64>,
    /// Maximum variable annual part, euros.
    pub variable: Option<f64>,
}

impl BudgetLine {
    /// Fixed plus variable, when both are known.
    pub fn total(&self) -> Option<f64> {
        Some(self.fixed? + self.variable?)
    }
}

/// The budget of a territory.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// Label of the funding grid.
    pub grid: String,
    /// The territory's taille, in words.
    pub tier: String,
    /// One line per funded mission.
    pub receipts: Vec<BudgetLine>,
    /// Lines of charges to fill in, with what each covers.
    pub charges: Vec<(&'static str, &'static str)>,
}

/// The lines of charges, after the ARS guide's set-up, running and investment costs.
pub const CHARGES: [(&str, &str); 6] = [
    (
        "Coordination",
        "temps de coordinateur ou de chargé de mission (salaire chargé ou prestation)",
    ),
    (
        "Secrétariat",
        "temps de secrétariat, gestion administrative",
    ),
    (
        "Système d'information",
        "outil de coordination, messagerie sécurisée, site internet (investissement et licences)",
    ),
    (
        "Indemnisation des professionnels",
        "temps passé par les professionnels libéraux aux réunions et aux missions",
    ),
    (
        "Locaux et frais de fonctionnement",
        "locaux, assurance, expert-comptable, frais bancaires, déplacements",
    ),
    ("Autres charges", "communication, formation, évènements"),
];

/// One mission's amounts, read from the diagnosis's funding line.
fn amounts(line: &FundingLine) -> (Option<f64>, Option<f64>) {
    (line.fixed, line.variable)
}

/// The budget of the diagnosis.
pub fn budget(input: &DossierInput) -> Budget {
    budget_of(input.diagnosis, &input.grid.label)
}

fn budget_of(d: &Diagnosis, grid: &str) -> Budget {
    Budget {
        grid: grid.to_string(),
        tier: d.tier.label(),
        receipts: d
            .funding
            .lines
            .iter()
            .map(|l| {
                let (fixed, variable) = amounts(l);
                BudgetLine {
                    label: l.label.clone(),
                    mandatory: l.mandatory,
                    fixed,
                    variable,
                }
            })
            .collect(),
        charges: CHARGES.to_vec(),
    }
}

impl Budget {
    /// Sum of the known fixed parts, variable parts and totals.
    pub fn totals(&self) -> (f64, f64, f64) {
        let sum = |f: fn(&BudgetLine) -> Option<f64>| self.receipts.iter().filter_map(f).sum();
        (
            sum(|l| l.fixed),
            sum(|l| l.variable),
            sum(BudgetLine::total),
        )
    }

    /// Whether some amount of the grid is unknown (then the totals are lower bounds).
    pub fn incomplete(&self) -> bool {
        self.receipts.iter().any(|l| l.total().is_none())
    }
}

pub fn section(input: &DossierInput) -> Section {
    let b = budget(input);
    let amount = |v: Option<f64>| v.map_or("non disponible".into(), euros);
    let mut s = Section::new("6. Budget prévisionnel annuel");
    s.push(paragraph(vec![text(format!(
        "Recettes : financement ACI maximal ({}, {}). Le même budget est joint en tableur \
         (totaux calculés par formule).",
        b.grid,
        b.tier.to_lowercase()
    ))]));
    let mut rows: Vec<Vec<Vec<Run>>> = b
        .receipts
        .iter()
        .map(|l| {
            vec![
                cell(&l.label),
                cell(amount(l.fixed)),
                cell(amount(l.variable)),
                cell(amount(l.total())),
            ]
        })
        .collect();
    let (fixed, variable, total) = b.totals();
    let bound = if b.incomplete() { " (au moins)" } else { "" };
    rows.push(vec![
        vec![bold("Total des recettes ACI")],
        vec![bold(euros(fixed))],
        vec![bold(euros(variable))],
        vec![bold(format!("{}{bound}", euros(total)))],
    ]);
    s.push(Block::Table {
        header: vec![
            "Mission".into(),
            "Part fixe".into(),
            "Part variable (max.)".into(),
            "Total".into(),
        ],
        rows,
    });
    s.push(Block::Table {
        header: vec!["Charges".into(), "Contenu".into(), "Montant annuel".into()],
        rows: b
            .charges
            .iter()
            .map(|(label, what)| vec![cell(*label), cell(*what), vec![to_complete("montant")]])
            .chain([vec![
                vec![bold("Total des charges")],
                cell(""),
                vec![to_complete("somme des charges")],
            ]])
            .collect(),
    });
    s.push(paragraph(vec![to_complete(
        "la subvention FIR demandée pour le démarrage (montant et postes financés), les \
         cofinancements éventuels",
    )]));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_amount_leaves_the_total_a_lower_bound() {
        let b = Budget {
            grid: "g".into(),
            tier: "Taille 1".into(),
            receipts: vec![
                BudgetLine {
                    label: "a".into(),
                    mandatory: true,
                    fixed: Some(10.0),
                    variable: Some(5.0),
                },
                BudgetLine {
                    label: "b".into(),
                    mandatory: true,
                    fixed: Some(1.0),
                    variable: None,
                },
            ],
            charges: CHARGES.to_vec(),
        };
        assert!(b.incomplete());
        assert_eq!(b.totals(), (11.0, 5.0, 15.0));
    }
}
