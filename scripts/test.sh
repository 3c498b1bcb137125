#!/usr/bin/env bash
# The test command: Rust unit, integration and doc tests, then the browser end-to-end tests.
# Tests that compare against the raw sources read ../shared/data and say SKIPPED without it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

echo "== cargo fmt --check"
cargo fmt --check

echo "== cargo fetch (every crate of the lock file, dev- and target-specific ones included)"
cargo fetch --locked

echo "== cargo deny (licences, bans, sources; advisories need GitHub, unreachable here)"
cargo deny --offline check licenses bans sources

echo "== cargo build (release)"
cargo build --release --locked

# In the release profile: it reuses the build scripts and proc-macros of the release build.
echo "== cargo clippy (every target, warnings are errors)"
cargo clippy --release --all-targets --locked -- -D warnings

echo "== cargo test (release: the geometry tests run on all of France)"
cargo test --release --locked

if [ -d tests/e2e ] && ls tests/e2e/*.test.mjs >/dev/null 2>&1; then
  echo "== browser end-to-end tests (headless Chromium)"
  mkdir -p artifacts
  CPTS_ATLAS_BIN="$PWD/target/release/cpts-atlas" node --test tests/e2e/*.test.mjs
fi
