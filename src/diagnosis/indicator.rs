//! An indicator that is either available with its value or not available with the reason.

use serde::Serialize;

/// `{"available": true, ...value}` or `{"available": false, "reason": "..."}` in JSON: outside
/// a source's coverage the answer is "not available" with its reason, never a silent zero.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator<T> {
    /// Whether `value` is given.
    pub available: bool,
    /// Why not available (`None` when available).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The value (`None` when not available).
    #[serde(flatten)]
    pub value: Option<T>,
}

impl<T> Indicator<T> {
    /// An available value.
    pub fn available(value: T) -> Self {
        Self {
            available: true,
            reason: None,
            value: Some(value),
        }
    }

    /// Not available, and why.
    pub fn not_available(reason: impl Into<String>) -> Self {
        Self {
            available: false,
            reason: Some(reason.into()),
            value: None,
        }
    }

    /// The value, when available.
    pub fn get(&self) -> Option<&T> {
        self.value.as_ref()
    }
}

/// The JSON shape in the OpenAPI document: `available: true` with the value's fields, or
/// `available: false` with the `reason` (and none of the value's fields). utoipa's derive asks
/// generic field types (`Indicator<ProfessionSupply>`) for `ComposeSchema`, from which it gives
/// `PartialSchema`; the value's schema is named by `T::name()`.
impl<T: utoipa::ToSchema> utoipa::__dev::ComposeSchema for Indicator<T> {
    fn compose(
        _: Vec<utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>>,
    ) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, OneOfBuilder, Type};
        let available = |value: bool| {
            ObjectBuilder::new()
                .schema_type(Type::Boolean)
                .enum_values(Some([value]))
        };
        let with_value = AllOfBuilder::new()
            .item(utoipa::openapi::Ref::from_schema_name(T::name()))
            .item(
                ObjectBuilder::new()
                    .property("available", available(true))
                    .required("available"),
            );
        let without = ObjectBuilder::new()
            .property("available", available(false))
            .required("available")
            .property(
                "reason",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some("Why the indicator is not available")),
            )
            .required("reason");
        OneOfBuilder::new().item(with_value).item(without).into()
    }
}

impl<T: utoipa::ToSchema> utoipa::ToSchema for Indicator<T> {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        schemas.push((T::name().into(), T::schema()));
        T::schemas(schemas);
    }
}

/// `codes` joined for a message, at most `max` of them then "and N more".
pub(crate) fn list_codes(codes: &[String], max: usize) -> String {
    let mut text = codes
        .iter()
        .take(max)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if codes.len() > max {
        text.push_str(&format!(" and {} more", codes.len() - max));
    }
    text
}

/// The départements of a territory's members, sorted, each once.
pub(crate) fn member_departements(
    atlas: &crate::engine::Atlas,
    members: &[crate::model::TerritoryMember],
) -> Vec<String> {
    let mut departements: Vec<String> = members
        .iter()
        .map(|m| atlas.commune(m.commune_index).departement.clone())
        .collect();
    departements.sort();
    departements.dedup();
    departements
}
