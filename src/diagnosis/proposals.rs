//! ARS initiative: candidate CPTS territories over the communes no CPTS covers, each with its
//! population, tier, funding, supply and APL, and why it was cut where it was.

use std::collections::HashMap;

use geojson::{Feature, FeatureCollection};
use serde::{Deserialize, Serialize};

use crate::diagnosis::health::access::UNDER_SERVED_APL;
use crate::diagnosis::layers::geojson::{collection, rounded_feature};
use crate::diagnosis::layers::registry_layers::outline_of_codes;
use crate::diagnosis::{
    diagnose, Diagnosis, DiagnosisContext, DiagnosisError, DiagnosisOptions, FundingEnvelope,
    Indicator, NamedCode, PopulationTier,
};
use crate::engine::{
    Atlas, BorderShare, CommuneRef, CoverageScope, HealthAtlas, ProposalError, ProposalRules,
    RegistryCoverage, RegistryIndex, SizeStatus,
};
use crate::model::{Profession, TerritorySpec};

/// Which communes become poles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoleRule {
    /// The most populated communes (default).
    #[default]
    Population,
    /// The communes with the most general practitioners, where a loaded directory covers them
    /// (ARS Normandie 2021, Gironde RPPS 2017); elsewhere population decides.
    GeneralPractitioners,
}

impl PoleRule {
    /// The rule named by its id (`population`, `general_practitioners`).
    pub fn from_id(id: &str) -> Option<Self> {
        match id {
            "population" => Some(Self::Population),
            "general_practitioners" => Some(Self::GeneralPractitioners),
            _ => None,
        }
    }
}

/// A proposal of candidate territories for a scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    pub scope: CoverageScope,
    pub rules: ProposalRules,
    pub pole_rule: PoleRule,
    /// How the pole rule applied (e.g. where no directory covers the communes).
    pub pole_note: Option<String>,
    /// The registry the white zones were computed against.
    pub registry: String,
    /// Which communes of the scope lie in a loaded registry's area: only those were cut.
    pub registry_coverage: RegistryCoverage,
    pub uncovered_communes: usize,
    pub uncovered_population: u64,
    pub candidates: Vec<CandidateTerritory>,
    /// Partly covered communes whose uncovered part cannot be proposed, and why.
    pub left_out: Vec<LeftOutCommune>,
}

/// A partly covered commune the proposal leaves out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeftOutCommune {
    pub code: String,
    pub name: String,
    pub reason: String,
}

/// One candidate territory with its indicators.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateTerritory {
    pub id: String,
    /// Named after its most populated member.
    pub name: String,
    pub pole: NamedCode,
    pub population: u64,
    pub tier: PopulationTier,
    pub funding: FundingEnvelope,
    pub size_status: SizeStatus,
    /// Member codes (communes, or arrondissements of a partly covered commune).
    pub codes: Vec<String>,
    pub communes: Vec<NamedCode>,
    /// Island communes joined across water (no shared border).
    pub across_water: Vec<String>,
    pub area_km2: f64,
    pub density_per_km2: Option<f64>,
    pub general_practitioners: Indicator<GpSupply>,
    pub apl: Indicator<AplSummary>,
    pub cut_reasons: Vec<String>,
    pub borders: Vec<BorderShare>,
}

/// General practitioners of a candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GpSupply {
    pub count: f64,
    pub density_per_10k: Option<f64>,
    pub source: String,
}

/// The candidate's DREES APL in the latest edition loaded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AplSummary {
    pub edition: u16,
    pub apl: f64,
    /// Share of the population in communes with an APL under 2.5.
    pub population_share_under_2_5: f64,
    pub under_served_threshold: f64,
}

