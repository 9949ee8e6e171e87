//! Fuzz target: a whole build in memory. The input is split at NUL bytes into a lesson, a
//! module quiz and `skillbook.toml` (each optional); a fixed module page and a second lesson
//! give links something to point at. Every page goes through front matter, validation,
//! Markdown, quizzes, templates and the search index.
#![no_main]

use std::cell::RefCell;

thread_local! {
    static HARNESS: RefCell<skillbook::fuzz::Harness> = RefCell::new(skillbook::fuzz::Harness::default());
}

const CONFIG: &str = "title = \"T\"\n[[roles]]\nid = \"hr\"\n";

libfuzzer_sys::fuzz_target!(|text: &str| {
    let mut parts = text.split('\0');
    let lesson = parts.next().unwrap_or("");
    let quiz = parts.next();
    let config = parts.next().unwrap_or(CONFIG);
    let mut files = vec![
        ("skillbook.toml", config),
        ("content/modules/01-m/_module.md", "+++\ntitle = \"M\"\nrequired_for = [\"hr\"]\n+++\nIntro.\n"),
        ("content/modules/01-m/01-lesson.md", lesson),
        ("content/modules/01-m/02-other.md", "+++\ntitle = \"O\"\n+++\n## Part\n"),
    ];
    if let Some(quiz) = quiz {
        files.push(("content/modules/01-m/quiz.toml", quiz));
    }
    HARNESS.with(|h| {
        let _ = h.borrow_mut().site(&files);
    });
});
