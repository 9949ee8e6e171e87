//! Bad input: every mistake is exit code 1 with the exact `file:line:column`, and a previous
//! good output folder is left untouched.

use std::path::{Path, PathBuf};

use crate::support::{tree, SiteTest};

const CONFIG: &str = "title = \"T\"\n[[roles]]\nid = \"hr\"\n";
const MODULE: &str = "+++\ntitle = \"M\"\n+++\n";
const LESSON: &str = "+++\ntitle = \"L\"\n+++\n## Intro\nText.\n";

/// A valid site; each case adds or replaces one file.
fn good_site() -> SiteTest {
    SiteTest::new(CONFIG).write("content/modules/01-m/_module.md", MODULE).write("content/modules/01-m/01-l.md", LESSON)
}

/// (case, file to write, its content, expected first line of the diagnostic)
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "malformed TOML front matter",
        "content/modules/01-m/02-bad.md",
        "+++\ntitle = \"L\"\nsummary = oops\n+++\n",
        "content/modules/01-m/02-bad.md:3:11: error: invalid TOML in front matter",
    ),
    (
        "malformed YAML front matter",
        "content/modules/01-m/02-bad.md",
        "---\ntitle: [unclosed\n---\n",
        "content/modules/01-m/02-bad.md:3:1: error: invalid YAML in front matter",
    ),
    (
        "unknown key in skillbook.toml",
        "skillbook.toml",
        "title = \"T\"\nid = \"t\"\ntheme = \"default\"\nlanguag = \"en\"\n",
        "skillbook.toml:4:1: error: unknown key `languag` in skillbook.toml",
    ),
    (
        "malformed skillbook.toml",
        "skillbook.toml",
        "title = \"T\n",
        "skillbook.toml:1:11: error: invalid TOML: invalid basic string",
    ),
    (
        "undeclared role",
        "content/modules/01-m/_module.md",
        "+++\ntitle = \"M\"\nrequired_for = [\"hr\", \"sales\"]\n+++\n",
        "content/modules/01-m/_module.md:3:23: error: role `sales` is not declared in skillbook.toml",
    ),
    (
        "broken link",
        "content/modules/01-m/02-bad.md",
        "+++\ntitle = \"B\"\n+++\nSee [this](03-missing.md).\n",
        "content/modules/01-m/02-bad.md:4:5: error: link target `03-missing.md` does not exist",
    ),
    (
        "broken anchor",
        "content/modules/01-m/02-bad.md",
        "+++\ntitle = \"B\"\n+++\n\nSee [intro](01-l.md#outro).\n",
        "content/modules/01-m/02-bad.md:5:5: error: anchor `#outro` does not exist in modules/m/l.html",
    ),
    (
        "missing image",
        "content/modules/01-m/02-bad.md",
        "+++\ntitle = \"B\"\n+++\n![chart](images/chart.png)\n",
        "content/modules/01-m/02-bad.md:4:1: error: image target `images/chart.png` does not exist",
    ),
    (
        "duplicate slug",
        "content/modules/01-m/02-l.md",
        LESSON,
        "content/modules/01-m/02-l.md:1:1: error: lesson id `l` is used twice in this module",
    ),
    (
        "missing title",
        "content/modules/01-m/02-bad.md",
        "+++\nsummary = \"no title\"\n+++\n",
        "content/modules/01-m/02-bad.md:1:1: error: lesson has no title",
    ),
    (
        "empty file",
        "content/modules/01-m/02-bad.md",
        "",
        "content/modules/01-m/02-bad.md:1:1: error: lesson has no title",
    ),
    (
        "unclosed front matter",
        "content/modules/01-m/02-bad.md",
        "\n+++\ntitle = \"x\"\n",
        "content/modules/01-m/02-bad.md:2:1: error: front matter opened with `+++` is never closed",
    ),
    (
        "wrong type",
        "content/modules/01-m/02-bad.md",
        "+++\ntitle = \"B\"\norder = \"first\"\n+++\n",
        "content/modules/01-m/02-bad.md:3:9: error: `order` must be a whole number, found a string",
    ),
    (
        "multibyte text before the error",
        "content/modules/01-m/02-bad.md",
        "+++\ntitle = \"Écoute — 傾聴\"\n+++\nÉcoute: [x](nope.md)\n",
        "content/modules/01-m/02-bad.md:4:9: error: link target `nope.md` does not exist",
    ),
    (
        "CRLF line endings",
        "content/modules/01-m/02-bad.md",
        "+++\r\ntitle = \"B\"\r\n+++\r\n\r\n[x](nope.md)\r\n",
        "content/modules/01-m/02-bad.md:5:1: error: link target `nope.md` does not exist",
    ),
];

