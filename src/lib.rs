//! skillbook: turns Markdown playbooks, role-based skill modules and quizzes into a static
//! training portal. The binary is `run`; the library exists so fuzz targets and property
//! tests can reach the stages directly through `fuzz`, and the test of the theme's scripts the
//! functions they mirror through `mirror`. Everything else stays crate-private.

mod cli;
mod diagnostic;
mod error;
pub mod fuzz;
mod hex;
mod load;
pub mod mirror;
mod model;
mod package;
mod pipeline;
mod render;
mod scaffold;
mod schema;
mod serve;
mod timing;
mod write;

use std::process::ExitCode;

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Parses the command line, runs the command and maps the result to an exit code:
/// 0 ok, 1 content errors, 2 anything else.
#[must_use]
pub fn run() -> ExitCode {
    let args = <cli::Args as clap::Parser>::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if matches!(err, error::Error::Content { .. }) {
                eprintln!("{err}");
            } else {
                eprintln!("error: {err}");
            }
            ExitCode::from(err.exit_code())
        }
    }
}
