//! Commune codes of older vintages mapped to the current COG, for every raw source.

use std::collections::{HashMap, HashSet};

use crate::model::Geography;

/// Maps a source's commune code (any vintage) to the current commune or arrondissement code.
pub struct CurrentCodes {
    current: HashSet<String>,
    former: HashMap<String, String>,
    departement: HashMap<String, String>,
}

impl CurrentCodes {
    /// Builds the mapping from a geography (current communes, arrondissements, former codes).
    pub fn new(geography: &Geography) -> Self {
        let mut departement: HashMap<String, String> = geography
            .communes
            .iter()
            .map(|c| (c.code.clone(), c.departement.clone()))
            .collect();
        for a in &geography.arrondissements {
            if let Some(d) = departement.get(&a.commune).cloned() {
                departement.insert(a.code.clone(), d);
            }
        }
        Self {
            current: departement.keys().cloned().collect(),
            former: geography.former_codes.iter().cloned().collect(),
            departement,
        }
    }

    /// The current code of `code`: itself when current, its successor when merged, else `None`.
    pub fn current<'a>(&'a self, code: &'a str) -> Option<&'a str> {
        if self.current.contains(code) {
            Some(code)
        } else {
            self.former.get(code).map(String::as_str)
        }
    }

    /// The département of a current commune or arrondissement code.
    pub fn departement(&self, current_code: &str) -> Option<&str> {
        self.departement.get(current_code).map(String::as_str)
    }
}

/// Codes a loader could not map, kept for its report (nothing is dropped silently).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unmapped {
    /// Source code -> number of rows carrying it.
    pub codes: std::collections::BTreeMap<String, usize>,
}

impl Unmapped {
    pub(crate) fn add(&mut self, code: &str) {
        *self.codes.entry(code.to_string()).or_default() += 1;
    }

    /// Total rows dropped.
    pub fn rows(&self) -> usize {
        self.codes.values().sum()
    }
}
