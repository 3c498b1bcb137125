//! Architecture arrows that the compiler does not check: the engine and the diagnosis are built
//! from loaded values and open no file (issue 18); loaders load.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// What code that reads files or calls a loader looks like.
const FORBIDDEN: [&str; 7] = [
    "std::fs",
    "fs::read",
    "File::open",
    "File::create",
    "crate::loaders",
    "read_to_string",
    "include_bytes!",
];

#[test]
fn engine_and_diagnosis_open_no_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offences = Vec::new();
    for room in ["engine", "diagnosis"] {
        let files = sources(&root.join(room));
        assert!(files.len() > 10, "{room}: {} files only", files.len());
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.trim_start();
                if code.starts_with("//") {
                    continue;
                }
                for word in FORBIDDEN.iter().filter(|w| code.contains(*w)) {
                    offences.push(format!("{}:{}: {word}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "files opened outside src/loaders:\n{}",
        offences.join("\n")
    );
}

/// The rule can fail: the scan finds what it looks for.
#[test]
fn the_scan_finds_a_loader_call() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli");
    let found = sources(&root).iter().any(|f| {
        std::fs::read_to_string(f)
            .unwrap()
            .contains("crate::loaders")
    });
    assert!(found, "the CLI calls loaders: the scan should see it");
}
