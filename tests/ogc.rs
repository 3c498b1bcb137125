//! OGC API - Features through a client we did not write: GDAL's OAPIF driver (`ogrinfo`,
//! `ogr2ogr`) lists the collections, pages through the `next` links and filters by bbox; its
//! counts and ids are compared with the API's `numberMatched` and with a brute-force count of
//! the communes computed here. Then the API's own contract: paging, links, errors.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use common::server::{get, request, required_tool, runs, Server, TOKEN};
use geo::Intersects;
use serde_json::Value;

/// A box around Aix-en-Provence and Marseille.
const AIX_MARSEILLE: [f64; 4] = [5.2, 43.2, 5.6, 43.6];

fn bbox_text(b: [f64; 4]) -> String {
    format!("{},{},{},{}", b[0], b[1], b[2], b[3])
}

/// Ids of a collection's features in a box, paging through the API with `limit`.
fn api_ids(
    port: u16,
    collection: &str,
    bbox: Option<[f64; 4]>,
    limit: usize,
) -> (usize, Vec<String>) {
    let mut path = format!("/ogc/collections/{collection}/items?limit={limit}");
    if let Some(b) = bbox {
        path.push_str(&format!("&bbox={}", bbox_text(b)));
    }
    let mut ids = Vec::new();
    let mut matched = None;
    loop {
        let answer = get(port, &path);
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        let page = answer.json();
        let n = page["numberMatched"].as_u64().expect("numberMatched") as usize;
        assert!(
            matched.is_none_or(|m| m == n),
            "numberMatched changed while paging"
        );
        matched = Some(n);
        let features = page["features"].as_array().expect("features");
        assert_eq!(page["numberReturned"].as_u64(), Some(features.len() as u64));
        ids.extend(
            features
                .iter()
                .map(|f| f["id"].as_str().expect("string id").to_string()),
        );
        let next = page["links"]
            .as_array()
            .expect("links")
            .iter()
            .find(|l| l["rel"] == "next")
            .and_then(|l| l["href"].as_str());
        match next {
            Some(href) => {
                let prefix = format!("http://127.0.0.1:{port}");
                path = href
                    .strip_prefix(&prefix)
                    .expect("absolute href from Host")
                    .to_string();
            }
            None => break,
        }
    }
    (matched.unwrap_or(0), ids)
}

