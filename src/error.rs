//! Errors that stop a run: I/O on a named path, unusable arguments, a port that cannot be
//! bound. Problems in the author's content are `Diagnostic`s, not errors.

use std::fmt;
use std::path::PathBuf;

/// A failure that stops the command.
#[derive(Debug)]
pub(crate) enum Error {
    /// Reading or writing `path` failed.
    Io { path: PathBuf, action: &'static str, source: std::io::Error },
    /// The site folder has no `skillbook.toml`.
    NotASite { dir: PathBuf },
    /// The output path would put the author's files at risk.
    UnsafeOutput { path: PathBuf, reason: String },
    /// Content had errors; they were printed already.
    Content { errors: usize },
    /// The theme's templates are broken.
    Theme { message: String },
    /// The server could not start.
    Serve { message: String },
    /// A package failed its own checks (a fault of skillbook, not of the content).
    Package { name: String, problems: Vec<String> },
    /// The command line asked for something impossible.
    Usage { message: String },
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { path, action, source }
    }

    /// The process exit code for this error: 1 for content, 2 for everything else.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Self::Content { .. } | Self::Theme { .. } => 1,
            _ => 2,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, action, source } => write!(f, "cannot {action} {}: {source}", path.display()),
            Self::NotASite { dir } => write!(
                f,
                "{} is not a skillbook site: it has no skillbook.toml\n  = help: run `skillbook new {}` to start one, or pass the site folder",
                dir.display(),
                dir.display()
            ),
            Self::UnsafeOutput { path, reason } => write!(f, "refusing to write the output to {}: {reason}", path.display()),
            Self::Content { errors } => {
                write!(f, "build failed with {errors} error{}", if *errors == 1 { "" } else { "s" })
            }
            Self::Theme { message } => write!(f, "theme error: {message}"),
            Self::Package { name, problems } => {
                write!(f, "the package `{name}` failed its checks; please report this:")?;
                for p in problems {
                    write!(f, "\n  - {p}")?;
                }
                Ok(())
            }
            Self::Serve { message } | Self::Usage { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Result of a run-stopping operation.
pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;
