//! COG 2026 (`@etalab/decoupage-administratif`): communes, arrondissements, départements, régions, EPCI.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::loaders::{read_json, LoadError};
use crate::model::{Arrondissement, Commune, Departement, Epci, Geography, Region};

#[derive(Deserialize)]
struct RawCommune {
    code: String,
    nom: String,
    #[serde(rename = "type")]
    kind: String,
    departement: Option<String>,
    region: Option<String>,
    population: Option<u64>,
    #[serde(default, rename = "anciensCodes")]
    former_codes: Vec<String>,
    #[serde(rename = "chefLieu")]
    chef_lieu: Option<String>,
    commune: Option<String>,
    #[serde(default, rename = "codesPostaux")]
    postal_codes: Vec<String>,
}

#[derive(Deserialize)]
struct RawDepartement {
    code: String,
    nom: String,
    region: String,
}

#[derive(Deserialize)]
struct RawRegion {
    code: String,
    nom: String,
}

#[derive(Deserialize)]
struct RawEpci {
    code: String,
    nom: String,
    membres: Vec<RawEpciMember>,
}

#[derive(Deserialize)]
struct RawEpciMember {
    code: String,
}

/// Reads the COG folder into a geography without polygons.
///
/// Former codes come from `anciensCodes` of current communes and from the `chefLieu` of communes
/// déléguées and associées; a code that is itself a current commune is never a former code.
pub fn load_cog(dir: &Path) -> Result<Geography, LoadError> {
    let raw: Vec<RawCommune> = read_json(&dir.join("communes.json"))?;
    let departements: Vec<RawDepartement> = read_json(&dir.join("departements.json"))?;
    let regions: Vec<RawRegion> = read_json(&dir.join("regions.json"))?;
    let epcis: Vec<RawEpci> = read_json(&dir.join("epci.json"))?;

    let mut epci_of: HashMap<&str, &str> = HashMap::new();
    for epci in &epcis {
        for member in &epci.membres {
            epci_of.insert(member.code.as_str(), epci.code.as_str());
        }
    }

    let mut communes = Vec::new();
    let mut arrondissements = Vec::new();
    let mut former: Vec<(String, String)> = Vec::new();
    let mut postal: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for c in &raw {
        if matches!(
            c.kind.as_str(),
            "commune-actuelle" | "arrondissement-municipal"
        ) {
            for p in &c.postal_codes {
                postal.entry(p.clone()).or_default().push(c.code.clone());
            }
        }
        match c.kind.as_str() {
            "commune-actuelle" => {
                communes.push(Commune {
                    code: c.code.clone(),
                    name: c.nom.clone(),
                    departement: c.departement.clone().unwrap_or_default(),
                    region: c.region.clone().unwrap_or_default(),
                    epci: epci_of.get(c.code.as_str()).map(|s| s.to_string()),
                    population: c.population,
                    geometry: None,
                });
                former.extend(
                    c.former_codes
                        .iter()
                        .map(|old| (old.clone(), c.code.clone())),
                );
            }
            "commune-deleguee" | "commune-associee" => {
                if let Some(chef) = &c.chef_lieu {
                    former.push((c.code.clone(), chef.clone()));
                }
            }
            "arrondissement-municipal" => arrondissements.push(Arrondissement {
                code: c.code.clone(),
                name: c.nom.clone(),
                commune: c.commune.clone().unwrap_or_default(),
                population: c.population,
            }),
            _ => {}
        }
    }
    let current: std::collections::HashSet<&str> =
        communes.iter().map(|c| c.code.as_str()).collect();
    former.retain(|(old, _)| !current.contains(old.as_str()));
    former.sort();
    former.dedup_by(|a, b| a.0 == b.0);

    Ok(Geography {
        vintage: String::new(),
        communes,
        arrondissements,
        departements: departements
            .into_iter()
            .map(|d| Departement {
                code: d.code,
                name: d.nom,
                region: d.region,
            })
            .collect(),
        regions: regions
            .into_iter()
            .map(|r| Region {
                code: r.code,
                name: r.nom,
            })
            .collect(),
        epcis: epcis
            .into_iter()
            .map(|e| Epci {
                siren: e.code,
                name: e.nom,
                members: e.membres.into_iter().map(|m| m.code).collect(),
            })
            .collect(),
        former_codes: former,
        display_levels: Vec::new(),
        postal_codes: postal
            .into_iter()
            .map(|(p, mut codes)| {
                codes.sort();
                codes.dedup();
                (p, codes)
            })
            .collect(),
    })
}
