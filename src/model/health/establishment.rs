//! Health establishments (FINESS): hospitals and clinics with their location.

/// One establishment (FINESS géographique).
#[derive(Debug, Clone, PartialEq)]
pub struct Establishment {
    /// FINESS number of the site, 9 characters (leading zero restored).
    pub finess: String,
    /// Name as published.
    pub name: String,
    /// Category as published (`Centre Hospitalier (C.H.)`).
    pub category: String,
    /// `public`, `private` or the source's wording.
    pub status: String,
    /// INSEE code of the commune, when the source gives it.
    pub commune: Option<String>,
    /// WGS84 longitude and latitude, degrees.
    pub lon: f64,
    /// WGS84 latitude, degrees.
    pub lat: f64,
}

/// A list of establishments with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct EstablishmentList {
    /// Who published the list (French, shown in the UI).
    pub source: String,
    /// Date or year of the list.
    pub vintage: String,
    /// The establishments, in file order.
    pub establishments: Vec<Establishment>,
}

impl Establishment {
    /// Whether the establishment gives general (second-line) hospital care: every category but
    /// psychiatric hospitals, rehabilitation (SSR) and long-term care units, read from the
    /// FINESS category label.
    ///
    /// ```
    /// use cpts_atlas::model::Establishment;
    /// let e = |category: &str| Establishment {
    ///     finess: "010000024".into(), name: "CH".into(), category: category.into(),
    ///     status: "public".into(), commune: None, lon: 5.2, lat: 46.2,
    /// };
    /// assert!(e("Centre Hospitalier (C.H.)").is_second_line());
    /// assert!(!e("Centre Hospitalier Spécialisé lutte Maladies Mentales").is_second_line());
    /// assert!(!e("Etablissement de santé privé autorisé en SSR").is_second_line());
    /// assert!(!e("Etablissement de Soins Longue Durée").is_second_line());
    /// ```
    pub fn is_second_line(&self) -> bool {
        let c = self.category.to_lowercase();
        !(c.contains("mentales")
            || c.contains("psychiatri")
            || c.contains("ssr")
            || c.contains("soins de suite")
            || c.contains("longue dur"))
    }

    /// Whether the establishment is a médico-social structure for elderly or disabled people,
    /// read from the FINESS category label (the eurostat hospital list has none).
    ///
    /// ```
    /// use cpts_atlas::model::Establishment;
    /// let e = |category: &str| Establishment {
    ///     finess: "230000000".into(), name: "X".into(), category: category.into(),
    ///     status: "public".into(), commune: None, lon: 1.9, lat: 46.2,
    /// };
    /// assert!(e("Etablissement d'hébergement pour personnes âgées dépendantes").is_medico_social());
    /// assert!(e("Maison d'Accueil Spécialisée (M.A.S.) pour handicapés").is_medico_social());
    /// assert!(!e("Centre Hospitalier (C.H.)").is_medico_social());
    /// ```
    pub fn is_medico_social(&self) -> bool {
        let c = self.category.to_lowercase();
        c.contains("personnes âgées") || c.contains("handicap") || c.contains("e.h.p.a.d")
    }
}
