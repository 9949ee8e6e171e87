//! Model stage: questions of quiz files written for mdbook-quiz (`[[questions]]` with `type`),
//! read unchanged into skillbook's question kinds. Fields skillbook does not support are
//! reported as warnings, never dropped silently.

use std::ops::Range;

use super::native::{distinct, md, required_md};
use super::{Choice, Kind, Md, Question};
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::load::value::{Entry, Value};
use crate::model::fields::{get, Reader};

pub(crate) const TYPES: &[&str] = &["MultipleChoice", "ShortAnswer", "Tracing"];
pub(crate) const QUESTION_KEYS: &[&str] = &["type", "prompt", "answer", "context", "id"];

/// Every `[[questions]]` of an mdbook-quiz file; broken ones are reported and left out.
pub(crate) fn questions(r: &mut Reader<'_>, top: &[Entry]) -> Vec<Question> {
    let known: Vec<&str> = std::iter::once("questions").chain(super::SETTINGS.iter().copied()).collect();
    unsupported(r, top, &known, "an mdbook-quiz file");
    r.tables(top, "questions").into_iter().filter_map(|(q, span)| question(r, q, &span)).collect()
}

/// Warns about every key of `entries` not in `known`: read, but not supported.
fn unsupported(r: &mut Reader<'_>, entries: &[Entry], known: &[&str], what: &str) {
    for e in entries.iter().filter(|e| !known.contains(&e.key.as_str())) {
        let message = format!("`{}` in {what} is not supported by skillbook and is ignored", e.key);
        let hint = did_you_mean(&e.key, known.iter().copied())
            .unwrap_or_else(|| format!("supported here: {}", known.join(", ")));
        r.diags.push(Diagnostic::warning(r.path(), Some(r.span(&e.key_span)), message).with_hint(hint));
    }
}

fn question(r: &mut Reader<'_>, q: &[Entry], span: &Range<usize>) -> Option<Question> {
    unsupported(r, q, QUESTION_KEYS, "an mdbook-quiz question");
    let Some(kind) = r.string(q, "type") else {
        if get(q, "type").is_none() {
            let hint = format!("add type = \"MultipleChoice\" (one of: {})", TYPES.join(", "));
            r.diags.push(Diagnostic::error(r.path(), Some(r.span(span)), "question has no `type`").with_hint(hint));
        }
        return None;
    };
    let prompt = part(r, q, "prompt", span)?;
    let answer = part(r, q, "answer", span)?;
    let explain = r.string(q, "context").map(md);
    let (prompt, kind, shuffle) = match kind.value.as_str() {
        "MultipleChoice" => multiple_choice(r, prompt, answer, span)?,
        "ShortAnswer" => short_answer(r, prompt, answer, span)?,
        "Tracing" => tracing(r, prompt, answer, span)?,
        other => {
            let hint = did_you_mean(other, TYPES.iter().copied())
                .unwrap_or_else(|| format!("the supported types are: {}", TYPES.join(", ")));
            let message = format!("unknown question type `{other}`");
            r.diags.push(Diagnostic::error(r.path(), Some(kind.span), message).with_hint(hint));
            return None;
        }
    };
    Some(Question { prompt, kind, points: 1, hints: Vec::new(), explain, shuffle })
}

/// The `prompt` or `answer` table of a question.
fn part<'n>(r: &mut Reader<'_>, q: &'n [Entry], key: &str, span: &Range<usize>) -> Option<&'n [Entry]> {
    if get(q, key).is_none() {
        let message = format!("question has no `{key}`");
        let hint = format!("add {key}.… fields, like {key}.{key} = \"…\"");
        r.diags.push(Diagnostic::error(r.path(), Some(r.span(span)), message).with_hint(hint));
        return None;
    }
    r.table(q, key)
}

type Read = (Md, Kind, Option<bool>);

