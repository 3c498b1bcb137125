//! Census ages, population change and fragility of any territory, against values computed here
//! from the raw INSEE files (`../shared/data/insee-communes`), independently of the loaders.

mod health_common;

use std::collections::HashMap;
use std::path::Path;

use cpts_atlas::diagnosis::health::age_structure::age_structure;
use cpts_atlas::diagnosis::health::fragility::fragility;
use cpts_atlas::diagnosis::health::population_change::population_change;
use cpts_atlas::engine::{ComparisonArea, FIGURES};
use cpts_atlas::model::{AgeGroup, StatisticSource, TerritoryMember, TerritorySpec};
use health_common::*;

fn members(codes: &[&str]) -> Vec<TerritoryMember> {
    let (atlas, _) = loaded();
    atlas
        .resolve(&TerritorySpec::Codes(
            codes.iter().map(|c| c.to_string()).collect(),
        ))
        .unwrap()
        .members
}

/// A raw RP export (`Code;Libellé;...`, decimal point, `N/A - ...` markers) as
/// code -> (header -> field).
fn rp_rows(shared: &Path, file: &str) -> HashMap<String, HashMap<String, String>> {
    let (header, rows) = read_rows(&shared.join("insee-communes").join(file), ';');
    rows.into_iter()
        .map(|r| {
            let fields = header
                .iter()
                .map(|(h, &i)| (h.clone(), r[i].clone()))
                .collect();
            (r[header["Code"]].clone(), fields)
        })
        .collect()
}

const POP: &str = "Population municipale 2020";
const CHANGE: &str = "Évol. annuelle moy. de la population 2014-2020";
const S75: &str = "Part des pers. âgées de 75 ans ou + 2020";
const S65: &str = "Part des pers. âgées de 65 ans ou + 2020";

fn number(text: &str) -> Option<f64> {
    text.replace(',', ".").parse().ok()
}

/// share x population 2020 / 100 of a raw code, computed from the raw files.
fn raw_count(
    ages: &HashMap<String, HashMap<String, String>>,
    pop: &HashMap<String, HashMap<String, String>>,
    code: &str,
    column: &str,
) -> f64 {
    number(&ages[code][column]).unwrap() * number(&pop[code][POP]).unwrap() / 100.0
}

fn count_of(codes: &[&str], group: AgeGroup) -> f64 {
    let (atlas, health) = loaded();
    let a = age_structure(atlas, health, &members(codes));
    let a = a
        .get()
        .unwrap_or_else(|| panic!("{codes:?}: {:?}", a.reason));
    a.groups.iter().find(|g| g.group == group).unwrap().count
}

#[test]
fn counts_of_75_plus_equal_share_times_population_2020() {
    let Some(shared) = shared("counts_of_75_plus") else {
        return;
    };
    let ages = rp_rows(&shared, "rp2020_ages_diplomes.csv");
    let pop = rp_rows(&shared, "rp2020_population_evolution.csv");
    // Guéret: 12.0 % x 12 698 = 1 523.76; Villeurbanne: 7.0 % x 154 781 = 10 834.67;
    // Lyon (published as a whole commune): 7.6 % x 522 228 = 39 689.33.
    for (code, expected) in [
        ("23096", 1523.76),
        ("69266", 10834.67),
        ("69123", 39689.328),
    ] {
        let raw = raw_count(&ages, &pop, code, S75);
        assert!((raw - expected).abs() < 0.01, "{code}: raw {raw}");
        let got = count_of(&[code], AgeGroup::Age75Plus);
        assert!((got - raw).abs() < 1e-6, "{code}: {got} vs raw {raw}");
    }
    // Every band of Guéret.
    let (atlas, health) = loaded();
    let gueret = age_structure(atlas, health, &members(&["23096"]));
    let gueret = gueret.get().unwrap();
    let columns = [
        "Part des pers. âgées de - 15 ans 2020",
        "Part des pers. âgées de - de 25 ans 2020",
        "Part des pers. âgées de 25 à 64 ans 2020",
        S65,
        S75,
        "Part des pers. âgées de 80 ans ou + 2020",
    ];
    for (g, column) in gueret.groups.iter().zip(columns) {
        let raw = raw_count(&ages, &pop, "23096", column);
        assert!((g.count - raw).abs() < 1e-6, "{:?}", g.group);
        assert!((g.share * 100.0 - number(&ages["23096"][column]).unwrap()).abs() < 1e-9);
    }
    assert!(!gueret.estimated && gueret.communes_without_value == 0);

    // Random unmerged communes (no other RP code maps to them in the raw COG).
    let cog: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(shared.join("cog-2026/communes.json")).unwrap(),
    )
    .unwrap();
    let mut candidates: Vec<&str> = cog
        .iter()
        .filter(|c| c["type"] == "commune-actuelle")
        .filter(|c| {
            c["anciensCodes"].as_array().is_none_or(|old| {
                old.iter()
                    .all(|o| !ages.contains_key(o.as_str().unwrap_or("")))
            })
        })
        .filter_map(|c| c["code"].as_str())
        .filter(|c| ages.get(*c).is_some_and(|r| number(&r[S75]).is_some()))
        .collect();
    candidates.sort_unstable();
    let mut rng = cpts_atlas_rng(14);
    for _ in 0..12 {
        let code = candidates[rng.below(candidates.len())];
        let raw = raw_count(&ages, &pop, code, S75);
        let got = count_of(&[code], AgeGroup::Age75Plus);
        assert!((got - raw).abs() < 1e-6, "{code}: {got} vs raw {raw}");
    }

    // A commune merged since COG 2023: 01187 (Pont-de-Vaux... ) absorbed 01330, counts summed.
    let merged = raw_count(&ages, &pop, "01187", S75) + raw_count(&ages, &pop, "01330", S75);
    let got = count_of(&["01187"], AgeGroup::Age75Plus);
    assert!((got - merged).abs() < 0.01, "01187: {got} vs {merged}");
}

