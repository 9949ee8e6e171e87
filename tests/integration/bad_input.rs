//! Bad input: every mistake is exit code 1 with the exact `file:line:column` and a hint, and a
//! previous good output folder is left untouched; an unsafe output path is exit code 2 and
//! nothing is touched.

use std::path::{Path, PathBuf};

use crate::support::{tree, SiteTest};

/// A valid site (`tests/fixtures/one-lesson`); each case adds or replaces one file.
fn good_site() -> SiteTest {
    SiteTest::fixture("one-lesson")
}

/// Builds a good site, writes `bytes` to `file`, and checks that the build fails with exit
/// code 1 and the stderr of the snapshot `name`, and that the previous output is unchanged.
#[track_caller]
fn fails_cleanly(name: &str, file: &str, bytes: impl AsRef<[u8]>) {
    let t = good_site();
    t.assert_build();
    let before = tree(&t.out());
    let t = t.write_bytes(file, bytes.as_ref()).expected_exit(1).stderr_snapshot(name);
    t.assert_build();
    assert_eq!(tree(&t.out()), before, "previous output changed");
}

/// One test per bad input, `name: file, content;`: its stderr is the snapshot
/// `integration__bad_input__case_<name>` (the first line names the file, line and column).
macro_rules! cases {
    ($($name:ident: $file:expr, $text:expr;)*) => {$(
        #[test]
        fn $name() {
            super::fails_cleanly(concat!("case_", stringify!($name)), $file, $text);
        }
    )*};
}

mod case {
    cases! {
        malformed_toml_front_matter: "content/modules/01-m/02-bad.md", "+++\ntitle = \"L\"\nsummary = oops\n+++\n";
        malformed_yaml_front_matter: "content/modules/01-m/02-bad.md", "---\ntitle: [unclosed\n---\n";
        unknown_key_in_skillbook_toml: "skillbook.toml", "title = \"T\"\nid = \"t\"\ntheme = \"default\"\nlanguag = \"en\"\n";
        malformed_skillbook_toml: "skillbook.toml", "title = \"T\n";
        undeclared_role: "content/modules/01-m/_module.md", "+++\ntitle = \"M\"\nrequired_for = [\"hr\", \"sales\"]\n+++\n";
        broken_link: "content/modules/01-m/02-bad.md", "+++\ntitle = \"B\"\n+++\nSee [this](03-missing.md).\n";
        broken_anchor: "content/modules/01-m/02-bad.md", "+++\ntitle = \"B\"\n+++\n\nSee [intro](01-l.md#outro).\n";
        missing_image: "content/modules/01-m/02-bad.md", "+++\ntitle = \"B\"\n+++\n![chart](images/chart.png)\n";
        duplicate_slug: "content/modules/01-m/02-l.md", "+++\ntitle = \"L\"\n+++\n## Intro\nText.\n";
        missing_title: "content/modules/01-m/02-bad.md", "+++\nsummary = \"no title\"\n+++\n";
        empty_file: "content/modules/01-m/02-bad.md", "";
        unclosed_front_matter: "content/modules/01-m/02-bad.md", "\n+++\ntitle = \"x\"\n";
        wrong_type: "content/modules/01-m/02-bad.md", "+++\ntitle = \"B\"\norder = \"first\"\n+++\n";
        multibyte_text_before_the_error: "content/modules/01-m/02-bad.md", "+++\ntitle = \"Écoute — 傾聴\"\n+++\nÉcoute: [x](nope.md)\n";
        crlf_line_endings: "content/modules/01-m/02-bad.md", "+++\r\ntitle = \"B\"\r\n+++\r\n\r\n[x](nope.md)\r\n";
        non_utf8: "content/modules/01-m/02-bad.md", b"+++\ntitle = \"B\"\n+++\nbad \xff byte\n";
    }
}

