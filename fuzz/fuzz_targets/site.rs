//! Fuzz target: a whole build in memory (`Harness::site_input`). The input is split at NUL
//! bytes into a lesson, a module quiz and `skillbook.toml`; every page goes through front
//! matter, validation, Markdown, quizzes, templates and the search index.
#![no_main]

use std::cell::RefCell;

thread_local! {
    static HARNESS: RefCell<skillbook::fuzz::Harness> = RefCell::new(skillbook::fuzz::Harness::default());
}

libfuzzer_sys::fuzz_target!(|text: &str| {
    HARNESS.with(|h| {
        let _ = h.borrow_mut().site_input(text);
    });
});
