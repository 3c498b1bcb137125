//! Care places a CPTS territory should give access to, as types of INSEE's BPE (TYPEQU codes).

use serde::{Deserialize, Serialize};

/// A type of care place: one or more BPE equipment types (TYPEQU). The serde id (`emergency`,
/// `ehpad`, ...) is stable: it keys `care_places` in the diagnosis JSON.
///
/// # Examples
/// ```
/// use cpts_atlas::model::CarePlace;
/// assert_eq!(CarePlace::of_typequ("D106"), Some(CarePlace::Emergency));
/// assert_eq!(CarePlace::of_typequ("D109"), Some(CarePlace::Psychiatry));
/// assert_eq!(CarePlace::of_typequ("D201"), None);
/// assert_eq!(CarePlace::Psychiatry.typequ(), ["D104", "D109"]);
/// assert_eq!(CarePlace::Emergency.id(), "emergency");
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
pub enum CarePlace {
    /// Emergency service (BPE D106).
    Emergency,
    /// Maternity (BPE D107).
    Maternity,
    /// Short-stay hospital care, médecine-chirurgie-obstétrique (BPE D101).
    ShortStay,
    /// Follow-up and rehabilitation care, SSR (BPE D102).
    FollowUpCare,
    /// Long-stay care (BPE D103).
    LongStay,
    /// Psychiatry, with or without accommodation (BPE D104, D109).
    Psychiatry,
    /// Hospitalisation at home, HAD (BPE D112).
    HomeHospitalisation,
    /// Dialysis centre (BPE D111).
    Dialysis,
    /// Cancer centre (BPE D105).
    CancerCentre,
    /// Maison de santé pluriprofessionnelle (BPE D113).
    Msp,
    /// Centre de santé (BPE D108).
    HealthCentre,
    /// EHPAD, nursing home for dependent elderly people (BPE D401).
    Ehpad,
    /// Home nursing for the elderly, SSIAD (BPE D402).
    ElderlyHomeNursing,
    /// Home help for the elderly (BPE D403).
    ElderlyHomeHelp,
    /// Meals delivered to the elderly (BPE D404).
    ElderlyMeals,
    /// Accommodation for disabled children (BPE D601).
    DisabledChildrenAccommodation,
    /// Home care for disabled children, SESSAD (BPE D602).
    DisabledChildrenHomeCare,
    /// Accommodation for disabled adults (BPE D603).
    DisabledAdultsAccommodation,
    /// Services for disabled adults (BPE D604).
    DisabledAdultsServices,
    /// Sheltered work, ESAT (BPE D605).
    ShelteredWork,
    /// Home care for disabled adults (BPE D606).
    DisabledAdultsHomeCare,
    /// Pharmacy (BPE D301).
    Pharmacy,
    /// Medical analysis laboratory (BPE D302).
    Laboratory,
}

impl CarePlace {
    /// Every type, in display order (hospital care, first-line structures, elderly care,
    /// disability, pharmacies and laboratories).
    pub const ALL: [CarePlace; 23] = [
        Self::Emergency,
        Self::Maternity,
        Self::ShortStay,
        Self::FollowUpCare,
        Self::LongStay,
        Self::Psychiatry,
        Self::HomeHospitalisation,
        Self::Dialysis,
        Self::CancerCentre,
        Self::Msp,
        Self::HealthCentre,
        Self::Ehpad,
        Self::ElderlyHomeNursing,
        Self::ElderlyHomeHelp,
        Self::ElderlyMeals,
        Self::DisabledChildrenAccommodation,
        Self::DisabledChildrenHomeCare,
        Self::DisabledAdultsAccommodation,
        Self::DisabledAdultsServices,
        Self::ShelteredWork,
        Self::DisabledAdultsHomeCare,
        Self::Pharmacy,
        Self::Laboratory,
    ];

