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
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Profession {
    /// Médecin généraliste (BPE D201).
    GeneralPractitioner,
    /// Pédiatre (BPE D210).
    Pediatrician,
    /// Gynécologue (BPE D214).
    Gynecologist,
    /// Neurologue (no BPE type: from a directory only).
    Neurologist,
    /// Cardiologue (BPE D202).
    Cardiologist,
    /// Dermatologue (BPE D203).
    Dermatologist,
    /// Gastro-entérologue (BPE D206).
    Gastroenterologist,
    /// Psychiatre (BPE D207).
    Psychiatrist,
    /// Ophtalmologue (BPE D208).
    Ophthalmologist,
    /// Oto-rhino-laryngologiste (BPE D209).
    EntSpecialist,
    /// Pneumologue (BPE D211).
    Pneumologist,
    /// Radiologue (BPE D212).
    Radiologist,
    /// Stomatologue (BPE D213).
    Stomatologist,
    /// A physician of any other specialty.
    OtherSpecialist,
    /// Infirmier (BPE D232).
    Nurse,
    /// Masseur-kinésithérapeute (BPE D233).
    Physiotherapist,
    /// Chirurgien-dentiste (BPE D221).
    Dentist,
    /// Dentist specialised in dento-facial orthopaedics (ODF).
    Orthodontist,
    /// Sage-femme (BPE D231).
    Midwife,
    /// Pharmacien (a person; pharmacies are [`Profession::Pharmacy`]).
    Pharmacist,
    /// Orthophoniste (BPE D235).
    SpeechTherapist,
    /// Orthoptiste (BPE D236).
    Orthoptist,
    /// Pédicure-podologue (BPE D237).
    Podiatrist,
    /// Psychologue (BPE D243).
    Psychologist,
    /// Ergothérapeute (BPE D239).
    OccupationalTherapist,
    /// Psychomotricien (BPE D240).
    PsychomotorTherapist,
    /// Diététicien (BPE D242).
    Dietitian,
    /// Audioprothésiste (BPE D238).
    Audioprosthetist,
    /// A pharmacy (officine), counted as a place, not as pharmacists (BPE D301).
    Pharmacy,
    /// A medical analysis laboratory (BPE D302).
    Laboratory,
    /// An ambulance company (BPE D303).
    Ambulance,
}

impl Profession {
    /// Every profession, in display order.
    pub const ALL: [Profession; 31] = [
        Self::GeneralPractitioner,
        Self::Pediatrician,
        Self::Gynecologist,
        Self::Neurologist,
        Self::Cardiologist,
        Self::Dermatologist,
        Self::Gastroenterologist,
        Self::Psychiatrist,
        Self::Ophthalmologist,
        Self::EntSpecialist,
        Self::Pneumologist,
        Self::Radiologist,
        Self::Stomatologist,
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
        Self::Audioprosthetist,
        Self::Pharmacy,
        Self::Laboratory,
        Self::Ambulance,
    ];

    /// The stable English id (`general_practitioner`).
    pub fn id(self) -> &'static str {
        match self {
            Self::GeneralPractitioner => "general_practitioner",
            Self::Pediatrician => "pediatrician",
            Self::Gynecologist => "gynecologist",
            Self::Neurologist => "neurologist",
            Self::Cardiologist => "cardiologist",
            Self::Dermatologist => "dermatologist",
            Self::Gastroenterologist => "gastroenterologist",
            Self::Psychiatrist => "psychiatrist",
            Self::Ophthalmologist => "ophthalmologist",
            Self::EntSpecialist => "ent_specialist",
            Self::Pneumologist => "pneumologist",
            Self::Radiologist => "radiologist",
            Self::Stomatologist => "stomatologist",

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
            Self::Audioprosthetist => "audioprosthetist",
            Self::Pharmacy => "pharmacy",
            Self::Laboratory => "laboratory",
            Self::Ambulance => "ambulance",
        }
    }

    /// The profession of an id, if known.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.id() == id)
    }

    /// The INSEE BPE equipment type counting this profession (`D201` for general
    /// practitioners), if the BPE has one.
    ///
    /// ```
    /// use cpts_atlas::model::Profession;
    /// assert_eq!(Profession::GeneralPractitioner.bpe_type(), Some("D201"));
    /// assert_eq!(Profession::from_bpe_type("D301"), Some(Profession::Pharmacy));
    /// assert_eq!(Profession::Neurologist.bpe_type(), None);
    /// ```
    pub fn bpe_type(self) -> Option<&'static str> {
        Some(match self {
            Self::GeneralPractitioner => "D201",
            Self::Cardiologist => "D202",
            Self::Dermatologist => "D203",
            Self::Gastroenterologist => "D206",
            Self::Psychiatrist => "D207",
            Self::Ophthalmologist => "D208",
            Self::EntSpecialist => "D209",
            Self::Pediatrician => "D210",
            Self::Pneumologist => "D211",
            Self::Radiologist => "D212",
            Self::Stomatologist => "D213",
            Self::Gynecologist => "D214",
            Self::Dentist => "D221",
            Self::Midwife => "D231",
            Self::Nurse => "D232",
            Self::Physiotherapist => "D233",
            Self::SpeechTherapist => "D235",
            Self::Orthoptist => "D236",
            Self::Podiatrist => "D237",
            Self::Audioprosthetist => "D238",
            Self::OccupationalTherapist => "D239",
            Self::PsychomotorTherapist => "D240",
            Self::Dietitian => "D242",
            Self::Psychologist => "D243",
            Self::Pharmacy => "D301",
            Self::Laboratory => "D302",
            Self::Ambulance => "D303",
            Self::Neurologist | Self::OtherSpecialist | Self::Orthodontist | Self::Pharmacist => {
                return None
            }
        })
    }

    /// The profession a BPE equipment type counts, if any.
    pub fn from_bpe_type(typequ: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.bpe_type() == Some(typequ))
    }

    /// French label for the UI (plural, as in ARS tables).
    pub fn label_fr(self) -> &'static str {
        match self {
            Self::GeneralPractitioner => "Médecins généralistes",
            Self::Pediatrician => "Pédiatres",
            Self::Gynecologist => "Gynécologues",
            Self::Neurologist => "Neurologues",
            Self::Cardiologist => "Cardiologues",
            Self::Dermatologist => "Dermatologues",
            Self::Gastroenterologist => "Gastro-entérologues",
            Self::Psychiatrist => "Psychiatres",
            Self::Ophthalmologist => "Ophtalmologues",
            Self::EntSpecialist => "Oto-rhino-laryngologistes (ORL)",
            Self::Pneumologist => "Pneumologues",
            Self::Radiologist => "Radiologues",
            Self::Stomatologist => "Stomatologues",

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
            Self::Audioprosthetist => "Audioprothésistes",
            Self::Pharmacy => "Pharmacies (officines)",
            Self::Laboratory => "Laboratoires d'analyses médicales",
            Self::Ambulance => "Ambulances",
        }
    }
}

/// How a professional practises at a site.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
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
