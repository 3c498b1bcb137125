//! Reading an RPPS `PS_LibreAcces_Personne_activite` extract: 210 000 rows generated from the
//! synthetic fixture's layout, to size the national file (about 2 million rows).

use std::path::Path;

use cpts_atlas::engine::Atlas;
use cpts_atlas::loaders::geography::codes::CurrentCodes;
use cpts_atlas::loaders::health::directories::load_rpps;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const ROWS: usize = 210_000;

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let atlas = Atlas::new(
        cpts_atlas::loaders::geography::read_atlas_sources(&root.join("data")).expect("dataset"),
    );
    let codes = CurrentCodes::new(atlas.geography());
    let fixture = std::fs::read_to_string(root.join("tests/fixtures/rpps-synthetic.txt")).unwrap();
    let mut lines = fixture.lines().filter(|l| !l.starts_with('#'));
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let mut text = String::from(header);
    text.push('\n');
    for i in 0..ROWS {
        // Distinct identifiers, so that no row is a repeat of another.
        let row = rows[i % rows.len()].replacen("|1000000000", &format!("|{i:09}"), 1);
        text.push_str(&row);
        text.push('\n');
    }
    let path =
        std::env::temp_dir().join(format!("cpts-atlas-rpps-bench-{}.txt", std::process::id()));
    std::fs::write(&path, &text).unwrap();

    let mut group = c.benchmark_group("rpps");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ROWS as u64));
    group.bench_function("load_rpps_210k_rows", |b| {
        b.iter(|| load_rpps(&path, &codes).unwrap())
    });
    group.finish();
    std::fs::remove_file(&path).ok();
}

criterion_group!(benches, bench);
criterion_main!(benches);
