//! DREES APL (accessibilité potentielle localisée) to general practitioners, by commune.

use std::collections::BTreeMap;

use crate::model::CommuneCode;

/// The APL of one commune in one edition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AplValue {
    /// Consultations/visits accessible per year per age-standardised inhabitant (all GPs).
    pub apl: f64,
    /// Same, counting only GPs aged 65 or under.
    pub apl_under_65: f64,
    /// Age-standardised population DREES divides by.
    pub standardized_population: f64,
    /// Resident population DREES used.
    pub population: f64,
}

impl AplValue {
    /// The APL of communes taken together (DREES rule): means weighted by standardised
    /// population, populations summed; `None` for no part.
    ///
    /// ```
    /// use cpts_atlas::model::AplValue;
    /// let v = |apl, std| AplValue { apl, apl_under_65: apl, standardized_population: std, population: std };
    /// let both = AplValue::combine(&[v(2.0, 100.0), v(5.0, 300.0)]).unwrap();
    /// assert_eq!(both.apl, (2.0 * 100.0 + 5.0 * 300.0) / 400.0);
    /// assert_eq!(both.population, 400.0);
    /// ```
    pub fn combine(parts: &[AplValue]) -> Option<AplValue> {
        if let [one] = parts {
            return Some(*one);
        }
        let n = parts.len() as f64;
        let weight: f64 = parts.iter().map(|v| v.standardized_population).sum();
        let mean = |f: fn(&AplValue) -> f64| {
            if weight > 0.0 {
                parts
                    .iter()
                    .map(|v| f(v) * v.standardized_population)
                    .sum::<f64>()
                    / weight
            } else {
                parts.iter().map(f).sum::<f64>() / n
            }
        };
        (!parts.is_empty()).then(|| AplValue {
            apl: mean(|v| v.apl),
            apl_under_65: mean(|v| v.apl_under_65),
            standardized_population: weight,
            population: parts.iter().map(|v| v.population).sum(),
        })
    }
}

/// One edition of the DREES APL file (e.g. 2023), keyed by current commune code.
#[derive(Debug, Clone, PartialEq)]
pub struct AplTable {
    /// Edition year (2022, 2023).
    pub edition: u16,
    /// Who published it (French, shown in the UI).
    pub source: String,
    /// Values by commune code (Paris, Lyon and Marseille by arrondissement, as DREES publishes).
    pub values: BTreeMap<CommuneCode, AplValue>,
}
