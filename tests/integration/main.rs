//! The one integration test binary: every test runs the real `skillbook` binary.

mod accessibility;
mod bad_input;
mod build;
mod faults;
mod first_hour;
mod fuzz_corpus;
mod js;
mod package;
mod package_cmi5;
mod progress;
mod progress_browser;
mod properties;
mod quiz;
mod quiz_browser;
mod schema;
mod search;
mod search_browser;
mod serve;
mod serve_abuse;
mod storage_robustness;
mod support;
mod theme;
