//! The porteurs' dossier built from a diagnosis: the lettre d'intention (DOCX) and the budget
//! prévisionnel (XLSX), as bytes — the CLI and the HTTP routes write or send them.
//!
//! Each section reads the diagnosis through one small function of its own file in `sections/`,
//! so a new indicator of the diagnosis reaches the documents in a few lines.

mod document;
mod docx;
mod format;
mod map;
mod sections;
mod xlsx;

pub use document::{Block, Run, Section};
pub use format::{civil_date, euros, fr_number, percent, today};
pub use map::{render_map, MapImage, MapLayer};
pub use sections::budget::{budget, Budget, BudgetLine};
pub use sections::letter_sections;

use geo::MultiPolygon;

use crate::diagnosis::{Diagnosis, FundingGrid};
use crate::engine::Atlas;

/// Outlines drawn on the map: the full ones (a simplified level shows at a small territory's
/// scale).
const MAP_ZOOM: u8 = u8::MAX;

/// What the dossier is built from.
#[derive(Debug, Clone)]
pub struct DossierInput<'a> {
    pub diagnosis: &'a Diagnosis,
    /// The grid the diagnosis was funded with (deadlines, follow-up indicators).
    pub grid: &'a FundingGrid,
    /// The territory's name (a saved territory's), if it has one.
    pub name: Option<String>,
    /// Outline of each member, in the order of `diagnosis.communes` (`None`: no polygon).
    pub outlines: Vec<Option<&'a MultiPolygon<f64>>>,
    /// The drawn perimeter, for a drawn territory.
    pub perimeter: Option<&'a MultiPolygon<f64>>,
    /// Date of the documents (year, month, day).
    pub date: (i64, u32, u32),
}

impl<'a> DossierInput<'a> {
    /// The input for `diagnosis`: member outlines (display level `zoom`) are read from the
    /// atlas, the drawn perimeter from the diagnosis.
    pub fn new(
        atlas: &'a Atlas,
        diagnosis: &'a Diagnosis,
        grid: &'a FundingGrid,
        date: (i64, u32, u32),
    ) -> Self {
        Self {
            diagnosis,
            grid,
            name: None,
            outlines: diagnosis
                .communes
                .iter()
                .map(|m| atlas.member_outline(m, MAP_ZOOM))
                .collect(),
            perimeter: diagnosis.drawn.as_ref(),
            date,
        }
    }

    /// `JJ/MM/AAAA`.
    pub fn date_fr(&self) -> String {
        let (y, m, d) = self.date;
        format!("{d:02}/{m:02}/{y}")
    }

    /// The name, else the most populous member and how many others.
    pub fn territory_name(&self) -> String {
        if let Some(name) = &self.name {
            return name.clone();
        }
        let communes = &self.diagnosis.communes;
        let Some(first) = communes
            .iter()
            .max_by(|a, b| a.population_counted.total_cmp(&b.population_counted))
        else {
            return "territoire".into();
        };
        match communes.len() - 1 {
            0 => first.name.clone(),
            1 => format!("{} et 1 autre commune", first.name),
            n => format!("{} et {n} autres communes", first.name),
        }
    }
}

/// Why a document could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DossierError {
    #[error("cannot write the DOCX: {0}")]
    Docx(String),
    #[error("cannot write the spreadsheet: {0}")]
    Sheet(#[from] rust_xlsxwriter::XlsxError),
    #[error("cannot draw the map: {0}")]
    Map(#[from] png::EncodingError),
}

/// The lettre d'intention as DOCX bytes.
pub fn letter_docx(input: &DossierInput) -> Result<Vec<u8>, DossierError> {
    docx::write(&input.territory_name(), &letter_sections(input)?)
}

/// The budget prévisionnel as XLSX bytes (totals by formula).
pub fn budget_xlsx(input: &DossierInput) -> Result<Vec<u8>, DossierError> {
    xlsx::write(&budget(input), input)
}
