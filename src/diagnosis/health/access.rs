//! Access to general practitioners: DREES APL of the territory (population-weighted, the DREES
//! rule), its change between editions, population shares under the zoning thresholds,
//! under-served communes; and the accessibility computed (E2SFCA) from a loaded directory.
//!
//! The APL of a group of communes is the mean of their APL weighted by their age-standardised
//! population (DREES), i.e. accessible consultations over standardised inhabitants; partly
//! covered communes weigh pro rata of the covered area. Population shares use DREES's resident
//! population. "Under 2.5" and "under 4" are strict (`apl < 2.5`).

use serde::Serialize;

use crate::diagnosis::indicator::{list_codes, Indicator};
use crate::engine::{Atlas, HealthAtlas};
use crate::model::{Profession, TerritoryMember};

/// APL threshold used for priority zoning (consultations/year/standardised inhabitant).
pub const UNDER_SERVED_APL: f64 = 2.5;
/// Second threshold reported (the "fragile" band of zoning work).
pub const LOW_APL: f64 = 4.0;

/// APL indicators of a territory.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AplIndicators {
    /// One entry per loaded edition, oldest first.
    pub editions: Vec<AplEdition>,
    /// Change from the first to the last edition, when both have a value.
    pub change: Option<AplChange>,
    /// The APL under which a member counts as under-served (2.5).
    pub under_served_threshold: f64,
    /// Members under the threshold in the last edition, lowest APL first.
    pub under_served: Vec<UnderServedCommune>,
    /// Accessibility computed by cpts-atlas from a loaded directory (E2SFCA).
    pub computed: Indicator<ComputedAccess>,
}

/// The territory's APL in one edition.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AplEdition {
    /// Edition year of the DREES file (2022, 2023).
    pub edition: u16,
    /// Consultations/visits accessible per year per standardised inhabitant.
    pub apl: f64,
    /// Same, GPs aged 65 or under.
    pub apl_under_65: f64,
    /// Share of the population living in communes with `apl < 2.5`.
    pub population_share_under_2_5: f64,
    /// Share of the population living in communes with `apl < 4`.
    pub population_share_under_4: f64,
    /// Members without a DREES value in this edition (excluded from the figures).
    pub communes_without_value: Vec<String>,
    /// Who published it (French, shown in the UI).
    pub source: String,
}

/// Change of the territory's APL between two editions.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AplChange {
    /// The first edition.
    pub from: u16,
    /// The last edition.
    pub to: u16,
    /// `apl` of the last minus that of the first.
    pub absolute: f64,
    /// That change relative to the first, percent.
    pub relative_pct: f64,
}

/// A member commune under the APL threshold.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct UnderServedCommune {
    /// INSEE code of the commune (or arrondissement).
    pub code: String,
    /// Its name.
    pub name: String,
    /// APL by edition, oldest first.
    pub apl: Vec<EditionApl>,
}

/// A commune's APL in one edition (`None` where DREES has no value).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct EditionApl {
    /// Edition year.
    pub edition: u16,
    /// The commune's APL in it (consultations per standardised inhabitant per year).
    pub apl: Option<f64>,
}

/// The accessibility cpts-atlas computes itself (E2SFCA), for updating with a newer directory.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ComputedAccess {
    /// Population-weighted mean over the members.
    pub value: f64,
    /// The unit of `value`, in words.
    pub unit: &'static str,
    /// How it is computed (E2SFCA parameters, in words).
    pub method: String,
    /// Id of the directory the professionals come from.
    pub directory: String,
    /// Who published that directory (French, shown in the UI).
    pub source: String,
    /// Its date or year.
    pub vintage: String,
}

