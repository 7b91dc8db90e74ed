//! The registry of rule codes: every `code` a [`crate::Diagnostic`] of blogtrack can carry, with
//! its severity, a one-line summary and the section of `crates/gate/RULES.md` that documents
//! what triggers it and how to fix it.
//!
//! Adding a rule means adding a line here and a row to that section of RULES.md; the test
//! `tests/house.rs::every_rule_code_is_registered_and_documented` fails until both exist, and
//! also when an entry is no longer emitted anywhere. `severity` is the strongest severity the
//! code is reported with (a few rules are errors in one phase and warnings in another).

use crate::Severity::{self, Error, Note, Warning};

/// One rule code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The stable id, kebab-case (`yaml-syntax`).
    pub code: &'static str,
    /// The strongest severity the rule is reported with.
    pub severity: Severity,
    /// The heading of the section of `crates/gate/RULES.md` that documents it.
    pub section: &'static str,
    /// What the rule is about, in one line.
    pub summary: &'static str,
}

/// Sections of `crates/gate/RULES.md`.
pub const GIT: &str = "Git";
pub const PATHS: &str = "Paths";
pub const CONTENT: &str = "Content";
pub const ANONYMITY: &str = "Anonymity";
pub const LOADING: &str = "Loading and configuration";
pub const RENDERING: &str = "Rendering";
pub const SITE: &str = "Site and output";
pub const COMMANDS: &str = "Commands";

const fn rule(
    code: &'static str,
    severity: Severity,
    section: &'static str,
    summary: &'static str,
) -> Rule {
    Rule {
        code,
        severity,
        section,
        summary,
    }
}

