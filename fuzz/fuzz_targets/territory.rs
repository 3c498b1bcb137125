//! Fuzz target: raw bytes as the body of `POST /api/diagnosis`, through to the diagnosis.
#![no_main]

libfuzzer_sys::fuzz_target!(|body: &[u8]| cpts_atlas_fuzz::diagnose_body(body));
