//! The ACI population tier ("taille") of a CPTS.
//!
//! # Rule at the boundaries
//! The ACI writes taille 1 as "< 40 000", taille 2 as "40 000 – 80 000", taille 3 as
//! "80 000 – 175 000" and taille 4 as "> 175 000". cpts-atlas reads it as:
//! taille 1: p < 40 000; taille 2: 40 000 ≤ p < 80 000; taille 3: 80 000 ≤ p ≤ 175 000;
//! taille 4: p > 175 000. So 40 000 and 80 000 open the higher tier, and 175 000 is still
//! taille 3 — the two strict inequalities the text states are honoured literally.
//!
//! # Examples
//! ```
//! use cpts_atlas::diagnosis::PopulationTier;
//! assert_eq!(PopulationTier::from_population(39_999), PopulationTier::One);
//! assert_eq!(PopulationTier::from_population(40_000), PopulationTier::Two);
//! assert_eq!(PopulationTier::from_population(175_000), PopulationTier::Three);
//! assert_eq!(PopulationTier::from_population(175_001), PopulationTier::Four);
//! ```

use serde::Serialize;

/// ACI population tier, from taille 1 (smallest) to taille 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PopulationTier {
    /// Taille 1: under 40 000 inhabitants.
    One,
    /// Taille 2: 40 000 to 79 999 inhabitants.
    Two,
    /// Taille 3: 80 000 to 175 000 inhabitants.
    Three,
    /// Taille 4: over 175 000 inhabitants.
    Four,
}

impl PopulationTier {
    /// All tiers, smallest first.
    pub const ALL: [PopulationTier; 4] = [Self::One, Self::Two, Self::Three, Self::Four];

    /// The tier of a territory of `population` inhabitants (see the module doc for boundaries).
    pub fn from_population(population: u64) -> Self {
        match population {
            p if p < 40_000 => Self::One,
            p if p < 80_000 => Self::Two,
            p if p <= 175_000 => Self::Three,
            _ => Self::Four,
        }
    }

    /// 1 to 4.
    pub fn size(self) -> u8 {
        self as u8 + 1
    }

    /// Index 0 to 3, for per-tier tables.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The French label, "Taille N".
    pub fn label(self) -> String {
        format!("Taille {}", self.size())
    }
}

impl Serialize for PopulationTier {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("PopulationTier", 2)?;
        st.serialize_field("size", &self.size())?;
        st.serialize_field("label", &self.label())?;
        st.end()
    }
}

/// The JSON shape of [`PopulationTier`] in the OpenAPI document: `{"size", "label"}`.
impl utoipa::PartialSchema for PopulationTier {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .description(Some("ACI population tier"))
            .property(
                "size",
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(1))
                    .maximum(Some(4))
                    .description(Some("1 (smallest) to 4")),
            )
            .required("size")
            .property(
                "label",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some("`Taille 1` to `Taille 4`")),
            )
            .required("label")
            .into()
    }
}

impl utoipa::ToSchema for PopulationTier {}

#[cfg(test)]
mod tests {
    use super::PopulationTier::{self, *};

    #[test]
    fn tiers_at_and_around_each_boundary() {
        let cases = [
            (0, One),
            (39_999, One),
            (40_000, Two),
            (40_001, Two),
            (79_999, Two),
            (80_000, Three),
            (80_001, Three),
            (174_999, Three),
            (175_000, Three),
            (175_001, Four),
            (u64::MAX, Four),
        ];
        for (population, tier) in cases {
            assert_eq!(
                PopulationTier::from_population(population),
                tier,
                "{population}"
            );
        }
    }
}
