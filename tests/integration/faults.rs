//! Faults: a read-only output folder, a full disk, a build killed at random moments. The
//! previous output is always there and complete, and leftovers are cleaned by the next run.
//! The read-only and full-disk cases mount a small tmpfs, which needs root; without it they
//! fall back to file permissions or say they were skipped (the write stage's unit tests
//! inject a write error without any privilege).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::support::{bin, tree, SiteTest};

/// A tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// Mounts a tmpfs of `size` (e.g. `4m`) at `dir`; `None` without the right to mount.
    fn mount(dir: &Path, size: &str) -> Option<Self> {
        std::fs::create_dir_all(dir).expect("mkdir");
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Self(dir.to_path_buf()))
    }

    fn remount(&self, option: &str) {
        let status = Command::new("mount").args(["-o", &format!("remount,{option}")]).arg(&self.0).status();
        assert!(status.is_ok_and(|s| s.success()), "remount {option}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// A small valid site.
fn small_site() -> SiteTest {
    SiteTest::fixture("one-lesson")
}

/// Entries of `dir` besides `keep`, sorted: staging or old folders left behind.
fn leftovers(dir: &Path, keep: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect();
    names.sort();
    names
}

fn build_into(t: &SiteTest, out: &Path) -> crate::support::Run {
    t.run(&["build", "--out", out.to_str().expect("utf-8")])
}

#[test]
fn a_read_only_output_folder_fails_cleanly() {
    let t = small_site();
    let mount = t.tmp.path().join("ro");
    let tmpfs = Tmpfs::mount(&mount, "8m");
    if tmpfs.is_none() && is_root() {
        eprintln!("skipped: cannot mount a tmpfs, and permissions do not bind root");
        return;
    }
    let out = mount.join("public");
    assert_eq!(build_into(&t, &out).code, 0);
    let before = tree(&out);
    let t = t.write("content/modules/01-m/02-new.md", "+++\ntitle = \"New\"\n+++\n");
    match &tmpfs {
        Some(fs) => fs.remount("ro"),
        None => set_mode(&mount, 0o555),
    }
    let run = build_into(&t, &out);
    if tmpfs.is_none() {
        set_mode(&mount, 0o755);
    }
    assert_eq!(run.code, 2, "{}", run.stderr);
    let first = run.stderr.lines().next().unwrap_or("");
    let refused = first.contains("Read-only file system") || first.contains("Permission denied");
    assert!(first.starts_with("error: cannot create ") && refused, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"));
    assert_eq!(tree(&out), before, "previous output changed");
    assert_eq!(leftovers(&mount, &["public"]), Vec::<String>::new());
}

#[test]
fn a_full_disk_keeps_the_previous_output_and_cleans_up() {
    let t = small_site();
    let mount = t.tmp.path().join("small");
    let Some(_tmpfs) = Tmpfs::mount(&mount, "3m") else {
        eprintln!("skipped: cannot mount a tmpfs (needs root); write::tests inject a write error instead");
        return;
    };
    let out = mount.join("public");
    assert_eq!(build_into(&t, &out).code, 0);
    let before = tree(&out);
    let used: usize = before.iter().map(|(_, b)| b.len()).sum();
    assert!(used < 1024 * 1024, "the small site fits: {used} bytes");
    // An image larger than what is left: the staging folder fills the disk.
    let t = t.write_bytes("content/modules/01-m/big.bin", &vec![7u8; 3 * 1024 * 1024]);
    let run = build_into(&t, &out);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("No space left on device"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"));
    assert_eq!(tree(&out), before, "previous output changed");
    assert_eq!(leftovers(&mount, &["public"]), Vec::<String>::new(), "the staging folder is removed");
    // With room again the build goes through.
    std::fs::remove_file(t.site.join("content/modules/01-m/big.bin")).expect("rm");
    assert_eq!(build_into(&t, &out).code, 0);
}

/// What a site folder holds besides the output and its leftovers.
const SITE_FILES: &[&str] = &["skillbook.toml", "content", "themes", "static", "public"];

/// A small pseudo-random generator (xorshift), seeded from the clock; the seed is printed so a
/// failing run can be repeated with `SKILLBOOK_SEED`.
struct Rng(u64);

impl Rng {
    fn new() -> Self {
        let seed = std::env::var("SKILLBOOK_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
            SystemTime::now().duration_since(UNIX_EPOCH).map_or(1, |d| u64::from(d.subsec_nanos()) | 1)
        });
        eprintln!("seed: {seed}");
        Self(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[test]
fn builds_killed_at_random_moments_never_lose_the_output() {
    const KILLS: usize = 50;
    let t = small_site();
    let started = Instant::now();
    t.build_ok();
    let took = started.elapsed();
    let reference = tree(&t.out());
    let mut rng = Rng::new();
    let (mut mid_write, mut finished) = (0, 0);
    for _ in 0..KILLS {
        let mut child = Command::new(bin())
            .arg("build")
            .current_dir(&t.site)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let wait = u64::try_from(took.as_micros()).unwrap_or(u64::MAX) * 5 / 4;
        std::thread::sleep(Duration::from_micros(rng.below(wait)));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().expect("wait");
        finished += usize::from(status.success());
        assert_eq!(tree(&t.out()), reference, "the output is complete after a kill");
        mid_write += usize::from(!leftovers(&t.site, SITE_FILES).is_empty());
    }
    eprintln!("{KILLS} kills: {mid_write} left a staging folder, {finished} builds had finished");
    t.build_ok();
    assert_eq!(tree(&t.out()), reference);
    assert_eq!(leftovers(&t.site, SITE_FILES), Vec::<String>::new(), "cleaned");
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}
