//! Administrative units above and below the commune: départements, régions, EPCI, arrondissements.

/// A département (`13`, `2A`, `971`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Departement {
    pub code: String,
    pub name: String,
    pub region: String,
}

/// A région (`93`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub code: String,
    pub name: String,
}

/// An EPCI (intercommunality), identified by its SIREN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Epci {
    pub siren: String,
    pub name: String,
    /// Codes of the member communes.
    pub members: Vec<String>,
}

/// An arrondissement municipal of Paris, Lyon or Marseille (`13201`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrondissement {
    pub code: String,
    pub name: String,
    /// Code of the commune it divides (`13055`).
    pub commune: String,
    pub population: Option<u64>,
}
