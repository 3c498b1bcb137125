//! The health part of a diagnosis: supply, APL and computed access, hospitals, patients
//! without médecin traitant (or proxies), age structure, care places and partners — each with
//! its source and vintage.
pub mod age_structure;
pub mod ages;
pub mod care_places;
pub mod fragility;
pub mod hospitals;
pub mod partners;
pub mod patients;
pub mod population_change;
pub mod supply;
pub mod weighted;

pub mod access;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnosis::health::access::{apl, AplIndicators};
use crate::diagnosis::health::age_structure::{age_structure, CensusAgeStructure};
use crate::diagnosis::health::ages::{age_structure as detailed_ages, AgeStructureIndicator};
use crate::diagnosis::health::care_places::{
    care_places, CarePlaceAccess, DISTANCE_RULE, PARTLY_COVERED_RULE,
};
use crate::diagnosis::health::fragility::{fragility, Fragility};
use crate::diagnosis::health::hospitals::{hospitals, HospitalAccess};
use crate::diagnosis::health::partners::{partners, Partners};
use crate::diagnosis::health::patients::{
    patients_without_gp, proxies, PatientsWithoutGpIndicator,
};
use crate::diagnosis::health::population_change::population_change;
use crate::diagnosis::health::supply::{supply, ProfessionSupply};
use crate::diagnosis::health::weighted::{citation, WeightedFigure};
use crate::diagnosis::indicator::Indicator;
use crate::diagnosis::{Diagnosis, Source};
use crate::engine::{Atlas, HealthAtlas, ResolvedTerritory};
use crate::model::{CarePlace, Profession};

/// Health indicators of a territory (flattened into the diagnosis JSON).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct HealthIndicators {
    /// Keyed by profession id (`general_practitioner`, `nurse`, ...).
    pub supply: BTreeMap<Profession, Indicator<ProfessionSupply>>,
    pub apl: Indicator<AplIndicators>,
    pub hospitals: Indicator<HospitalAccess>,
    pub patients_without_gp: PatientsWithoutGpIndicator,
    /// Keyed by care-place type (`emergency`, `ehpad`, ...).
    pub care_places: BTreeMap<CarePlace, Indicator<CarePlaceAccess>>,
    pub partners: Partners,
    /// RP 2020 age bands (and the RP 2022 share of 75+) for every commune of France.
    pub age_structure: Indicator<CensusAgeStructure>,
    /// Finer or older bands where a detailed source covers the territory (ARS Normandie 2017,
    /// a loaded INSEE file).
    pub detailed_ages: Indicator<AgeStructureIndicator>,
    pub population_change: Indicator<WeightedFigure>,
    pub fragility: Fragility,
}

/// The schema of the flattened [`HealthIndicators`] in the diagnosis: all of their fields when
/// health data is loaded, else none of them.
pub(crate) fn without_or_with() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, Schema, Type};
    // `supply` is never null: an answer that has it must have every health field.
    let without = ObjectBuilder::new()
        .description(Some("Without health data: none of the health fields"))
        .property("supply", ObjectBuilder::new().schema_type(Type::Null));
    let schema = AnyOfBuilder::new()
        .item(utoipa::openapi::Ref::from_schema_name("HealthIndicators"))
        .item(without)
        .build();
    Schema::AnyOf(schema).into()
}

/// Computes the health indicators of a resolved territory.
pub fn health_indicators(
    atlas: &Atlas,
    health: &HealthAtlas,
    resolved: &ResolvedTerritory,
) -> HealthIndicators {
    let members = &resolved.members;
    let population = resolved.population;
    let supply = supply(atlas, health, members, population);
    let apl = apl(atlas, health, members);
    let proxies = proxies(&apl, &supply, members, atlas);
    let hospitals = hospitals(atlas, health, members);
    HealthIndicators {
        care_places: care_places(atlas, health, members),
        partners: partners(atlas, health, members, &hospitals),
        hospitals,
        patients_without_gp: patients_without_gp(atlas, health, members, proxies),
        age_structure: age_structure(atlas, health, members),
        detailed_ages: detailed_ages(atlas, health, members),
        population_change: population_change(atlas, health, members),
        fragility: fragility(atlas, health, members),
        supply,
        apl,
    }
}

/// Adds to `sources` the health sources the territory used: directories covering some member,
/// APL editions and CPAM or age files with a value for some member; the national
/// establishments file always.
pub(crate) fn add_sources(diagnosis: &mut Diagnosis, atlas: &Atlas, health: &HealthAtlas) {
    let data = health.data();
    let codes: Vec<(&str, &str)> = diagnosis
        .communes
        .iter()
        .map(|m| {
            let commune = atlas.commune(m.commune_index);
            (commune.code.as_str(), commune.departement.as_str())
        })
        .collect();
    let member_codes: Vec<&str> = diagnosis.communes.iter().map(|m| m.code.as_str()).collect();
    let mut add = |indicator: &str, source: String| {
        diagnosis.sources.push(Source {
            indicator: indicator.into(),
            source,
        })
    };
    for d in &data.directories {
        if codes
            .iter()
            .any(|(c, dep)| d.coverage.covers_commune(c, dep))
        {
            add("supply", format!("{} (millésime {})", d.source, d.vintage));
        }
    }
    for t in &data.apl {
        let has = |c: &&str| t.values.contains_key(*c);
        if codes.iter().any(|(c, _)| has(c)) || member_codes.iter().any(has) {
            add("apl", t.source.clone());
        }
    }
    if let Some(list) = health.establishments().map(|e| e.list()) {
        add(
            "hospitals",
            format!("{} (millésime {})", list.source, list.vintage),
        );
    }
    if let Some((_, table)) = health.care_places() {
        add(
            "care_places",
            format!(
                "{} (millésime {}); {DISTANCE_RULE}; {PARTLY_COVERED_RULE}",
                table.source, table.vintage
            ),
        );
    }
    let listed = |code: &str| codes.iter().any(|(c, _)| *c == code);
    if let Some(p) = data
        .patients
        .as_ref()
        .filter(|p| p.records.iter().any(|r| listed(&r.commune)))
    {
        add(
            "patients_without_gp",
            format!("{} (millésime {})", p.source, p.vintage),
        );
    }
    for note in health.statistics().map_or(&[][..], |s| s.notes()) {
        add(statistic_indicator(note.id), citation(note));
    }
    for a in data.ages.iter().filter(|a| {
        codes
            .iter()
            .any(|(c, dep)| a.communes.contains_key(*c) || a.departements.iter().any(|d| d == dep))
    }) {
        add(
            "detailed_ages",
            format!("{} (millésime {})", a.source, a.vintage),
        );
    }
}

/// The indicator of the diagnosis a statistics source feeds.
fn statistic_indicator(id: crate::model::StatisticSource) -> &'static str {
    use crate::model::StatisticSource as S;
    match id {
        S::Population2020 => "population_change",
        S::Ages2020 | S::Share75Plus2022 => "age_structure",
        S::Fedi | S::PovertyRate => "fragility",
    }
}
