//! The one integration test binary: every test runs the real `skillbook` binary.

mod accessibility;
mod bad_input;
mod build;
mod progress;
mod progress_browser;
mod quiz;
mod quiz_browser;
mod schema;
mod search;
mod search_browser;
mod serve;
mod support;
mod theme;
