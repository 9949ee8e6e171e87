//! Checks of a written package, read back from its bytes as an LMS would read them: the
//! manifest at the root, the default organization, every `identifierref`, every title, every
//! file listed and present, the SCORM type attribute spelt as its version spells it, no
//! absolute URL; `cmi5.xml` against the cmi5 specification's rules for it.

use std::collections::BTreeSet;

use roxmltree::{Document, Node};

use super::Format;

const ADLCP_12: &str = "http://www.adlnet.org/xsd/adlcp_rootv1p2";
const ADLCP_2004: &str = "http://www.adlnet.org/xsd/adlcp_v1p3";
const CMI5: &str = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd";
const MOVE_ON: &[&str] = &["Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable"];

/// Problems of the package whose files are `files` (paths in the zip) and whose manifest or
/// course structure is `manifest`; empty when it is sound.
pub(crate) fn problems(format: Format, manifest: &str, files: &BTreeSet<String>) -> Vec<String> {
    let doc = match Document::parse(manifest) {
        Ok(doc) => doc,
        Err(e) => return vec![format!("the manifest is not well-formed XML: {e}")],
    };
    match format {
        Format::Scorm12 | Format::Scorm2004 => scorm(format, &doc, files),
        Format::Cmi5 => cmi5(&doc, files),
    }
}

fn children<'a, 'i>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |n| n.is_element() && n.tag_name().name() == name)
}

fn text_of(node: Option<Node<'_, '_>>) -> String {
    node.and_then(|n| n.text()).unwrap_or("").trim().to_string()
}

fn is_absolute(url: &str) -> bool {
    url.starts_with('/')
        || url.starts_with('\\')
        || url.contains("://")
        || url.split_once(':').is_some_and(|(s, _)| !s.contains('/'))
}

fn scorm(format: Format, doc: &Document<'_>, files: &BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    let root = doc.root_element();
    let cp = if format == Format::Scorm12 {
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    } else {
        "http://www.imsglobal.org/xsd/imscp_v1p1"
    };
    if root.tag_name().name() != "manifest" || root.tag_name().namespace() != Some(cp) {
        out.push(format!("the root element is not <manifest> in the namespace {cp}"));
        return out;
    }
    if root.tag_name().namespace().is_some() && root.lookup_prefix(cp).is_some_and(|p| !p.is_empty()) {
        out.push("IMS content-packaging elements must have no prefix".into());
    }
    let wanted_version = if format == Format::Scorm12 { "1.2" } else { "2004 4th Edition" };
    let version = text_of(children(root, "metadata").next().and_then(|m| children(m, "schemaversion").next()));
    if version != wanted_version {
        out.push(format!("<schemaversion> is `{version}`, not `{wanted_version}`"));
    }
    let resources: Vec<Node<'_, '_>> =
        children(root, "resources").flat_map(|r| children(r, "resource").collect::<Vec<_>>()).collect();
    let resource_ids: BTreeSet<&str> = resources.iter().filter_map(|r| r.attribute("identifier")).collect();
    let Some(orgs) = children(root, "organizations").next() else {
        out.push("there is no <organizations>".into());
        return out;
    };
    let default = orgs.attribute("default").unwrap_or("");
    let organizations: Vec<Node<'_, '_>> = children(orgs, "organization").collect();
    if !organizations.iter().any(|o| o.attribute("identifier") == Some(default)) {
        out.push(format!("the default organization `{default}` does not exist"));
    }
    for org in &organizations {
        if text_of(children(*org, "title").next()).is_empty() {
            out.push(format!("organization `{}` has no title", org.attribute("identifier").unwrap_or("")));
        }
        for item in org.descendants().filter(|n| n.is_element() && n.tag_name().name() == "item") {
            let id = item.attribute("identifier").unwrap_or("");
            if text_of(children(item, "title").next()).is_empty() {
                out.push(format!("item `{id}` has no title"));
            }
            if let Some(r) = item.attribute("identifierref") {
                if !resource_ids.contains(r) {
                    out.push(format!("item `{id}` refers to the resource `{r}`, which does not exist"));
                }
            }
        }
    }
    let (adlcp, attribute, wrong) = if format == Format::Scorm12 {
        (ADLCP_12, "scormtype", "scormType")
    } else {
        (ADLCP_2004, "scormType", "scormtype")
    };
    if root.lookup_prefix(adlcp) != Some("adlcp") {
        out.push(format!("the namespace {adlcp} must have the prefix `adlcp`"));
    }
    let mut listed = BTreeSet::new();
    for resource in &resources {
        let id = resource.attribute("identifier").unwrap_or("");
        match resource.attribute((adlcp, attribute)) {
            Some("sco" | "asset") => {}
            Some(other) => {
                out.push(format!("resource `{id}` has adlcp:{attribute}=\"{other}\"; it must be sco or asset"));
            }
            None if resource.attribute((adlcp, wrong)).is_some() => {
                out.push(format!(
                    "resource `{id}` spells the attribute adlcp:{wrong}; this version spells it adlcp:{attribute}"
                ));
            }
            None => out.push(format!("resource `{id}` has no adlcp:{attribute}")),
        }
        let href = resource.attribute("href").unwrap_or("");
        check_href(href, files, &mut out);
        for file in children(*resource, "file") {
            let href = file.attribute("href").unwrap_or("");
            check_href(href, files, &mut out);
            listed.insert(href.to_string());
        }
    }
    for file in files.iter().filter(|f| *f != "imsmanifest.xml") {
        if !listed.contains(file) {
            out.push(format!("`{file}` is in the package but not listed in the manifest"));
        }
    }
    out
}

