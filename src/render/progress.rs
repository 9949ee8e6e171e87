//! Render stage: the progress map, the structure of the site the learner's progress is
//! measured against (modules with their lessons and assessment, roles with their paths), as a
//! JSON text that pages embed for `progress.js`. docs/progress-api.md documents its fields.

use serde::Serialize;

use crate::model::slug::{quiz_url, role_url};
use crate::model::{Module, Site};

#[derive(Serialize)]
struct MapCx<'a> {
    modules: Vec<MapModule<'a>>,
    roles: Vec<MapRole<'a>>,
}

#[derive(Serialize)]
struct MapModule<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    days: Option<u32>,
    lessons: Vec<MapLesson<'a>>,
    quiz: Option<MapQuiz<'a>>,
}

#[derive(Serialize)]
struct MapLesson<'a> {
    id: String,
    title: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct MapQuiz<'a> {
    id: &'a str,
    rev: &'a str,
    title: &'a str,
    url: String,
    pass_mark: u8,
}

#[derive(Serialize)]
struct MapRole<'a> {
    id: &'a str,
    name: &'a str,
    url: String,
    required: Vec<&'a str>,
    optional: Vec<&'a str>,
}

fn map_module(m: &Module) -> MapModule<'_> {
    MapModule {
        id: &m.id,
        title: &m.title,
        url: &m.intro.out,
        days: m.valid_for_days,
        lessons: m
            .lessons
            .iter()
            .map(|l| MapLesson { id: format!("{}/{}", m.id, l.id), title: &l.title, url: &l.page.out })
            .collect(),
        quiz: m.quiz.as_ref().map(|q| MapQuiz {
            id: &q.id,
            rev: &q.rev,
            title: &q.title,
            url: quiz_url(&m.id),
            pass_mark: q.pass_mark,
        }),
    }
}

/// The progress map of `modules` (every role is listed, with the ids of those of `modules` it
/// requires or offers: a module page's map stays the same size however large the site), as
/// JSON that is safe inside a `<script>` element.
pub(crate) fn map<'a>(site: &Site, modules: impl Iterator<Item = &'a Module>) -> String {
    let modules: Vec<&Module> = modules.collect();
    let roles = site
        .config
        .roles
        .iter()
        .map(|r| {
            let ids = |f: fn(&Module) -> &Vec<String>| -> Vec<&str> {
                modules.iter().filter(|m| f(m).contains(&r.id)).map(|m| m.id.as_str()).collect()
            };
            MapRole {
                id: &r.id,
                name: &r.name,
                url: role_url(&r.id),
                required: ids(|m| &m.required_for),
                optional: ids(|m| &m.optional_for),
            }
        })
        .collect();
    let cx = MapCx { modules: modules.into_iter().map(map_module).collect(), roles };
    script_safe(&serde_json::to_string(&cx).expect("invariant: the map serializes"))
}

/// JSON with every `<` escaped, so no text of it can close the `<script>` element it sits in.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_end_tags_are_escaped() {
        let json = script_safe(&serde_json::to_string("</script><b>").expect("json"));
        assert_eq!(json, "\"\\u003c/script>\\u003cb>\"");
        assert_eq!(serde_json::from_str::<String>(&json).expect("still JSON"), "</script><b>");
    }
}
