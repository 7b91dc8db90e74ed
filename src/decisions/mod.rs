//! `_data/decisions.yml`: the track's decisions as the site and `check` read them — which
//! submissions were accepted (with their award and poster placement), which were rejected, and
//! the poster session. `blogtrack review publish` writes it from the review database
//! ([`write_yaml`]); organizers may also write or edit it by hand, so every problem is reported
//! with its line and a fix. The format is documented in `docs/decisions.md`.
//!
//! [`parse`] is pure (text in, value and diagnostics out); [`validate`] checks the file against
//! the track's posts (an accepted slug that is close to a post's name but not equal is a typo,
//! an error with the suggestion). An accepted slug with no post at all and no close match is a
//! warning only: the decisions are published before the accepted pull requests are merged, and
//! the site must keep building in between. What the build does with the decisions lives in
//! [`crate::build`] (badges, listings, the poster-session page) and [`highlights`] (the HTML of
//! the organizers' includes); what `check` does, in [`crate::check`].

pub mod highlights;
pub mod names;
mod parse;
pub mod publish;
mod write;

pub use parse::parse;
pub use write::write_yaml;

use crate::model::Track;
use blogtrack_diag::Diagnostic;

/// Track-relative path of the file.
pub const PATH: &str = "_data/decisions.yml";

/// The awards every track has, with their default labels (`awards:` renames them or adds more).
pub const DEFAULT_AWARDS: &[(&str, &str)] =
    &[("best-post", "Best post"), ("runner-up", "Runner-up")];

/// The decisions of a track.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Decisions {
    /// Award id → label, defaults first, then the file's own in its order.
    pub awards: Vec<(String, String)>,
    pub accepted: Vec<Accepted>,
    pub rejected: Vec<Rejected>,
    pub poster_session: Option<PosterSession>,
}

/// An accepted submission.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Accepted {
    /// The post's file stem (`2025-04-28-name`), the submission's SLUG.
    pub slug: String,
    /// An award id of [`Decisions::awards`].
    pub award: Option<String>,
    /// Where the poster hangs (`A12`, "Hall 2, board 7").
    pub poster: Option<String>,
    /// The submission's authors as registered in the review (`review publish` writes them);
    /// `check` in camera-ready phase compares the post's authors with them. Empty: not checked.
    pub authors: Vec<String>,
    /// Line of the entry in the file.
    pub line: u32,
}

/// A rejected submission: its preview is removed, its post is never published.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Rejected {
    pub slug: String,
    pub line: u32,
}

/// The poster session where the accepted posts are presented.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PosterSession {
    pub title: String,
    /// As written (`2025-04-26 10:00–12:30`): shown, not computed with.
    pub date: String,
    pub place: String,
    pub schedule: Vec<ScheduleItem>,
}

/// One line of the poster session's schedule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ScheduleItem {
    pub time: String,
    pub what: String,
}

impl Decisions {
    /// The label of an award id.
    pub fn award_label(&self, id: &str) -> Option<&str> {
        self.awards
            .iter()
            .find(|(a, _)| a == id)
            .map(|(_, l)| l.as_str())
    }

    /// The decision on the post or submission `slug`.
    pub fn accepted(&self, slug: &str) -> Option<&Accepted> {
        self.accepted.iter().find(|a| a.slug == slug)
    }

    pub fn is_rejected(&self, slug: &str) -> bool {
        self.rejected.iter().any(|r| r.slug == slug)
    }

    /// The label of the award of the post `slug`, if it has one.
    pub fn badge(&self, slug: &str) -> Option<&str> {
        let award = self.accepted(slug)?.award.as_deref()?;
        self.award_label(award)
    }

    /// Whether the file decides which posts are published (it lists accepted slugs).
    pub fn restricts_posts(&self) -> bool {
        !self.accepted.is_empty()
    }
}

/// Checks the decisions against the track's posts: an accepted slug must name a post (an
/// error when a post's name is close, so a typo never silently drops a post; a warning when
/// none is, as the post may not be merged yet).
pub fn validate(decisions: &Decisions, track: &Track) -> Vec<Diagnostic> {
    let stems: Vec<&str> = track.posts.iter().map(|p| p.file_stem.as_str()).collect();
    let mut diags = Vec::new();
    for a in &decisions.accepted {
        if stems.contains(&a.slug.as_str()) {
            continue;
        }
        let d = match crate::fields::did_you_mean(&a.slug, &stems) {
            Some(s) => Diagnostic::error(
                "decisions-unknown-slug",
                format!("no post is named `{}`", a.slug),
            )
            .with_hint(format!("did you mean `{s}` (_posts/{s}.md)?")),
            None => Diagnostic::warning(
                "decisions-post-missing",
                format!("the accepted post `{}` is not in _posts/ yet", a.slug),
            )
            .with_hint(format!(
                "merge its pull request (it adds _posts/{}.md), or fix the slug",
                a.slug
            )),
        };
        diags.push(d.in_file(PATH).at(a.line, 1));
    }
    diags
}

/// Marks every post the decisions do not accept as unpublished (built nowhere, listed nowhere);
/// returns their number. A track without decisions, or whose decisions list no accepted slug,
/// is left as it is.
pub fn unpublish_not_accepted(track: &mut Track) -> usize {
    let Some(d) = &track.decisions else {
        return 0;
    };
    if !d.restricts_posts() {
        return 0;
    }
    let keep: std::collections::HashSet<String> =
        d.accepted.iter().map(|a| a.slug.clone()).collect();
    let mut n = 0;
    for p in &mut track.posts {
        if p.meta.published && !keep.contains(&p.file_stem) {
            p.meta.published = false;
            n += 1;
        }
    }
    n
}
