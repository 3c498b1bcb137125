//! ACI funding grids (data, not code) and the annual envelope of a CPTS for chosen missions.
//!
//! Two grids are shipped: ACI 2019 and the ACI as amended by avenant 2 (20/12/2021). Where the
//! sources give no amount the grid says `null`, and the envelope lists the line as not known
//! (`total_known: false`) instead of inventing a figure.
//!
//! # Examples
//! ```
//! use cpts_atlas::diagnosis::{FundingGrid, PopulationTier};
//! let grid = FundingGrid::aci_2019();
//! let all: Vec<&str> = vec!["quality_relevance", "professional_support"];
//! let envelope = grid.envelope(PopulationTier::One, &all).unwrap();
//! assert_eq!(envelope.total, 185_000.0);
//! assert!(envelope.total_known);
//! let amended = FundingGrid::for_contract_date("2024-03-01").unwrap();
//! assert_eq!(amended.id, "avenant-2-2021");
//! ```

/// True for a calendar date written `YYYY-MM-DD`.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    s.bytes()
        .enumerate()
        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=days).contains(&d)
}

use serde::{Deserialize, Serialize};

use crate::diagnosis::PopulationTier;

const ACI_2019: &str = include_str!("../../data/funding/aci-2019.json");
const AVENANT_2_2021: &str = include_str!("../../data/funding/avenant-2-2021.json");

/// Id of the grid used when neither a grid nor a contract date is given: contracts signed
/// today fall under the ACI as amended by avenant 2.
pub const DEFAULT_GRID: &str = "avenant-2-2021";

/// A funding grid: missions with fixed and variable amounts per tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FundingGrid {
    /// Stable id (`aci-2019`, `avenant-2-2021`).
    pub id: String,
    /// Its name for the reader (French).
    pub label: String,
    /// The text the amounts come from, cited in full (French).
    pub source: String,
    /// First contract date (`YYYY-MM-DD`) the grid applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    /// What the `null` amounts of the grid mean, when it has some.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown_note: Option<String>,
    /// What the follow-up indicators of the missions are (e.g. an indicative list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicators_note: Option<String>,
    /// The missions, in the grid's order.
    pub missions: Vec<Mission>,
}

/// One mission of the grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mission {
    /// Stable id (`access_to_care`...), as requests choose missions.
    pub id: String,
    /// French name of the mission.
    pub label: String,
    /// Mandatory (socle) missions are always funded; others only when chosen.
    pub mandatory: bool,
    /// An optional supplement, outside the "total possible" of the grid.
    #[serde(default)]
    pub supplement: bool,
    /// Months from contract signature to start and to full deployment, where the ACI sets them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_months: Option<Deadlines>,
    /// Its lines (fixed and variable amounts per tier).
    pub parts: Vec<MissionPart>,
    /// Indicators the contract follows the mission with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<FollowUpIndicator>,
}

/// A follow-up indicator of a mission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUpIndicator {
    /// Stable id of the indicator within the grid.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Deadlines {
    /// Months from signature to the start of the mission.
    pub start: u32,
    /// Months from signature to its full deployment.
    pub deployed: u32,
}

/// A line of a mission: fixed and variable annual amounts for tiers 1 to 4 (`None`: the
/// sources do not give the amount).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MissionPart {
    /// French name of the line.
    pub label: String,
    /// Fixed annual amount for tiers 1 to 4, euros.
    pub fixed: [Option<f64>; 4],
    /// Maximum variable annual amount for tiers 1 to 4, euros.
    pub variable: [Option<f64>; 4],
}

/// The funding of one mission for a tier; `None` amounts are not known.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FundingLine {
    /// Id of the mission.
    pub mission: String,
    /// French name of the mission.
    pub label: String,
    /// Whether the mission is mandatory (socle).
    pub mandatory: bool,
    /// Fixed annual part at the tier, euros.
    pub fixed: Option<f64>,
    /// Maximum variable part, paid on the achievement of the contract's indicators.
    pub variable: Option<f64>,
    /// Fixed plus variable, euros; `None` when either is not known.
    pub total: Option<f64>,
}