/// Why a proposal could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProposeError {
    #[error(transparent)]
    Rules(#[from] ProposalError),
    #[error(transparent)]
    Diagnosis(#[from] DiagnosisError),
}

/// Cuts the white zones of `scope` into candidates and diagnoses each one (overlaps checked
/// against `registry`, health indicators when `context` has health data).
pub fn propose(
    context: &DiagnosisContext,
    registry: &RegistryIndex,
    options: &DiagnosisOptions,
    scope: &CoverageScope,
    rules: &ProposalRules,
    pole_rule: PoleRule,
) -> Result<Proposal, ProposeError> {
    let context = context.with_registry(Some(registry));
    let (atlas, health) = (context.atlas, context.health);
    let gp_counts = match (pole_rule, health) {
        (PoleRule::GeneralPractitioners, Some(h)) => gp_counts(atlas, h),
        _ => HashMap::new(),
    };
    let population = |i: usize| atlas.commune(i).population.unwrap_or(0) as f64;
    let score = |i: usize| match pole_rule {
        PoleRule::Population => population(i),
        PoleRule::GeneralPractitioners => gp_counts.get(&i).copied().unwrap_or(0.0),
    };
    let partition = registry.propose(atlas, scope, rules, &score)?;
    let members = partition.candidates.iter().flat_map(|c| &c.communes);
    let uncovered_communes = members.clone().count();
    let outside = members.filter(|&&i| !gp_counts.contains_key(&i)).count();
    let pole_note = match pole_rule {
        PoleRule::Population => None,
        PoleRule::GeneralPractitioners if outside == 0 => None,
        PoleRule::GeneralPractitioners => Some(format!(
            "{outside} of {uncovered_communes} uncovered communes are outside every loaded \
             directory of general practitioners: among them, population chose the poles"
        )),
    };
    let mut candidates = Vec::with_capacity(partition.candidates.len());
    for cut in &partition.candidates {
        let codes: Vec<String> = cut
            .communes
            .iter()
            .map(|&i| atlas.commune(i).code.clone())
            .chain(
                cut.arrondissements
                    .iter()
                    .map(|&k| atlas.arrondissement(k).code.clone()),
            )
            .collect();
        let resolved = atlas
            .resolve(&TerritorySpec::Codes(codes.clone()))
            .map_err(DiagnosisError::from)?;
        let d = diagnose(&context, resolved, options)?;
        let pole = atlas.commune(cut.pole);
        let largest = d
            .communes
            .iter()
            .max_by(|a, b| a.population.cmp(&b.population).then(b.code.cmp(&a.code)))
            .map_or_else(|| pole.name.clone(), |m| m.name.clone());
        let mut cut_reasons = cut.cut_reasons.clone();
        if pole_rule == PoleRule::GeneralPractitioners {
            cut_reasons.insert(
                1,
                match gp_counts.get(&cut.pole) {
                    Some(n) => format!("pole rule: most general practitioners ({n})"),
                    None => "pole rule: most general practitioners, no directory here: population"
                        .into(),
                },
            );
        }
        candidates.push(CandidateTerritory {
            id: cut.id.clone(),
            name: largest,
            pole: NamedCode {
                code: pole.code.clone(),
                name: pole.name.clone(),
            },
            population: d.population,
            tier: d.tier,
            size_status: cut.size_status,
            communes: d
                .communes
                .iter()
                .map(|m| NamedCode {
                    code: m.code.clone(),
                    name: m.name.clone(),
                })
                .collect(),
            codes,
            across_water: cut
                .across_water
                .iter()
                .map(|&i| atlas.commune(i).code.clone())
                .collect(),
            area_km2: d.area_km2,
            density_per_km2: d.density_per_km2,
            general_practitioners: gp_supply(&d),
            apl: apl_summary(&d),
            cut_reasons,
            borders: cut.borders.clone(),
            funding: d.funding,
        });
    }
    Ok(Proposal {
        scope: partition.scope,
        rules: partition.rules,
        pole_rule,
        pole_note,
        registry: registry.source().to_string(),
        registry_coverage: partition.registry_coverage,
        uncovered_communes,
        uncovered_population: candidates.iter().map(|c| c.population).sum(),
        candidates,
        left_out: partition
            .left_out
            .into_iter()
            .map(|(i, reason)| LeftOutCommune {
                code: atlas.commune(i).code.clone(),
                name: atlas.commune(i).name.clone(),
                reason,
            })
            .collect(),
    })
}

/// General practitioners per commune, from the first loaded directory covering it; communes
/// no directory covers are absent.
fn gp_counts(atlas: &Atlas, health: &HealthAtlas) -> HashMap<usize, f64> {
    let directories = &health.data().directories;
    let answering: Vec<Option<usize>> = atlas
        .communes()
        .iter()
        .map(|c| {
            directories.iter().position(|d| {
                d.coverage
                    .covers_profession(Profession::GeneralPractitioner)
                    && d.coverage.covers_commune(&c.code, &c.departement)
            })
        })
        .collect();
    let mut counts: HashMap<usize, f64> = answering
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.map(|_| (i, 0.0)))
        .collect();
    for (k, d) in directories.iter().enumerate() {
        for p in &d.counts {
            if p.profession != Profession::GeneralPractitioner {
                continue;
            }
            if let Some(CommuneRef::Commune(i)) = atlas.find(&p.commune) {
                if answering[i] == Some(k) {
                    *counts.entry(i).or_default() += f64::from(p.count);
                }
            }
        }
    }
    counts
}

