//! The service as a separate process for the tests that need a real socket (GDAL, kill -9):
//! a free port, raw HTTP/1.0 requests, a server started and stopped with the test, external
//! tools required in CI.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The write token the test servers are started with.
pub const TOKEN: &str = "test-server-token";

/// An answer: status, headers (lower-case names), body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                self.body.chars().take(300).collect::<String>()
            )
        })
    }
}

/// One request on a fresh connection (HTTP/1.0: no chunking); `None` if nothing answered.
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Option<Answer> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .ok()?;
    let mut head = format!("{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body.as_bytes()).ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n")?;
    let mut lines = head.lines();
    let status = lines.next()?.get(9..12)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some(Answer {
        status,
        headers,
        body: body.to_string(),
    })
}

/// `GET path`.
pub fn get(port: u16, path: &str) -> Answer {
    request(port, "GET", path, &[], "").unwrap_or_else(|| panic!("no answer to GET {path}"))
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `cpts-atlas serve` (shipped data and registry, the given database, [`TOKEN`]);
/// killed when dropped.
pub struct Server {
    pub port: u16,
    child: Child,
}

impl Server {
    pub fn start(db: &Path) -> Self {
        let port = free_port();
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
        while request(port, "GET", "/api/health", &[], "").is_none_or(|a| a.status != 200) {
            assert!(
                Instant::now() < deadline,
                "the server did not answer /api/health"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { port, child }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the server with SIGKILL, as a crash would, and waits for it to be gone.
    pub fn kill_9(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("the killed server is reaped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether an external tool the test needs is there: in CI (`CI` set) its absence fails the
/// test (scripts/setup.sh installs it); elsewhere the test says SKIPPED and passes.
pub fn required_tool(test: &str, found: bool, what: &str) -> bool {
    if found {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{test}: {what} is required in CI; scripts/setup.sh installs it");
    }
    eprintln!("SKIPPED {test}: {what} not found (scripts/setup.sh installs it)");
    false
}

/// Whether `program args...` runs and exits 0.
pub fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