fn check_href(href: &str, files: &BTreeSet<String>, out: &mut Vec<String>) {
    let path = href.split(['?', '#']).next().unwrap_or("");
    if is_absolute(href) {
        out.push(format!("`{href}` is an absolute URL; everything in a package is relative to its root"));
    } else if !files.contains(path) {
        out.push(format!("`{href}` is listed in the manifest but not in the package"));
    }
}

/// The cmi5 rules for `cmi5.xml` (section 13 of the specification): a `courseStructure` with
/// one `course` (an IRI id, a title and a description, in that order) and at least one AU,
/// each with an IRI id, a title, a description and a URL, in that order, a `moveOn` from the
/// specification's list and a `masteryScore` from 0 to 1.
fn cmi5(doc: &Document<'_>, files: &BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    let root = doc.root_element();
    if root.tag_name().name() != "courseStructure" || root.tag_name().namespace() != Some(CMI5) {
        out.push(format!("the root element is not <courseStructure> in the namespace {CMI5}"));
        return out;
    }
    let elements: Vec<Node<'_, '_>> = root.children().filter(Node::is_element).collect();
    let Some(course) = elements.first().filter(|n| n.tag_name().name() == "course") else {
        out.push("the first element must be <course>".into());
        return out;
    };
    if elements.iter().filter(|n| n.tag_name().name() == "course").count() != 1 {
        out.push("there must be exactly one <course>".into());
    }
    check_iri("course", course.attribute("id"), &mut out);
    check_order("course", *course, &["title", "description"], &mut out);
    let aus: Vec<&Node<'_, '_>> = elements.iter().filter(|n| n.tag_name().name() == "au").collect();
    if aus.is_empty() {
        out.push("the course has no <au>".into());
    }
    let mut ids = BTreeSet::new();
    for au in aus {
        let id = au.attribute("id").unwrap_or("");
        check_iri("au", au.attribute("id"), &mut out);
        if !ids.insert(id) {
            out.push(format!("two AUs have the id `{id}`"));
        }
        check_order("au", *au, &["title", "description", "url"], &mut out);
        if let Some(move_on) = au.attribute("moveOn") {
            if !MOVE_ON.contains(&move_on) {
                out.push(format!("au `{id}` has moveOn=\"{move_on}\"; it must be one of {}", MOVE_ON.join(", ")));
            }
        }
        if let Some(score) = au.attribute("masteryScore") {
            if !score.parse::<f64>().is_ok_and(|s| (0.0..=1.0).contains(&s)) {
                out.push(format!("au `{id}` has masteryScore=\"{score}\"; it must be a decimal from 0 to 1"));
            }
        }
        let url = text_of(children(*au, "url").next());
        check_href(&url, files, &mut out);
    }
    out
}

fn check_iri(what: &str, id: Option<&str>, out: &mut Vec<String>) {
    let id = id.unwrap_or("");
    let scheme = id.split_once(':').map_or("", |(s, _)| s);
    let valid = !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !id.contains(char::is_whitespace);
    if !valid {
        out.push(format!("<{what}> id `{id}` is not an IRI"));
    }
}

