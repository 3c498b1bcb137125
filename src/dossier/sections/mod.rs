//! The sections of the lettre d'intention, in the order of the ARS guide.

pub mod budget;
mod missions;
mod needs;
mod porteurs;
mod professionals;
mod sources;
mod territory;

use super::{DossierError, DossierInput, Section};

/// Every section of the lettre, in order.
pub fn letter_sections(input: &DossierInput) -> Result<Vec<Section>, DossierError> {
    Ok(vec![
        porteurs::heading(input),
        territory::section(input)?,
        needs::section(input),
        professionals::section(input),
        missions::section(input),
        porteurs::project(),
        budget::section(input),
        sources::section(input),
    ])
}
