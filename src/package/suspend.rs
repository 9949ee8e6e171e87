//! The learner's progress as an LMS keeps it between launches (`cmi.suspend_data`, the cmi5
//! State API): a compact JSON form of the progress store's document, restricted to what one
//! package holds. `lms.js` writes it; this module computes how long it can get, so a package
//! whose progress could not fit its format's limit is refused when it is made.
//!
//! `{"c":{checklist: "0110"},"l":{lesson: t},"q":{quiz: [best, attempts, passed t or 0, rev,
//! earlier?]},"r":role,"v":1}`: keys sorted, times in seconds since 2020-01-01 UTC, attempts
//! counted up to 999, `earlier` the same list without its own `earlier`.

use serde_json::{json, Map, Value};

/// Seconds since 2020-01-01 UTC of the latest time the form is sized for (2100-01-01).
const LATEST: u64 = 4_102_444_800 - 1_577_836_800;
/// Attempts are written up to this count.
pub(crate) const MAX_ATTEMPTS: u32 = 999;

/// What a package's progress is made of.
#[derive(Debug, Default)]
pub(crate) struct Shape {
    /// Lesson ids.
    pub(crate) lessons: Vec<String>,
    /// Quiz ids with their revision and the attempts allowed.
    pub(crate) quizzes: Vec<(String, String, Option<u32>)>,
    /// Checklist ids with their number of boxes.
    pub(crate) checklists: Vec<(String, usize)>,
    /// The longest role id a learner may hold in the package, if roles are kept.
    pub(crate) role: Option<String>,
}

/// The form of a package whose every lesson, quiz and checklist holds the most it can: every
/// lesson done, every quiz at its attempts limit with an earlier revision's result, every box
/// ticked, at the latest time.
#[must_use]
pub(crate) fn fullest(shape: &Shape) -> String {
    let result = |quiz_rev: &str, attempts: Option<u32>| {
        json!([100, attempts.unwrap_or(MAX_ATTEMPTS).min(MAX_ATTEMPTS), LATEST, quiz_rev])
    };
    let mut doc = Map::new();
    let checklists: Map<String, Value> =
        shape.checklists.iter().map(|(id, n)| (id.clone(), Value::String("1".repeat(*n)))).collect();
    doc.insert("c".into(), Value::Object(checklists));
    let lessons: Map<String, Value> = shape.lessons.iter().map(|id| (id.clone(), json!(LATEST))).collect();
    doc.insert("l".into(), Value::Object(lessons));
    let quizzes: Map<String, Value> = shape
        .quizzes
        .iter()
        .map(|(id, rev, attempts)| {
            let mut entry = result(rev, *attempts);
            if let Value::Array(items) = &mut entry {
                items.push(result(rev, *attempts));
            }
            (id.clone(), entry)
        })
        .collect();
    doc.insert("q".into(), Value::Object(quizzes));
    if let Some(role) = &shape.role {
        doc.insert("r".into(), Value::String(role.clone()));
    }
    doc.insert("v".into(), json!(1));
    Value::Object(doc).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fullest_form_is_sorted_and_complete() {
        let shape = Shape {
            lessons: vec!["m/b".into(), "m/a".into()],
            quizzes: vec![("m/quiz".into(), "0123456789ab".into(), Some(3))],
            checklists: vec![("playbooks/p".into(), 3)],
            role: Some("sales".into()),
        };
        assert_eq!(
            fullest(&shape),
            "{\"c\":{\"playbooks/p\":\"111\"},\"l\":{\"m/a\":2524608000,\"m/b\":2524608000},\
             \"q\":{\"m/quiz\":[100,3,2524608000,\"0123456789ab\",[100,3,2524608000,\"0123456789ab\"]]},\"r\":\"sales\",\"v\":1}"
        );
        assert_eq!(fullest(&Shape::default()), "{\"c\":{},\"l\":{},\"q\":{},\"v\":1}");
    }
}