/// `node`'s first children are `names` in this order, each with a non-empty `langstring`
/// (or text, for `url`).
fn check_order(what: &str, node: Node<'_, '_>, names: &[&str], out: &mut Vec<String>) {
    let found: Vec<Node<'_, '_>> = node.children().filter(Node::is_element).collect();
    for (i, name) in names.iter().enumerate() {
        let Some(el) = found.get(i).filter(|n| n.tag_name().name() == *name) else {
            out.push(format!("<{what}> must have <{name}> as its element {}", i + 1));
            return;
        };
        let filled = if *name == "url" {
            !text_of(Some(*el)).is_empty()
        } else {
            children(*el, "langstring").any(|l| !text_of(Some(l)).is_empty() && l.attribute("lang").is_some())
        };
        if !filled {
            out.push(format!("<{name}> of <{what}> is empty"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::package::manifest;
    use crate::package::{Au, Unit};

    fn unit() -> Unit {
        Unit {
            site_id: "acme".into(),
            id: "listening".into(),
            title: "Listening".into(),
            description: "Hear what people say".into(),
            language: "en".into(),
            iri: "urn:skillbook:acme:listening".into(),
            pass_mark: Some(80),
            aus: vec![Au {
                module: "listening".into(),
                iri: "urn:skillbook:acme:listening:au".into(),
                title: "Listening".into(),
                description: "Hear".into(),
                pass_mark: Some(80),
            }],
            ..Unit::default()
        }
    }

    fn files() -> BTreeSet<String> {
        ["launch.html", "lms.js", "modules/listening/index.html"].iter().map(ToString::to_string).collect()
    }

    fn written(format: Format) -> String {
        let list: Vec<String> = files().into_iter().collect();
        manifest::write(format, &unit(), &list).1
    }

    #[test]
    fn what_skillbook_writes_is_sound() {
        for format in [Format::Scorm12, Format::Scorm2004, Format::Cmi5] {
            assert_eq!(problems(format, &written(format), &files()), Vec::<String>::new(), "{format:?}");
        }
    }

    #[test]
    fn each_structural_mistake_is_caught() {
        let cases: [(Format, &str, &str, &str); 6] = [
            (
                Format::Scorm12,
                "<title>Listening</title>\n        <adlcp",
                "<title></title>\n        <adlcp",
                "has no title",
            ),
            (Format::Scorm2004, "identifierref=\"RES_", "identifierref=\"GONE_", "which does not exist"),
            (Format::Scorm12, "adlcp:scormtype=", "adlcp:scormType=", "spells the attribute adlcp:scormType"),
            (Format::Scorm2004, "adlcp:scormType=", "adlcp:scormtype=", "spells the attribute adlcp:scormtype"),
            (Format::Scorm12, "<schemaversion>1.2<", "<schemaversion>1.3<", "not `1.2`"),
            (Format::Cmi5, "moveOn=\"CompletedAndPassed\"", "moveOn=\"Done\"", "moveOn=\"Done\""),
        ];
        for (format, from, to, expected) in cases {
            let text = written(format);
            assert!(text.contains(from), "{format:?}: {from}");
            let broken = text.replacen(from, to, 1);
            let found = problems(format, &broken, &files());
            assert!(found.iter().any(|p| p.contains(expected)), "{format:?} {to}: {found:?}");
        }
        let mut more = files();
        more.insert("extra.png".into());
        let found = problems(Format::Scorm12, &written(Format::Scorm12), &more);
        assert_eq!(found, ["`extra.png` is in the package but not listed in the manifest"]);
        let mut fewer = files();
        fewer.remove("lms.js");
        let found = problems(Format::Scorm2004, &written(Format::Scorm2004), &fewer);
        assert_eq!(found, ["`lms.js` is listed in the manifest but not in the package"]);
        let absolute = written(Format::Scorm12).replace("href=\"lms.js\"", "href=\"https://cdn.example.com/lms.js\"");
        assert!(problems(Format::Scorm12, &absolute, &files()).iter().any(|p| p.contains("absolute URL")));
        let order = written(Format::Cmi5).replacen("<url>", "<urlx>", 1).replacen("</url>", "</urlx>", 1);
        assert!(problems(Format::Cmi5, &order, &files()).iter().any(|p| p.contains("<url>")));
    }
}
