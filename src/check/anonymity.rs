//! Who wrote the post: anonymous during review, named afterwards.
//!
//! During review the typed front matter must list the authors as placeholders (`Anonymous`),
//! without a url or an affiliation that names anyone (the placeholder list is the gate's
//! `classify_author_value`), and the gate's scanners look for identity leaks in the post, its HTML
//! figures and notebooks, SVGs and the metadata of its images and PDFs. In the camera-ready
//! phase the opposite holds: real names are required and affiliations are expected.
//!
//! The scanners themselves (what counts as a leak, how false alarms are avoided) live in
//! `blogtrack-gate`; this module decides which files they see and merges their findings with
//! the typed author checks without reporting the same author twice.

use crate::meta::AuthorMeta;
use blogtrack_diag::Diagnostic;
use blogtrack_gate::{
    classify_author_value, display_path, scan_file, scan_text_for_identity, scrub_file,
    uncleanable, AuthorValue, FileType, Scrub, TextKind,
};

use super::files::FileEntry;

/// Whether a url or affiliation value may identify the authors (placeholders and the
/// template's sample values do not).
fn identifies(s: &str) -> bool {
    classify_author_value(s) == AuthorValue::Identifying
}

/// Typed author checks of the review phase. `shift` turns YAML lines into file lines.
///
/// Placeholders (`Anonymous` in any case, an empty or `Anonymous` url, `NA`, `N/A`) are what
/// review asks for. The template's sample authors (Einstein, Podolsky, Rosen, with their
/// Wikipedia URLs and "IAS, Princeton") identify nobody, so they are one warning, not errors.
pub fn review_authors(authors: &[AuthorMeta], rel: &str, shift: u32) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut samples: Vec<(&str, u32)> = Vec::new();
    for a in authors {
        let line = a.line + shift;
        let at = |d: Diagnostic| d.at(line, 0).in_file(rel);
        match classify_author_value(&a.name) {
            AuthorValue::Placeholder => {}
            AuthorValue::Sample => samples.push((a.name.trim(), line)),
            AuthorValue::Identifying => out.push(at(Diagnostic::error(
                "anon-author",
                format!(
                    "during review the authors must be anonymous, found `{}`",
                    display_path(a.name.trim())
                ),
            )
            .with_hint("write `authors:` as the single entry `- name: Anonymous`"))),
        }
        if let Some(url) = a.url.as_deref().filter(|u| identifies(u)) {
            out.push(at(Diagnostic::error(
                "anon-author",
                format!(
                    "an author has the url `{}` during review",
                    display_path(url.trim())
                ),
            )
            .with_hint(
                "remove `url:` from the authors until the camera-ready version",
            )));
        }
        for f in &a.affiliations {
            if identifies(&f.name) || f.url.as_deref().is_some_and(identifies) {
                out.push(at(Diagnostic::error(
                    "anon-affiliation",
                    format!(
                        "an author has the affiliation `{}` during review",
                        display_path(f.name.trim())
                    ),
                )
                .with_hint(
                    "remove `affiliations:` from the authors until the camera-ready version",
                )));
            }
        }
    }
    if let Some(&(_, line)) = samples.first() {
        let names: Vec<&str> = samples.iter().map(|(n, _)| *n).collect();
        out.push(
            Diagnostic::warning(
                "anon-sample-author",
                format!(
                    "the template's sample authors are still listed ({})",
                    display_path(&names.join(", "))
                ),
            )
            .at(line, 0)
            .in_file(rel)
            .with_hint(
                "replace the sample authors with Anonymous: `authors:` then `  - name: Anonymous`",
            ),
        );
    }
    out
}

/// Typed author checks of the camera-ready phase.
pub fn camera_ready_authors(authors: &[AuthorMeta], rel: &str, shift: u32) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for a in authors {
        let at = |d: Diagnostic| d.at(a.line + shift, 0).in_file(rel);
        if a.name.to_lowercase().contains("anonymous") {
            out.push(at(Diagnostic::error(
                "content-author-anonymous",
                "the camera-ready post still lists an anonymous author",
            )
            .with_hint(
                "replace `Anonymous` with the authors' names (and their affiliations)",
            )));
        } else if a.affiliations.is_empty() {
            out.push(at(Diagnostic::warning(
                "content-affiliation-missing",
                format!("the author `{}` has no affiliation", display_path(&a.name)),
            )
            .with_hint("add `affiliations: {name: ...}` under the author (use `Independent researcher` if none)")));
        }
    }
    out
}

/// Runs the gate's scanners over the post's text and the submission's files. The post scan's
/// author and affiliation findings are dropped when `typed_authors` (the typed check ran).
pub fn scan_leaks(
    post: Option<(&str, &str, TextKind)>,
    typed_authors: bool,
    files: &[FileEntry],
    read: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some((rel, text, kind)) = post {
        out.extend(
            scan_text_for_identity(text, kind)
                .into_iter()
                .filter(|d| {
                    !(typed_authors && matches!(d.code, "anon-author" | "anon-affiliation"))
                })
                .map(|d| d.in_file(rel)),
        );
    }
    for f in files {
        if post.is_some_and(|(rel, ..)| rel == f.rel) {
            continue;
        }
        let markdown = f.rel.to_ascii_lowercase().ends_with(".md");
        if !markdown && FileType::detect(&[], &f.rel).is_none() {
            continue;
        }
        let Some(bytes) = read(&f.rel) else {
            continue;
        };
        if markdown {
            let text = String::from_utf8_lossy(&bytes);
            out.extend(
                scan_text_for_identity(&text, TextKind::Markdown)
                    .into_iter()
                    .map(|d| d.in_file(f.rel.clone())),
            );
            continue;
        }
        out.extend(scan_file(&bytes, &f.rel));
        // What the reviewers' preview could not clean is not published: say so now.
        if let Some((kind, Scrub::Failed(reason))) = scrub_file(&bytes, &f.rel) {
            out.push(uncleanable(&f.rel, kind, &reason));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::AffiliationMeta;

    fn author(name: &str, url: Option<&str>, aff: Option<&str>) -> AuthorMeta {
        AuthorMeta {
            name: name.into(),
            url: url.map(Into::into),
            affiliations: aff
                .map(|n| {
                    vec![AffiliationMeta {
                        name: n.into(),
                        url: None,
                    }]
                })
                .unwrap_or_default(),
            line: 3,
        }
    }

    #[test]
    fn review_requires_exactly_anonymous() {
        let d = review_authors(&[author("Anonymous", None, None)], "p.md", 1);
        assert!(d.is_empty());
        let d = review_authors(
            &[author("Jane Doe", Some("https://jane.org"), Some("MIT"))],
            "p.md",
            1,
        );
        let codes: Vec<_> = d.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(
            codes,
            [
                ("anon-author", 4),
                ("anon-author", 4),
                ("anon-affiliation", 4)
            ]
        );
    }

    #[test]
    fn camera_ready_requires_names() {
        let d = camera_ready_authors(&[author("Anonymous", None, None)], "p.md", 1);
        assert_eq!(d[0].code, "content-author-anonymous");
        let d = camera_ready_authors(&[author("Jane Doe", None, Some("MIT"))], "p.md", 1);
        assert!(d.is_empty());
    }
}
