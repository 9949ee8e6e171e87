//! Fuzz target: `skillbook::fuzz::quiz` on any UTF-8 text.
#![no_main]

libfuzzer_sys::fuzz_target!(|text: &str| skillbook::fuzz::quiz(text));