/// Seeded xorshift, as in the other tests.
fn cpts_atlas_rng(seed: u64) -> Rng {
    Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
}

pub struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n as u64) as usize
    }
}

#[test]
fn lyon_arrondissements_have_no_rp_2020_ages_and_say_why() {
    let Some(shared) = shared("lyon_arrondissements") else {
        return;
    };
    // The raw RP 2020 exports publish Lyon (69123) as a whole commune, no arrondissement rows.
    let ages = rp_rows(&shared, "rp2020_ages_diplomes.csv");
    assert!(ages.contains_key("69123"));
    assert!((69381..=69389).all(|c| !ages.contains_key(&c.to_string())));
    let (atlas, health) = loaded();
    let a = age_structure(atlas, health, &members(&["69381", "69382"]));
    assert!(!a.available);
    assert!(a.reason.unwrap().contains("arrondissement"));
    // An arrondissement beside a whole commune: counted apart, named with its reason.
    let a = age_structure(atlas, health, &members(&["69381", "69266"]));
    let a = a.get().unwrap();
    assert_eq!(a.communes_without_value, 1);
    assert_eq!(a.without_value[0].code, "69381");
    assert!(a.without_value[0].population > 20_000.0);
}

#[test]
fn national_totals_are_insee_s_6_36_and_13_56_million() {
    let Some(shared) = shared("national_totals") else {
        return;
    };
    let ages = rp_rows(&shared, "rp2020_ages_diplomes.csv");
    let pop = rp_rows(&shared, "rp2020_population_evolution.csv");
    let raw = |column: &str| -> f64 {
        ages.keys()
            .filter(|c| number(&ages[*c][column]).is_some())
            .map(|c| raw_count(&ages, &pop, c, column))
            .sum()
    };
    let (raw75, raw65) = (raw(S75), raw(S65));
    let (_, health) = loaded();
    let france = health
        .statistics()
        .expect("shipped statistics")
        .area_total(&ComparisonArea::France, StatisticSource::Ages2020);
    let (t65, t75) = (france.sums[3], france.sums[4]);
    assert_eq!((t75 / 1e4).round(), 636.0, "75+: {t75}");
    assert_eq!((t65 / 1e4).round(), 1356.0, "65+: {t65}");
    assert!((t75 - raw75).abs() < 0.5, "{t75} vs raw {raw75}");
    assert!((t65 - raw65).abs() < 0.5, "{t65} vs raw {raw65}");
    // RP 2020 population: 67.16 M (the raw README), shipped whole.
    assert!(
        (france.weight - 67_162_154.0).abs() < 0.5,
        "{}",
        france.weight
    );
    // Every figure has a France total.
    let index = health.statistics().unwrap();
    for id in FIGURES {
        assert!(
            index.area_total(&ComparisonArea::France, id).weight > 6e7,
            "{id:?}"
        );
    }
}

/// `{code: {field: value}}` of a raw JSON file.
fn raw_values(shared: &Path, file: &str, field: &str) -> HashMap<String, Option<f64>> {
    let text = std::fs::read_to_string(shared.join("insee-communes").join(file)).unwrap();
    let raw: HashMap<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
    raw.into_iter()
        .map(|(code, v)| (code, v[field].as_f64()))
        .collect()
}

