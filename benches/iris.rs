//! Criterion benches of the IRIS paths: loading the IRIS layer, and a drawn territory cutting
//! Lyon and Villeurbanne counted through their IRIS against the same cut counted by area.

use std::path::Path;

use cpts_atlas::engine::Atlas;
use cpts_atlas::loaders::iris::dataset;
use cpts_atlas::model::TerritorySpec;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use geo::{polygon, MultiPolygon};

fn data_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

fn iris(c: &mut Criterion) {
    let path = data_dir().join(dataset::IRIS_FILE);
    let with_iris =
        Atlas::new(cpts_atlas::loaders::geography::read_atlas_sources(&data_dir()).unwrap());
    let by_area = Atlas::new(with_iris.whole_geography());
    let mut group = c.benchmark_group("iris");
    group.sample_size(10);
    group.bench_function("read_iris_layer", |b| {
        b.iter(|| dataset::read_iris_layer(&path).unwrap())
    });
    // Indexing against the real geography (projections, R-tree, shares, tiling); the commune
    // atlas it is added to is built outside the timing.
    let layer = with_iris.iris_layer().clone();
    group.bench_function("index_iris", |b| {
        b.iter_batched(
            || Atlas::new(with_iris.whole_geography()),
            |atlas| atlas.with_iris(layer.clone()),
            BatchSize::LargeInput,
        )
    });
    // Lyon Presqu'île to Villeurbanne: Lyon and Villeurbanne cut, ~290 of their IRIS nearby.
    let cut = TerritorySpec::Drawn(MultiPolygon(vec![polygon![
        (x: 4.82, y: 45.755), (x: 4.90, y: 45.755), (x: 4.90, y: 45.775), (x: 4.82, y: 45.775)
    ]]));
    group.bench_function("drawn_lyon_by_iris", |b| {
        b.iter(|| with_iris.resolve(&cut).unwrap())
    });
    group.bench_function("drawn_lyon_by_area", |b| {
        b.iter(|| by_area.resolve(&cut).unwrap())
    });
    group.finish();
}

criterion_group!(benches, iris);
criterion_main!(benches);
