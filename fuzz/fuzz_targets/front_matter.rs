//! Fuzz target: `skillbook::fuzz::front_matter` on any UTF-8 text.
#![no_main]

libfuzzer_sys::fuzz_target!(|text: &str| skillbook::fuzz::front_matter(text));