#[test]
fn oversized_text_file_is_reported() {
    let t = good_site();
    t.assert_build();
    let before = tree(&t.out());
    let t = t.write("content/modules/01-m/02-big.md", "+++\ntitle = \"Big\"\n+++\n");
    // 17 MiB, mostly a hole in the file: larger than the 16 MiB a text file may have.
    let file =
        std::fs::OpenOptions::new().write(true).open(t.site.join("content/modules/01-m/02-big.md")).expect("open");
    file.set_len(17 << 20).expect("grow");
    let t = t.expected_exit(1).stderr_snapshot("too_large");
    t.assert_build();
    assert_eq!(tree(&t.out()), before, "previous output changed");
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported() {
    let t = good_site();
    t.assert_build();
    std::os::unix::fs::symlink("..", t.site.join("content/modules/01-m/loop")).expect("symlink");
    let before = tree(&t.out());
    let t = t.expected_exit(1).stderr_snapshot("symlink_loop");
    t.assert_build();
    assert_eq!(tree(&t.out()), before);
}

#[test]
fn all_errors_are_reported_together() {
    // Two errors and a warning with a "did you mean", in one run.
    good_site()
        .write("content/modules/01-m/02-a.md", "+++\ntitle = \"A\"\n+++\n[x](gone.md)\n")
        .write("content/modules/01-m/03-b.md", "+++\ntitel = \"B\"\n+++\n")
        .expected_exit(1)
        .stderr_snapshot("all_errors_together")
        .assert_build();
}

#[test]
fn strict_turns_warnings_into_failures() {
    let t = good_site()
        .write("content/modules/01-m/02-a.md", "+++\ntitle = \"A\"\nlayout = \"post\"\n+++\n")
        .stderr_snapshot("strict_build");
    t.assert_build();
    t.expected_exit(1).stderr_snapshot("strict_check").assert_run(&["check", "--strict"]);
}

/// The folders a refused output path is named after, in one temporary folder `root`: the
/// site, a home folder with a file in it, a folder of someone else's files and a link to the site.
struct Places {
    root: PathBuf,
    site: PathBuf,
    home: PathBuf,
    mine: PathBuf,
}

/// A good site in `root/site`, with `root/home` as `HOME`, `root/mine` holding a file of its
/// own and `root/link-to-site` a link to the site.
fn places() -> (SiteTest, Places) {
    let t = good_site();
    let root = t.tmp.path().to_path_buf();
    let (home, mine) = (root.join("home"), root.join("mine"));
    for (dir, file) in [(&home, ".profile"), (&mine, "keep.txt")] {
        std::fs::create_dir_all(dir).expect("mkdir");
        std::fs::write(dir.join(file), "mine").expect("write");
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(&t.site, root.join("link-to-site")).expect("symlink");
    let places = Places { root, site: t.site.clone(), home: home.clone(), mine };
    (t.env("HOME", &home), places)
}

/// `build --out OUT` is refused with exit code 2 and exactly `stderr` (the temporary folder
/// shown as `[TMP]`), and no file anywhere in the temporary folder changes.
fn refused(out: impl Fn(&Places) -> PathBuf, stderr: &str) {
    let (t, places) = places();
    let out = out(&places);
    let before = tree(&places.root);
    let t = t.expected_exit(2).expected_stderr(stderr);
    t.assert_run(&["build", "--out", out.to_str().expect("utf-8")]);
    assert_eq!(tree(&places.root), before, "{}: files changed", out.display());
}

/// One test per output path that `build` refuses, `name: |places| path, stderr;`.
macro_rules! refusals {
    ($($name:ident: $out:expr, $stderr:expr;)*) => {$(
        #[test]
        fn $name() {
            super::refused($out, $stderr);
        }
    )*};
}

mod refused {
    use std::path::PathBuf;

    refusals! {
        root_of_the_file_system: |_| PathBuf::from("/"),
            "error: refusing to write the output to /: it is the root of the file system\n";
        home_folder: |p| p.home.clone(),
            "error: refusing to write the output to [TMP]/home: it is your home folder\n";
        home_folder_by_another_path: |p| p.home.join("../home/"),
            "error: refusing to write the output to [TMP]/home/../home/: it is your home folder\n";
        site_folder: |p| p.site.clone(),
            "error: refusing to write the output to [TMP]/site: it is the site folder or contains it; pick a folder such as public/\n";
        site_folder_with_a_dot: |p| p.site.join("."),
            "error: refusing to write the output to [TMP]/site/.: it is the site folder or contains it; pick a folder such as public/\n";
        site_folder_relative: |_| PathBuf::from("."),
            "error: refusing to write the output to .: it is the site folder or contains it; pick a folder such as public/\n";
        folder_holding_the_site: |p| p.root.clone(),
            "error: refusing to write the output to [TMP]: it is the site folder or contains it; pick a folder such as public/\n";
        folder_holding_the_site_relative: |_| PathBuf::from(".."),
            "error: refusing to write the output to ..: it is the site folder or contains it; pick a folder such as public/\n";
        folder_holding_the_site_through_dots: |p| p.site.join("content/modules/../.."),
            "error: refusing to write the output to [TMP]/site/content/modules/../..: it is the site folder or contains it; pick a folder such as public/\n";
        content_folder: |p| p.site.join("content"),
            "error: refusing to write the output to [TMP]/site/content: it is inside the site's content/ folder\n";
        content_folder_relative: |_| PathBuf::from("content"),
            "error: refusing to write the output to content: it is inside the site's content/ folder\n";
        folder_inside_content: |p| p.site.join("content/modules/01-m"),
            "error: refusing to write the output to [TMP]/site/content/modules/01-m: it is inside the site's content/ folder\n";
        folder_inside_themes: |p| p.site.join("themes/default"),
            "error: refusing to write the output to [TMP]/site/themes/default: it is inside the site's themes/ folder\n";
        a_file: |p| p.site.join("skillbook.toml"),
            "error: refusing to write the output to [TMP]/site/skillbook.toml: it is a file\n";
        folder_of_other_files: |p| p.mine.clone(),
            "error: refusing to write the output to [TMP]/mine: the folder is not empty and was not created by skillbook (it has no .skillbook-output marker); choose another folder or empty it yourself\n";
    }

    #[cfg(unix)]
    refusals! {
        link_to_the_site: |p| p.root.join("link-to-site"),
            "error: refusing to write the output to [TMP]/link-to-site: it is the site folder or contains it; pick a folder such as public/\n";
    }
}

#[test]
fn nothing_is_written_at_the_root_when_it_is_refused() {
    refused(|_| PathBuf::from("/"), "error: refusing to write the output to /: it is the root of the file system\n");
    assert!(!Path::new("/.skillbook-output").exists() && !Path::new("/.staging").exists());
}

#[test]
fn an_empty_folder_or_its_own_output_is_accepted() {
    let (t, places) = places();
    let empty = places.root.join("empty");
    std::fs::create_dir_all(&empty).expect("mkdir");
    let out = empty.to_str().expect("utf-8");
    t.assert_run(&["build", "--out", out]);
    t.assert_run(&["build", "--out", out]); // its own output is replaced
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_not_followed_unless_asked_and_never_written_through() {
    let t = good_site();
    let config = t.read("skillbook.toml");
    let outside = t.tmp.path().join("outside");
    std::fs::create_dir_all(outside.join("module")).expect("mkdir");
    std::fs::write(outside.join("chart.png"), "outside bytes").expect("write");
    std::fs::write(outside.join("module/_module.md"), "+++\ntitle = \"Linked\"\n+++\n").expect("write");
    std::fs::write(outside.join("module/01-secret.md"), "+++\ntitle = \"S\"\n+++\nSECRET TEXT\n").expect("write");
    std::os::unix::fs::symlink(outside.join("chart.png"), t.site.join("content/modules/01-m/chart.png")).expect("ln");
    std::os::unix::fs::symlink(outside.join("module"), t.site.join("content/modules/02-linked")).expect("ln");
    let outside_before = tree(&outside);

    // Each link is an error, and nothing behind the linked folder is read.
    let t = t.expected_exit(1).stderr_snapshot("links_out_of_the_site");
    let run = t.assert_build();
    assert!(!run.stderr.contains("secret"), "{}", run.stderr);

    let t = t.write("skillbook.toml", &format!("follow_symlinks = true\n{config}"));
    t.build_ok();
    assert_eq!(std::fs::read(t.out().join("modules/m/chart.png")).expect("copied"), b"outside bytes");
    assert!(t.page("modules/linked/secret.html").contains("SECRET TEXT"));
    for (rel, _) in tree(&t.out()) {
        let meta = std::fs::symlink_metadata(t.out().join(&rel)).expect("meta");
        assert!(!meta.file_type().is_symlink(), "{rel} is a link in the output");
    }
    t.build_ok();
    assert_eq!(tree(&outside), outside_before, "nothing written through a link");
    t.write("skillbook.toml", &format!("follow_symlinks = \"yes\"\n{config}"))
        .expected_exit(1)
        .stderr_snapshot("follow_symlinks_not_a_boolean")
        .assert_build();
}

#[test]
fn missing_site_and_bad_arguments_are_usage_errors() {
    let t = SiteTest::new("title = \"T\"\n").expected_exit(2);
    t.expected_stderr(
        "error: no-such-folder is not a skillbook site: it has no skillbook.toml\n  = help: run `skillbook new no-such-folder` to start one, or pass the site folder\n",
    )
    .assert_run(&["build", "no-such-folder"]);
    let t = SiteTest::new("title = \"T\"\n").expected_exit(2).stderr_snapshot("unknown_flag");
    t.assert_run(&["build", "--no-such-flag"]);
    t.stderr_snapshot("unknown_command").assert_run(&["frobnicate"]);
}
