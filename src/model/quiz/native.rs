//! Model stage: the questions of skillbook's own quiz format (`[[question]]` with `kind`),
//! checked kind by kind. Shared readers here are used by the mdbook-quiz reader too.

use std::ops::Range;

use super::{Choice, Kind, Md, Question};
use crate::diagnostic::{did_you_mean, Diagnostic, Severity};
use crate::load::value::{Entry, Node, Value};
use crate::model::fields::{get, Reader, Spanned};

/// The kinds of question.
pub(crate) const KINDS: &[&str] = &["single", "multiple", "true_false", "text", "order", "match"];
const COMMON: &[&str] = &["kind", "prompt", "points", "hints", "explain"];
pub(crate) const ALL: &[&str] = &[
    "kind", "prompt", "points", "hints", "explain", "options", "answer", "answers", "feedback", "accept", "regex",
    "items", "pairs",
];

/// Keys a question of `kind` may have besides the common ones.
fn kind_keys(kind: &str) -> &'static [&'static str] {
    match kind {
        "single" | "true_false" => &["options", "answer", "feedback"],
        "multiple" => &["options", "answers", "feedback"],
        "text" => &["accept", "regex"],
        "order" => &["items"],
        _ => &["pairs"],
    }
}

/// Every `[[question]]` of a native quiz; broken ones are reported and left out.
pub(crate) fn questions(r: &mut Reader<'_>, top: &[Entry]) -> Vec<Question> {
    r.tables(top, "question").into_iter().filter_map(|(q, span)| question(r, q, &span)).collect()
}

fn question(r: &mut Reader<'_>, q: &[Entry], span: &Range<usize>) -> Option<Question> {
    let kind = kind(r, q, span)?;
    check_keys(r, q, &kind);
    let prompt = required_md(r, q, "prompt", span, "prompt = \"What do you do first?\"");
    let (points, hints, explain) = common(r, q);
    let kind = match kind.as_str() {
        "single" => single(r, q, span),
        "multiple" => multiple(r, q, span),
        "true_false" => true_false(r, q, span),
        "text" => text(r, q, span),
        "order" => order(r, q, span),
        _ => matching(r, q, span),
    }?;
    Some(Question { prompt: prompt?, kind, points, hints, explain, shuffle: None })
}

fn kind(r: &mut Reader<'_>, q: &[Entry], span: &Range<usize>) -> Option<String> {
    let Some(kind) = r.string(q, "kind") else {
        if get(q, "kind").is_none() {
            let message = "question has no `kind`";
            let hint = format!("add kind = \"single\" (one of: {})", KINDS.join(", "));
            r.diags.push(Diagnostic::error(r.path(), Some(r.span(span)), message).with_hint(hint));
        }
        return None;
    };
    if KINDS.contains(&kind.value.as_str()) {
        return Some(kind.value);
    }
    let hint = did_you_mean(&kind.value, KINDS.iter().copied())
        .unwrap_or_else(|| format!("the kinds are: {}", KINDS.join(", ")));
    let message = format!("unknown question kind `{}`", kind.value);
    r.diags.push(Diagnostic::error(r.path(), Some(kind.span), message).with_hint(hint));
    None
}

/// Keys of other kinds get a pointed message; unknown keys a "did you mean".
fn check_keys(r: &mut Reader<'_>, q: &[Entry], kind: &str) {
    let own = kind_keys(kind);
    for e in q.iter().filter(|e| ALL.contains(&e.key.as_str())) {
        if !COMMON.contains(&e.key.as_str()) && !own.contains(&e.key.as_str()) {
            let message = format!("`{}` does not apply to a `{kind}` question", e.key);
            let hint = format!("`{kind}` questions use: {}", own.join(", "));
            r.diags.push(Diagnostic::error(r.path(), Some(r.span(&e.key_span)), message).with_hint(hint));
        }
    }
    let unknown: Vec<Entry> = q.iter().filter(|e| !ALL.contains(&e.key.as_str())).cloned().collect();
    let known: Vec<&str> = COMMON.iter().chain(own).copied().collect();
    r.unknown_keys(&unknown, &known, "a question", Severity::Error);
}

/// A required Markdown string; missing or empty is an error at `span` with an example.
pub(crate) fn required_md(
    r: &mut Reader<'_>,
    q: &[Entry],
    key: &str,
    span: &Range<usize>,
    example: &str,
) -> Option<Md> {
    match r.string(q, key) {
        Some(s) if !s.value.trim().is_empty() => Some(Md { text: s.value, span: s.span }),
        Some(s) => {
            let hint = format!("write it like {example}");
            r.diags.push(Diagnostic::error(r.path(), Some(s.span), format!("`{key}` is empty")).with_hint(hint));
            None
        }
        None if get(q, key).is_none() => {
            let hint = format!("add a line like {example}");
            r.diags.push(
                Diagnostic::error(r.path(), Some(r.span(span)), format!("question has no `{key}`")).with_hint(hint),
            );
            None
        }
        None => None,
    }
}