/// The annual envelope of a territory: missions funded at its tier.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FundingEnvelope {
    /// Id of the grid (`aci-2019`, `avenant-2-2021`).
    pub grid: String,
    /// Its label, to name it to the reader.
    pub grid_label: String,
    /// The population tier the amounts are read at, 1 to 4.
    pub tier: u8,
    /// One line per funded mission.
    pub lines: Vec<FundingLine>,
    /// Sums of the known amounts.
    pub fixed_total: f64,
    /// Sum of the known maximum variable parts, euros.
    pub variable_total: f64,
    /// The envelope when `total_known`; else only the sum of the known amounts.
    pub total: f64,
    /// False when some line's amount is not known (see `unknown_lines`).
    pub total_known: bool,
    /// Missions whose amount the grid does not know at this tier.
    pub unknown_lines: Vec<String>,
}

/// A grid that could not be chosen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GridChoiceError {
    /// The contract date given, not `YYYY-MM-DD`.
    #[error("contract date {0:?} is not a date YYYY-MM-DD")]
    InvalidDate(String),
    /// The contract date is earlier than the first grid's `valid_from`.
    #[error("contract date {date} precedes every grid (the first, {first}, applies from {from})")]
    BeforeGrids {
        /// The contract date given.
        date: String,
        /// Id of the earliest grid.
        first: String,
        /// Its first contract date.
        from: String,
    },
    /// No shipped grid has this id.
    #[error("unknown funding grid {id:?}; shipped grids: {known}")]
    UnknownGrid {
        /// The id given.
        id: String,
        /// The shipped ids, comma-separated.
        known: String,
    },
}

/// A mission id the grid does not know.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("unknown mission `{id}` for grid {grid}; known missions: {known}")]
pub struct UnknownMission {
    /// The mission id given.
    pub id: String,
    /// Id of the grid.
    pub grid: String,
    /// The grid's mission ids, comma-separated.
    pub known: String,
}

impl FundingGrid {
    /// The ACI 2019 grid shipped in `data/funding/aci-2019.json`.
    pub fn aci_2019() -> Self {
        serde_json::from_str(ACI_2019).expect("the shipped ACI 2019 grid is valid JSON")
    }

    /// The ACI as amended by avenant 2 (20/12/2021), `data/funding/avenant-2-2021.json`.
    pub fn avenant_2_2021() -> Self {
        serde_json::from_str(AVENANT_2_2021).expect("the shipped avenant 2 grid is valid JSON")
    }

    /// The shipped grids, oldest first.
    pub fn shipped() -> Vec<Self> {
        vec![Self::aci_2019(), Self::avenant_2_2021()]
    }

    /// The shipped grid with this id.
    pub fn by_id(id: &str) -> Result<Self, GridChoiceError> {
        Self::choose(&Self::shipped(), id)
    }

