//! `skillbook schema`: JSON Schemas of `skillbook.toml`, front matter and quiz files, for
//! editors with a TOML or YAML language server. The property names come from the same key
//! lists the checks use (`model::config`, `model::validate`, `model::quiz`), and a test
//! fails if a key is added to one of them without a description here, so the schemas cannot
//! drift from what `skillbook check` accepts.

use std::path::Path;

use serde_json::{json, Map, Value};

use crate::error::{Error, Result};
use crate::model::quiz::{self, mdbook, native};
use crate::model::{config, validate};

/// The schema of one property: its JSON type and a description for the editor's hover.
fn property(key: &str) -> Option<Value> {
    let string = |d: &str| json!({"type": "string", "description": d});
    let integer = |d: &str, min: i64| json!({"type": "integer", "minimum": min, "description": d});
    let boolean = |d: &str| json!({"type": "boolean", "description": d});
    let strings = |d: &str| json!({"type": "array", "items": {"type": "string"}, "description": d});
    Some(match key {
        "title" => string("Title shown to learners"),
        "description" => string("One line about it"),
        "summary" => string("One line shown in lists"),
        "id" => {
            json!({"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "description": "Identifier: lowercase letters, digits and dashes"})
        }
        "language" => string("Language of the content, e.g. \"en\""),
        "theme" => string("Theme: \"default\" or a folder under themes/"),
        "name" => string("Display name; in [theme], the theme: \"default\" or a folder under themes/"),
        "logo" => {
            string("Logo shown in the header: an SVG, PNG, JPEG or WebP file under static/, like \"static/logo.svg\"")
        }
        "favicon" => string("Icon of the browser tab: an ICO, PNG or SVG file under static/"),
        "accent" => {
            json!({"type": "string", "pattern": "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$", "description": "Accent colour of links and buttons, like \"#0d6163\"; needs 4.5:1 contrast"})
        }
        "accent_dark" => {
            json!({"type": "string", "pattern": "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$", "description": "Accent colour in the dark colour scheme (default: accent, if it has the contrast)"})
        }
        "order" => {
            json!({"type": "integer", "description": "Position among its siblings (else the file name decides)"})
        }
        "minutes" => integer("Reading or working time; estimated from the word count when absent", 0),
        "valid_for_days" => integer("A completion older than this is due again (recertification)", 1),
        "required_for" => strings("Role ids this module is required for; [\"*\"] means every role"),
        "optional_for" => strings("Role ids this module is optional for"),
        "roles" => strings("Role ids this playbook is for; empty means everyone"),
        "pass_mark" => {
            json!({"type": "integer", "minimum": 0, "maximum": 100, "description": "Percent needed to pass"})
        }
        "auto_complete" => boolean("Mark a lesson complete when it is scrolled to its end"),
        "report_failed" => boolean("Report a failed assessment to the LMS as failed (false: it stays incomplete, for LMSs that never complete a SCORM 1.2 course that once failed)"),
        "base_url" => string(
            "Where the portal is published, like \"https://intranet.example.com/training/\" or \"/training/\"; makes the 404 page's links work without JavaScript",
        ),
        "follow_symlinks" => boolean("Follow symbolic links that lead out of the site folder"),
        "shuffle" => boolean("Shuffle the options of every question"),
        "shuffle_questions" => boolean("Shuffle the order of the questions"),
        "draw" => integer("Ask this many questions, drawn from the bank on each attempt", 1),
        "max_attempts" => integer("Attempts allowed (unlimited when absent)", 1),
        "one_at_a_time" => boolean("Show one question at a time"),
        "reveal" => {
            json!({"enum": quiz::reveal::NAMES, "description": "When learners see the correct answers, explanations and feedback: after every attempt (always), once they pass (after_pass), when no attempts are left (after_last_attempt, needs max_attempts) or never"})
        }
        "kind" => json!({"enum": native::KINDS, "description": "Kind of question"}),
        "prompt" => string("The question (Markdown)"),
        "points" => integer("Points for a right answer (default 1)", 0),
        "hints" => strings("Hints, shown one at a time on request (Markdown)"),
        "explain" => string("Shown after answering (Markdown)"),
        "options" => strings("The choices (Markdown)"),
        "answer" => {
            json!({"type": ["integer", "boolean"], "description": "Index of the right option (single), or true/false (true_false)"})
        }
        "answers" => {
            json!({"type": "array", "items": {"type": "integer", "minimum": 0}, "description": "Indices of every right option (multiple)"})
        }
        "feedback" => strings("Feedback per option, as long as `options`"),
        "accept" => {
            strings("Accepted answers (text): compared without case and extra spaces, or patterns with regex = true")
        }
        "regex" => boolean("`accept` holds regular expressions"),
        "items" => strings("Items in their right order (order)"),
        "pairs" => {
            json!({"type": "array", "items": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2}, "description": "Pairs [left, right] that belong together (match)"})
        }
        _ => return None,
    })
}

/// An object schema with exactly `keys` as properties (`roles`, `quiz`, … nested as given).
fn object(keys: &[&str], nested: &[(&str, Value)]) -> Value {
    let mut properties = Map::new();
    for key in keys {
        let schema = nested.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).or_else(|| property(key));
        properties.insert((*key).to_string(), schema.unwrap_or_else(|| json!({})));
    }
    json!({"type": "object", "properties": properties, "additionalProperties": false})
}

