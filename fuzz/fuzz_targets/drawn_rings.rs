//! Fuzz target: structured rings (near French cities, the antimeridian or the whole world,
//! with NaN, infinite and out-of-range positions mixed in) as a drawn territory.
#![no_main]

use arbitrary::Arbitrary;
use serde_json::{json, Value};

#[derive(Arbitrary, Debug)]
struct Drawn {
    place: u8,
    scale: u8,
    polygons: Vec<Vec<Vec<(i16, i16)>>>,
    specials: Vec<(u16, u8)>,
    wrap: u8,
}

const PLACES: [(f64, f64); 6] = [
    (2.35, 48.85),  // Paris
    (4.84, 45.76),  // Lyon
    (5.37, 43.30),  // Marseille
    (9.15, 42.15),  // Corsica
    (180.0, 0.0),   // the antimeridian
    (0.0, 0.0),     // with a large scale, the whole world
];

const SPECIAL: [f64; 7] = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 180.0, -180.0, 90.0, 1e308];

libfuzzer_sys::fuzz_target!(|drawn: Drawn| {
    let (lon0, lat0) = PLACES[drawn.place as usize % PLACES.len()];
    let step = [1e-5, 1e-4, 1e-3, 1e-2, 6e-3][drawn.scale as usize % 5];
    let mut positions: Vec<Vec<Vec<Vec<f64>>>> = drawn
        .polygons
        .iter()
        .map(|rings| {
            rings
                .iter()
                .map(|ring| {
                    ring.iter()
                        .map(|&(x, y)| vec![lon0 + x as f64 * step, lat0 + y as f64 * step])
                        .collect()
                })
                .collect()
        })
        .collect();
    let total: usize = positions.iter().flatten().map(Vec::len).sum();
    for &(at, which) in &drawn.specials {
        if total == 0 {
            break;
        }
        let mut at = at as usize % total;
        'find: for rings in positions.iter_mut() {
            for ring in rings.iter_mut() {
                if at < ring.len() {
                    ring[at][(which & 1) as usize] = SPECIAL[which as usize % SPECIAL.len()];
                    break 'find;
                }
                at -= ring.len();
            }
        }
    }
    // serde_json writes non-finite numbers as null: such positions become short/invalid ones.
    let geometry = json!({"type": "MultiPolygon", "coordinates": positions});
    let geometry = match drawn.wrap % 3 {
        0 => geometry,
        1 => json!({"type": "Feature", "properties": {}, "geometry": geometry}),
        _ => json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": null, "geometry": geometry}
        ]}),
    };
    let spec = cpts_atlas::model::SavedSpec::Geojson(Value::from(geometry));
    cpts_atlas_fuzz::diagnose_spec(&spec, Vec::new());
});
