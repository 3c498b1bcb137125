//! Administrative units above and below the commune: départements, régions, EPCI, arrondissements.

/// A département (`13`, `2A`, `971`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Departement {
    /// Département code (COG).
    pub code: String,
    /// Name (COG), e.g. `Bouches-du-Rhône`.
    pub name: String,
    /// Code of its région.
    pub region: String,
}

/// A région (`93`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// Région code (COG).
    pub code: String,
    /// Name (COG), e.g. `Provence-Alpes-Côte d'Azur`.
    pub name: String,
}

/// An EPCI (intercommunality), identified by its SIREN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Epci {
    /// SIREN, 9 digits.
    pub siren: String,
    /// Name as published.
    pub name: String,
    /// Codes of the member communes.
    pub members: Vec<String>,
}

/// An arrondissement municipal of Paris, Lyon or Marseille (`13201`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrondissement {
    /// INSEE code of the arrondissement (`13201`).
    pub code: String,
    /// Name (COG), e.g. `Marseille 1er Arrondissement`.
    pub name: String,
    /// Code of the commune it divides (`13055`).
    pub commune: String,
    /// Legal population (COG `population`); `None` when the COG gives none.
    pub population: Option<u64>,
}