/// `points`, `hints` and `explain`.
fn common(r: &mut Reader<'_>, q: &[Entry]) -> (u32, Vec<Md>, Option<Md>) {
    let points = r.integer(q, "points", 1, 1000).map_or(1, |p| u32::try_from(p.value).unwrap_or(1));
    let hints = r.strings(q, "hints").unwrap_or_default().into_iter().map(md).collect();
    let explain = r.string(q, "explain").map(md);
    (points, hints, explain)
}

/// Markdown from a spanned string.
pub(crate) fn md(s: Spanned<String>) -> Md {
    Md { text: s.value, span: s.span }
}

/// `options` (two or more, all different) with their `feedback`.
fn options(r: &mut Reader<'_>, q: &[Entry], span: &Range<usize>) -> Option<Vec<Choice>> {
    let Some(list) = r.strings(q, "options") else {
        if get(q, "options").is_none() {
            let hint = "add a line like options = [\"First\", \"Second\", \"Third\"]";
            r.diags.push(Diagnostic::error(r.path(), Some(r.span(span)), "question has no `options`").with_hint(hint));
        }
        return None;
    };
    if !distinct(r, &list, "option") {
        return None;
    }
    if list.len() < 2 {
        let message = "a choice question needs at least two options";
        r.error(&get(q, "options")?.span.clone(), message, Some("add another option".into()));
        return None;
    }
    let feedback = feedback(r, q, list.len())?;
    Some(list.into_iter().zip(feedback).map(|(text, feedback)| Choice { text: md(text), feedback }).collect())
}

/// Per-option `feedback`, as long as the options (`count`).
fn feedback(r: &mut Reader<'_>, q: &[Entry], count: usize) -> Option<Vec<Option<Md>>> {
    let Some(list) = r.strings(q, "feedback") else {
        return get(q, "feedback").is_none().then(|| vec![None; count]);
    };
    if list.len() != count {
        let message = format!("`feedback` has {} entries but there are {count} options", list.len());
        let hint = "give one feedback text per option, in the same order (\"\" for none)";
        r.error(&get(q, "feedback")?.span.clone(), message, Some(hint.into()));
        return None;
    }
    Some(list.into_iter().map(|f| (!f.value.trim().is_empty()).then(|| md(f))).collect())
}

/// Reports the second of two equal strings; true when all differ.
pub(crate) fn distinct(r: &mut Reader<'_>, list: &[Spanned<String>], what: &str) -> bool {
    let mut ok = true;
    for (i, item) in list.iter().enumerate() {
        let key = item.value.trim().to_lowercase();
        if list[..i].iter().any(|p| p.value.trim().to_lowercase() == key) {
            let message = format!("duplicate {what} `{}`", item.value.trim());
            let hint = format!("every {what} must be different; remove or reword this one");
            r.diags.push(Diagnostic::error(r.path(), Some(item.span.clone()), message).with_hint(hint));
            ok = false;
        }
    }
    ok
}

/// An index into `len` options, checked.
fn index(r: &mut Reader<'_>, node: &Node, key: &str, len: usize) -> Option<usize> {
    let Value::Integer(n) = node.value else {
        r.type_error(node, key, "a whole number: the position of the right option, counted from 0", &node.value);
        return None;
    };
    match usize::try_from(n) {
        Ok(i) if i < len => Some(i),
        _ => {
            let message = format!("answer {n} is out of range: there are {len} options, numbered 0 to {}", len - 1);
            r.error(&node.span, message, Some("options are counted from 0: the first option is 0".into()));
            None
        }
    }
}

fn missing(r: &mut Reader<'_>, span: &Range<usize>, key: &str, example: &str) {
    let message = format!("question has no correct answer: `{key}` is missing");
    let hint = format!("add a line like {example}");
    r.diags.push(Diagnostic::error(r.path(), Some(r.span(span)), message).with_hint(hint));
}

fn single(r: &mut Reader<'_>, q: &[Entry], span: &Range<usize>) -> Option<Kind> {
    let options = options(r, q, span);
    let Some(node) = get(q, "answer") else {
        missing(r, span, "answer", "answer = 0 (the position of the right option, counted from 0)");
        return None;
    };
    let options = options?;
    let answer = index(r, node, "answer", options.len())?;
    Some(Kind::Single { options, answer })
}

fn multiple(r: &mut Reader<'_>, q: &[Entry], span: &Range<usize>) -> Option<Kind> {
    let options = options(r, q, span);
    let Some(node) = get(q, "answers") else {
        missing(r, span, "answers", "answers = [0, 2] (positions of the right options, counted from 0)");
        return None;
    };
    let options = options?;
    let Value::Array(items) = &node.value else {
        r.type_error(node, "answers", "a list of option positions, like [0, 2]", &node.value);
        return None;
    };
    if items.is_empty() {
        let hint = "list the positions of the right options, like answers = [0, 2]";
        r.error(&node.span, "question has no correct answer: `answers` is empty", Some(hint.into()));
        return None;
    }
    let mut answers: Vec<usize> = items.iter().filter_map(|i| index(r, i, "answers", options.len())).collect();
    if answers.len() < items.len() {
        return None;
    }
    answers.sort_unstable();
    answers.dedup();
    Some(Kind::Multiple { options, answers })
}

