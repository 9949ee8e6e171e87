//! `skillbook schema`: the written schemas accept every sample file and reject mistakes.

use std::path::Path;

use serde_json::Value;

use crate::support::{repo, SiteTest};

/// Problems of `value` against `schema` (the subset of JSON Schema the schemas use).
fn check(schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    if let Some(kinds) = schema.get("type") {
        let kinds: Vec<&str> = match kinds {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let actual = match value {
            Value::String(_) => "string",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::Bool(_) => "boolean",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
            Value::Null => "null",
        };
        if !kinds.contains(&actual) {
            out.push(format!("{at}: expected {kinds:?}, found {actual}"));
            return;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            out.push(format!("{at}: {value} is not one of {options:?}"));
        }
    }
    if let (Some(min), Some(n)) = (schema.get("minimum").and_then(Value::as_i64), value.as_i64()) {
        if n < min {
            out.push(format!("{at}: {n} < {min}"));
        }
    }
    if let (Some(max), Some(n)) = (schema.get("maximum").and_then(Value::as_i64), value.as_i64()) {
        if n > max {
            out.push(format!("{at}: {n} > {max}"));
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
        for (i, item) in list.iter().enumerate() {
            check(items, item, &format!("{at}[{i}]"), out);
        }
    }
    if let Some(map) = value.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for name in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            if !map.contains_key(name) {
                out.push(format!("{at}: `{name}` is required"));
            }
        }
        for (key, v) in map {
            match props.and_then(|p| p.get(key)) {
                Some(sub) => check(sub, v, &format!("{at}.{key}"), out),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    out.push(format!("{at}: unknown key `{key}`"));
                }
                None => {}
            }
        }
    }
}

fn schemas(t: &SiteTest) -> std::path::PathBuf {
    let dir = t.tmp.path().join("schemas");
    let run = t.run(&["schema", "--out", dir.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir
}

fn load(dir: &Path, name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join(name)).expect("schema file")).expect("schema json")
}

fn toml_json(text: &str) -> Value {
    toml::from_str(text).expect("valid TOML")
}

/// Front matter of a Markdown file as JSON, if it has any.
fn front_matter(text: &str) -> Option<Value> {
    let text = text.trim_start();
    if let Some(rest) = text.strip_prefix("+++\n") {
        return Some(toml_json(&rest[..rest.find("\n+++")?]));
    }
    let rest = text.strip_prefix("---\n")?;
    Some(serde_yaml_ng::from_str(&rest[..rest.find("\n---")?]).expect("valid YAML"))
}

#[test]
fn every_sample_file_matches_its_schema() {
    let t = SiteTest::new("title = \"T\"\n");
    let dir = schemas(&t);
    let mut problems = Vec::new();
    let mut checked = 0;
    for site in [repo(), repo().join("examples/minimal"), repo().join("examples/onboarding")] {
        let config = toml_json(&std::fs::read_to_string(site.join("skillbook.toml")).expect("config"));
        check(&load(&dir, "skillbook.schema.json"), &config, "skillbook.toml", &mut problems);
        checked += 1;
        for entry in walkdir::WalkDir::new(site.join("content")).into_iter().filter_map(Result::ok) {
            let path = entry.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let shown = path.strip_prefix(repo()).unwrap_or(path).display().to_string();
            let (schema, value) = if name == "quiz.toml" || name.ends_with(".quiz.toml") {
                let value = toml_json(&text);
                let kind = if value.get("questions").is_some() { "mdbook-quiz" } else { "quiz" };
                (format!("{kind}.schema.json"), value)
            } else if name.ends_with(".md") && name != "index.md" {
                let Some(value) = front_matter(&text) else { continue };
                let kind = if name == "_module.md" {
                    "module"
                } else if shown.contains("/playbooks/") {
                    "playbook"
                } else {
                    "lesson"
                };
                (format!("{kind}.schema.json"), value)
            } else {
                continue;
            };
            check(&load(&dir, &schema), &value, &shown, &mut problems);
            checked += 1;
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(checked > 50, "only {checked} files checked");
}

#[test]
fn schemas_reject_mistakes() {
    let t = SiteTest::new("title = \"T\"\n");
    let dir = schemas(&t);
    let mut problems = Vec::new();
    let config = toml_json("title = \"T\"\nlanguag = \"en\"\n[quiz]\npass_mark = 120\n");
    check(&load(&dir, "skillbook.schema.json"), &config, "config", &mut problems);
    let quiz = toml_json("[[question]]\nkind = \"essay\"\nprompt = \"?\"\n");
    check(&load(&dir, "quiz.schema.json"), &quiz, "quiz", &mut problems);
    assert_eq!(problems.len(), 3, "{problems:#?}");
}

#[test]
fn reveal_is_in_the_schemas_of_the_config_and_of_both_quiz_formats() {
    let t = SiteTest::new("title = \"T\"\n");
    let dir = schemas(&t);
    let choices = serde_json::json!(["always", "after_pass", "after_last_attempt", "never"]);
    let site = load(&dir, "skillbook.schema.json");
    assert_eq!(site["properties"]["quiz"]["properties"]["reveal"]["enum"], choices);
    for name in ["quiz.schema.json", "mdbook-quiz.schema.json"] {
        assert_eq!(load(&dir, name)["properties"]["reveal"]["enum"], choices, "{name}");
    }
    let mut problems = Vec::new();
    check(&site, &toml_json("title = \"T\"\n[quiz]\nreveal = \"after_pass\"\n"), "good config", &mut problems);
    let quiz = "reveal = \"never\"\n[[question]]\nkind = \"true_false\"\nprompt = \"?\"\nanswer = true\n";
    check(&load(&dir, "quiz.schema.json"), &toml_json(quiz), "good quiz", &mut problems);
    assert!(problems.is_empty(), "{problems:#?}");
    check(&site, &toml_json("title = \"T\"\n[quiz]\nreveal = \"sometimes\"\n"), "config", &mut problems);
    check(&load(&dir, "quiz.schema.json"), &toml_json(&quiz.replace("never", "later")), "quiz", &mut problems);
    let mdbook =
        "reveal = \"soon\"\n[[questions]]\ntype = \"ShortAnswer\"\nprompt.prompt = \"p\"\nanswer.answer = \"a\"\n";
    check(&load(&dir, "mdbook-quiz.schema.json"), &toml_json(mdbook), "mdbook", &mut problems);
    assert_eq!(problems.len(), 3, "{problems:#?}");
}
