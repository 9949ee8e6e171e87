//! Fuzz target: `skillbook::fuzz::serve_path` on any UTF-8 text.
#![no_main]

libfuzzer_sys::fuzz_target!(|text: &str| skillbook::fuzz::serve_path(text));
