#!/usr/bin/env bash
# Installs what cpts-atlas needs beyond cargo: the npm packages of the front end and, unless
# `--runtime` is given (what the service alone needs), Debian's Chromium, the French word list
# (wfrench) and pdftotext (poppler-utils) and the npm packages of the end-to-end tests, GDAL
# (gdal-bin: the OGC API - Features client of tests/ogc.rs) and pyarrow, duckdb, python-docx,
# openpyxl, openapi-spec-validator and jsonschema in .venv-tests (read the GeoParquet exports,
# write Parquet input, read the dossier and check the OpenAPI document back). Idempotent; run
# from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
runtime_only=false
[ "${1:-}" = "--runtime" ] && runtime_only=true

need_apt=()
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
if ! $runtime_only; then
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
  command -v ogrinfo >/dev/null 2>&1 || need_apt+=(gdal-bin)
  # The French word list of the e2e dictionary check (tests/e2e/french.mjs), and pdftotext for
  # the report's page fill (tests/e2e/honest.test.mjs).
  [ -f /usr/share/dict/french ] || need_apt+=(wfrench)
  command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
  command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-venv)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: please install the Debian packages: ${need_apt[*]} (needs root)" >&2
    exit 1
  fi
  echo "setup: apt-get install ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# cargo-deny (licences, bans, sources; scripts/test.sh): built once per machine (~7 min on 2
# busy cores), then kept in ~/.cargo/bin.
if ! $runtime_only && ! command -v cargo-deny >/dev/null 2>&1; then
  echo "setup: cargo install cargo-deny"
  cargo install cargo-deny --locked --quiet
fi

dirs=(web)
$runtime_only || dirs+=(tests/e2e)
for dir in "${dirs[@]}"; do
  if [ -f "$dir/package-lock.json" ] && { [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; }; then
    echo "setup: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$dir/node_modules"
  fi
done

# The readers of the tests: pyarrow and duckdb (GeoParquet exports, Parquet batch input),
# python-docx and openpyxl (the lettre d'intention and the budget prévisionnel),
# openapi-spec-validator and jsonschema (the OpenAPI document and answers, tests/openapi.rs).
python_readers=(pyarrow duckdb python-docx openpyxl openapi-spec-validator jsonschema)
if ! $runtime_only && ! .venv-tests/bin/python -c 'import pyarrow, duckdb, docx, openpyxl, openapi_spec_validator, jsonschema' >/dev/null 2>&1; then
  echo "setup: ${python_readers[*]} into .venv-tests"
  .venv-tests/bin/python -m pip --version >/dev/null 2>&1 || { rm -rf .venv-tests; python3 -m venv .venv-tests; }
  .venv-tests/bin/python -m pip install --quiet --disable-pip-version-check "${python_readers[@]}"
fi
