//! Model stage: `reveal`, when a quiz shows its correct answers, explanations and per-option
//! feedback. Read from a quiz file and from `[quiz]` in `skillbook.toml` (the site default).

use crate::diagnostic::did_you_mean;
use crate::load::value::Entry;
use crate::model::fields::{Reader, Spanned};

/// When the correct answers, explanations and feedback of a quiz are shown to the learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) enum Reveal {
    /// After every attempt.
    #[default]
    Always,
    /// Once the learner has passed.
    AfterPass,
    /// Once the learner has no attempts left.
    AfterLastAttempt,
    /// Never: the page does not carry them.
    Never,
}

/// The values `reveal` takes, as authors write them.
pub(crate) const NAMES: &[&str] = &["always", "after_pass", "after_last_attempt", "never"];

impl Reveal {
    /// The value as written in TOML and in the page's `data-reveal-mode`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Always => NAMES[0],
            Self::AfterPass => NAMES[1],
            Self::AfterLastAttempt => NAMES[2],
            Self::Never => NAMES[3],
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        [Self::Always, Self::AfterPass, Self::AfterLastAttempt, Self::Never].into_iter().find(|r| r.name() == name)
    }
}

/// The `reveal` key of `entries`, if present and valid; a wrong value is an error at the value
/// that names the choices.
pub(crate) fn read(r: &mut Reader<'_>, entries: &[Entry]) -> Option<Spanned<Reveal>> {
    let s = r.string(entries, "reveal")?;
    if let Some(value) = Reveal::from_name(&s.value) {
        return Some(Spanned { value, span: s.span });
    }
    let choices = "\"always\" (after every attempt), \"after_pass\", \"after_last_attempt\" or \"never\"";
    let hint = match did_you_mean(&s.value, NAMES.iter().copied()) {
        Some(guess) => format!("{guess} `reveal` is one of {choices}"),
        None => format!("`reveal` says when learners see the correct answers and explanations: use {choices}"),
    };
    let message = format!("`reveal = \"{}\"` is not one of the choices", s.value);
    r.diags.push(crate::diagnostic::Diagnostic::error(r.path(), Some(s.span), message).with_hint(hint));
    None
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::load::value::{parse_toml, Value};

    fn reveal(text: &str) -> (Option<Reveal>, Vec<crate::diagnostic::Diagnostic>) {
        let doc = parse_toml(text).expect("toml");
        let Value::Table(top) = &doc.value else { panic!("table") };
        let mut diags = Vec::new();
        let value = read(&mut Reader::new(Path::new("q.toml"), 0, &mut diags), top).map(|s| s.value);
        (value, diags)
    }

    #[test]
    fn every_name_reads_back() {
        for name in NAMES {
            let (value, diags) = reveal(&format!("reveal = \"{name}\"\n"));
            assert_eq!(value.map(Reveal::name), Some(*name), "{diags:?}");
        }
        assert_eq!(reveal("title = \"x\"\n").0, None);
    }

    #[test]
    fn a_wrong_value_names_the_choices() {
        let (value, diags) = reveal("reveal = \"after_passing\"\n");
        assert_eq!(value, None);
        assert_eq!(diags[0].span, Some(9..24));
        assert_eq!(diags[0].message, "`reveal = \"after_passing\"` is not one of the choices");
        assert!(diags[0].hint.as_deref().is_some_and(|h| h.starts_with("did you mean `after_pass`?")), "{diags:?}");
    }
}
