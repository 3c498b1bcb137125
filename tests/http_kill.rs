//! Durability through the service: concurrent HTTP writers, the server killed with SIGKILL
//! mid-writes, restarted on the same database: every territory whose creation was acknowledged
//! (201) is there, with its name.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TOKEN: &str = "kill-test-token";

/// One HTTP/1.1 request on a fresh connection; `(status, body)`, or `None` if the server died.
fn http(port: u16, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         Authorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.get(9..12)?.parse().ok()?;
    let (_, body) = response.split_once("\r\n\r\n")?;
    Some((status, body.to_string()))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(db: &std::path::Path, port: u16) -> Child {
    let child = Command::new(env!("CARGO_BIN_EXE_cpts-atlas"))
        .args(["serve", "--port", &port.to_string(), "--db"])
        .arg(db)
        .env("CPTS_ATLAS_TOKEN", TOKEN)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    while http(port, "GET", "/api/health", "").is_none_or(|(s, _)| s != 200) {
        assert!(
            Instant::now() < deadline,
            "the server did not answer /api/health"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

#[test]
fn acknowledged_territories_survive_kill_9_of_the_server() {
    let dir = std::env::temp_dir().join(format!("cpts-http-kill-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("territories.sqlite");
    let acknowledged: Arc<Mutex<Vec<(i64, String)>>> = Arc::default();
    for round in 0..3 {
        let port = free_port();
        let mut server = start(&db, port);
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
        server.kill().unwrap(); // SIGKILL
        server.wait().unwrap();
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
    let port = free_port();
    let mut server = start(&db, port);
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
    server.kill().unwrap();
    server.wait().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}
