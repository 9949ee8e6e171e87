//! Command line: the clap definitions of `new`, `build`, `check` and `serve`, and dispatch.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::error::Result;

/// `skillbook --version`: the release and the commit it was built from.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("SKILLBOOK_COMMIT"), ")");

/// Build role-based training portals from Markdown playbooks, skill modules and quizzes.
#[derive(Debug, Parser)]
#[command(name = "skillbook", version = VERSION, about, long_about = None)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a new site with a module, lessons, a quiz and a playbook
    New {
        /// Folder to create (must not exist, or be empty)
        dir: PathBuf,
    },
    /// Build the portal into an output folder
    Build {
        /// Site folder (holds skillbook.toml)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output folder [default: DIR/public]
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Treat warnings as errors
        #[arg(long)]
        strict: bool,
    },
    /// Check everything a build would, writing nothing
    Check {
        /// Site folder (holds skillbook.toml)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Treat warnings as errors
        #[arg(long)]
        strict: bool,
    },
    /// Write JSON Schemas of skillbook.toml, front matter and quiz files, for editors
    Schema {
        /// Folder to write them into
        #[arg(long, short, default_value = "schemas")]
        out: PathBuf,
    },
    /// Write LMS packages (SCORM 1.2, SCORM 2004, cmi5): one zip per module, role path or site
    Package {
        /// Site folder (holds skillbook.toml)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Package format
        #[arg(long, short, value_enum)]
        format: crate::package::Format,
        /// What one package holds
        #[arg(long, value_enum, default_value = "module")]
        per: crate::package::Per,
        /// Folder to write the zips into [default: DIR/packages]
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// Build the portal and serve it on a local port
    Serve {
        /// Site folder (holds skillbook.toml)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Port to listen on; the next free one is taken if it is busy
        #[arg(long, short, default_value_t = 3000)]
        port: u16,
        /// Address to bind; use 0.0.0.0 to let other machines connect
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the portal in the default browser
        #[arg(long)]
        open: bool,
    },
}

/// Runs the command.
pub(crate) fn run(args: Args) -> Result<()> {
    match args.command {
        Command::New { dir } => crate::scaffold::new_site(&dir),
        Command::Build { dir, out, strict } => {
            let out = out.unwrap_or_else(|| dir.join("public"));
            crate::pipeline::build(&dir, &out, strict)
        }
        Command::Check { dir, strict } => crate::pipeline::check(&dir, strict),
        Command::Schema { out } => crate::schema::write(&out),
        Command::Package { dir, format, per, out } => {
            let out = out.unwrap_or_else(|| dir.join("packages"));
            crate::package::package(&crate::package::Options { dir: &dir, format, per, out: &out })
        }
        Command::Serve { dir, port, bind, open } => {
            crate::serve::serve(&crate::serve::Options { dir: &dir, bind: &bind, port, open })
        }
    }
}
