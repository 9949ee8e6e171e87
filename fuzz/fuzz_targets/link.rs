//! Fuzz target: `skillbook::fuzz::Harness::link` on any UTF-8 text.
#![no_main]

use std::cell::RefCell;

thread_local! {
    static HARNESS: RefCell<skillbook::fuzz::Harness> = RefCell::new(skillbook::fuzz::Harness::default());
}

libfuzzer_sys::fuzz_target!(|text: &str| {
    HARNESS.with(|h| {
        let _ = h.borrow_mut().link(text);
    });
});
