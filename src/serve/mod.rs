//! Serve: build, publish, watch, rebuild. The site is built into memory and served from
//! there (never into the author's `public/`); each change rebuilds with the render cache, so
//! only pages whose inputs changed are rendered again, and open pages are told to reload.
//! A failed rebuild keeps the last good build online and shows its errors on every page.

pub(crate) mod answers;
pub(crate) mod http;
pub(crate) mod quick;
pub(crate) mod reload;
pub(crate) mod search;
pub(crate) mod state;
pub(crate) mod watch;
pub(crate) mod wire;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Instant;

use crate::diagnostic::{self, Diagnostic, Printer, Severity};
use crate::error::{Error, Result};
use crate::load::Sources;
use crate::model::Site;
use crate::render::markdown::Rendered;
use crate::render::{Incremental, Output};
use crate::timing::{phase, Mark};
use state::{Shared, Snapshot};
use watch::Signal;

/// Most event streams (open pages) served at once.
const MAX_STREAMS: usize = 1024;

/// Options of `skillbook serve`.
pub(crate) struct Options<'a> {
    /// Site folder.
    pub(crate) dir: &'a Path,
    /// Address to bind.
    pub(crate) bind: &'a str,
    /// First port to try.
    pub(crate) port: u16,
    /// Open the portal in the default browser.
    pub(crate) open: bool,
}

/// One build of the site with the cache: the output, or the formatted errors.
struct Attempt {
    output: Option<Output>,
    search_files: BTreeSet<String>,
    sources: BTreeMap<String, String>,
    info: String,
    answers: String,
    errors: Vec<String>,
    /// Warnings of this build, in the form pages show (with the source lines).
    warnings: Vec<String>,
}

/// What a rebuild can reuse: what the last build rendered and the files read last time.
struct Reuse {
    render: Incremental,
    /// The inputs as last read, when that read was clean; updated file by file on changes.
    sources: Option<Sources>,
    /// The model and Markdown of the served build, when it had no diagnostic at all: then an
    /// edit to one page's body can be rebuilt as that page alone.
    live: Option<Live>,
}

/// The site behind the served build.
struct Live {
    site: Arc<Site>,
    markdown: Arc<BTreeMap<String, Arc<Rendered>>>,
}

/// Loads the inputs: only the `changed` files when the last read can be updated file by
/// file, else everything.
fn sources(dir: &Path, root: &Path, reuse: &mut Reuse, changed: &[PathBuf]) -> Result<(Sources, Vec<Diagnostic>)> {
    if let Some(sources) = &mut reuse.sources {
        if crate::load::refresh(root, sources, changed) {
            return Ok((sources.clone(), Vec::new()));
        }
    }
    let (sources, diags) = crate::load::load(dir)?;
    reuse.sources = diags.is_empty().then(|| sources.clone());
    Ok((sources, diags))
}

/// Builds the site with what `reuse` holds, after `changed` files changed (all of them when
/// empty): the same pipeline as `build`, rendering with [`Incremental`].
fn attempt(dir: &Path, root: &Path, reuse: &mut Reuse, changed: &[PathBuf]) -> Result<Attempt> {
    let t = Mark::now();
    let (sources, diags) = sources(dir, root, reuse, changed)?;
    phase("load", t);
    let render = &mut reuse.render;
    let (site, output, mut diags) = crate::pipeline::compile(sources, diags, |site, diags| render.build(site, diags));
    reuse.live = None;
    diagnostic::sort(&mut diags);
    let printer = Printer { root: dir, snippets: false, color: false };
    let shown = |severity: Severity| -> Vec<String> {
        let of_kind = diags.iter().filter(|d| d.severity == severity);
        of_kind.map(|d| printer.format_with_excerpt(d).trim_end().to_string()).collect()
    };
    let errors = shown(Severity::Error);
    let warnings = shown(Severity::Warning);
    for w in &warnings {
        eprintln!("{w}");
    }
    let clean = diags.is_empty();
    let (output, search_files, markdown) = match output {
        Ok(built) if errors.is_empty() => (Some(built.output), built.search_files, Some(built.markdown)),
        Ok(_) => (None, BTreeSet::new(), None),
        Err(e) => {
            return Ok(Attempt {
                output: None,
                search_files: BTreeSet::new(),
                sources: BTreeMap::new(),
                info: String::new(),
                answers: String::new(),
                errors: vec![e.to_string()],
                warnings,
            })
        }
    };
    let page_sources = page_sources(&site);
    let roles: Vec<_> = site.config.roles.iter().map(|r| serde_json::json!({"id": r.id, "name": r.name})).collect();
    let info = serde_json::json!({"id": site.config.id, "roles": roles}).to_string();
    let answers = answers::answer_key(&site);
    if let (true, Some(markdown)) = (clean, markdown) {
        reuse.live = Some(Live { site: Arc::new(site), markdown: Arc::new(markdown) });
    }
    Ok(Attempt { output, search_files, sources: page_sources, info, answers, errors, warnings })
}

