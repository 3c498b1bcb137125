//! A synthetic national registry for the benches, built from real communes: one CPTS per EPCI
//! (about 1 250), every 7th also listing two communes of a neighbouring EPCI (deliberate
//! conflicts), every 11th holding its first commune only in part (declared splits when a
//! neighbour also holds it).

use geo::BoundingRect;

use cpts_atlas::engine::Atlas;
use cpts_atlas::model::{Cpts, CptsMember, Registry};

pub fn national_registry(atlas: &Atlas) -> Registry {
    let geography = atlas.geography();
    let mut cpts: Vec<Cpts> = Vec::with_capacity(geography.epcis.len());
    for (k, epci) in geography.epcis.iter().enumerate() {
        let mut members: Vec<CptsMember> = epci
            .members
            .iter()
            .map(|code| CptsMember {
                code: code.clone(),
                infra_communal: false,
            })
            .collect();
        if k % 11 == 0 {
            members[0].infra_communal = true;
        }
        if k % 7 == 0 {
            members.extend(
                neighbours(atlas, &epci.siren, &epci.members[0]).map(|code| CptsMember {
                    code,
                    infra_communal: false,
                }),
            );
        }
        cpts.push(Cpts {
            id: format!("synthetic-{}", epci.siren),
            name: format!("CPTS {}", epci.name),
            members,
            outline: None,
            site: String::new(),
            status: None,
        });
    }
    Registry {
        source: "synthetic national registry (one CPTS per EPCI, deliberate overlaps)".into(),
        cpts,
        areas: Vec::new(),
    }
}

/// Two communes of other EPCIs near `code`.
fn neighbours<'a>(
    atlas: &'a Atlas,
    siren: &'a str,
    code: &str,
) -> impl Iterator<Item = String> + 'a {
    let found = match atlas.find(code) {
        Some(cpts_atlas::engine::CommuneRef::Commune(i)) => atlas
            .commune(i)
            .geometry
            .as_ref()
            .and_then(|g| g.bounding_rect()),
        _ => None,
    };
    found
        .into_iter()
        .flat_map(move |r| {
            atlas
                .communes_in_bbox(r.min().x, r.min().y, r.max().x, r.max().y)
                .filter(move |&i| atlas.commune(i).epci.as_deref() != Some(siren))
                .map(|i| atlas.commune(i).code.clone())
                .collect::<Vec<_>>()
        })
        .take(2)
}
