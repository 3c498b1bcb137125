//! Detailed age bands: the territory's shares of each age group against its départements', where
//! a detailed age source covers them (ARS Normandie 2017 0-6 / 60+ / 75+, or a loaded INSEE
//! age-band file); the census structure of all France is in `age_structure`.

use serde::Serialize;

use crate::diagnosis::indicator::{list_codes, member_departements, Indicator};
use crate::engine::{Atlas, HealthAtlas};
use crate::model::{AgeGroup, TerritoryMember};

/// Age structure of a territory.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AgeStructureIndicator {
    /// One entry per group the source gives.
    pub groups: Vec<AgeShare>,
    /// Who published the source (French, shown in the UI).
    pub source: String,
    /// Year of its counts.
    pub vintage: String,
}

/// One age group: territory count and share, and each département's share.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AgeShare {
    /// The group.
    pub group: AgeGroup,
    /// Its French label.
    pub label_fr: &'static str,
    /// People of the group (partly covered communes pro rata of area).
    pub count: f64,
    /// Share of the territory's population (the source's own population total).
    pub share: f64,
    /// The same share in each département of the members.
    pub departements: Vec<DepartementShare>,
}

/// A département's share of an age group.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DepartementShare {
    /// Code of the département.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its share, or why not available (the source does not cover it wholly).
    #[serde(flatten)]
    pub share: Indicator<Share>,
}

/// A share in `[0, 1]`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Share {
    /// The share, in [0, 1].
    pub share: f64,
}

/// A département's code, name and (population, group counts) when the source covers it.
type DepartementTotals = (String, String, Option<(f64, Vec<f64>)>);

/// Age structure from the first age source covering every member.
pub fn age_structure(
    atlas: &Atlas,
    health: &HealthAtlas,
    members: &[TerritoryMember],
) -> Indicator<AgeStructureIndicator> {
    let sources = &health.data().ages;
    if sources.is_empty() {
        return Indicator::not_available(
            "no population-by-age source is loaded (load INSEE's base-cc-evol-struct-pop file)",
        );
    }
    let missing = |s: usize| -> Vec<String> {
        members
            .iter()
            .filter(|m| health.member_ages(s, m).is_none())
            .map(|m| m.code.clone())
            .collect()
    };
    let Some(s) = (0..sources.len()).find(|&s| missing(s).is_empty()) else {
        let absent = missing(0);
        return Indicator::not_available(format!(
            "outside the age source's coverage ({}): {} commune(s) without data: {}",
            sources[0].source,
            absent.len(),
            list_codes(&absent, 5)
        ));
    };
    let source = &sources[s];
    let mut population = 0.0;
    let mut counts = vec![0.0; source.groups.len()];
    for m in members {
        if let Some(a) = health.member_ages(s, m) {
            population += a.population * m.coverage;
            counts
                .iter_mut()
                .zip(&a.groups)
                .for_each(|(c, v)| *c += v * m.coverage);
        }
    }
    let dep_totals: Vec<DepartementTotals> = member_departements(atlas, members)
        .into_iter()
        .map(|d| {
            let name = atlas
                .departement(&d)
                .map(|x| x.name.clone())
                .unwrap_or_default();
            let totals = health
                .departement_ages(s, &d)
                .map(|t| (t.population, t.groups.clone()));
            (d, name, totals)
        })
        .collect();
    let groups = source
        .groups
        .iter()
        .enumerate()
        .map(|(g, &group)| AgeShare {
            group,
            label_fr: group.label_fr(),
            count: counts[g],
            share: if population > 0.0 {
                counts[g] / population
            } else {
                0.0
            },
            departements: dep_totals
                .iter()
                .map(|(code, name, totals)| DepartementShare {
                    code: code.clone(),
                    name: name.clone(),
                    share: match totals {
                        Some((pop, groups)) if *pop > 0.0 => Indicator::available(Share {
                            share: groups[g] / pop,
                        }),
                        _ => Indicator::not_available(
                            "the age source does not cover the whole département",
                        ),
                    },
                })
                .collect(),
        })
        .collect();
    Indicator::available(AgeStructureIndicator {
        groups,
        source: source.source.clone(),
        vintage: source.vintage.clone(),
    })
}