/// Output path → the file an author edits to change that page, for the author bar: the
/// Markdown of pages, the quiz file of an assessment, `skillbook.toml` for role pages. Pages
/// made from the whole site (lists, search, progress) have none.
fn page_sources(site: &Site) -> BTreeMap<String, String> {
    let shown = |p: &Path| p.display().to_string();
    let mut sources: BTreeMap<String, String> = site.pages().map(|p| (p.out.clone(), shown(&p.path))).collect();
    for module in &site.modules {
        if let Some(quiz) = &module.quiz {
            sources.insert(crate::model::slug::quiz_url(&module.id), shown(&quiz.path));
        }
    }
    for role in &site.config.roles {
        sources.insert(crate::model::slug::role_url(&role.id), "skillbook.toml".to_string());
    }
    sources
}

/// Rebuilds after an edit to one lesson's or playbook's body as that page alone, when the
/// edit reaches no other page (see [`quick`]); the search index follows in the
/// background. `false` when it does not apply and everything must be rebuilt.
fn quick(
    root: &Path,
    paths: &[PathBuf],
    reuse: &mut Reuse,
    shared: &Shared,
    index: &mpsc::Sender<search::Job>,
) -> bool {
    let started = Instant::now();
    let [abs] = paths else { return false };
    let (Some(live), Some(sources)) = (&mut reuse.live, &mut reuse.sources) else {
        return false;
    };
    let Ok(rel) = abs.strip_prefix(root) else { return false };
    if rel.extension().is_none_or(|e| e != "md") || !crate::load::refresh(root, sources, std::slice::from_ref(abs)) {
        return false;
    }
    let Some(text) = sources.pages.iter().find(|f| f.path == rel).map(|f| Arc::clone(&f.text)) else {
        return false;
    };
    // A failure here (a template that fails on the new text) is left to the whole rebuild,
    // which reports it the usual way.
    let Ok(Some(update)) = quick::body_edit(&live.site, &live.markdown, &mut reuse.render, rel, text) else {
        return false;
    };
    let out = update.page.out.clone();
    quick::apply(Arc::make_mut(&mut live.site), update.page);
    Arc::make_mut(&mut live.markdown).insert(out.clone(), update.rendered);
    let mut content = 0;
    shared.publish(|s| {
        let mut output = (*s.output).clone();
        output.files.insert(out.clone(), update.html);
        s.output = Arc::new(output);
        s.generation += 1;
        s.content += 1;
        s.search_pending = true;
        content = s.content;
    });
    let _ = index.send(search::Job { content, site: Arc::clone(&live.site), markdown: Arc::clone(&live.markdown) });
    eprintln!(
        "built in {:.1} ms: 1 page rendered ({out}); the search index follows",
        started.elapsed().as_secs_f64() * 1000.0
    );
    true
}