#[test]
fn fedi_of_three_communes_is_their_population_weighted_mean() {
    let Some(shared) = shared("fedi_three_communes") else {
        return;
    };
    let fedi = raw_values(&shared, "fedi_communes.json", "EDI");
    let cog = cog_populations(&shared);
    // By hand: Guéret 7.82 x 12 932, Villeurbanne 8.27 x 164 472, L'Abergement-Clémenciat
    // (01001, not in the F-EDI file? then Valserhône 01033, 8.09) — computed from the raw files:
    let codes = ["23096", "69266", "01033"];
    let (num, den) = codes.iter().fold((0.0, 0.0), |(n, d), c| {
        let p = cog[*c].0 as f64;
        (n + fedi[*c].unwrap() * p, d + p)
    });
    let expected = num / den;
    assert_eq!(
        codes.map(|c| fedi[c].unwrap()),
        [7.82, 8.27, 8.09],
        "raw F-EDI values"
    );
    let (atlas, health) = loaded();
    let f = fragility(atlas, health, &members(&codes));
    let got = f.fedi.get().expect("F-EDI available");
    assert!(
        (got.value - expected).abs() < 1e-9,
        "{} vs {expected}",
        got.value
    );
    assert_eq!(got.weighted_by, "legal_population");
    assert_eq!(got.communes_without_value, 0);
    // Comparisons: the départements, régions and France, each with a value.
    assert!(got
        .comparisons
        .iter()
        .any(|c| c.level == "france" && c.value.available));

    // Lyon, filed by arrondissement in the F-EDI file: its arrondissements by legal population.
    let populations = raw_populations(&shared);
    let (num, den) = (69381..=69389).fold((0.0, 0.0), |(n, d), c| {
        let c = c.to_string();
        let p = populations[&c] as f64;
        (n + fedi[&c].unwrap() * p, d + p)
    });
    assert!(!fedi.contains_key("69123"));
    let lyon = fragility(atlas, health, &members(&["69123"]));
    let lyon = lyon.fedi.get().unwrap().value;
    assert!((lyon - num / den).abs() < 1e-9, "{lyon} vs {}", num / den);
}

/// Legal population of communes and arrondissements in the raw COG.
fn raw_populations(shared: &Path) -> HashMap<String, u64> {
    let text = std::fs::read_to_string(shared.join("cog-2026/communes.json")).unwrap();
    let communes: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    communes
        .iter()
        .filter(|c| c["type"] == "commune-actuelle" || c["type"] == "arrondissement-municipal")
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_string(),
                c["population"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn a_commune_under_poverty_secret_is_left_out_and_counted() {
    let Some(shared) = shared("poverty_secret") else {
        return;
    };
    let poverty = raw_values(&shared, "tx_pauvrete_communes.json", "tx_pauvrete");
    let cog = cog_populations(&shared);
    // 82177 Sauveterre: `"tx_pauvrete": null` in the raw file; 82121 Montauban has a rate.
    assert_eq!(poverty["82177"], None);
    let montauban = poverty["82121"].unwrap();
    let (atlas, health) = loaded();
    let f = fragility(atlas, health, &members(&["82177", "82121"]));
    let p = f.poverty_rate.get().unwrap();
    assert_eq!(p.communes_without_value, 1);
    assert_eq!(p.without_value[0].code, "82177");
    assert!(p.without_value[0].reason.contains("secret"));
    assert_eq!(p.population_without_value, cog["82177"].0 as f64);
    assert!((p.value - montauban / 100.0).abs() < 1e-12);
    // Alone, it is not available, with the reason; never a 0.
    let alone = fragility(atlas, health, &members(&["82177"]));
    assert!(!alone.poverty_rate.available);
    assert!(alone.poverty_rate.reason.unwrap().contains("secret"));
}

#[test]
fn mayotte_says_not_available_and_population_change_is_weighted() {
    let Some(shared) = shared("mayotte_and_change") else {
        return;
    };
    let (atlas, health) = loaded();
    let mayotte = age_structure(atlas, health, &members(&["97601"]));
    assert!(!mayotte.available);
    assert!(mayotte.reason.unwrap().contains("Mayotte"));

    let pop = rp_rows(&shared, "rp2020_population_evolution.csv");
    let weighted = |codes: &[&str]| {
        let (n, d) = codes.iter().fold((0.0, 0.0), |(n, d), c| {
            let p = number(&pop[*c][POP]).unwrap();
            (n + number(&pop[*c][CHANGE]).unwrap() * p, d + p)
        });
        n / d
    };
    // Guéret -0.82 %/year; with Villeurbanne (+0.69) weighted by their 2020 populations.
    for codes in [&["23096"][..], &["23096", "69266"]] {
        let got = population_change(atlas, health, &members(codes));
        let got = got.get().unwrap().value;
        assert!((got - weighted(codes)).abs() < 1e-9, "{codes:?}: {got}");
    }
    assert!((weighted(&["23096"]) + 0.82).abs() < 1e-12);
}

#[test]
fn rp_2022_share_of_75_plus_is_in_the_age_structure() {
    let Some(shared) = shared("share_75_plus_2022") else {
        return;
    };
    let share = raw_values(
        &shared,
        "part_personnes_agees_communes.json",
        "part_personnes_agees_75_plus",
    );
    let (atlas, health) = loaded();
    let a = age_structure(atlas, health, &members(&["23096"]));
    let s = a.get().unwrap().share_75_plus_2022.get().unwrap();
    assert!((s.value * 100.0 - share["23096"].unwrap()).abs() < 1e-9);
    assert_eq!(s.vintage, "RP 2022");
}

#[test]
fn an_uninhabited_commune_has_no_share_rather_than_zero() {
    if shared("uninhabited").is_none() {
        return;
    }
    // 55039 Beaumont-en-Verdunois: population 2020 = 0, shares "N/A - division par 0".
    let (atlas, health) = loaded();
    let a = age_structure(atlas, health, &members(&["55039"]));
    assert!(!a.available);
    assert!(a.reason.unwrap().contains("no inhabitants"));
}