fn multiple_choice(r: &mut Reader<'_>, prompt: &[Entry], answer: &[Entry], span: &Range<usize>) -> Option<Read> {
    unsupported(r, prompt, &["prompt", "distractors", "answerIndex", "sortAnswers"], "a MultipleChoice prompt");
    unsupported(r, answer, &["answer"], "a MultipleChoice answer");
    let text = required_md(r, prompt, "prompt", span, "prompt.prompt = \"…\"");
    let distractors = r.strings(prompt, "distractors").unwrap_or_default();
    let sort = r.boolean(prompt, "sortAnswers").is_some_and(|b| b.value);
    let at = r.integer(prompt, "answerIndex", 0, i64::from(u16::MAX));
    let rights = match get(answer, "answer").map(|n| &n.value) {
        Some(Value::String(_)) => vec![r.string(answer, "answer")?],
        Some(Value::Array(_)) => r.strings(answer, "answer")?,
        Some(other) => {
            let node = get(answer, "answer")?;
            r.type_error(node, "answer.answer", "a string, or a list of strings", &other.clone());
            return None;
        }
        None => {
            let message = "question has no correct answer: `answer.answer` is missing";
            r.diags
                .push(Diagnostic::error(r.path(), Some(r.span(span)), message).with_hint("add answer.answer = \"…\""));
            return None;
        }
    };
    let text = text?;
    if rights.is_empty() {
        let message = "question has no correct answer: `answer.answer` is empty";
        r.diags.push(Diagnostic::error(r.path(), Some(text.span.clone()), message));
        return None;
    }
    let mut all: Vec<_> = rights.iter().cloned().map(|s| (s, true)).collect();
    all.extend(distractors.into_iter().map(|s| (s, false)));
    let listed: Vec<_> = all.iter().map(|(s, _)| s.clone()).collect();
    if !distinct(r, &listed, "option") {
        return None;
    }
    if sort {
        all.sort_by(|a, b| a.0.value.cmp(&b.0.value));
    } else if let (Some(at), [_]) = (&at, rights.as_slice()) {
        // mdbook-quiz puts the single answer at `answerIndex` and keeps the order fixed.
        let right = all.remove(0);
        let i = usize::try_from(at.value).unwrap_or(0).min(all.len());
        all.insert(i, right);
    }
    let answers: Vec<usize> = all.iter().enumerate().filter(|(_, (_, right))| *right).map(|(i, _)| i).collect();
    let options: Vec<Choice> = all.into_iter().map(|(s, _)| Choice { text: md(s), feedback: None }).collect();
    let shuffle = Some(!sort && at.is_none());
    let kind = if rights.len() == 1 {
        Kind::Single { options, answer: answers[0] }
    } else {
        Kind::Multiple { options, answers }
    };
    Some((text, kind, shuffle))
}

fn short_answer(r: &mut Reader<'_>, prompt: &[Entry], answer: &[Entry], span: &Range<usize>) -> Option<Read> {
    unsupported(r, prompt, &["prompt", "response"], "a ShortAnswer prompt");
    unsupported(r, answer, &["answer", "alternatives"], "a ShortAnswer answer");
    let text = required_md(r, prompt, "prompt", span, "prompt.prompt = \"…\"");
    let long = r.string(prompt, "response").is_some_and(|s| s.value == "long");
    let first = r.string(answer, "answer");
    let alternatives = r.strings(answer, "alternatives").unwrap_or_default();
    let Some(first) = first.filter(|f| !f.value.trim().is_empty()) else {
        let message = "question has no correct answer: `answer.answer` is missing or empty";
        r.diags.push(Diagnostic::error(r.path(), Some(r.span(span)), message).with_hint("add answer.answer = \"…\""));
        return None;
    };
    let accept = std::iter::once(first.value).chain(alternatives.into_iter().map(|a| a.value)).collect();
    Some((text?, Kind::Text { accept, regex: false, long }, None))
}

fn tracing(r: &mut Reader<'_>, prompt: &[Entry], answer: &[Entry], span: &Range<usize>) -> Option<Read> {
    unsupported(r, prompt, &["program"], "a Tracing prompt");
    unsupported(r, answer, &["doesCompile", "stdout", "lineNumber"], "a Tracing answer");
    let program = required_md(r, prompt, "program", span, "prompt.program = \"\"\"fn main() {}\"\"\"")?;
    let Some(compiles) = r.boolean(answer, "doesCompile") else {
        if get(answer, "doesCompile").is_none() {
            let message = "question has no correct answer: `answer.doesCompile` is missing";
            let hint = "add answer.doesCompile = true (and answer.stdout = \"…\")";
            r.diags.push(Diagnostic::error(r.path(), Some(r.span(span)), message).with_hint(hint));
        }
        return None;
    };
    let stdout = r.string(answer, "stdout").map(|s| s.value);
    let line = r.integer(answer, "lineNumber", 1, i64::from(u32::MAX)).map(|l| u32::try_from(l.value).unwrap_or(1));
    // The same words for every tracing question, so the prompt does not give the answer away.
    let text = "Does this program compile? If it does, what does it print? If it does not, on which line is the error?";
    let prompt = Md { text: text.into(), span: program.span.clone() };
    Some((prompt, Kind::Tracing { program: program.text, compiles: compiles.value, stdout, line }, None))
}
