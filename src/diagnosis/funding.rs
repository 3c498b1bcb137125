//! ACI funding grids (data, not code) and the annual envelope of a CPTS for chosen missions.
//!
//! # Examples
//! ```
//! use cpts_atlas::diagnosis::{FundingGrid, PopulationTier};
//! let grid = FundingGrid::aci_2019();
//! let all: Vec<&str> = vec!["quality_relevance", "professional_support"];
//! let envelope = grid.envelope(PopulationTier::One, &all).unwrap();
//! assert_eq!(envelope.total, 185_000.0);
//! ```

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::PopulationTier;
use crate::loaders::LoadError;

const ACI_2019: &str = include_str!("../../data/funding/aci-2019.json");

/// A funding grid: missions with fixed and variable amounts per tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FundingGrid {
    pub id: String,
    pub label: String,
    pub source: String,
    /// What the follow-up indicators of the missions are (e.g. an indicative list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicators_note: Option<String>,
    pub missions: Vec<Mission>,
}

/// One mission of the grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mission {
    pub id: String,
    pub label: String,
    /// Mandatory (socle) missions are always funded; others only when chosen.
    pub mandatory: bool,
    /// An optional supplement, outside the "total possible" of the grid.
    #[serde(default)]
    pub supplement: bool,
    /// Months from contract signature to start and to full deployment, where the ACI sets them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_months: Option<Deadlines>,
    pub parts: Vec<MissionPart>,
    /// Indicators the contract follows the mission with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<FollowUpIndicator>,
}

/// A follow-up indicator of a mission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUpIndicator {
    pub id: String,
    /// French wording, as shown to the porteurs.
    pub label: String,
    /// Who holds its value (CPAM, ARS, the CPTS itself...).
    pub source: String,
    /// The figure of a diagnosis that gives today's value, when the loaded data can.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<FollowUpMeasure>,
}

/// Figures of a diagnosis a follow-up indicator can take today's value from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FollowUpMeasure {
    /// `patients_without_gp.territory.share_without_gp` (CPAM file).
    #[serde(rename = "share_without_gp")]
    ShareWithoutGp,
    /// `patients_without_gp.territory.without_gp_ald` (CPAM file).
    #[serde(rename = "without_gp_ald")]
    WithoutGpAld,
    /// `patients_without_gp.territory.without_gp_70_plus` (CPAM file).
    #[serde(rename = "without_gp_70_plus")]
    WithoutGp70Plus,
    /// `patients_without_gp.territory.without_gp_c2s` (CPAM file).
    #[serde(rename = "without_gp_c2s")]
    WithoutGpC2s,
    /// The latest edition's `apl.editions[].apl` (DREES).
    #[serde(rename = "apl_general_practitioners")]
    AplGeneralPractitioners,
    /// `supply.general_practitioner.density_per_10k` (directory).
    #[serde(rename = "gp_density")]
    GpDensity,
    /// The `age_75_plus` share of `age_structure` (INSEE RP 2020, every commune of France).
    #[serde(rename = "age_75_plus_share")]
    Age75PlusShare,
}

/// ACI deadlines of a mission, in months from the contract signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    pub start: u32,
    pub deployed: u32,
}

/// A line of a mission: fixed and variable annual amounts for tiers 1 to 4.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MissionPart {
    pub label: String,
    pub fixed: [f64; 4],
    pub variable: [f64; 4],
}

/// The funding of one mission for a tier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FundingLine {
    pub mission: String,
    pub label: String,
    pub mandatory: bool,
    pub fixed: f64,
    /// Maximum variable part, paid on the achievement of the contract's indicators.
    pub variable: f64,
    pub total: f64,
}

/// The annual envelope of a territory: missions funded at its tier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FundingEnvelope {
    pub grid: String,
    pub tier: u8,
    pub lines: Vec<FundingLine>,
    pub fixed_total: f64,
    pub variable_total: f64,
    pub total: f64,
}

/// A mission id the grid does not know.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("unknown mission `{id}` for grid {grid}; known missions: {known}")]
pub struct UnknownMission {
    pub id: String,
    pub grid: String,
    pub known: String,
}

impl FundingGrid {
    /// The ACI 2019 grid shipped in `data/funding/aci-2019.json`.
    pub fn aci_2019() -> Self {
        serde_json::from_str(ACI_2019).expect("the shipped ACI 2019 grid is valid JSON")
    }

