//! Existing CPTS as published by an ARS or the DGOS: member codes or a polygon, a status, gathered
//! in a `Registry` with the area (départements) each source declares it covers.

use geo::MultiPolygon;
use serde::{Deserialize, Serialize};

/// One member of a registry CPTS: a commune or an arrondissement municipal code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CptsMember {
    /// INSEE code of a commune (`04001`) or of an arrondissement municipal (`13214`), as published
    /// (a former code such as `05120` is kept as is and mapped when the registry is indexed).
    pub code: String,
    /// True when the CPTS covers only part of the commune, the rest belonging to other CPTS
    /// (`infra_communal` in the ARS listing: Nice, Toulon).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub infra_communal: bool,
}

/// How far a CPTS has come, as the DGOS layer "CPTS et projets de CPTS" states it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CptsStatus {
    /// Signataire de l'ACI: the contract with the Assurance maladie is signed.
    SignedAci,
    /// Projet de santé validé par l'ARS.
    HealthProjectValidated,
    /// Lettre d'intention déposée.
    LetterOfIntent,
    /// Initiative (projet en émergence).
    Initiative,
}

impl CptsStatus {
    /// The status a published wording names (accents, case and separators ignored), if any.
    ///
    /// ```
    /// use cpts_atlas::model::CptsStatus;
    /// assert_eq!(CptsStatus::from_label("Signataire ACI"), Some(CptsStatus::SignedAci));
    /// assert_eq!(CptsStatus::from_label("Projet de santé validé"), Some(CptsStatus::HealthProjectValidated));
    /// assert_eq!(CptsStatus::from_label("lettre_intention"), Some(CptsStatus::LetterOfIntent));
    /// assert_eq!(CptsStatus::from_label("en cours"), None);
    /// ```
    pub fn from_label(label: &str) -> Option<Self> {
        let folded = crate::loaders::registry::slug(label);
        let words: Vec<&str> = folded.split('-').collect();
        let starts = |prefixes: &[&str]| {
            words
                .iter()
                .any(|w| prefixes.iter().any(|p| w.starts_with(p)))
        };
        // The letter first: "lettre d'intention validée" is a letter, not a validated project.
        if starts(&["lettre", "letter", "intention"]) {
            Some(Self::LetterOfIntent)
        } else if starts(&["signataire", "signe", "signed", "contractualis"]) {
            Some(Self::SignedAci)
        } else if starts(&["valid"]) {
            Some(Self::HealthProjectValidated)
        } else if starts(&["initiative", "emergen"]) {
            Some(Self::Initiative)
        } else {
            None
        }
    }

    /// Every status, in the order of progress (furthest first).
    pub const ALL: [CptsStatus; 4] = [
        Self::SignedAci,
        Self::HealthProjectValidated,
        Self::LetterOfIntent,
        Self::Initiative,
    ];
}

/// An existing CPTS of a registry.
#[derive(Debug, Clone, PartialEq)]
pub struct Cpts {
    /// Stable identifier within its registry (given by the source, or derived from the name).
    pub id: String,
    /// Name as the registry gives it (`CPTS du Pays d'Aix`).
    pub name: String,
    /// Member communes and arrondissements; empty for a CPTS published as a polygon only.
    pub members: Vec<CptsMember>,
    /// Outline (WGS84) when the registry publishes polygons instead of member codes.
    pub outline: Option<MultiPolygon<f64>>,
    /// Web site, as published (may be empty).
    pub site: String,
    /// Status when the source gives one (the ARS PACA listing does not: its CPTS are existing).
    pub status: Option<CptsStatus>,
}

/// What one registry source is and the area it covers: the départements in which it lists every
/// CPTS, so that a commune of those départements outside its CPTS is truly outside every CPTS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RegistryArea {
    /// Identifier of the source (file stem for imported files).
    pub id: String,
    /// Publisher and date.
    pub source: String,
    /// Départements the source covers wholly, sorted.
    pub departements: Vec<String>,
    /// How the area is known: `declared` by the file, or `member_departements` (the
    /// départements of the CPTS it lists, for a layer or list that declares none).
    pub basis: AreaBasis,
    /// How many CPTS of the merged registry come from this source (they follow each other in
    /// [`Registry::cpts`], sources in the order of [`Registry::areas`]).
    #[serde(skip)]
    pub cpts: usize,
}

/// How the area of a registry source is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AreaBasis {
    /// The file lists the départements it covers.
    Declared,
    /// The file declares none: its area is the départements of the communes its CPTS hold.
    MemberDepartements,
}

/// A published list of existing CPTS.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Registry {
    /// What the registry is, e.g. `ARS PACA, CPTS existantes 01/2026`.
    pub source: String,
    /// The CPTS, in the order of the sources.
    pub cpts: Vec<Cpts>,
    /// The sources merged into this registry and their areas; empty for a registry built in
    /// code (it then covers nothing: overlaps found are reported, absences are not verified).
    pub areas: Vec<RegistryArea>,
}

impl Registry {
    /// Appends the CPTS of `other` (e.g. another région's registry), joining the sources.
    ///
    /// ```
    /// use cpts_atlas::model::Registry;
    /// let mut paca = Registry { source: "PACA".into(), ..Registry::default() };
    /// paca.merge(Registry { source: "Corse".into(), ..Registry::default() });
    /// assert_eq!(paca.source, "PACA; Corse");
    /// ```
    pub fn merge(&mut self, other: Registry) {
        if self.source.is_empty() {
            self.source = other.source;
        } else if !other.source.is_empty() {
            self.source = format!("{}; {}", self.source, other.source);
        }
        self.cpts.extend(other.cpts);
        self.areas.extend(other.areas);
    }
}
