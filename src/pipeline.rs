//! Pipeline: `build` = load → validate → render → write; `check` is `build` without write.
//! Diagnostics of every stage are collected and printed together before the run fails.

use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::diagnostic::{self, Diagnostic, Printer, Severity};
use crate::error::{Error, Result};
use crate::render::Output;

/// Builds the site in `dir` into `out`. Files are written to a staging folder while the
/// build goes on, and swapped in only if the build succeeds.
pub(crate) fn build(dir: &Path, out: &Path, strict: bool) -> Result<()> {
    let started = Instant::now();
    crate::write::check_output_path(dir, out)?;
    let writer = crate::write::Writer::start(out)?;
    let output = compile(dir, strict, Output::streaming(writer.sink()))?;
    drop(output);
    let writing = Mark::now();
    let files = writer.finish()?;
    phase("write (the rest)", writing);
    eprintln!("built {files} files into {} in {:.2?}", out.display(), started.elapsed());
    Ok(())
}

/// Checks the site in `dir` without writing anything.
pub(crate) fn check(dir: &Path, strict: bool) -> Result<()> {
    let output = compile(dir, strict, Output::discarding())?;
    eprintln!("ok: {} pages and files would be built", output.len());
    Ok(())
}

/// Load, validate and render into `out`; prints diagnostics; fails if there were errors.
pub(crate) fn compile(dir: &Path, strict: bool, out: Output) -> Result<Output> {
    let (output, mut diags) = render_site(dir, out)?;
    report(dir, &mut diags, strict)?;
    output.ok_or(Error::Content { errors: 0 })
}

/// Runs every stage up to rendering. The output is `None` when a stage could not go on.
pub(crate) fn render_site(dir: &Path, out: Output) -> Result<(Option<Output>, Vec<Diagnostic>)> {
    let t = Mark::now();
    let (sources, mut diags) = crate::load::load(dir)?;
    phase("load", t);
    let t = Mark::now();
    let site = crate::model::validate::validate(sources, &mut diags);
    phase("validate", t);
    let t = Mark::now();
    let mut cache = crate::render::cache::Cache::single();
    let built = crate::render::render_full(&site, &mut cache, out, &mut diags)?;
    phase("render", t);
    Ok((Some(built.output), diags))
}

/// The start of a stage, for [`phase`]: wall-clock time and the CPU time the process has
/// used so far (all threads, user and kernel).
#[derive(Clone, Copy)]
pub(crate) struct Mark {
    wall: Instant,
    cpu: Duration,
}

impl Mark {
    pub(crate) fn now() -> Self {
        Self { wall: Instant::now(), cpu: cpu_time() }
    }
}

/// CPU time used by the whole process so far (zero where it cannot be read).
fn cpu_time() -> Duration {
    #[cfg(target_os = "linux")]
    {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
        // SAFETY: getrusage fills the struct it is given and returns 0 when it did.
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) } == 0 {
            // SAFETY: filled by the successful call above.
            let usage = unsafe { usage.assume_init() };
            let time = |t: libc::timeval| {
                Duration::new(u64::try_from(t.tv_sec).unwrap_or(0), u32::try_from(t.tv_usec).unwrap_or(0) * 1000)
            };
            return time(usage.ru_utime) + time(usage.ru_stime);
        }
    }
    Duration::ZERO
}

/// With `SKILLBOOK_TIMINGS` set, prints how long a stage took, the CPU time it used on all
/// cores (which shows how parallel it was) and, on Linux, the memory in use and the peak so
/// far (for profiling builds).
pub(crate) fn phase(name: &str, since: Mark) {
    if std::env::var_os("SKILLBOOK_TIMINGS").is_some() {
        let cpu = cpu_time().saturating_sub(since.cpu);
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |key: &str| {
            status.lines().find_map(|l| l.strip_prefix(key)).map_or(String::new(), |v| {
                let kib: u64 = v.trim().trim_end_matches(" kB").parse().unwrap_or(0);
                format!("{} MiB", kib / 1024)
            })
        };
        let memory = if status.is_empty() {
            String::new()
        } else {
            format!(", memory {}, peak {}", field("VmRSS:"), field("VmHWM:"))
        };
        eprintln!(
            "  {name}: {:.1} ms (CPU {:.1} ms{memory})",
            since.wall.elapsed().as_secs_f64() * 1000.0,
            cpu.as_secs_f64() * 1000.0
        );
    }
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
