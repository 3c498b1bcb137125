//! What the fuzz targets share: the shipped engines, loaded once, and the checked diagnosis.

use std::path::Path;
use std::sync::OnceLock;

use cpts_atlas::diagnosis::{diagnose_with_health, Diagnosis, DiagnosisOptions, FundingGrid};
use cpts_atlas::engine::{territory_spec, Atlas, DrawnLimits, HealthAtlas, RegistryIndex};
use cpts_atlas::loaders::health_data::read_health_data;
use cpts_atlas::loaders::registry::DEFAULT_REGISTRY_FILE;
use cpts_atlas::model::SavedSpec;
use serde_json::Value;

struct Engines {
    atlas: Atlas,
    registry: RegistryIndex,
    health: HealthAtlas,
    grid: FundingGrid,
    national_population: u64,
}

fn engines() -> &'static Engines {
    static ENGINES: OnceLock<Engines> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data");
        let atlas = Atlas::load(&data).expect("the shipped dataset loads");
        let registry = RegistryIndex::load(&atlas, &[data.join(DEFAULT_REGISTRY_FILE)])
            .expect("the shipped registry loads");
        let health = HealthAtlas::new(&atlas, read_health_data(&data).expect("health data"));
        let national_population = atlas
            .geography()
            .communes
            .iter()
            .filter_map(|c| c.population)
            .sum();
        Engines {
            atlas,
            registry,
            health,
            grid: FundingGrid::aci_2019(),
            national_population,
        }
    })
}

/// An API request body (`{"communes"|"geometry"|"epci", "missions"}`) through the engine path:
/// JSON -> territory spec -> validation and repair -> resolution -> diagnosis with health data.
pub fn diagnose_body(body: &[u8]) {
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let strings = |v: &Value| -> Option<Vec<String>> {
        v.as_array()?
            .iter()
            .map(|s| s.as_str().map(str::to_string))
            .collect()
    };
    let spec = if let Some(geometry) = body.get("geometry") {
        SavedSpec::Geojson(geometry.clone())
    } else if let Some(codes) = body.get("communes").and_then(strings) {
        SavedSpec::Codes(codes)
    } else if let Some(Value::String(siren)) = body.get("epci") {
        SavedSpec::Epci(siren.clone())
    } else {
        return;
    };
    let missions = body.get("missions").and_then(strings).unwrap_or_default();
    diagnose_spec(&spec, missions);
}

/// Diagnoses a saved-territory spec; panics if an answer breaks an invariant or an error is mute.
pub fn diagnose_spec(spec: &SavedSpec, missions: Vec<String>) {
    let e = engines();
    let spec = match territory_spec(spec, &DrawnLimits::default()) {
        Ok((spec, _warnings)) => spec,
        Err(error) => return assert!(!error.to_string().is_empty()),
    };
    let options = DiagnosisOptions {
        grid: &e.grid,
        missions,
        registry: Some(&e.registry),
    };
    match diagnose_with_health(&e.atlas, &spec, &options, &e.health) {
        Ok(diagnosis) => check(&diagnosis, e.national_population),
        Err(error) => assert!(!error.to_string().is_empty()),
    }
}

fn check(d: &Diagnosis, national_population: u64) {
    assert!(d.population <= national_population, "{}", d.population);
    assert!(d.population_estimated <= d.population);
    assert!(d.area_km2.is_finite() && d.area_km2 >= 0.0, "{}", d.area_km2);
    assert_eq!(d.commune_count, d.communes.len());
    for m in &d.communes {
        assert!((0.0..=1.0).contains(&m.coverage), "{}: {}", m.code, m.coverage);
        assert!(
            m.population_counted.is_finite() && m.population_counted >= 0.0,
            "{}: {}",
            m.code,
            m.population_counted
        );
        assert!(m.population_counted <= m.population as f64 + 0.5);
    }
    if let Some(density) = d.density_per_km2 {
        assert!(density.is_finite() && density >= 0.0);
    }
    serde_json::to_string(d).expect("a diagnosis serialises");
}
