//! Model stage: quizzes embedded in lessons. A quiz block is a fenced code block whose
//! language is `quiz`; it holds a quiz inline, or names a `.quiz.toml` file beside the lesson.

use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use super::{read, Defaults, Quiz, Source};
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::value::{parse_toml, Value};
use crate::load::TextFile;
use crate::model::fields::{get, Reader};
use crate::model::slug::{content_rel, join, parent};
use crate::model::Page;

/// The language of a quiz block.
const QUIZ: &str = "quiz";

/// The language a fenced code block's info string names: its first word (`rust,ignore` →
/// `rust`, `quiz {#check}` → `quiz`).
pub(crate) fn fence_lang(info: &str) -> &str {
    info.split([' ', ',', '{']).next().unwrap_or("")
}

/// True for the info string of a quiz block.
pub(crate) fn is_block(info: &str) -> bool {
    fence_lang(info) == QUIZ
}

/// Every quiz embedded in a lesson with a ```` ```quiz ```` block, in page order. Inline
/// blocks get the id `<module>/<lesson>/<n>` (n counts quiz blocks from 1); `file = "…"`
/// blocks get `<module>/<lesson>/<file name without .quiz.toml>`.
pub(crate) fn embedded(
    page: &Page,
    ids: (&str, &str),
    files: &BTreeMap<String, TextFile>,
    defaults: Defaults,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Quiz> {
    let mut out = Vec::new();
    for (n, (text, offset)) in blocks(page).into_iter().enumerate() {
        let inline = Source { path: &page.path, text: &text, offset, id: format!("{}/{}/{}", ids.0, ids.1, n + 1) };
        match file_ref(&inline, diags) {
            None => out.extend(read(&inline, defaults, diags)),
            Some(Err(())) => {}
            Some(Ok((name, span))) => {
                let Some(file) = find_file(page, &name, files) else {
                    let hint = "put the file beside the lesson and give its name, like file = \"check.quiz.toml\"";
                    let message = format!("quiz file `{name}` does not exist");
                    diags.push(Diagnostic::error(&page.path, Some(span), message).with_hint(hint));
                    continue;
                };
                let stem = name.rsplit('/').next().unwrap_or(&name).trim_end_matches(".quiz.toml").to_string();
                let id = format!("{}/{}/{stem}", ids.0, ids.1);
                let src = Source { path: &file.path, text: &file.text, offset: 0, id };
                out.extend(read(&src, defaults, diags));
            }
        }
    }
    out
}

/// The text and file offset of every ```` ```quiz ```` block of a page.
pub(crate) fn blocks(page: &Page) -> Vec<(String, usize)> {
    let body = &page.text[page.body.clone()];
    let mut blocks = Vec::new();
    // Most lessons have no quiz: a fence info string naming one must contain "quiz", so a
    // page without that word is not parsed a second time.
    if !body.contains(QUIZ) {
        return blocks;
    }
    let mut current: Option<(String, usize)> = None;
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if is_block(&info) => {
                current = Some((String::new(), usize::MAX));
            }
            Event::Text(t) => {
                if let Some((text, start)) = current.as_mut() {
                    *start = (*start).min(range.start + page.body.start);
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((text, start)) = current.take() {
                    let start = if start == usize::MAX { range.start + page.body.start } else { start };
                    blocks.push((text, start));
                }
            }
            _ => {}
        }
    }
    blocks
}

/// `Some(Ok(name))` when the block only says `file = "…"`; `Some(Err)` when that is broken.
fn file_ref(src: &Source<'_>, diags: &mut Vec<Diagnostic>) -> Option<Result<(String, Range<usize>), ()>> {
    let doc = parse_toml(src.text).ok()?;
    let Value::Table(top) = &doc.value else {
        return None;
    };
    get(top, "file")?;
    let mut r = Reader::new(src.path, src.offset, diags);
    r.unknown_keys(top, &["file"], "a quiz block that names a file", Severity::Error);
    match r.string(top, "file") {
        Some(f) if top.len() == 1 => Some(Ok((f.value, f.span))),
        _ => Some(Err(())),
    }
}

fn find_file<'f>(page: &Page, name: &str, files: &'f BTreeMap<String, TextFile>) -> Option<&'f TextFile> {
    files.get(&join(parent(&content_rel(&page.path)), name)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiz_blocks_are_found_with_offsets() {
        let text = "Intro\n\n```quiz\nfile = \"a.quiz.toml\"\n```\n";
        let page =
            Page { path: "content/modules/m/l.md".into(), text: text.into(), body: 0..text.len(), out: String::new() };
        let blocks = blocks(&page);
        assert_eq!(blocks.len(), 1);
        assert_eq!(&text[blocks[0].1..blocks[0].1 + 4], "file");
    }

    #[test]
    fn a_quiz_block_is_a_fence_whose_first_word_is_quiz() {
        assert!(is_block("quiz"));
        assert!(is_block("quiz {#check}"));
        assert!(is_block("quiz,hidden"));
        assert!(!is_block("quizzes"));
        assert!(!is_block("toml quiz"));
        assert_eq!(fence_lang("rust,ignore"), "rust");
        assert_eq!(fence_lang(""), "");
    }
}
