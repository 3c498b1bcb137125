//! The saved-territory store: CRUD, validation errors, unknown ids, migrations on reopen.

use cpts_atlas::model::{RawTerritory, TerritoryChange, TerritoryDraft};
use cpts_atlas::store::{StoreError, TerritoryStore, ValidationError};

fn draft(name: &str, spec: RawTerritory) -> TerritoryDraft {
    TerritoryDraft {
        name: name.into(),
        spec,
        missions: vec!["crisis_response".into()],
        author: "porteur@example.org".into(),
    }
}

fn square() -> serde_json::Value {
    serde_json::json!({"type": "Polygon",
        "coordinates": [[[5.4, 43.5], [5.5, 43.5], [5.5, 43.6], [5.4, 43.6], [5.4, 43.5]]]})
}

fn temp_db(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cpts-atlas-store-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("territories.sqlite")
}

#[test]
fn create_get_list_update_rename_delete() {
    let store = TerritoryStore::open_in_memory().unwrap();
    let a = store
        .create(&draft(
            "  Pays d'Aix ",
            RawTerritory::Codes(vec!["13001".into(), "13012".into()]),
        ))
        .unwrap();
    assert_eq!(a.name, "Pays d'Aix", "names are trimmed");
    assert_eq!(a.created_at, a.updated_at);
    assert!(
        a.created_at.ends_with('Z') && a.created_at.len() == 24,
        "{}",
        a.created_at
    );
    let b = store
        .create(&draft("Dessin", RawTerritory::Geojson(square())))
        .unwrap();
    assert_ne!(a.id, b.id);
    assert_eq!(
        store.get(b.id).unwrap().spec,
        RawTerritory::Geojson(square())
    );

    std::thread::sleep(std::time::Duration::from_millis(5));
    let renamed = store.rename(a.id, "Aix Sainte-Victoire").unwrap();
    assert_eq!(renamed.name, "Aix Sainte-Victoire");
    assert_eq!(renamed.spec, a.spec, "rename keeps the definition");
    assert_eq!(renamed.created_at, a.created_at);
    assert!(renamed.updated_at > a.updated_at);

    let changed = store
        .update(
            b.id,
            &TerritoryChange {
                spec: Some(RawTerritory::Epci("200054807".into())),
                missions: Some(vec![]),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(changed.name, "Dessin");
    assert_eq!(changed.spec, RawTerritory::Epci("200054807".into()));
    assert!(changed.missions.is_empty());

    let listed = store.list(None).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].id, b.id, "most recently updated first");
    assert_eq!(store.list(Some("someone@else")).unwrap().len(), 0);
    assert_eq!(store.list(Some("porteur@example.org")).unwrap().len(), 2);

    store.delete(a.id).unwrap();
    assert!(matches!(store.get(a.id), Err(StoreError::NotFound(id)) if id == a.id));
    assert_eq!(store.list(None).unwrap().len(), 1);
}

#[test]
fn unknown_ids_are_not_found() {
    let store = TerritoryStore::open_in_memory().unwrap();
    for result in [
        store.get(42).map(|_| ()),
        store.rename(42, "x").map(|_| ()),
        store.delete(42),
    ] {
        assert!(
            matches!(result, Err(StoreError::NotFound(42))),
            "{result:?}"
        );
    }
}

#[test]
fn invalid_territories_are_refused_with_a_typed_error() {
    let store = TerritoryStore::open_in_memory().unwrap();
    let codes = |c: &[&str]| RawTerritory::Codes(c.iter().map(|s| s.to_string()).collect());
    type Expected = fn(&ValidationError) -> bool;
    let cases: Vec<(TerritoryDraft, Expected)> = vec![
        (draft("   ", codes(&["13001"])), |e| {
            matches!(e, ValidationError::EmptyName)
        }),
        (draft(&"x".repeat(201), codes(&["13001"])), |e| {
            matches!(e, ValidationError::NameTooLong { len: 201, .. })
        }),
        (draft("A", codes(&[])), |e| {
            matches!(e, ValidationError::NoCodes)
        }),
        (draft("A", codes(&["13001", "Marseille"])), |e| {
            matches!(e, ValidationError::BadCode { index: 1, .. })
        }),
        (draft("A", RawTerritory::Epci("12".into())), |e| {
            matches!(e, ValidationError::BadEpci(_))
        }),
        (
            draft(
                "A",
                RawTerritory::Geojson(serde_json::json!({"type": "Point", "coordinates": [5, 43]})),
            ),
            |e| matches!(e, ValidationError::Geometry(_)),
        ),
        (
            draft("A", RawTerritory::Geojson(serde_json::json!({"hello": 1}))),
            |e| matches!(e, ValidationError::Geometry(_)),
        ),
        (
            TerritoryDraft {
                author: " ".into(),
                ..draft("A", codes(&["13001"]))
            },
            |e| matches!(e, ValidationError::EmptyAuthor),
        ),
        (
            TerritoryDraft {
                missions: vec!["Bad Mission".into()],
                ..draft("A", codes(&["13001"]))
            },
            |e| matches!(e, ValidationError::BadMission { index: 0, .. }),
        ),
    ];
    for (d, expected) in cases {
        match store.create(&d) {
            Err(StoreError::Invalid(e)) => assert!(expected(&e), "{d:?}: {e}"),
            other => panic!("{d:?}: {other:?}"),
        }
    }
    assert!(store.list(None).unwrap().is_empty(), "nothing was saved");
    let a = store.create(&draft("A", codes(&["13001"]))).unwrap();
    assert!(matches!(
        store.rename(a.id, ""),
        Err(StoreError::Invalid(ValidationError::EmptyName))
    ));
    assert_eq!(store.get(a.id).unwrap().name, "A");
}

#[test]
fn reopening_keeps_data_and_refuses_newer_schemas() {
    let path = temp_db("reopen");
    let id = {
        let store = TerritoryStore::open(&path).unwrap();
        store
            .create(&draft("Gardé", RawTerritory::Codes(vec!["04001".into()])))
            .unwrap()
            .id
    };
    let store = TerritoryStore::open(&path).unwrap();
    assert_eq!(store.get(id).unwrap().name, "Gardé");
    drop(store);

    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    match TerritoryStore::open(&path) {
        Err(e @ StoreError::TooNew { found: 99, .. }) => {
            assert!(e.to_string().contains("territories.sqlite"), "{e}")
        }
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("a newer schema was accepted"),
    }
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}
