//! Fuzz target: the serve HTTP request-head parser on any bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| skillbook::fuzz::http_head(bytes));