    /// The stable English id (`follow_up_care`).
    pub fn id(self) -> &'static str {
        match self {
            Self::Emergency => "emergency",
            Self::Maternity => "maternity",
            Self::ShortStay => "short_stay",
            Self::FollowUpCare => "follow_up_care",
            Self::LongStay => "long_stay",
            Self::Psychiatry => "psychiatry",
            Self::HomeHospitalisation => "home_hospitalisation",
            Self::Dialysis => "dialysis",
            Self::CancerCentre => "cancer_centre",
            Self::Msp => "msp",
            Self::HealthCentre => "health_centre",
            Self::Ehpad => "ehpad",
            Self::ElderlyHomeNursing => "elderly_home_nursing",
            Self::ElderlyHomeHelp => "elderly_home_help",
            Self::ElderlyMeals => "elderly_meals",
            Self::DisabledChildrenAccommodation => "disabled_children_accommodation",
            Self::DisabledChildrenHomeCare => "disabled_children_home_care",
            Self::DisabledAdultsAccommodation => "disabled_adults_accommodation",
            Self::DisabledAdultsServices => "disabled_adults_services",
            Self::ShelteredWork => "sheltered_work",
            Self::DisabledAdultsHomeCare => "disabled_adults_home_care",
            Self::Pharmacy => "pharmacy",
            Self::Laboratory => "laboratory",
        }
    }

    /// The BPE 2019 equipment types (TYPEQU) counted under this type.
    pub fn typequ(self) -> &'static [&'static str] {
        match self {
            Self::Emergency => &["D106"],
            Self::Maternity => &["D107"],
            Self::ShortStay => &["D101"],
            Self::FollowUpCare => &["D102"],
            Self::LongStay => &["D103"],
            Self::Psychiatry => &["D104", "D109"],
            Self::HomeHospitalisation => &["D112"],
            Self::Dialysis => &["D111"],
            Self::CancerCentre => &["D105"],
            Self::Msp => &["D113"],
            Self::HealthCentre => &["D108"],
            Self::Ehpad => &["D401"],
            Self::ElderlyHomeNursing => &["D402"],
            Self::ElderlyHomeHelp => &["D403"],
            Self::ElderlyMeals => &["D404"],
            Self::DisabledChildrenAccommodation => &["D601"],
            Self::DisabledChildrenHomeCare => &["D602"],
            Self::DisabledAdultsAccommodation => &["D603"],
            Self::DisabledAdultsServices => &["D604"],
            Self::ShelteredWork => &["D605"],
            Self::DisabledAdultsHomeCare => &["D606"],
            Self::Pharmacy => &["D301"],
            Self::Laboratory => &["D302"],
        }
    }

    /// The type a BPE TYPEQU code is counted under, if any.
    pub fn of_typequ(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.typequ().contains(&code))
    }

    /// Whether the type is a health establishment or médico-social structure the DGOS requires
    /// as a partner of the CPTS (every type but pharmacies and laboratories, which are
    /// first-line professionals' sites).
    pub fn is_partner(self) -> bool {
        !matches!(self, Self::Pharmacy | Self::Laboratory)
    }

    /// French label for users (after INSEE's BPE 2019 nomenclature).
    pub fn label_fr(self) -> &'static str {
        match self {
            Self::Emergency => "Urgences",
            Self::Maternity => "Maternité",
            Self::ShortStay => "Court séjour (médecine, chirurgie, obstétrique)",
            Self::FollowUpCare => "Moyen séjour : soins de suite et de réadaptation (SSR)",
            Self::LongStay => "Long séjour",
            Self::Psychiatry => "Psychiatrie (avec hébergement ou ambulatoire)",
            Self::HomeHospitalisation => "Hospitalisation à domicile (HAD)",
            Self::Dialysis => "Dialyse",
            Self::CancerCentre => "Centre de lutte contre le cancer",
            Self::Msp => "Maison de santé pluriprofessionnelle",
            Self::HealthCentre => "Centre de santé",
            Self::Ehpad => "Personnes âgées : hébergement (EHPAD, résidences autonomie)",
            Self::ElderlyHomeNursing => "Personnes âgées : soins à domicile (SSIAD)",
            Self::ElderlyHomeHelp => "Personnes âgées : services d'aide",
            Self::ElderlyMeals => "Personnes âgées : foyers restaurants",
            Self::DisabledChildrenAccommodation => "Enfants handicapés : hébergement",
            Self::DisabledChildrenHomeCare => "Enfants handicapés : soins à domicile (SESSAD)",
            Self::DisabledAdultsAccommodation => "Adultes handicapés : hébergement",
            Self::DisabledAdultsServices => "Adultes handicapés : services",
            Self::ShelteredWork => "Travail protégé (ESAT)",
            Self::DisabledAdultsHomeCare => "Adultes handicapés : soins à domicile",
            Self::Pharmacy => "Pharmacie",
            Self::Laboratory => "Laboratoire d'analyses médicales",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_typequ_belongs_to_one_type_and_ids_are_serde_ids() {
        let mut seen = std::collections::BTreeSet::new();
        for t in CarePlace::ALL {
            for code in t.typequ() {
                assert!(seen.insert(*code), "{code} twice");
                assert_eq!(CarePlace::of_typequ(code), Some(t));
            }
            assert_eq!(serde_json::to_value(t).unwrap(), t.id());
        }
    }
}