fn gp_supply(d: &Diagnosis) -> Indicator<GpSupply> {
    let Some(h) = &d.health else {
        return Indicator::not_available("no health data loaded");
    };
    match h.supply.get(&Profession::GeneralPractitioner) {
        Some(s) => match s.get() {
            Some(s) => Indicator::available(GpSupply {
                count: s.count,
                density_per_10k: s.density_per_10k,
                source: format!("{} ({})", s.source, s.vintage),
            }),
            None => Indicator::not_available(s.reason.clone().unwrap_or_default()),
        },
        None => Indicator::not_available("no directory lists general practitioners"),
    }
}

fn apl_summary(d: &Diagnosis) -> Indicator<AplSummary> {
    let Some(h) = &d.health else {
        return Indicator::not_available("no health data loaded");
    };
    match (h.apl.get(), &h.apl.reason) {
        (Some(a), _) => match a.editions.last() {
            Some(e) => Indicator::available(AplSummary {
                edition: e.edition,
                apl: e.apl,
                population_share_under_2_5: e.population_share_under_2_5,
                under_served_threshold: UNDER_SERVED_APL,
            }),
            None => Indicator::not_available("no APL edition has a value here"),
        },
        (None, reason) => Indicator::not_available(reason.clone().unwrap_or_default()),
    }
}

/// The proposal as a map layer: one feature per candidate (`kind: "candidate"`, outline the
/// union of its communes; arrondissements are drawn as their whole commune, flagged
/// `approximate_outline`), then one per member commune (`kind: "commune"`, its `candidate`),
/// outlines simplified for zoom `zoom` (see [`Atlas::display_outline`]). The rest of the
/// proposal (scope, rules, left-out communes) is the foreign member `proposal`.
pub fn proposal_layer(atlas: &Atlas, proposal: &Proposal, zoom: u8) -> FeatureCollection {
    let mut features: Vec<Feature> = Vec::new();
    for c in &proposal.candidates {
        let approximate = c
            .codes
            .iter()
            .any(|code| matches!(atlas.find(code), Some(CommuneRef::Arrondissement(_))));
        let codes: Vec<&str> = if approximate {
            vec![c.pole.code.as_str()]
        } else {
            c.codes.iter().map(String::as_str).collect()
        };
        let mut f = rounded_feature(&outline_of_codes(atlas, codes), c);
        f.set_property("kind", "candidate");
        f.set_property("approximate_outline", approximate);
        features.push(f);
    }
    for c in &proposal.candidates {
        for m in &c.communes {
            let Some(CommuneRef::Commune(i)) = atlas.find(&m.code) else {
                continue;
            };
            let Some(outline) = atlas.display_outline(i, zoom) else {
                continue;
            };
            let mut f = rounded_feature(outline, m);
            f.set_property("kind", "commune");
            f.set_property("candidate", c.id.clone());
            f.set_property("population", atlas.commune(i).population.unwrap_or(0));
            features.push(f);
        }
    }
    let mut layer = collection(features);
    if let Ok(serde_json::Value::Object(mut about)) = serde_json::to_value(proposal) {
        about.remove("candidates");
        layer.foreign_members = Some(
            [("proposal".to_string(), serde_json::Value::Object(about))]
                .into_iter()
                .collect(),
        );
    }
    layer
}
