//! Population-weighted figures of a territory from the commune statistics, with the same figure
//! for its départements, régions and France, and the members left out for lack of a value.

use serde::Serialize;

use crate::diagnosis::indicator::{list_codes, Indicator};
use crate::engine::{Atlas, ComparisonArea, StatisticsIndex, WeightedSum};
use crate::model::{StatisticNote, StatisticSource, TerritoryMember};

/// A member without a value, and why.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MemberWithoutValue {
    /// INSEE code of the member.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its population counted, left out of the figure.
    pub population: f64,
    /// Why the source has no value for it (French, from the source's note).
    pub reason: String,
}

/// The territory's sum of a figure over its members with a value, and the others.
#[derive(Debug, Clone, PartialEq)]
pub struct TerritorySum {
    /// Weighted sums of the figure and their weight, over the members with a value.
    pub sum: WeightedSum,
    /// Whether a member with a value was counted pro rata (partly covered: an estimate).
    pub estimated: bool,
    /// Members without a value, left out of the sum.
    pub without_value: Vec<MemberWithoutValue>,
}

/// Sums figure `id` over `members`.
pub fn territory_sum(
    atlas: &Atlas,
    index: &StatisticsIndex,
    members: &[TerritoryMember],
    id: StatisticSource,
) -> TerritorySum {
    let reason = index
        .note(id)
        .map_or("no value in the source", |n| n.missing.as_str());
    let mut out = TerritorySum {
        sum: WeightedSum::default(),
        estimated: false,
        without_value: Vec::new(),
    };
    for m in members {
        match index.member_value(atlas, m, id) {
            Some(v) => {
                out.sum.add(&v, 1.0);
                out.estimated |= m.estimated;
            }
            None => {
                out.sum.add_missing(m.population_counted);
                out.without_value.push(MemberWithoutValue {
                    code: m.code.clone(),
                    name: m.name.clone(),
                    population: m.population_counted,
                    reason: reason.to_string(),
                });
            }
        }
    }
    out
}

/// Why a territory has no value at all: every member lacks one, or none has inhabitants in
/// the source's population (a share of nobody is not 0).
pub fn none_available(sum: &TerritorySum) -> Option<String> {
    if sum.sum.weight > 0.0 {
        return None;
    }
    let Some(first) = sum.without_value.first() else {
        return Some(
            "the territory's communes have no inhabitants in the source's population".into(),
        );
    };
    let codes: Vec<String> = sum.without_value.iter().map(|m| m.code.clone()).collect();
    Some(format!(
        "no member has a value: {} ({})",
        first.reason,
        list_codes(&codes, 5)
    ))
}

/// A comparison area (`departement`, `region`, `france`) of a territory.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// `departement`, `region` or `france`.
    pub level: &'static str,
    /// Code of the area; `None` for France.
    pub code: Option<String>,
    /// Its name.
    pub name: String,
    /// The area, as the statistics index knows it.
    pub place: ComparisonArea,
}

/// The départements, then régions of the members, then France.
pub fn comparison_areas(atlas: &Atlas, members: &[TerritoryMember]) -> Vec<Area> {
    let mut departements: Vec<&str> = Vec::new();
    let mut regions: Vec<&str> = Vec::new();
    for m in members {
        let c = atlas.commune(m.commune_index);
        departements.push(&c.departement);
        regions.push(&c.region);
    }
    departements.sort_unstable();
    departements.dedup();
    regions.sort_unstable();
    regions.dedup();
    let departements = departements.into_iter().map(|d| Area {
        level: "departement",
        code: Some(d.to_string()),
        name: atlas
            .departement(d)
            .map(|x| x.name.clone())
            .unwrap_or_default(),
        place: ComparisonArea::Departement(d.to_string()),
    });
    let regions = regions.into_iter().map(|r| Area {
        level: "region",
        code: Some(r.to_string()),
        name: atlas.region(r).map(|x| x.name.clone()).unwrap_or_default(),
        place: ComparisonArea::Region(r.to_string()),
    });
    departements
        .chain(regions)
        .chain([Area {
            level: "france",
            code: None,
            name: "France".into(),
            place: ComparisonArea::France,
        }])
        .collect()
}

/// A comparison area's value of a figure.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Comparison {
    /// `departement`, `region` or `france`.
    pub level: &'static str,
    /// Code of the area; `None` for France.
    pub code: Option<String>,
    /// Its name.
    pub name: String,
    /// Its value, or why not available.
    #[serde(flatten)]
    pub value: Indicator<AreaValue>,
}

