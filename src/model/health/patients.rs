//! Patients without médecin traitant per commune, as a CPAM hands them to a porteur.

use crate::model::CommuneCode;

/// A count from the CPAM file: a number, or masked by the CPAM itself (statistical secret).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CpamCount {
    /// The count given by the CPAM.
    Value(u64),
    /// Masked in the file (`s`, `<5`, `secret`...): between 1 and 4 patients.
    Masked,
}

/// One commune's line of the import format (see `loaders::patients`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientsWithoutGpRecord {
    /// Current INSEE code of the commune.
    pub commune: CommuneCode,
    /// Patients aged 17 or more seen (consommants) during the period.
    pub patients_17_plus: CpamCount,
    /// Of whom without a declared médecin traitant.
    pub without_gp: CpamCount,
    /// Of those, with an ALD (affection de longue durée).
    pub without_gp_ald: CpamCount,
    /// Of those, aged 70 or more.
    pub without_gp_70_plus: CpamCount,
    /// Of those, covered by the complémentaire santé solidaire (C2S).
    pub without_gp_c2s: CpamCount,
}

/// A CPAM extract of patients without médecin traitant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientsWithoutGp {
    /// Who handed the file (French, shown in the UI).
    pub source: String,
    /// Period of the counts, as the file says.
    pub vintage: String,
    /// One line per commune.
    pub records: Vec<PatientsWithoutGpRecord>,
}
