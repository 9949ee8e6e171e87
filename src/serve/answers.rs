//! Serve: the answer key of every quiz, for the author bar's "show answer key". It exists only
//! while serving: built pages carry hashes of the answers, never the answers.

use serde_json::{json, Map, Value};

use crate::model::quiz::{Kind, Quiz};
use crate::model::Site;

/// `{"<quiz id>": [{"prompt": "…", "answer": "…"}, …], …}` for every quiz of the site.
pub(crate) fn answer_key(site: &Site) -> String {
    let mut quizzes = Map::new();
    for m in &site.modules {
        let embedded = m.lessons.iter().flat_map(|l| l.quizzes.iter());
        for quiz in m.quiz.iter().chain(embedded) {
            quizzes.insert(quiz.id.clone(), key_of(quiz));
        }
    }
    Value::Object(quizzes).to_string()
}

fn key_of(quiz: &Quiz) -> Value {
    quiz.questions.iter().map(|q| json!({ "prompt": q.prompt.text.trim(), "answer": answer(&q.kind) })).collect()
}

/// The correct answer of a question, as an author reads it.
fn answer(kind: &Kind) -> String {
    match kind {
        Kind::Single { options, answer } => {
            options.get(*answer).map(|c| c.text.text.trim().to_string()).unwrap_or_default()
        }
        Kind::Multiple { options, answers } => {
            answers.iter().filter_map(|i| options.get(*i)).map(|c| c.text.text.trim()).collect::<Vec<_>>().join(" + ")
        }
        Kind::TrueFalse { answer, .. } => if *answer { "true" } else { "false" }.to_string(),
        Kind::Text { accept, regex, .. } => {
            let list = accept.join(" | ");
            if *regex {
                format!("matches {list}")
            } else {
                list
            }
        }
        Kind::Order { items } => items.iter().map(|i| i.text.trim()).collect::<Vec<_>>().join(" → "),
        Kind::Match { pairs } => {
            pairs.iter().map(|(a, b)| format!("{} = {}", a.text.trim(), b.text.trim())).collect::<Vec<_>>().join("; ")
        }
        Kind::Tracing { compiles, stdout, line, .. } => match (compiles, stdout, line) {
            (true, Some(out), _) => format!("compiles and prints: {out}"),
            (true, None, _) => "compiles".to_string(),
            (false, _, Some(line)) => format!("does not compile (line {line})"),
            (false, _, None) => "does not compile".to_string(),
        },
    }
}