/// The value of an area, with its communes left out for lack of a value.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AreaValue {
    /// The area's population-weighted mean, in the figure's unit.
    pub value: f64,
    /// Communes of the area the source has no value for.
    pub communes_without_value: usize,
    /// Their population, left out of the mean.
    pub population_without_value: f64,
}

/// The `i`-th weighted mean of figure `id` in each area.
pub fn comparisons(
    index: &StatisticsIndex,
    areas: &[Area],
    id: StatisticSource,
    i: usize,
) -> Vec<Comparison> {
    areas
        .iter()
        .map(|a| {
            let total = index.area_total(&a.place, id);
            Comparison {
                level: a.level,
                code: a.code.clone(),
                name: a.name.clone(),
                value: match total.mean(i) {
                    Some(value) => Indicator::available(AreaValue {
                        value,
                        communes_without_value: total.places_without_value,
                        population_without_value: total.population_without_value,
                    }),
                    None => Indicator::not_available("no commune of the area has a value"),
                },
            }
        })
        .collect()
}

/// A population-weighted figure of the territory: one number, its comparisons and sources.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct WeightedFigure {
    /// French label of the figure.
    pub label_fr: &'static str,
    /// The territory's population-weighted mean, in `unit`.
    pub value: f64,
    /// `share` (in [0, 1]), `index` (F-EDI) or `percent_per_year`.
    pub unit: &'static str,
    /// `population_2020` (RP 2020) or `legal_population` (COG 2026 populations légales).
    pub weighted_by: &'static str,
    /// True when partly covered communes count pro rata of their population counted.
    pub estimated: bool,
    /// Members the source has no value for.
    pub communes_without_value: usize,
    /// Their population counted, left out of the mean.
    pub population_without_value: f64,
    /// Those members, with the reason.
    pub without_value: Vec<MemberWithoutValue>,
    /// The same figure in the départements, régions and France.
    pub comparisons: Vec<Comparison>,
    /// Who published the figure (French, shown in the UI).
    pub source: String,
    /// Year of the figure.
    pub vintage: String,
    /// Licence of the data.
    pub licence: String,
}

/// How a figure is labelled and weighted.
#[derive(Debug, Clone, Copy)]
pub struct FigureKind {
    /// Which figure.
    pub id: StatisticSource,
    /// Its French label.
    pub label_fr: &'static str,
    /// `share`, `index` or `percent_per_year`.
    pub unit: &'static str,
}

/// The territory's weighted figure of `kind`, with its comparisons; not available when the
/// statistics are not loaded or no member has a value.
pub fn weighted_figure(
    atlas: &Atlas,
    index: Option<&StatisticsIndex>,
    members: &[TerritoryMember],
    kind: FigureKind,
) -> Indicator<WeightedFigure> {
    let Some(index) = index else {
        return not_loaded();
    };
    let sum = territory_sum(atlas, index, members, kind.id);
    if let Some(reason) = none_available(&sum) {
        return Indicator::not_available(reason);
    }
    let note = index.note(kind.id);
    Indicator::available(WeightedFigure {
        label_fr: kind.label_fr,
        value: sum.sum.mean(0).unwrap_or(0.0),
        unit: kind.unit,
        weighted_by: weighted_by(kind.id),
        estimated: sum.estimated,
        communes_without_value: sum.without_value.len(),
        population_without_value: sum.sum.population_without_value,
        without_value: sum.without_value,
        comparisons: comparisons(index, &comparison_areas(atlas, members), kind.id, 0),
        source: note.map(|n| n.source.clone()).unwrap_or_default(),
        vintage: note.map(|n| n.vintage.clone()).unwrap_or_default(),
        licence: note.map(|n| n.licence.clone()).unwrap_or_default(),
    })
}

/// The weight of a figure's mean.
pub fn weighted_by(id: StatisticSource) -> &'static str {
    match id {
        StatisticSource::Ages2020 | StatisticSource::Population2020 => "population_2020",
        _ => "legal_population",
    }
}

/// Not available: the shipped statistics are not loaded.
pub fn not_loaded<T>() -> Indicator<T> {
    Indicator::not_available(
        "the commune statistics (data/supply/statistics.csv) are not loaded: run cpts-atlas import",
    )
}

/// The note of a source, for its citation in `sources`.
pub fn citation(note: &StatisticNote) -> String {
    format!(
        "{} (millésime {}, {})",
        note.source, note.vintage, note.licence
    )
}
