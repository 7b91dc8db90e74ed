//! The camera-ready rules that ask `_data/decisions.yml` (docs/decisions.md): in camera-ready
//! phase a pull request must belong to an accepted submission, and its post must name the
//! submission's authors (the names `blogtrack review publish` wrote, compared as
//! [`crate::decisions::names`] says).
//!
//! They apply only to a track that has a valid decisions file: a rejected slug is always
//! refused, a slug the file does not list is refused when the file lists accepted submissions
//! (the same condition under which the build publishes only accepted posts), and the authors
//! are compared when the accepted entry lists them.

use crate::decisions::{names, Decisions, PATH};
use crate::model::Post;
use blogtrack_diag::Diagnostic;

/// The decision rules for the post `slug` (its file stem) at `rel`.
pub fn rules(
    decisions: Option<&Decisions>,
    slug: &str,
    post: &Post,
    rel: &str,
    yaml_shift: u32,
) -> Vec<Diagnostic> {
    let Some(d) = decisions else {
        return Vec::new();
    };
    let at_line = |key: &str| match post.meta.key_line(key) {
        0 => (0, 0),
        l => (l + yaml_shift, 1),
    };
    let (line, col) = at_line("title");
    if d.is_rejected(slug) {
        return vec![Diagnostic::error(
            "camera-ready-rejected",
            format!("`{slug}` was rejected ({PATH}): its post is not published"),
        )
        .in_file(rel)
        .at(line, col)
        .with_hint("close this pull request; if the decision is wrong, the organizers change it in the review and run `blogtrack review publish`")];
    }
    let Some(accepted) = d.accepted(slug) else {
        if !d.restricts_posts() {
            return Vec::new();
        }
        let slugs: Vec<&str> = d.accepted.iter().map(|a| a.slug.as_str()).collect();
        let hint = match crate::fields::did_you_mean(slug, &slugs) {
            Some(s) => format!("did you mean the accepted `{s}`? Rename the post to `_posts/{s}.md` (and its folders)"),
            None => format!("only accepted submissions are published in camera-ready phase; if yours was accepted, ask the organizers to run `blogtrack review publish` so that {PATH} lists it"),
        };
        return vec![Diagnostic::error(
            "camera-ready-not-accepted",
            format!("`{slug}` is not an accepted submission: {PATH} does not list it"),
        )
        .in_file(rel)
        .at(line, col)
        .with_hint(hint)];
    };
    if accepted.authors.is_empty() {
        return Vec::new();
    }
    let found: Vec<String> = post.meta.authors.iter().map(|a| a.name.clone()).collect();
    let (missing, extra) = names::difference(&accepted.authors, &found);
    if missing.is_empty() && extra.is_empty() {
        return Vec::new();
    }
    let quoted = |v: &[&str]| {
        v.iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut what = Vec::new();
    if !missing.is_empty() {
        what.push(format!("missing {}", quoted(&missing)));
    }
    if !extra.is_empty() {
        what.push(format!("not in the submission {}", quoted(&extra)));
    }
    let (line, col) = at_line("authors");
    vec![Diagnostic::error(
        "camera-ready-authors",
        format!(
            "the post's authors are not the accepted submission's ({}): {}",
            quoted(&accepted.authors.iter().map(String::as_str).collect::<Vec<_>>()),
            what.join("; ")
        ),
    )
    .in_file(rel)
    .at(line, col)
    .with_hint("list the submission's authors under `authors:` (case, accents and punctuation may differ); a change of authors goes through the organizers, who update the submission and run `blogtrack review publish`")]
}