/// The features GDAL reads from a collection (with `-spat` for a box), `PAGE_SIZE` 7 so that
/// it must follow several `next` links; their ids.
fn gdal_ids(
    port: u16,
    collection: &str,
    bbox: Option<[f64; 4]>,
    out: &std::path::Path,
) -> Vec<String> {
    let _ = std::fs::remove_file(out);
    let mut command = Command::new("ogr2ogr");
    command
        .args(["-f", "GeoJSON"])
        .arg(out)
        .arg(format!("OAPIF:http://127.0.0.1:{port}/ogc"))
        .arg(collection)
        .args(["-oo", "PAGE_SIZE=7"]);
    if let Some(b) = bbox {
        command.arg("-spat").args(b.map(|v| v.to_string()));
    }
    let output = command.output().expect("ogr2ogr runs");
    assert!(
        output.status.success(),
        "ogr2ogr {collection}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written: Value =
        serde_json::from_slice(&std::fs::read(out).expect("ogr2ogr output")).unwrap();
    written["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| match &f["properties"]["id"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

#[test]
fn gdal_reads_every_collection_with_bbox_and_paging() {
    let test = "gdal_reads_every_collection_with_bbox_and_paging";
    if !required_tool(
        test,
        runs("ogrinfo", &["--version"]),
        "GDAL (Debian gdal-bin: ogrinfo, ogr2ogr)",
    ) {
        return;
    }
    let dir = std::env::temp_dir().join(format!("cpts-atlas-ogc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let server = Server::start(&dir.join("territories.sqlite"));
    let port = server.port;

    // One saved territory, so that the territories collection has a feature.
    let saved = request(
        port,
        "POST",
        "/api/territories",
        &[
            ("Authorization", &format!("Bearer {TOKEN}")),
            ("Content-Type", "application/json"),
        ],
        r#"{"name": "Test OGC", "spec": {"codes": ["13001", "13071"]}, "author": "ogc test"}"#,
    )
    .expect("answer");
    assert_eq!(saved.status, 201, "{}", saved.body);

    // The collections GDAL lists are the API's.
    let listed = Command::new("ogrinfo")
        .args(["-ro", "-q"])
        .arg(format!("OAPIF:http://127.0.0.1:{port}/ogc"))
        .output()
        .expect("ogrinfo runs");
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let gdal_layers: BTreeSet<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter_map(|l| {
            l.split_once(": ")?
                .1
                .split_whitespace()
                .next()
                .map(str::to_string)
        })
        .collect();
    let api_layers: BTreeSet<String> = get(port, "/ogc/collections").json()["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(gdal_layers, api_layers);
    assert_eq!(
        api_layers,
        ["communes", "cpts", "overlaps", "territories", "uncovered"]
            .map(String::from)
            .into()
    );

    // Counts and ids, GDAL against the API, in several boxes.
    let cases: [(&str, Option<[f64; 4]>); 6] = [
        ("cpts", Some(AIX_MARSEILLE)),
        ("cpts", None),
        ("communes", Some(AIX_MARSEILLE)),
        ("overlaps", None),
        // Uncovered communes are only reported inside the registry's area (PACA): Marseille,
        // whose 1st arrondissement no CPTS lists, is partly covered.
        ("uncovered", Some(AIX_MARSEILLE)),
        ("territories", Some(AIX_MARSEILLE)),
    ];
    let out = dir.join("gdal.geojson");
    for (collection, bbox) in cases {
        let (matched, ids) = api_ids(port, collection, bbox, 10);
        assert_eq!(
            ids.len(),
            matched,
            "{collection}: pages add up to numberMatched"
        );
        let read = gdal_ids(port, collection, bbox, &out);
        assert_eq!(
            read, ids,
            "{collection} {bbox:?}: GDAL read other features than the API lists"
        );
        assert!(
            matched > 0,
            "{collection} {bbox:?}: a case that tests nothing"
        );
        println!(
            "{collection} {bbox:?}: {matched} features, GDAL read {}",
            read.len()
        );
    }
    // The registry (70 CPTS) needs 10 pages of 7: GDAL followed the next links.
    assert_eq!(api_ids(port, "cpts", None, 10_000).0, 70);

    // The communes in the box, counted here by brute force over every commune outline.
    let rect = geo::Rect::new(
        (AIX_MARSEILLE[0], AIX_MARSEILLE[1]),
        (AIX_MARSEILLE[2], AIX_MARSEILLE[3]),
    );
    let mut expected: Vec<String> = common::atlas()
        .communes()
        .iter()
        .filter(|c| c.geometry.as_ref().is_some_and(|g| g.intersects(&rect)))
        .map(|c| c.code.clone())
        .collect();
    expected.sort();
    let (_, mut ids) = api_ids(port, "communes", Some(AIX_MARSEILLE), 1000);
    ids.sort();
    assert_eq!(ids, expected);

    // ogr2ogr to a GeoPackage, counted back by ogrinfo.
    let gpkg = dir.join("cpts.gpkg");
    let _ = std::fs::remove_file(&gpkg);
    assert!(runs(
        "ogr2ogr",
        &[
            "-f",
            "GPKG",
            gpkg.to_str().unwrap(),
            &format!("OAPIF:http://127.0.0.1:{port}/ogc"),
            "cpts"
        ]
    ));
    let summary = Command::new("ogrinfo")
        .args(["-so", "-al"])
        .arg(&gpkg)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&summary.stdout).contains("Feature Count: 70"),
        "{}",
        String::from_utf8_lossy(&summary.stdout)
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_api_pages_links_and_refuses_bad_requests() {
    let dir = std::env::temp_dir().join(format!("cpts-atlas-ogc-api-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let server = Server::start(&dir.join("territories.sqlite"));
    let port = server.port;

    let landing = get(port, "/ogc");
    assert_eq!(landing.status, 200);
    let rels: BTreeSet<String> = landing.json()["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            assert!(l["href"]
                .as_str()
                .unwrap()
                .starts_with(&format!("http://127.0.0.1:{port}/")));
            assert!(l["type"].is_string());
            l["rel"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(
        rels,
        ["conformance", "data", "self", "service-desc"]
            .map(String::from)
            .into()
    );
    let conformance = get(port, "/ogc/conformance").json();
    assert!(conformance["conformsTo"]
        .as_array()
        .unwrap()
        .contains(&"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson".into()));

    // Pages are stable and add up: limit 10 from offset 20 is the 21st to 30th of limit 100.
    let box_ = bbox_text(AIX_MARSEILLE);
    let all = get(
        port,
        &format!("/ogc/collections/communes/items?bbox={box_}&limit=100"),
    )
    .json();
    let page = get(
        port,
        &format!("/ogc/collections/communes/items?bbox={box_}&limit=10&offset=20"),
    );
    assert_eq!(page.header("content-type"), Some("application/geo+json"));
    let page = page.json();
    let ids = |v: &Value| -> Vec<String> {
        v["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&page), ids(&all)[20..30]);
    let rels: Vec<&str> = page["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["rel"].as_str().unwrap())
        .collect();
    assert_eq!(rels, ["self", "alternate", "collection", "next", "prev"]);
    // A limit above the maximum is served as the maximum.
    let big = get(port, "/ogc/collections/cpts/items?limit=50000&f=json");
    assert_eq!(big.header("content-type"), Some("application/json"));
    let big = big.json();
    assert_eq!(big["numberReturned"], 70);
    assert!(big["links"][0]["href"]
        .as_str()
        .unwrap()
        .contains("limit=10000"));

    // One feature, by id.
    let aix = get(port, "/ogc/collections/communes/items/13001").json();
    assert_eq!(aix["properties"]["name"], "Aix-en-Provence");
    assert_eq!(aix["geometry"]["type"], "MultiPolygon");

    for (path, status, code) in [
        ("/ogc/collections/nope", 404, "not_found"),
        ("/ogc/collections/nope/items", 404, "not_found"),
        ("/ogc/collections/communes/items/99999", 404, "not_found"),
        ("/ogc/collections/cpts/items/nope", 404, "not_found"),
        (
            "/ogc/collections/communes/items?bbox=1,2,3",
            400,
            "invalid_bbox",
        ),
        (
            "/ogc/collections/communes/items?bbox=5,44,4,43",
            400,
            "invalid_bbox",
        ),
        (
            "/ogc/collections/communes/items?limit=0",
            400,
            "invalid_query",
        ),
        (
            "/ogc/collections/communes/items?limit=ten",
            400,
            "invalid_query",
        ),
        (
            "/ogc/collections/communes/items?offset=-1",
            400,
            "invalid_query",
        ),
        (
            "/ogc/collections/communes/items?colour=red",
            400,
            "invalid_query",
        ),
        ("/ogc/collections?f=html", 400, "invalid_format"),
    ] {
        let answer = get(port, path);
        assert_eq!(answer.status, status, "{path}: {}", answer.body);
        assert_eq!(answer.json()["error"]["code"], code, "{path}");
    }
    let html = request(
        port,
        "GET",
        "/ogc/collections",
        &[("Accept", "text/html")],
        "",
    )
    .unwrap();
    assert_eq!(html.status, 406);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
