//! Health professions and modes of practice, with stable English ids for the API.

use serde::{Deserialize, Serialize};

/// A health profession counted in a directory. The serde id (`general_practitioner`, `nurse`,
/// ...) is stable: it keys the diagnosis JSON and the shipped data files.
///
/// # Examples
/// ```
/// use cpts_atlas::model::Profession;
/// assert_eq!(Profession::from_id("general_practitioner"), Some(Profession::GeneralPractitioner));
/// assert_eq!(Profession::Nurse.id(), "nurse");
/// assert_eq!(Profession::Nurse.label_fr(), "Infirmiers");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profession {
    GeneralPractitioner,
    Pediatrician,
    Gynecologist,
    Neurologist,
    /// A physician of any other specialty.
    OtherSpecialist,
    Nurse,
    Physiotherapist,
    Dentist,
    /// Dentist specialised in dento-facial orthopaedics (ODF).
    Orthodontist,
    Midwife,
    Pharmacist,
    SpeechTherapist,
    Orthoptist,
    Podiatrist,
    Psychologist,
    OccupationalTherapist,
    PsychomotorTherapist,
    Dietitian,
}

impl Profession {
    /// Every profession, in display order.
    pub const ALL: [Profession; 18] = [
        Self::GeneralPractitioner,
        Self::Pediatrician,
        Self::Gynecologist,
        Self::Neurologist,
        Self::OtherSpecialist,
        Self::Nurse,
        Self::Physiotherapist,
        Self::Dentist,
        Self::Orthodontist,
        Self::Midwife,
        Self::Pharmacist,
        Self::SpeechTherapist,
        Self::Orthoptist,
        Self::Podiatrist,
        Self::Psychologist,
        Self::OccupationalTherapist,
        Self::PsychomotorTherapist,
        Self::Dietitian,
    ];

    /// The stable English id (`general_practitioner`).
    pub fn id(self) -> &'static str {
        match self {
            Self::GeneralPractitioner => "general_practitioner",
            Self::Pediatrician => "pediatrician",
            Self::Gynecologist => "gynecologist",
            Self::Neurologist => "neurologist",
            Self::OtherSpecialist => "other_specialist",
            Self::Nurse => "nurse",
            Self::Physiotherapist => "physiotherapist",
            Self::Dentist => "dentist",
            Self::Orthodontist => "orthodontist",
            Self::Midwife => "midwife",
            Self::Pharmacist => "pharmacist",
            Self::SpeechTherapist => "speech_therapist",
            Self::Orthoptist => "orthoptist",
            Self::Podiatrist => "podiatrist",
            Self::Psychologist => "psychologist",
            Self::OccupationalTherapist => "occupational_therapist",
            Self::PsychomotorTherapist => "psychomotor_therapist",
            Self::Dietitian => "dietitian",
        }
    }

    /// The profession of an id, if known.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.id() == id)
    }

    /// French label for the UI (plural, as in ARS tables).
    pub fn label_fr(self) -> &'static str {
        match self {
            Self::GeneralPractitioner => "Médecins généralistes",
            Self::Pediatrician => "Pédiatres",
            Self::Gynecologist => "Gynécologues",
            Self::Neurologist => "Neurologues",
            Self::OtherSpecialist => "Autres médecins spécialistes",
            Self::Nurse => "Infirmiers",
            Self::Physiotherapist => "Masseurs-kinésithérapeutes",
            Self::Dentist => "Chirurgiens-dentistes",
            Self::Orthodontist => "Chirurgiens-dentistes ODF",
            Self::Midwife => "Sages-femmes",
            Self::Pharmacist => "Pharmaciens d'officine",
            Self::SpeechTherapist => "Orthophonistes",
            Self::Orthoptist => "Orthoptistes",
            Self::Podiatrist => "Pédicures-podologues",
            Self::Psychologist => "Psychologues",
            Self::OccupationalTherapist => "Ergothérapeutes",
            Self::PsychomotorTherapist => "Psychomotriciens",
            Self::Dietitian => "Diététiciens",
        }
    }
}

/// How a professional practises at a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PracticeMode {
    /// Libéral (self-employed, in a cabinet, maison de santé...).
    Liberal,
    /// Salarié (hospital, centre de santé, établissement...).
    Salaried,
    /// Bénévole or not stated in the source.
    Unknown,
}

impl PracticeMode {
    /// Every mode.
    pub const ALL: [PracticeMode; 3] = [Self::Liberal, Self::Salaried, Self::Unknown];

    /// The stable id (`liberal`, `salaried`, `unknown`).
    pub fn id(self) -> &'static str {
        match self {
            Self::Liberal => "liberal",
            Self::Salaried => "salaried",
            Self::Unknown => "unknown",
        }
    }

    /// The mode of an id, if known.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.id() == id)
    }
}