/// Builds a good site, then applies one bad file and checks the failure and the old output.
fn assert_fails_cleanly(case: &str, t: &SiteTest, expected: &str) {
    let before = tree(&t.out());
    let run = t.run(&["build"]);
    assert_eq!(run.code, 1, "{case}: exit code\n{}", run.stderr);
    let first = run.stderr.lines().next().unwrap_or("");
    assert!(first.starts_with(expected), "{case}:\n expected: {expected}\n got:      {first}\n full:\n{}", run.stderr);
    assert!(run.stderr.contains("  = help: "), "{case}: no hint\n{}", run.stderr);
    assert_eq!(tree(&t.out()), before, "{case}: previous output changed");
    assert!(!run.stderr.contains("panicked"), "{case}");
}

#[test]
fn each_bad_input_is_reported_with_its_position() {
    for (case, file, text, expected) in CASES {
        let t = good_site();
        t.build_ok();
        let t = t.write(file, text);
        assert_fails_cleanly(case, &t, expected);
    }
}

#[test]
fn non_utf8_file_is_reported() {
    let t = good_site();
    t.build_ok();
    let t = t.write_bytes("content/modules/01-m/02-bad.md", b"+++\ntitle = \"B\"\n+++\nbad \xff byte\n");
    assert_fails_cleanly("non-UTF-8", &t, "content/modules/01-m/02-bad.md:4:5: error: file is not valid UTF-8");
}

#[test]
fn oversized_text_file_is_reported() {
    let t = good_site();
    t.build_ok();
    let t = t.write("content/modules/01-m/02-big.md", "+++\ntitle = \"Big\"\n+++\n");
    // 17 MiB, mostly a hole in the file: larger than the 16 MiB a text file may have.
    let file =
        std::fs::OpenOptions::new().write(true).open(t.site.join("content/modules/01-m/02-big.md")).expect("open");
    file.set_len(17 << 20).expect("grow");
    assert_fails_cleanly("too large", &t, "content/modules/01-m/02-big.md:1:1: error: file is too large (17 MiB)");
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported() {
    let t = good_site();
    t.build_ok();
    std::os::unix::fs::symlink("..", t.site.join("content/modules/01-m/loop")).expect("symlink");
    let before = tree(&t.out());
    let run = t.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.starts_with("content/modules/01-m/loop:1:1: error: symbolic link loop"), "{}", run.stderr);
    assert_eq!(tree(&t.out()), before);
}

#[test]
fn all_errors_are_reported_together() {
    let t = good_site()
        .write("content/modules/01-m/02-a.md", "+++\ntitle = \"A\"\n+++\n[x](gone.md)\n")
        .write("content/modules/01-m/03-b.md", "+++\ntitel = \"B\"\n+++\n");
    let run = t.run(&["build"]);
    assert_eq!(run.code, 1);
    let errors: Vec<&str> = run.stderr.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("03-b.md:2:1: warning: unknown key `titel` in front matter of a lesson"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("= help: did you mean `title`?"));
    assert!(run.stderr.contains("build failed with 2 errors"));
}

