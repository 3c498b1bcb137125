//! Search of communes, arrondissements and EPCI by name or code, accent- and case-insensitive.

use geo::BoundingRect;

use crate::engine::Atlas;

/// What a search hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// A current commune.
    Commune,
    /// An arrondissement municipal of Paris, Lyon or Marseille.
    Arrondissement,
    /// An EPCI (its members form the territory).
    Epci,
}

/// A search result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Place {
    /// INSEE code, or SIREN for an EPCI.
    pub code: String,
    /// Name (COG, or as the EPCI is published).
    pub name: String,
    /// Commune, arrondissement or EPCI.
    pub kind: PlaceKind,
    /// Code of the département, when the place has one.
    pub departement: Option<String>,
    /// Legal population, inhabitants, when known.
    pub population: Option<u64>,
    /// WGS84 bounding box `[min_lon, min_lat, max_lon, max_lat]`, when known.
    pub bbox: Option<[f64; 4]>,
}

/// A search index built once from the atlas.
pub struct CommuneSearch {
    entries: Vec<(String, Place)>,
    /// Postal code -> indexes in `entries` of the communes and arrondissements it serves.
    postal: std::collections::HashMap<String, Vec<usize>>,
}

impl CommuneSearch {
    /// Indexes every commune, arrondissement and EPCI of the atlas.
    pub fn new(atlas: &Atlas) -> Self {
        let mut entries = Vec::new();
        let bbox_of = |i: usize| {
            atlas
                .commune(i)
                .geometry
                .as_ref()
                .and_then(|g| g.bounding_rect())
                .map(|r| [r.min().x, r.min().y, r.max().x, r.max().y])
        };
        for (i, c) in atlas.communes().iter().enumerate() {
            entries.push((
                fold(&c.name),
                Place {
                    code: c.code.clone(),
                    name: c.name.clone(),
                    kind: PlaceKind::Commune,
                    departement: Some(c.departement.clone()),
                    population: c.population,
                    bbox: bbox_of(i),
                },
            ));
        }
        for a in &atlas.geography().arrondissements {
            let parent = atlas.find(&a.commune).and_then(|r| match r {
                crate::engine::CommuneRef::Commune(i) => Some(i),
                crate::engine::CommuneRef::Arrondissement(_) => None,
            });
            entries.push((
                fold(&a.name),
                Place {
                    code: a.code.clone(),
                    name: a.name.clone(),
                    kind: PlaceKind::Arrondissement,
                    departement: parent.map(|i| atlas.commune(i).departement.clone()),
                    population: a.population,
                    bbox: parent.and_then(bbox_of),
                },
            ));
        }
        for e in &atlas.geography().epcis {
            let population = e
                .members
                .iter()
                .filter_map(|code| match atlas.find(code)? {
                    crate::engine::CommuneRef::Commune(i) => atlas.commune(i).population,
                    crate::engine::CommuneRef::Arrondissement(_) => None,
                })
                .sum();
            entries.push((
                fold(&e.name),
                Place {
                    code: e.siren.clone(),
                    name: e.name.clone(),
                    kind: PlaceKind::Epci,
                    departement: None,
                    population: Some(population),
                    bbox: None,
                },
            ));
        }
        let at: std::collections::HashMap<&str, usize> = entries
            .iter()
            .enumerate()
            .filter(|(_, (_, p))| p.kind != PlaceKind::Epci)
            .map(|(k, (_, p))| (p.code.as_str(), k))
            .collect();
        let postal = atlas
            .geography()
            .postal_codes
            .iter()
            .map(|(postal, codes)| {
                let found = codes.iter().filter_map(|c| at.get(c.as_str()).copied());
                (postal.clone(), found.collect())
            })
            .collect();
        Self { entries, postal }
    }

    /// Places whose code starts with `query`, or whose name starts with or contains it, or
    /// that a postal code `query` serves: exact codes, then the postal code's communes, code
    /// prefixes, name prefixes, name substrings; communes before arrondissements before EPCI;
    /// larger populations first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&Place> {
        let q = fold(query);
        if q.is_empty() {
            return Vec::new();
        }
        let served: &[usize] = self.postal.get(query.trim()).map_or(&[], Vec::as_slice);
        let mut hits: Vec<(u8, &Place)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(k, (name, place))| {
                let rank = if place.code.eq_ignore_ascii_case(query.trim()) {
                    0
                } else if served.contains(&k) {
                    1
                } else if place.code.starts_with(query.trim()) {
                    2
                } else if name.starts_with(&q) {
                    3
                } else if name.contains(&q) {
                    4
                } else {
                    return None;
                };
                Some((rank, place))
            })
            .collect();
        hits.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then((a.1.kind as u8).cmp(&(b.1.kind as u8)))
                .then(b.1.population.cmp(&a.1.population))
                .then(a.1.code.cmp(&b.1.code))
        });
        hits.into_iter().take(limit).map(|(_, p)| p).collect()
    }
}

/// [`fold`](crate::model::fold)ed, with hyphens and apostrophes as word breaks and blanks
/// collapsed: the search key of a name or a query.
fn fold(s: &str) -> String {
    crate::model::fold(s)
        .replace(['-', '\''], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_accents_case_and_hyphens() {
        assert_eq!(fold("Saint-Étienne-du-Rouvray"), "saint etienne du rouvray");
        assert_eq!(fold("  L'Haÿ-les-Roses "), "l hay les roses");
        assert_eq!(fold("Œuilly"), "oeuilly");
        assert_eq!(fold("Saint-Léger-aux-Bois"), fold("saint leger aux bois"));
    }
}
