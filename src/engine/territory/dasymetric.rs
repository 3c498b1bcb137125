//! Dasymetric population: how a commune's legal population is spread over its IRIS.
//!
//! A commune (or, in Paris, Lyon and Marseille, each arrondissement) is a *unit* with a legal
//! population `P`. Each of its IRIS gets a share `sᵢ` of `P` (the shares sum to 1):
//! - **`iris_population`**: when every IRIS of the unit has a census population `pᵢ` (an INSEE
//!   IRIS population file), `sᵢ = pᵢ / Σ p`. The census and the legal population may be of
//!   different years: the IRIS figures only say how the legal population is distributed.
//! - **`iris_type_weighted`** otherwise: `sᵢ = wᵢ / Σ w` with a weight per IRIS type
//!   ([`type_weight`]): INSEE draws residential IRIS (H) to hold 1 800–5 000 inhabitants each,
//!   so each carries about the same population whatever its area; an activity IRIS (A) carries
//!   about a fifth of that, a miscellaneous one (D) almost nothing.
//!
//! A territory covering a fraction `aᵢ` of IRIS `i`'s area then counts `P × Σ sᵢ aᵢ`: population
//! is assumed even over the area *within* each IRIS, not over the whole commune. Both are
//! estimates and are labelled as such.

use crate::model::{CountingMethod, Iris, IrisType};

/// Weight of an IRIS type in the type-weighted estimate (a residential IRIS weighs 1).
///
/// - H and Z: 1 (Z is a commune not divided into IRIS: it is its own unit).
/// - A: 0.22, the ratio of the mean 2012 census population of Lyon and Villeurbanne's 30
///   activity IRIS (633) to that of their 326 residential IRIS (2 831), in the IRIS file shipped
///   (`iris_lyon_69_LyonMetro.geojson`, `p12_pop`); `tests/iris.rs` recomputes it.
/// - D: 0.02, an assumption: INSEE describes them as large, sparsely inhabited zones (the two
///   of that file have 0 inhabitants); 2 % of a residential IRIS (~50 people) keeps them from
///   counting exactly nothing.
///
/// ```
/// use cpts_atlas::engine::type_weight;
/// use cpts_atlas::model::IrisType;
/// assert_eq!(type_weight(IrisType::Residential), 1.0);
/// assert!(type_weight(IrisType::Activity) < 0.25);
/// ```
pub fn type_weight(kind: IrisType) -> f64 {
    match kind {
        IrisType::Residential | IrisType::Undivided => 1.0,
        IrisType::Activity => 0.22,
        IrisType::Miscellaneous => 0.02,
    }
}

/// The shares of a unit's population carried by each of its IRIS, and the method used.
pub(crate) fn unit_shares(iris: &[&Iris]) -> (Vec<f64>, CountingMethod) {
    let populations: Option<Vec<f64>> = iris.iter().map(|i| i.population).collect();
    let (weights, method) = match populations {
        Some(p) if p.iter().sum::<f64>() > 0.0 => (p, CountingMethod::IrisPopulation),
        _ => (
            iris.iter().map(|i| type_weight(i.kind)).collect(),
            CountingMethod::IrisTypeWeighted,
        ),
    };
    let total: f64 = weights.iter().sum();
    (weights.iter().map(|w| w / total).collect(), method)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iris(kind: IrisType, population: Option<f64>) -> Iris {
        Iris {
            code: "693810101".into(),
            name: String::new(),
            kind,
            unit: "69381".into(),
            population,
            geometry: None,
        }
    }

    #[test]
    fn shares_follow_populations_when_all_are_known() {
        let (a, b) = (
            iris(IrisType::Residential, Some(3000.0)),
            iris(IrisType::Activity, Some(1000.0)),
        );
        let (shares, method) = unit_shares(&[&a, &b]);
        assert_eq!(method, CountingMethod::IrisPopulation);
        assert_eq!(shares, vec![0.75, 0.25]);
    }

    #[test]
    fn shares_follow_types_otherwise() {
        let (a, b, c) = (
            iris(IrisType::Residential, Some(3000.0)),
            iris(IrisType::Residential, None),
            iris(IrisType::Activity, None),
        );
        let (shares, method) = unit_shares(&[&a, &b, &c]);
        assert_eq!(method, CountingMethod::IrisTypeWeighted);
        let total = 2.0 + type_weight(IrisType::Activity);
        assert!((shares[0] - 1.0 / total).abs() < 1e-12);
        assert!((shares[2] - type_weight(IrisType::Activity) / total).abs() < 1e-12);
        assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }
}