#[test]
fn strict_turns_warnings_into_failures() {
    let t = good_site().write("content/modules/01-m/02-a.md", "+++\ntitle = \"A\"\nlayout = \"post\"\n+++\n");
    assert_eq!(t.run(&["build"]).code, 0);
    let run = t.run(&["check", "--strict"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn dangerous_output_paths_are_refused() {
    let t = good_site();
    let mine = t.tmp.path().join("mine");
    std::fs::create_dir_all(&mine).expect("mkdir");
    std::fs::write(mine.join("keep.txt"), "mine").expect("write");
    for out in [".", "content", "..", mine.to_str().expect("utf-8")] {
        let before = tree(t.tmp.path());
        let run = t.run(&["build", "--out", out]);
        assert_eq!(run.code, 2, "{out}: {}", run.stderr);
        assert!(run.stderr.contains("refusing to write the output"), "{}", run.stderr);
        assert_eq!(tree(t.tmp.path()), before, "{out}: files changed");
    }
}

/// Runs `skillbook build --out OUT` in the site with `HOME` set to `home`.
fn build_with_home(t: &SiteTest, out: &Path, home: &Path) -> crate::support::Run {
    let run = std::process::Command::new(crate::support::bin())
        .args(["build", "--out"])
        .arg(out)
        .current_dir(&t.site)
        .env("NO_COLOR", "1")
        .env("HOME", home)
        .output()
        .expect("run skillbook");
    crate::support::Run {
        code: run.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&run.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&run.stderr).into_owned(),
    }
}

#[test]
fn every_dangerous_output_path_is_refused_and_nothing_is_touched() {
    let t = good_site();
    let root = t.tmp.path();
    let home = root.join("home");
    std::fs::create_dir_all(&home).expect("mkdir");
    std::fs::write(home.join(".profile"), "mine").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&t.site, root.join("link-to-site")).expect("symlink");
    let cases: Vec<(PathBuf, &str)> = vec![
        (PathBuf::from("/"), "it is the root of the file system"),
        (home.clone(), "it is your home folder"),
        (t.site.clone(), "it is the site folder or contains it"),
        (t.site.join("."), "it is the site folder or contains it"),
        (root.to_path_buf(), "it is the site folder or contains it"),
        (t.site.join("content/modules/../.."), "it is the site folder or contains it"),
        (t.site.join("content"), "it is inside the site's content/ folder"),
        (t.site.join("content/modules/01-m"), "it is inside the site's content/ folder"),
        (t.site.join("themes/default"), "it is inside the site's themes/ folder"),
        (t.site.join("skillbook.toml"), "it is a file"),
        (home.join("../home/"), "it is your home folder"),
        #[cfg(unix)]
        (root.join("link-to-site"), "it is the site folder or contains it"),
    ];
    for (out, reason) in cases {
        let before = tree(root);
        let run = build_with_home(&t, &out, &home);
        assert_eq!(run.code, 2, "{}: {}", out.display(), run.stderr);
        let expected = format!("error: refusing to write the output to {}: {reason}", out.display());
        assert!(run.stderr.starts_with(&expected), "expected: {expected}\n got: {}", run.stderr);
        assert_eq!(tree(root), before, "{}: files changed", out.display());
    }
    assert!(!Path::new("/.skillbook-output").exists() && !Path::new("/.staging").exists());
    // A folder skillbook made itself, or an empty one, is fine.
    let empty = root.join("empty");
    std::fs::create_dir_all(&empty).expect("mkdir");
    assert_eq!(build_with_home(&t, &empty, &home).code, 0);
    assert_eq!(build_with_home(&t, &empty, &home).code, 0, "its own output is replaced");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_not_followed_unless_asked_and_never_written_through() {
    let t = good_site();
    let outside = t.tmp.path().join("outside");
    std::fs::create_dir_all(outside.join("module")).expect("mkdir");
    std::fs::write(outside.join("chart.png"), "outside bytes").expect("write");
    std::fs::write(outside.join("module/_module.md"), "+++\ntitle = \"Linked\"\n+++\n").expect("write");
    std::fs::write(outside.join("module/01-secret.md"), "+++\ntitle = \"S\"\n+++\nSECRET TEXT\n").expect("write");
    std::os::unix::fs::symlink(outside.join("chart.png"), t.site.join("content/modules/01-m/chart.png")).expect("ln");
    std::os::unix::fs::symlink(outside.join("module"), t.site.join("content/modules/02-linked")).expect("ln");
    let outside_before = tree(&outside);

    let run = t.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors: Vec<&str> = run.stderr.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(
        errors,
        [
            "content/modules/01-m/chart.png:1:1: error: symbolic link points outside the site folder; it is not followed",
            "content/modules/02-linked:1:1: error: symbolic link points outside the site folder; it is not followed",
        ],
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("secret"), "nothing behind the linked folder is read: {}", run.stderr);

    let t = t.write("skillbook.toml", &format!("follow_symlinks = true\n{CONFIG}"));
    t.build_ok();
    assert_eq!(std::fs::read(t.out().join("modules/m/chart.png")).expect("copied"), b"outside bytes");
    assert!(t.page("modules/linked/secret.html").contains("SECRET TEXT"));
    for (rel, _) in tree(&t.out()) {
        let meta = std::fs::symlink_metadata(t.out().join(&rel)).expect("meta");
        assert!(!meta.file_type().is_symlink(), "{rel} is a link in the output");
    }
    t.build_ok();
    assert_eq!(tree(&outside), outside_before, "nothing written through a link");
    let t = t.write("skillbook.toml", &format!("follow_symlinks = \"yes\"\n{CONFIG}"));
    let run = t.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("skillbook.toml:1:19: error: `follow_symlinks` must be true or false, found a string"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_site_and_bad_arguments_are_usage_errors() {
    let t = SiteTest::new("title = \"T\"\n");
    let run = t.run(&["build", "no-such-folder"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not a skillbook site"), "{}", run.stderr);
    assert_eq!(t.run(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(t.run(&["frobnicate"]).code, 2);
}
