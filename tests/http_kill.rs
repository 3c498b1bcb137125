//! Durability through the service: concurrent HTTP writers, the server killed with SIGKILL
//! mid-writes, restarted on the same database: every territory whose creation was acknowledged
//! (201) is there, with its name.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::server::{request, Server, TOKEN};

/// One request with the write token; `(status, body)`, or `None` if the server died.
fn http(port: u16, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    let bearer = format!("Bearer {TOKEN}");
    let headers = [
        ("Authorization", bearer.as_str()),
        ("Content-Type", "application/json"),
    ];
    request(port, method, path, &headers, body).map(|a| (a.status, a.body))
}

#[test]
fn acknowledged_territories_survive_kill_9_of_the_server() {
    let dir = std::env::temp_dir().join(format!("cpts-http-kill-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("territories.sqlite");
    let acknowledged: Arc<Mutex<Vec<(i64, String)>>> = Arc::default();
    for round in 0..3 {
        let mut server = Server::start(&db);
        let port = server.port;
        let stop = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let (stop, acknowledged) = (stop.clone(), acknowledged.clone());
                std::thread::spawn(move || {
                    for n in 0.. {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let name = format!("r{round}-w{w}-n{n}");
                        let body = format!(
                            r#"{{"name":"{name}","spec":{{"codes":["13001","13113"]}},"author":"kill-test"}}"#
                        );
                        match http(port, "POST", "/api/territories", &body) {
                            Some((201, body)) => {
                                let saved: serde_json::Value = serde_json::from_str(&body).unwrap();
                                acknowledged
                                    .lock()
                                    .unwrap()
                                    .push((saved["id"].as_i64().unwrap(), name));
                            }
                            Some((status, body)) => panic!("unexpected {status}: {body}"),
                            None => break, // killed: this write was never acknowledged
                        }
                    }
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(700));
        server.kill_9();
        stop.store(true, Ordering::Relaxed);
        for w in writers {
            w.join().unwrap();
        }
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 20,
        "too few writes to test: {}",
        acknowledged.len()
    );
    let server = Server::start(&db);
    let port = server.port;
    let (status, body) = http(port, "GET", "/api/territories?author=kill-test", "").unwrap();
    assert_eq!(status, 200);
    let listed: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    let stored: std::collections::HashMap<i64, String> = listed
        .iter()
        .map(|t| {
            (
                t["id"].as_i64().unwrap(),
                t["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (id, name) in &acknowledged {
        assert_eq!(
            stored.get(id),
            Some(name),
            "acknowledged territory {id} lost"
        );
    }
    eprintln!(
        "{} acknowledged writes over 3 kills, all present ({} stored)",
        acknowledged.len(),
        stored.len()
    );
    drop(server);
    std::fs::remove_dir_all(&dir).unwrap();
}