fn true_false(r: &mut Reader<'_>, q: &[Entry], span: &Range<usize>) -> Option<Kind> {
    let feedback = feedback(r, q, 2);
    let Some(answer) = r.boolean(q, "answer") else {
        if get(q, "answer").is_none() {
            missing(r, span, "answer", "answer = true");
        }
        return None;
    };
    let labels = ["True", "False"];
    let choices = labels
        .iter()
        .zip(feedback?)
        .map(|(l, feedback)| Choice { text: Md { text: (*l).into(), span: answer.span.clone() }, feedback })
        .collect();
    Some(Kind::TrueFalse { answer: answer.value, choices })
}

fn text(r: &mut Reader<'_>, q: &[Entry], span: &Range<usize>) -> Option<Kind> {
    let regex = r.boolean(q, "regex").is_some_and(|b| b.value);
    let Some(accept) = r.strings(q, "accept") else {
        if get(q, "accept").is_none() {
            missing(r, span, "accept", "accept = [\"closing the loop\", \"close the loop\"]");
        }
        return None;
    };
    if accept.iter().all(|a| a.value.trim().is_empty()) {
        let hint = "list the accepted answers, like accept = [\"median\"]";
        r.error(
            &get(q, "accept")?.span.clone(),
            "question has no correct answer: `accept` is empty",
            Some(hint.into()),
        );
        return None;
    }
    if regex && !patterns_ok(r, &accept) {
        return None;
    }
    Some(Kind::Text { accept: accept.into_iter().map(|a| a.value).collect(), regex, long: false })
}

/// Checks `regex = true` patterns; a pattern that cannot compile is an error at its string.
fn patterns_ok(r: &mut Reader<'_>, accept: &[Spanned<String>]) -> bool {
    let mut ok = true;
    for a in accept {
        if let Err(e) = fancy_regex::Regex::new(&a.value) {
            let message = format!("invalid pattern `{}`: {e}", a.value);
            let hint = "with regex = true each accepted answer is a regular expression; escape . ( ) with \\\\";
            r.diags.push(Diagnostic::error(r.path(), Some(a.span.clone()), message).with_hint(hint));
            ok = false;
        }
    }
    ok
}

fn order(r: &mut Reader<'_>, q: &[Entry], span: &Range<usize>) -> Option<Kind> {
    let Some(items) = r.strings(q, "items") else {
        if get(q, "items").is_none() {
            missing(r, span, "items", "items = [\"First step\", \"Second step\", \"Third step\"]");
        }
        return None;
    };
    if items.len() < 2 {
        let hint = "list at least two items, in the correct order";
        r.error(&get(q, "items")?.span.clone(), "an order question needs at least two items", Some(hint.into()));
        return None;
    }
    distinct(r, &items, "item").then(|| Kind::Order { items: items.into_iter().map(md).collect() })
}

fn matching(r: &mut Reader<'_>, q: &[Entry], span: &Range<usize>) -> Option<Kind> {
    let Some(node) = get(q, "pairs") else {
        missing(r, span, "pairs", "pairs = [[\"Complaint\", \"Customer service\"], [\"Rumour\", \"PR\"]]");
        return None;
    };
    let expected = "a list of pairs, like [[\"left\", \"right\"], [\"left\", \"right\"]]";
    let Value::Array(items) = &node.value else {
        r.type_error(node, "pairs", expected, &node.value);
        return None;
    };
    let mut lefts = Vec::new();
    let mut rights = Vec::new();
    for item in items {
        match &item.value {
            Value::Array(pair) if pair.len() == 2 => match (&pair[0].value, &pair[1].value) {
                (Value::String(a), Value::String(b)) => {
                    lefts.push(Spanned { value: a.clone(), span: r.span(&pair[0].span) });
                    rights.push(Spanned { value: b.clone(), span: r.span(&pair[1].span) });
                }
                _ => r.type_error(item, "pairs", expected, &item.value),
            },
            _ => r.type_error(item, "pairs", "two strings in brackets, like [\"left\", \"right\"]", &item.value),
        }
    }
    if lefts.len() < items.len() {
        return None;
    }
    if lefts.len() < 2 {
        r.error(&node.span, "a match question needs at least two pairs", Some("add another pair".into()));
        return None;
    }
    let ok = distinct(r, &lefts, "left item") & distinct(r, &rights, "right item");
    ok.then(|| Kind::Match { pairs: lefts.into_iter().map(md).zip(rights.into_iter().map(md)).collect() })
}
