//! Pipeline: `build` = load → validate → render → write; `check` is `build` without write;
//! `serve` runs the same [`compile`] on inputs it reloads file by file. Diagnostics of every
//! stage are collected and printed together before the run fails.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use crate::diagnostic::{self, Diagnostic, Printer, Severity};
use crate::error::{Error, Result};
use crate::load::Sources;
use crate::model::Site;
use crate::render::cache::Bytes;
use crate::render::Emit;
use crate::timing::{phase, Mark};

/// Builds the site in `dir` into `out`. Files are written to a staging folder while the
/// build goes on, and swapped in only if the build succeeds.
pub(crate) fn build(dir: &Path, out: &Path, strict: bool) -> Result<()> {
    let started = Instant::now();
    crate::write::check_output_path(dir, out)?;
    let writer = crate::write::Writer::start(out)?;
    let mut sink = writer.sink();
    let (sources, diags) = load(dir)?;
    let (site, rendered, mut diags) =
        compile(sources, diags, |site, diags| crate::render::once(site, &mut sink, diags));
    drop(site);
    rendered?;
    report(dir, &mut diags, strict)?;
    drop(sink);
    let writing = Mark::now();
    let files = writer.finish()?;
    phase("write (the rest)", writing);
    eprintln!("built {files} files into {} in {:.2?}", out.display(), started.elapsed());
    Ok(())
}

/// Checks the site in `dir` without writing anything.
pub(crate) fn check(dir: &Path, strict: bool) -> Result<()> {
    let (sources, diags) = load(dir)?;
    let mut count = Count(0);
    let (_, rendered, mut diags) = compile(sources, diags, |site, diags| crate::render::once(site, &mut count, diags));
    rendered?;
    report(dir, &mut diags, strict)?;
    eprintln!("ok: {} pages and files would be built", count.0);
    Ok(())
}

/// An emitter that only counts the files, for `check`.
struct Count(usize);

impl Emit for Count {
    fn file(&mut self, _: String, _: Bytes) {
        self.0 += 1;
    }
}

/// Reads every input of the site in `dir`.
pub(crate) fn load(dir: &Path) -> Result<(Sources, Vec<Diagnostic>)> {
    let t = Mark::now();
    let loaded = crate::load::load(dir);
    phase("load", t);
    loaded
}

/// Validates `sources` into the site's model and renders it with `render`: the stages
/// after loading, the same for every command. Returns the model, what rendering gave, and
/// every diagnostic so far (`diags`, those of loading, first).
pub(crate) fn compile<T>(
    sources: Sources,
    mut diags: Vec<Diagnostic>,
    render: impl FnOnce(&Site, &mut Vec<Diagnostic>) -> Result<T>,
) -> (Site, Result<T>, Vec<Diagnostic>) {
    let t = Mark::now();
    let site = crate::model::validate::validate(sources, &mut diags);
    phase("validate", t);
    let t = Mark::now();
    let rendered = render(&site, &mut diags);
    phase("render", t);
    (site, rendered, diags)
}

/// Prints diagnostics sorted by file and position; errors (or warnings with `strict`) fail.
pub(crate) fn report(dir: &Path, diags: &mut [Diagnostic], strict: bool) -> Result<()> {
    diagnostic::sort(diags);
    let terminal = std::io::stderr().is_terminal();
    let printer = Printer { root: dir, snippets: terminal, color: terminal && std::env::var_os("NO_COLOR").is_none() };
    let mut text = String::new();
    for d in diags.iter() {
        text.push_str(&printer.format(d));
    }
    eprint!("{text}");
    let errors = diags.iter().filter(|d| d.severity == Severity::Error || strict).count();
    if errors > 0 {
        return Err(Error::Content { errors });
    }
    Ok(())
}
