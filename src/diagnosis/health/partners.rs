//! Potential partners the DGOS requires of a CPTS project: the health establishments and
//! médico-social structures inside the territory, named from FINESS where the loaded list
//! names them, else counted from the BPE by commune and type.

use serde::Serialize;

use crate::diagnosis::health::hospitals::{Hospital, HospitalAccess};
use crate::diagnosis::indicator::Indicator;
use crate::engine::{Atlas, HealthAtlas};
use crate::model::{CarePlace, TerritoryMember};

/// Said of a BPE count whose structures the loaded FINESS list does not name.
pub const NAME_NOT_AVAILABLE: &str = "nom non disponible (FINESS complet non chargé)";
/// Said of a BPE count of hospital services when a FINESS hospital list is loaded.
pub const NAMED_AS_HOSPITAL: &str =
    "service hospitalier : voir les établissements FINESS nommés (hôpitaux seulement)";
/// Said of a BPE count when the loaded FINESS list names every category.
pub const NAMED_IN_FINESS: &str = "voir les établissements FINESS nommés";

/// The partners of a territory.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Partners {
    /// FINESS establishments located in the territory's communes, with their names (empty
    /// when no FINESS list is loaded).
    pub establishments: Vec<Hospital>,
    /// What the FINESS names cover: `none` (no list loaded), `hospitals` (a hospital list such
    /// as eurostat's FINESS 2020: no EHPAD, no disability structure, no HAD or dialysis centre
    /// outside hospitals) or `all` (a list with médico-social categories, e.g. FINESS etalab).
    pub names_cover: &'static str,
    /// Source and vintage of the FINESS names; `None` when no list is loaded.
    pub names_source: Option<String>,
    /// BPE counts of establishments and médico-social structures by commune and type (every
    /// type but pharmacies and laboratories), each saying where its names are.
    pub bpe_counts: Vec<PartnerCount>,
    /// Source and vintage of `bpe_counts`; `None` when no BPE table is loaded.
    pub bpe_source: Option<String>,
    /// True only when a FINESS list naming every category is loaded.
    pub complete: bool,
    /// What the lists do and do not cover (French, for users).
    pub note_fr: String,
}

/// Structures of one type in one commune, from the BPE.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PartnerCount {
    /// Commune or arrondissement code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// The type of structure.
    #[serde(rename = "type")]
    pub place: CarePlace,
    /// Its French name.
    pub label_fr: &'static str,
    /// Structures of the type there (BPE).
    pub count: u32,
    /// Where the structures' names are, or [`NAME_NOT_AVAILABLE`].
    pub names: &'static str,
    /// In a commune only partly covered by the territory.
    pub in_partly_covered_commune: bool,
}

/// The partners of a territory's members; `hospitals` is the territory's hospital indicator
/// (its `inside` list gives the FINESS names).
pub fn partners(
    atlas: &Atlas,
    health: &HealthAtlas,
    members: &[TerritoryMember],
    hospitals: &Indicator<HospitalAccess>,
) -> Partners {
    let finess = health.establishments();
    let list = finess.map(|e| e.list());
    let names_cover = match finess {
        None => "none",
        Some(e) if e.names_medico_social() => "all",
        Some(_) => "hospitals",
    };
    let establishments = hospitals
        .get()
        .map(|h| h.inside.clone())
        .unwrap_or_default();
    let names = |place: CarePlace| match names_cover {
        "all" => NAMED_IN_FINESS,
        "hospitals" if is_hospital_service(place) => NAMED_AS_HOSPITAL,
        _ => NAME_NOT_AVAILABLE,
    };
    let mut bpe_counts = Vec::new();
    let care = health.care_places();
    if let Some((index, _)) = care {
        for m in members {
            let partly = m.estimated && !m.iris;
            for code in health.place_codes(m) {
                let rows = if m.iris {
                    index.at_iris(code)
                } else {
                    index.at_code(code)
                };
                let name = if m.iris || code == m.code {
                    m.name.clone()
                } else {
                    match atlas.find(code) {
                        Some(crate::engine::CommuneRef::Arrondissement(a)) => {
                            atlas.arrondissement(a).name.clone()
                        }
                        _ => m.name.clone(),
                    }
                };
                for place in CarePlace::ALL.into_iter().filter(|p| p.is_partner()) {
                    let count: u32 = rows
                        .iter()
                        .filter(|r| r.place == place)
                        .map(|r| r.count)
                        .sum();
                    if count > 0 {
                        bpe_counts.push(PartnerCount {
                            code: code.to_string(),
                            name: name.clone(),
                            place,
                            label_fr: place.label_fr(),
                            count,
                            names: names(place),
                            in_partly_covered_commune: partly,
                        });
                    }
                }
            }
        }
    }
    let bpe_source = care.map(|(_, t)| format!("{} (millésime {})", t.source, t.vintage));
    let mut note = match names_cover {
        "none" => {
            "Aucune liste FINESS n'est chargée : les structures ne sont pas nommées.".to_string()
        }
        "hospitals" => "Les noms viennent d'une liste FINESS des établissements hospitaliers \
                        seulement : les EHPAD, les structures pour personnes handicapées, les \
                        services à domicile et les centres hors hôpital n'y sont pas nommés."
            .to_string(),
        _ => "Les noms viennent d'une liste FINESS de toutes catégories.".to_string(),
    };
    note.push_str(match bpe_source {
        Some(_) => {
            " Les comptes par commune et par type viennent de la BPE de l'INSEE : ils \
                    disent combien de structures existent, pas lesquelles."
        }
        None => {
            " Aucune table BPE n'est chargée : les structures médico-sociales ne sont pas \
                 comptées."
        }
    });
    Partners {
        establishments,
        names_cover,
        names_source: list.map(|l| format!("{} (millésime {})", l.source, l.vintage)),
        bpe_counts,
        bpe_source,
        complete: names_cover == "all",
        note_fr: note,
    }
}

/// Whether a type is a hospital service (named by a FINESS hospital list).
fn is_hospital_service(place: CarePlace) -> bool {
    matches!(
        place,
        CarePlace::Emergency
            | CarePlace::Maternity
            | CarePlace::ShortStay
            | CarePlace::FollowUpCare
            | CarePlace::LongStay
            | CarePlace::Psychiatry
            | CarePlace::CancerCentre
    )
}