    /// Reads a grid from a JSON file of the same shape as the shipped one.
    pub fn from_file(path: &Path) -> Result<Self, LoadError> {
        crate::loaders::read_json(path)
    }

    /// The envelope at `tier` for the mandatory missions plus the `chosen` optional ones.
    pub fn envelope(
        &self,
        tier: PopulationTier,
        chosen: &[&str],
    ) -> Result<FundingEnvelope, UnknownMission> {
        if let Some(id) = chosen
            .iter()
            .find(|id| !self.missions.iter().any(|m| m.id == **id))
        {
            return Err(UnknownMission {
                id: id.to_string(),
                grid: self.id.clone(),
                known: self
                    .missions
                    .iter()
                    .map(|m| m.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        let t = tier.index();
        let lines: Vec<FundingLine> = self
            .missions
            .iter()
            .filter(|m| m.mandatory || chosen.contains(&m.id.as_str()))
            .map(|m| {
                let fixed: f64 = m.parts.iter().map(|p| p.fixed[t]).sum();
                let variable: f64 = m.parts.iter().map(|p| p.variable[t]).sum();
                FundingLine {
                    mission: m.id.clone(),
                    label: m.label.clone(),
                    mandatory: m.mandatory,
                    fixed,
                    variable,
                    total: fixed + variable,
                }
            })
            .collect();
        let fixed_total = lines.iter().map(|l| l.fixed).sum();
        let variable_total = lines.iter().map(|l| l.variable).sum();
        Ok(FundingEnvelope {
            grid: self.id.clone(),
            tier: tier.size(),
            lines,
            fixed_total,
            variable_total,
            total: fixed_total + variable_total,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aci_2019_totals_reproduce_the_published_row() {
        let grid = FundingGrid::aci_2019();
        let optional: Vec<&str> = grid
            .missions
            .iter()
            .filter(|m| !m.mandatory && !m.supplement)
            .map(|m| m.id.as_str())
            .collect();
        let expected = [185_000.0, 242_000.0, 315_000.0, 380_000.0];
        for (tier, total) in PopulationTier::ALL.into_iter().zip(expected) {
            assert_eq!(
                grid.envelope(tier, &optional).unwrap().total,
                total,
                "{tier:?}"
            );
        }
    }

    #[test]
    fn mandatory_missions_only_by_default_and_supplement_on_request() {
        let grid = FundingGrid::aci_2019();
        // Taille 2, socle: 60 000 + (17 500 x 2 + 12 000) + 35 000 x 2 + 15 000 x 2.
        let socle = grid.envelope(PopulationTier::Two, &[]).unwrap();
        assert_eq!(socle.total, 60_000.0 + 47_000.0 + 70_000.0 + 30_000.0);
        let with = grid
            .envelope(PopulationTier::Two, &["unscheduled_care_regulation"])
            .unwrap();
        assert_eq!(with.total - socle.total, 45_000.0);
    }

    #[test]
    fn the_socle_missions_with_deadlines_have_follow_up_indicators() {
        let grid = FundingGrid::aci_2019();
        for m in &grid.missions {
            if m.deadline_months.is_some() {
                assert!(m.indicators.len() >= 3, "{}", m.id);
            }
            let mut ids: Vec<&str> = m.indicators.iter().map(|i| i.id.as_str()).collect();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), m.indicators.len(), "{}: ids repeat", m.id);
        }
        let access = grid.missions.iter().find(|m| m.id == "access_to_care");
        let measures: Vec<_> = access
            .unwrap()
            .indicators
            .iter()
            .filter_map(|i| i.measure)
            .collect();
        assert!(measures.contains(&FollowUpMeasure::ShareWithoutGp));
    }

    #[test]
    fn a_grid_with_an_unknown_measure_is_refused() {
        let text = ACI_2019.replacen("\"measure\": \"gp_density\"", "\"measure\": \"gp_dens\"", 1);
        let err = serde_json::from_str::<FundingGrid>(&text).unwrap_err();
        assert!(err.to_string().contains("gp_dens"), "{err}");
    }

    #[test]
    fn unknown_mission_is_named() {
        let err = FundingGrid::aci_2019()
            .envelope(PopulationTier::One, &["teleportation"])
            .unwrap_err();
        assert!(err.to_string().contains("teleportation"));
    }
}