fn document(title: &str, mut schema: Value) -> Value {
    schema["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    schema["title"] = json!(title);
    schema
}

/// Every schema, by file name.
pub(crate) fn schemas() -> Vec<(&'static str, Value)> {
    let roles = json!({"type": "array", "items": object(config::ROLE_KEYS, &[])});
    let quiz_table = object(config::QUIZ_KEYS, &[]);
    let progress = object(config::PROGRESS_KEYS, &[]);
    let lms = object(config::LMS_KEYS, &[]);
    let theme_table = object(crate::model::brand::THEME_KEYS, &[]);
    let theme = json!({"anyOf": [property("theme").unwrap_or_default(), theme_table]});
    let mut site = object(
        config::TOP_KEYS,
        &[("roles", roles), ("quiz", quiz_table), ("progress", progress), ("lms", lms), ("theme", theme)],
    );
    site["required"] = json!(["title"]);
    let question = object(native::ALL, &[]);
    let mut native = object(quiz::NATIVE_KEYS, &[("question", json!({"type": "array", "items": question}))]);
    native["required"] = json!(["question"]);
    let mdbook_question = json!({
        "type": "object",
        "properties": {
            "type": {"enum": mdbook::TYPES},
            "prompt": {"type": "object", "description": "prompt.prompt, prompt.distractors, prompt.answerIndex, prompt.program, prompt.response"},
            "answer": {"type": "object", "description": "answer.answer, answer.doesCompile, answer.stdout, answer.lineNumber"},
            "context": {"type": "string"},
            "id": {"type": "string"}
        },
        "required": ["type", "prompt", "answer"]
    });
    let mut mdbook = object(quiz::SETTINGS, &[]);
    mdbook["properties"]["questions"] = json!({"type": "array", "items": mdbook_question});
    mdbook["required"] = json!(["questions"]);
    // mdbook-quiz files may hold keys skillbook ignores with a warning.
    mdbook["additionalProperties"] = json!(true);
    let front = |keys: &[&str]| {
        let mut s = object(keys, &[]);
        s["required"] = json!(["title"]);
        // Unknown front-matter keys are warnings, not errors: other tools' keys are allowed.
        s["additionalProperties"] = json!(true);
        s
    };
    vec![
        ("skillbook.schema.json", document("skillbook.toml", site)),
        ("module.schema.json", document("Module front matter (_module.md)", front(validate::MODULE_KEYS))),
        ("lesson.schema.json", document("Lesson front matter", front(validate::LESSON_KEYS))),
        ("playbook.schema.json", document("Playbook front matter", front(validate::PLAYBOOK_KEYS))),
        ("quiz.schema.json", document("Quiz file (quiz.toml, *.quiz.toml)", native)),
        ("mdbook-quiz.schema.json", document("Quiz file in the mdbook-quiz format", mdbook)),
    ]
}

/// Writes every schema into `out`.
pub(crate) fn write(out: &Path) -> Result<()> {
    std::fs::create_dir_all(out).map_err(Error::io("create", out))?;
    for (name, schema) in schemas() {
        let path = out.join(name);
        let text = serde_json::to_string_pretty(&schema).expect("invariant: schemas serialize") + "\n";
        std::fs::write(&path, text).map_err(Error::io("write", &path))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_checked_key_is_described() {
        let lists: [&[&str]; 8] = [
            config::ROLE_KEYS,
            config::LMS_KEYS,
            config::QUIZ_KEYS,
            config::PROGRESS_KEYS,
            validate::MODULE_KEYS,
            validate::LESSON_KEYS,
            validate::PLAYBOOK_KEYS,
            native::ALL,
        ];
        for key in lists.iter().flat_map(|l| l.iter()) {
            assert!(property(key).is_some(), "key `{key}` has no schema description");
        }
        for key in config::TOP_KEYS.iter().chain(quiz::NATIVE_KEYS) {
            let nested = ["roles", "quiz", "progress", "lms", "question"];
            assert!(property(key).is_some() || nested.contains(key), "key `{key}` has no schema description");
        }
    }

    #[test]
    fn schemas_list_exactly_the_checked_keys() {
        let all = schemas();
        let site = &all[0].1;
        let props: Vec<&String> = site["properties"].as_object().expect("object").keys().collect();
        let mut expected: Vec<&str> = config::TOP_KEYS.to_vec();
        expected.sort_unstable();
        assert_eq!(props, expected);
    }
}