/// Builds `dir`, serves it, and rebuilds on every change until Ctrl-C.
pub(crate) fn serve(options: &Options<'_>) -> Result<()> {
    let dir = options.dir;
    if !dir.join("skillbook.toml").is_file() {
        return Err(Error::NotASite { dir: dir.to_path_buf() });
    }
    let root = dir.canonicalize().map_err(Error::io("read", dir))?;
    let mut reuse = Reuse { render: Incremental::default(), sources: None, live: None };
    let started = Instant::now();
    let first = attempt(dir, &root, &mut reuse, &[])?;
    report(&first, started, &reuse.render);
    let instance = u64::from(std::process::id()) << 20 ^ u64::from(started.elapsed().subsec_nanos());
    let shared = Arc::new(Shared::new(Snapshot {
        generation: 1,
        instance,
        output: Arc::new(first.output.unwrap_or_default()),
        sources: Arc::new(first.sources),
        info: Arc::new(first.info),
        answers: Arc::new(first.answers),
        errors: Arc::new(first.errors),
        warnings: Arc::new(first.warnings),
        stopping: false,
        search_files: Arc::new(first.search_files),
        content: 1,
        search_pending: false,
    }));
    let index = search::start(Arc::clone(&shared));
    let listener = wire::bind(options.bind, options.port)?;
    let port = listener.port;
    let shown = if options.bind == "0.0.0.0" { "localhost" } else { options.bind };
    let url = format!("http://{shown}:{port}/");
    let (tx, rx) = mpsc::channel();
    install_ctrl_c(tx.clone())?;
    let streams = Arc::new(reload::Streams::new(MAX_STREAMS));
    let handler_state = Arc::clone(&shared);
    let running =
        listener.run(Arc::new(move |request: &wire::Request| http::respond(&handler_state, &streams, request)));
    if options.open {
        open_browser(&url);
    }
    let mut watcher = Some(watch::watch(&root, tx.clone())?);
    let mut dirs_present = watched_dirs(&root);
    // Said once files are watched: an edit made as soon as this line appears is seen.
    eprintln!("serving {} at {url}  (Ctrl-C to stop)", dir.display());
    while let Ok(Signal::Changed(mut paths)) = rx.recv() {
        // The watcher settles each file on its own; wait until no file at all has changed for
        // a moment, so a burst (a `git checkout`) written over a while is one rebuild.
        loop {
            match rx.recv_timeout(watch::SETTLE) {
                Ok(Signal::Changed(more)) => paths.extend(more),
                Ok(Signal::Stop) => {
                    let _ = tx.send(Signal::Stop);
                    break;
                }
                Err(_) => break,
            }
        }
        paths.sort();
        paths.dedup();
        if !quick(&root, &paths, &mut reuse, &shared, &index) {
            rebuild(dir, &root, &paths, &mut reuse, &shared)?;
        }
        // A watched folder that appeared or vanished needs a new watch.
        let now = watched_dirs(&root);
        if now != dirs_present {
            drop(watcher.take());
            watcher = Some(watch::watch(&root, tx.clone())?);
            dirs_present = now;
        }
    }
    drop(watcher);
    shared.publish(|s| s.stopping = true);
    running.stop();
    eprintln!("stopped");
    Ok(())
}

fn watched_dirs(root: &Path) -> Vec<bool> {
    ["content", "themes", "static"].iter().map(|d| root.join(d).is_dir()).collect()
}

fn rebuild(dir: &Path, root: &Path, paths: &[PathBuf], reuse: &mut Reuse, shared: &Shared) -> Result<()> {
    let started = Instant::now();
    let attempt = attempt(dir, root, reuse, paths)?;
    let changed = paths.len();
    report(&attempt, started, &reuse.render);
    let current = shared.current();
    let same_output = attempt.output.as_ref().is_none_or(|o| *o == *current.output);
    let same = same_output && attempt.errors == *current.errors && attempt.warnings == *current.warnings;
    if same {
        eprintln!("  {changed} {} changed; the portal is unchanged", if changed == 1 { "file" } else { "files" });
        return Ok(());
    }
    shared.publish(|s| {
        s.generation += 1;
        s.errors = Arc::new(attempt.errors);
        s.warnings = Arc::new(attempt.warnings);
        if let Some(output) = attempt.output {
            s.output = Arc::new(output);
            s.search_files = Arc::new(attempt.search_files);
            s.content += 1;
            s.search_pending = false;
            s.sources = Arc::new(attempt.sources);
            s.info = Arc::new(attempt.info);
            s.answers = Arc::new(attempt.answers);
        }
    });
    Ok(())
}

fn report(attempt: &Attempt, started: Instant, render: &Incremental) {
    let took = started.elapsed();
    if attempt.errors.is_empty() {
        let s = render.stats();
        eprintln!(
            "built in {:.1} ms: {} of {} pages rendered, {} of {} Markdown files",
            took.as_secs_f64() * 1000.0,
            s.pages_rendered,
            s.pages_rendered + s.pages_reused,
            s.markdown_rendered,
            s.markdown_rendered + s.markdown_reused
        );
    } else {
        for e in &attempt.errors {
            eprintln!("{e}");
        }
        let n = attempt.errors.len();
        eprintln!(
            "build failed with {n} {}; still serving the last good build",
            if n == 1 { "error" } else { "errors" }
        );
    }
}

fn install_ctrl_c(tx: mpsc::Sender<Signal>) -> Result<()> {
    ctrlc::set_handler(move || {
        let _ = tx.send(Signal::Stop);
    })
    .map_err(|e| Error::Serve { message: format!("cannot install the Ctrl-C handler: {e}") })
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("cannot open a browser ({opener}: {e}); open {url} yourself");
    }
}