    /// The grid of `grids` with this id.
    pub fn choose(grids: &[Self], id: &str) -> Result<Self, GridChoiceError> {
        grids
            .iter()
            .find(|g| g.id == id)
            .cloned()
            .ok_or_else(|| GridChoiceError::UnknownGrid {
                id: id.to_string(),
                known: grids
                    .iter()
                    .map(|g| g.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The shipped grid a contract signed on `date` (`YYYY-MM-DD`) falls under.
    pub fn for_contract_date(date: &str) -> Result<Self, GridChoiceError> {
        Self::dated(&Self::shipped(), date)
    }

    /// The grid of `grids` a contract signed on `date` falls under: the latest `valid_from`
    /// on or before it.
    pub fn dated(grids: &[Self], date: &str) -> Result<Self, GridChoiceError> {
        if !is_date(date) {
            return Err(GridChoiceError::InvalidDate(date.to_string()));
        }
        let mut dated: Vec<&Self> = grids.iter().filter(|g| g.valid_from.is_some()).collect();
        dated.sort_by(|a, b| a.valid_from.cmp(&b.valid_from));
        match dated
            .iter()
            .rev()
            .find(|g| g.valid_from.as_deref() <= Some(date))
        {
            Some(g) => Ok((*g).clone()),
            None => Err(GridChoiceError::BeforeGrids {
                date: date.to_string(),
                first: dated.first().map(|g| g.id.clone()).unwrap_or_default(),
                from: dated
                    .first()
                    .and_then(|g| g.valid_from.clone())
                    .unwrap_or_default(),
            }),
        }
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
                // `None` as soon as one part is not known.
                let fixed: Option<f64> = m.parts.iter().map(|p| p.fixed[t]).sum();
                let variable: Option<f64> = m.parts.iter().map(|p| p.variable[t]).sum();
                FundingLine {
                    mission: m.id.clone(),
                    label: m.label.clone(),
                    mandatory: m.mandatory,
                    fixed,
                    variable,
                    total: fixed.zip(variable).map(|(f, v)| f + v),
                }
            })
            .collect();
        let fixed_total = lines.iter().filter_map(|l| l.fixed).sum::<f64>() + 0.0;
        let variable_total = lines.iter().filter_map(|l| l.variable).sum::<f64>() + 0.0;
        let unknown_lines: Vec<String> = lines
            .iter()
            .filter(|l| l.total.is_none())
            .map(|l| l.mission.clone())
            .collect();
        Ok(FundingEnvelope {
            grid: self.id.clone(),
            grid_label: self.label.clone(),
            tier: tier.size(),
            lines,
            fixed_total,
            variable_total,
            total: fixed_total + variable_total,
            total_known: unknown_lines.is_empty(),
            unknown_lines,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn avenant_2_operating_part_and_unknown_amounts() {
        let grid = FundingGrid::avenant_2_2021();
        // Operating part: ACI 2019's 50 000 / 60 000 / 75 000 / 90 000 raised by 75 %.
        let expected = [87_500.0, 105_000.0, 131_250.0, 157_500.0];
        for (tier, operating) in PopulationTier::ALL.into_iter().zip(expected) {
            let e = grid.envelope(tier, &[]).unwrap();
            let line = e.lines.iter().find(|l| l.mission == "operating").unwrap();
            assert_eq!(line.total, Some(operating));
            assert!(!e.total_known);
            assert!(e
                .unknown_lines
                .contains(&"health_crisis_response".to_string()));
            // Only known amounts are summed: here the operating part alone.
            assert_eq!(e.total, operating);
            assert!(e
                .lines
                .iter()
                .all(|l| l.total.is_some() != e.unknown_lines.contains(&l.mission)));
        }
        let crisis = grid
            .missions
            .iter()
            .find(|m| m.id == "health_crisis_response")
            .unwrap();
        assert!(crisis.mandatory);
        assert_eq!(grid.missions.iter().filter(|m| m.mandatory).count(), 5);
    }

    #[test]
    fn grids_by_contract_date_and_id() {
        assert_eq!(
            FundingGrid::for_contract_date("2021-12-19").unwrap().id,
            "aci-2019"
        );
        assert_eq!(
            FundingGrid::for_contract_date("2021-12-20").unwrap().id,
            "avenant-2-2021"
        );
        assert_eq!(
            FundingGrid::for_contract_date("2019-06-20").unwrap().id,
            "aci-2019"
        );
        assert!(matches!(
            FundingGrid::for_contract_date("2019-06-19"),
            Err(GridChoiceError::BeforeGrids { .. })
        ));
        for bad in [
            "2021-02-30",
            "2021-13-01",
            "20211220",
            "2021-1-01",
            "yesterday",
        ] {
            assert!(
                matches!(
                    FundingGrid::for_contract_date(bad),
                    Err(GridChoiceError::InvalidDate(_))
                ),
                "{bad}"
            );
        }
        assert!(FundingGrid::for_contract_date("2024-02-29").is_ok());
        assert_eq!(
            FundingGrid::by_id(DEFAULT_GRID).unwrap(),
            FundingGrid::avenant_2_2021()
        );
        let err = FundingGrid::by_id("aci-2030").unwrap_err().to_string();
        assert!(err.contains("aci-2019, avenant-2-2021"), "{err}");
    }

    #[test]
    fn aci_2019_totals_reproduce_the_published_row() {
        let grid = FundingGrid::aci_2019();
        let optional: Vec<&str> = grid
            .missions
            .iter()
            .filter(|m| !m.mandatory && !m.supplement)
            .map(|m| m.id.as_str())
            .collect();
        // ACI 2019 (explicitly: not the default grid), annexe 3 "total possible" row.
        assert_eq!(grid.id, "aci-2019");
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