/// Every rule code, sorted by code.
#[rustfmt::skip]
pub static RULES: &[Rule] = &[
    rule("anon-acknowledgements", Warning, ANONYMITY, "an acknowledgements section during review"),
    rule("anon-affiliation", Error, ANONYMITY, "the front matter names an affiliation during review"),
    rule("anon-author", Error, ANONYMITY, "the front matter names an author during review"),
    rule("anon-comment", Error, ANONYMITY, "a commented-out author, invisible on the page but public in the pull request"),
    rule("anon-email", Error, ANONYMITY, "an e-mail address during review"),
    rule("anon-image-metadata", Error, ANONYMITY, "image or PDF metadata names a person"),
    rule("anon-local-path", Error, ANONYMITY, "a home-folder path that names a user"),
    rule("anon-notebook-metadata", Error, ANONYMITY, "notebook metadata names its authors"),
    rule("anon-profile-link", Warning, ANONYMITY, "a link to a personal profile (GitHub, X, LinkedIn ...)"),
    rule("anon-sample-author", Warning, ANONYMITY, "the template's sample authors are still there"),
    rule("anon-uncleanable", Error, ANONYMITY, "a file whose metadata cannot be removed for the reviewers' preview"),
    rule("asset-path", Warning, RENDERING, "a figure path that leaves the site folder"),
    rule("bib-duplicate-field", Warning, RENDERING, "a BibTeX field given twice in one entry"),
    rule("bib-duplicate-key", Warning, RENDERING, "two BibTeX entries with one key"),
    rule("bib-limit", Error, RENDERING, "@string macros expand beyond the size limit"),
    rule("bib-missing", Warning, RENDERING, "the post's bibliography file does not exist"),
    rule("bib-stray-text", Warning, RENDERING, "text outside any BibTeX entry"),
    rule("bib-syntax", Warning, RENDERING, "a BibTeX entry that does not parse"),
    rule("bib-unknown-macro", Warning, RENDERING, "a field uses an undefined @string macro"),
    rule("broken-link", Warning, SITE, "a link to a page, file or anchor the site does not have"),
    rule("camera-ready-authors", Error, CONTENT, "camera-ready: the post's authors are not the accepted submission's"),
    rule("camera-ready-not-accepted", Error, CONTENT, "camera-ready: the post is not an accepted submission in _data/decisions.yml"),
    rule("camera-ready-rejected", Error, CONTENT, "camera-ready: the post's submission was rejected"),
    rule("check-content-skipped", Note, CONTENT, "only the path rules ran"),
    rule("cite-empty", Warning, CONTENT, "a <d-cite> without a key"),
    rule("cite-unknown-key", Warning, RENDERING, "a citation key missing from the bibliography"),
    rule("config-baseurl", Error, LOADING, "`baseurl` holds a character that cannot stand in a URL path"),
    rule("config-dates", Error, LOADING, "`blogtrack.dates` is not a map of date-times"),
    rule("config-dates-order", Warning, LOADING, "the track's dates are out of order"),
    rule("config-dates-year", Warning, LOADING, "a track date is not in the year before the post date"),
    rule("config-missing", Warning, LOADING, "no _config.yml"),
    rule("config-type", Error, LOADING, "a `blogtrack` setting of the wrong type"),
    rule("config-unknown-key", Warning, LOADING, "an unknown `blogtrack` setting or date"),
    rule("config-yaml", Error, COMMANDS, "`init --from`: last year's _config.yml cannot be read"),
    rule("content-affiliation-missing", Warning, CONTENT, "camera-ready: an author without affiliation"),
    rule("content-asset-missing", Error, CONTENT, "the post uses a file that is not in the submission"),
    rule("content-asset-outside", Error, CONTENT, "the post uses a file outside its own folders"),
    rule("content-author-anonymous", Error, CONTENT, "camera-ready: an author still named Anonymous"),
    rule("content-bibliography-missing", Error, CONTENT, "the post cites but its bibliography does not exist"),
    rule("content-bibliography-name", Error, CONTENT, "`bibliography:` is not the post's own file"),
    rule("content-date-mismatch", Error, CONTENT, "`date:` disagrees with the file name"),
    rule("content-date-missing", Warning, CONTENT, "no `date:`"),
    rule("content-description-length", Warning, CONTENT, "the description is not 2-3 sentences"),
    rule("content-description-link", Error, CONTENT, "a link in the description"),
    rule("content-description-math", Error, CONTENT, "math in the description"),
    rule("content-external-embed", Warning, CONTENT, "an image or frame loaded from another site"),
    rule("content-file-too-large", Error, CONTENT, "one file of the submission is over the size limit"),
    rule("content-layout", Warning, CONTENT, "the post does not use `layout: distill`"),
    rule("content-required-key", Error, CONTENT, "a required front-matter key is missing or empty"),
    rule("content-script", Error, CONTENT, "a <script> in the post's body"),
    rule("content-submission-too-large", Error, CONTENT, "the submission is over the size limit"),
    rule("decisions-award", Error, LOADING, "_data/decisions.yml: an award that is not defined or not well-formed"),
    rule("decisions-duplicate", Error, LOADING, "_data/decisions.yml: one submission listed twice"),
    rule("decisions-none", Warning, RENDERING, "a decisions include, but no valid _data/decisions.yml"),
    rule("decisions-post-missing", Warning, LOADING, "_data/decisions.yml: an accepted post not in _posts/ yet"),
    rule("decisions-shape", Error, LOADING, "_data/decisions.yml: a section or value of the wrong shape"),
    rule("decisions-slug", Error, LOADING, "_data/decisions.yml: a value that is not a post's slug"),
    rule("decisions-unknown-key", Error, LOADING, "_data/decisions.yml: an unknown key"),
    rule("decisions-unknown-slug", Error, LOADING, "_data/decisions.yml: a slug no post has"),
    rule("encoding", Error, LOADING, "a text file that is not UTF-8"),
    rule("figure-no-alt", Warning, CONTENT, "figures with neither alt text nor caption"),
    rule("file-too-large", Error, LOADING, "a text file over the reading limit"),
    rule("front-matter", Error, CONTENT, "the front matter is not delimited properly"),
    rule("front-matter-author", Error, LOADING, "an author without `name`"),
    rule("front-matter-date", Error, LOADING, "`date:` is not a date"),
    rule("front-matter-missing", Error, LOADING, "a post or page without front matter"),
    rule("front-matter-type", Error, LOADING, "a front-matter value of the wrong type"),
    rule("front-matter-unknown-key", Warning, LOADING, "an unknown front-matter key close to a known one"),
    rule("git-read", Error, GIT, "the repository or a revision cannot be read"),
    rule("git-too-many-changes", Error, GIT, "the diff is implausibly large"),
    rule("image-variant-original", Warning, SITE, "a hand-written old-site variant name served as the original image"),
    rule("image-variants", Warning, SITE, "the smaller copies of an image cannot be made"),
    rule("include-missing-path", Error, RENDERING, "a figure include without `path`"),
    rule("init-ci", Error, COMMANDS, "`init --ci` cannot write the workflows"),
    rule("init-from", Error, COMMANDS, "`init --from` cannot tell last year's track"),
    rule("init-target", Error, COMMANDS, "`init`'s folder is not new and empty"),
    rule("internal", Error, SITE, "a bug in blogtrack (the item is left out)"),
    rule("interrupted", Error, SITE, "the run was interrupted"),
    rule("io", Error, COMMANDS, "a file or folder cannot be read or written"),
    rule("liquid-include-syntax", Error, RENDERING, "an invalid include name or parameter"),
    rule("liquid-limit", Error, RENDERING, "a template produces too much output or work"),
    rule("liquid-render", Error, RENDERING, "a filter or comparison fails while rendering"),
    rule("liquid-syntax", Error, RENDERING, "a Liquid tag or variable is not terminated or malformed"),
    rule("liquid-too-deep", Error, RENDERING, "Liquid blocks nested too deeply"),
    rule("liquid-unclosed-block", Error, RENDERING, "a Liquid block is never closed"),
    rule("liquid-unexpected-tag", Error, RENDERING, "an end or else tag without its block"),
    rule("liquid-unknown-filter", Warning, RENDERING, "an unknown Liquid filter"),
    rule("liquid-unknown-include", Error, RENDERING, "an include the track does not have"),
    rule("liquid-unknown-tag", Error, RENDERING, "an unknown Liquid tag"),
    rule("markdown-nesting-too-deep", Warning, RENDERING, "`markdown=\"1\"` elements nested too deeply"),
    rule("markdown-stray-close-tag", Warning, CONTENT, "a closing HTML tag that closes nothing"),
    rule("markdown-stray-ial", Warning, RENDERING, "a block attribute list attached to no block"),
    rule("markdown-stray-span-ial", Warning, RENDERING, "a span attribute list attached to nothing"),
    rule("markdown-unclosed-comment", Warning, RENDERING, "an HTML comment that is never closed"),
    rule("markdown-unclosed-extension", Warning, RENDERING, "a kramdown extension that is never closed"),
    rule("markdown-unclosed-html", Warning, RENDERING, "an HTML element that is never closed"),
    rule("markdown-unknown-extension", Warning, RENDERING, "an unknown kramdown extension"),
    rule("math", Warning, RENDERING, "a formula that cannot be rendered"),
    rule("math-duplicate-label", Warning, RENDERING, "an equation label defined twice"),
    rule("math-unknown-label", Warning, CONTENT, "a reference to an equation label that does not exist"),
    rule("missing-asset", Warning, RENDERING, "a figure's file does not exist"),
    rule("new-clash", Error, COMMANDS, "`new`: the post or its folders exist already"),
    rule("new-name", Error, COMMANDS, "`new`: the post's name is not valid"),
    rule("new-track", Error, COMMANDS, "`new`: the folder is not a track"),
    rule("not-a-track", Error, LOADING, "the folder has neither _config.yml nor _posts/"),
    rule("output-dir", Error, SITE, "the output folder cannot be written or is the source"),
    rule("output-path", Error, SITE, "a generated path would leave the output folder"),
    rule("page-failed", Note, SITE, "a page was left out because of the errors above"),
    rule("page-not-written", Error, SITE, "a page's file cannot be written"),
    rule("path-asset-location", Error, PATHS, "a file of the submission in the wrong folder"),
    rule("path-bad-character", Error, PATHS, "a file name with control or bidirectional characters"),
    rule("path-junk-file", Warning, PATHS, "an operating system's junk file"),
    rule("path-no-post", Error, PATHS, "the pull request adds or changes no post"),
    rule("path-organizer-file", Error, PATHS, "the pull request changes the organizers' files"),
    rule("path-other-post-deleted", Error, PATHS, "the pull request deletes another post"),
    rule("path-outside-submission", Error, PATHS, "the pull request changes files outside the submission"),
    rule("path-post-date", Error, PATHS, "the post's file is not dated with the track's date"),
    rule("path-post-extension", Error, PATHS, "the post's file does not end in .md or .html"),
    rule("path-post-location", Error, PATHS, "the post is not in _posts/"),
    rule("path-post-name", Error, PATHS, "the post's file name is not YYYY-MM-DD-lowercase-name"),
    rule("path-second-post", Error, PATHS, "a second post in one pull request"),
    rule("path-submodule", Error, PATHS, "a git submodule in the submission"),
    rule("path-symlink", Error, PATHS, "a symbolic link in the submission"),
    rule("path-title-mismatch", Error, PATHS, "the pull request's title is not the post's slug"),
    rule("permalink-dot-segment", Warning, LOADING, "`permalink` with `.` or `..` segments"),
    rule("post-failed", Note, SITE, "a post was left out because of the errors above"),
    rule("post-file-name", Error, CONTENT, "a post's file is not named YYYY-MM-DD-name"),
    rule("post-too-large", Error, RENDERING, "a post whose rendered text is over the limit"),
    rule("post-url-unknown", Error, RENDERING, "`post_url` names no post"),
    rule("preview-base-url", Error, COMMANDS, "`preview --base-url` is not an http(s) URL"),
    rule("preview-identity", Warning, COMMANDS, "an author's name is still in the reviewers' preview"),
    rule("preview-post", Error, COMMANDS, "`preview --post` names no post"),
    rule("preview-prefix", Error, COMMANDS, "`preview --prefix` cannot be a URL prefix"),
    rule("preview-uncleanable", Error, COMMANDS, "a file left out of the preview: its metadata cannot be removed"),
    rule("publish-not-released", Error, COMMANDS, "`review publish` before the decisions are released"),
    rule("review", Error, COMMANDS, "`review` cannot start or run"),
    rule("review-config", Error, LOADING, "a `review:` setting of the wrong form"),
    rule("review-dates", Error, LOADING, "the review server refuses a `blogtrack.dates` it cannot read"),
    rule("review-form", Error, LOADING, "a review form field of the wrong form"),
    rule("serve", Error, COMMANDS, "the preview server cannot listen"),
    rule("special-file", Error, LOADING, "a pipe, socket or device in the track"),
    rule("submission-deadline-passed", Note, CONTENT, "the submission deadline has passed"),
    rule("symlink-broken", Warning, LOADING, "a broken symbolic link in the track"),
    rule("symlink-outside", Error, LOADING, "a symbolic link out of the track"),
    rule("toc-depth", Warning, LOADING, "the table of contents nests too deeply"),
    rule("toc-entry-no-name", Warning, RENDERING, "a table-of-contents entry without `name`"),
    rule("toc-near-match", Warning, RENDERING, "a table-of-contents entry almost matches a heading"),
    rule("toc-no-heading", Warning, RENDERING, "a table-of-contents entry names no heading"),
    rule("url-clash", Error, CONTENT, "two items of the site claim one URL"),
    rule("usage", Error, COMMANDS, "bad arguments or environment"),
    rule("watch-failed", Error, COMMANDS, "`serve` cannot watch the track"),
    rule("watch-root-missing", Error, COMMANDS, "`serve`'s track folder cannot be watched"),
    rule("yaml-duplicate-key", Warning, LOADING, "a YAML key given twice"),
    rule("yaml-not-a-map", Error, LOADING, "settings that are not `key: value` lines"),
    rule("yaml-not-portable", Note, LOADING, "YAML that blogtrack reads as Jekyll does, but other readers may not"),
    rule("yaml-syntax", Error, LOADING, "YAML that does not parse"),
    rule("yaml-too-deep", Error, LOADING, "YAML nested too deeply"),
    rule("yaml-too-large", Error, LOADING, "YAML aliases expand to too many values"),
];

/// The registry entry of `code`, if it is one.
pub fn lookup(code: &str) -> Option<&'static Rule> {
    RULES
        .binary_search_by(|r| r.code.cmp(code))
        .ok()
        .map(|i| &RULES[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_is_sorted_unique_and_kebab_case() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} / {}",
                pair[0].code,
                pair[1].code
            );
        }
        for r in RULES {
            let ok = r.code.split('-').all(|w| {
                !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
            assert!(ok, "`{}` is not kebab-case", r.code);
            assert!(
                !r.summary.is_empty() && !r.summary.ends_with('.'),
                "{}",
                r.code
            );
            let sections = [
                GIT, PATHS, CONTENT, ANONYMITY, LOADING, RENDERING, SITE, COMMANDS,
            ];
            assert!(sections.contains(&r.section), "{}", r.code);
        }
    }

    #[test]
    fn lookup_finds_every_entry_and_nothing_else() {
        for r in RULES {
            assert_eq!(lookup(r.code), Some(r));
        }
        assert_eq!(lookup("no-such-rule"), None);
        assert_eq!(lookup(""), None);
    }
}
