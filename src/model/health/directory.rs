//! A directory of health professionals: who practises where, with its coverage and vintage.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{CommuneCode, PracticeMode, Profession};

/// One professional at one practice site, as read from a directory file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Practitioner {
    pub profession: Profession,
    pub mode: PracticeMode,
    /// INSEE code of the commune of the practice site.
    pub commune: CommuneCode,
}

/// Number of practice sites of one profession and mode in one commune.
///
/// A professional practising at several sites counts once per site, as in the ARS and RPPS
/// activity files (which list one row per professional and site).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PractitionerCount {
    pub commune: CommuneCode,
    pub profession: Profession,
    pub mode: PracticeMode,
    pub count: u32,
}

/// What a directory covers: outside it, its silence is "not available", never zero.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryCoverage {
    /// Professions the directory lists (a profession not listed here is not covered).
    pub professions: Vec<Profession>,
    /// Modes of practice the directory lists (e.g. only `liberal` for the ARS Normandie file).
    pub modes: Vec<PracticeMode>,
    /// Départements the directory covers wholly.
    pub departements: Vec<String>,
    /// Communes covered outside those départements (e.g. border communes of a region's file).
    pub communes: Vec<CommuneCode>,
}

impl DirectoryCoverage {
    /// Whether the commune (of département `departement`) is covered.
    pub fn covers_commune(&self, code: &str, departement: &str) -> bool {
        self.covers_departement(departement) || self.lists_commune(code)
    }

    /// Whether the département is covered wholly.
    pub fn covers_departement(&self, departement: &str) -> bool {
        self.departements.iter().any(|d| d == departement)
    }

    /// Whether the commune is one of those covered outside the départements.
    pub fn lists_commune(&self, code: &str) -> bool {
        self.communes
            .binary_search_by(|c| c.as_str().cmp(code))
            .is_ok()
    }

    /// Whether the profession is covered.
    pub fn covers_profession(&self, profession: Profession) -> bool {
        self.professions.contains(&profession)
    }
}

/// A directory of professionals aggregated by commune, with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Directory {
    /// Short stable id (`normandie-ars-2021`).
    pub id: String,
    /// Who published it, in a sentence (French, shown in the UI).
    pub source: String,
    /// Date or year of the extract (`2021-03-06`).
    pub vintage: String,
    pub coverage: DirectoryCoverage,
    /// Counts per commune, profession and mode, sorted by commune then profession then mode.
    pub counts: Vec<PractitionerCount>,
    /// What the counts are and are not (French), when the source has such a warning.
    #[serde(default)]
    pub caveat: Option<String>,
}

impl Directory {
    /// Aggregates practitioners into counts per commune, profession and mode.
    ///
    /// ```
    /// use cpts_atlas::model::{Directory, DirectoryCoverage, Practitioner, PracticeMode, Profession};
    /// let gp = |c: &str| Practitioner {
    ///     profession: Profession::GeneralPractitioner,
    ///     mode: PracticeMode::Liberal,
    ///     commune: c.into(),
    /// };
    /// let d = Directory::from_practitioners(
    ///     "demo", "démo", "2021", DirectoryCoverage::default(),
    ///     [gp("14118"), gp("14118"), gp("14020")],
    /// );
    /// assert_eq!(d.counts.len(), 2);
    /// assert_eq!(d.counts[1].commune, "14118");
    /// assert_eq!(d.counts[1].count, 2);
    /// ```
    pub fn from_practitioners(
        id: &str,
        source: &str,
        vintage: &str,
        coverage: DirectoryCoverage,
        practitioners: impl IntoIterator<Item = Practitioner>,
    ) -> Self {
        let counts = practitioners.into_iter().map(|p| PractitionerCount {
            commune: p.commune,
            profession: p.profession,
            mode: p.mode,
            count: 1,
        });
        Self::from_counts(id, source, vintage, coverage, counts)
    }

    /// Builds a directory from counts, adding up repeated (commune, profession, mode) keys.
    pub fn from_counts(
        id: &str,
        source: &str,
        vintage: &str,
        coverage: DirectoryCoverage,
        counts: impl IntoIterator<Item = PractitionerCount>,
    ) -> Self {
        let mut merged: BTreeMap<(CommuneCode, Profession, PracticeMode), u32> = BTreeMap::new();
        for c in counts {
            *merged.entry((c.commune, c.profession, c.mode)).or_default() += c.count;
        }
        Self {
            id: id.to_string(),
            source: source.to_string(),
            vintage: vintage.to_string(),
            coverage,
            counts: merged
                .into_iter()
                .map(|((commune, profession, mode), count)| PractitionerCount {
                    commune,
                    profession,
                    mode,
                    count,
                })
                .collect(),
            caveat: None,
        }
    }

    /// Total count of a profession (all modes, all communes).
    pub fn total(&self, profession: Profession) -> u64 {
        self.counts
            .iter()
            .filter(|c| c.profession == profession)
            .map(|c| u64::from(c.count))
            .sum()
    }
}