/// APL indicators of a territory's members.
pub fn apl(
    atlas: &Atlas,
    health: &HealthAtlas,
    members: &[TerritoryMember],
) -> Indicator<AplIndicators> {
    let tables = &health.data().apl;
    if tables.is_empty() {
        return Indicator::not_available("no DREES APL edition is loaded");
    }
    let editions: Vec<AplEdition> = (0..tables.len())
        .filter_map(|t| edition(health, t, members))
        .collect();
    if editions.is_empty() {
        return Indicator::not_available(
            "DREES publishes no APL for any commune of the territory (Mayotte, overseas collectivities)",
        );
    }
    let change = match (editions.first(), editions.last()) {
        (Some(a), Some(b)) if a.edition != b.edition => Some(AplChange {
            from: a.edition,
            to: b.edition,
            absolute: b.apl - a.apl,
            relative_pct: if a.apl > 0.0 {
                (b.apl - a.apl) / a.apl * 100.0
            } else {
                0.0
            },
        }),
        _ => None,
    };
    let last = tables.len() - 1;
    let mut under_served: Vec<UnderServedCommune> = members
        .iter()
        .filter(|m| {
            health
                .member_apl(last, m)
                .is_some_and(|v| v.apl < UNDER_SERVED_APL)
        })
        .map(|m| UnderServedCommune {
            code: m.code.clone(),
            name: m.name.clone(),
            apl: (0..tables.len())
                .map(|t| EditionApl {
                    edition: tables[t].edition,
                    apl: health.member_apl(t, m).map(|v| v.apl),
                })
                .collect(),
        })
        .collect();
    under_served.sort_by(|a, b| {
        let last = |c: &UnderServedCommune| c.apl.last().and_then(|x| x.apl).unwrap_or(0.0);
        last(a).total_cmp(&last(b))
    });
    Indicator::available(AplIndicators {
        editions,
        change,
        under_served_threshold: UNDER_SERVED_APL,
        under_served,
        computed: computed(atlas, health, members),
    })
}

fn edition(health: &HealthAtlas, table: usize, members: &[TerritoryMember]) -> Option<AplEdition> {
    let t = &health.data().apl[table];
    let (mut weight, mut apl, mut apl65, mut pop, mut under_2_5, mut under_4) =
        (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    let mut missing = Vec::new();
    for m in members {
        let Some(v) = health.member_apl(table, m) else {
            missing.push(m.code.clone());
            continue;
        };
        let w = v.standardized_population * m.coverage;
        weight += w;
        apl += v.apl * w;
        apl65 += v.apl_under_65 * w;
        let p = v.population * m.coverage;
        pop += p;
        if v.apl < UNDER_SERVED_APL {
            under_2_5 += p;
        }
        if v.apl < LOW_APL {
            under_4 += p;
        }
    }
    (weight > 0.0 && pop > 0.0).then(|| AplEdition {
        edition: t.edition,
        apl: apl / weight,
        apl_under_65: apl65 / weight,
        population_share_under_2_5: under_2_5 / pop,
        population_share_under_4: under_4 / pop,
        communes_without_value: missing,
        source: t.source.clone(),
    })
}

/// The E2SFCA accessibility of the territory from the first directory listing GPs that
/// covers every member.
fn computed(
    atlas: &Atlas,
    health: &HealthAtlas,
    members: &[TerritoryMember],
) -> Indicator<ComputedAccess> {
    let directories = &health.data().directories;
    let covering = (0..directories.len()).find(|&d| {
        let coverage = &directories[d].coverage;
        coverage.covers_profession(Profession::GeneralPractitioner)
            && members.iter().all(|m| {
                coverage.covers_commune(&m.code, &atlas.commune(m.commune_index).departement)
            })
    });
    let Some(d) = covering else {
        return Indicator::not_available(
            "no loaded directory of general practitioners covers the whole territory",
        );
    };
    if !health.lists_gps(d) {
        return Indicator::not_available("the directory lists no general practitioner");
    }
    let (mut sum, mut weight) = (0.0, 0.0);
    let mut missing = Vec::new();
    for m in members {
        match health
            .computed_access_of(atlas, d, m.commune_index)
            .flatten()
        {
            Some(a) => {
                sum += a * m.population_counted;
                weight += m.population_counted;
            }
            None => missing.push(m.code.clone()),
        }
    }
    if weight <= 0.0 {
        return Indicator::not_available(format!(
            "no centroid or no population for: {}",
            list_codes(&missing, 5)
        ));
    }
    let directory = &directories[d];
    Indicator::available(ComputedAccess {
        value: sum / weight,
        unit: "general practitioners reachable per 10,000 inhabitants (E2SFCA)",
        method: health.e2sfca_params().describe(),
        directory: directory.id.clone(),
        source: directory.source.clone(),
        vintage: directory.vintage.clone(),
    })
}
