//! What `blogtrack review publish` writes, as pure functions: the released decisions of the
//! review database merged into the track's existing `_data/decisions.yml` ([`merge`]), the
//! summary of what changed ([`summary`]) and the list of rejected submissions whose previews
//! are removed ([`rejected_previews`]).
//!
//! Who owns what: the database owns which submissions are accepted and rejected, their
//! awards, whether they present a poster, and their authors' names. The file keeps what only
//! it has: the `poster_session` section, each poster's place (`poster:`) while the database
//! still says the submission presents one, and the labels of `awards:`. Reading the database
//! (and the release date) is the command's job (`src/cmd/publish.rs`).

use super::{Accepted, Decisions, PosterSession, Rejected, DEFAULT_AWARDS};
use std::collections::BTreeSet;

/// One released decision, as the database has it, with the post's slug resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Released {
    /// The post's file stem (`2025-04-28-name`).
    pub slug: String,
    pub accepted: bool,
    /// An award id of the review's config (`best-post`).
    pub award: Option<String>,
    /// Presented at the poster session.
    pub poster: bool,
    /// The submission's authors, in order.
    pub authors: Vec<String>,
}

/// The award id `_data/decisions.yml` takes for a review config's award key: lowercase, `_`
/// written `-` (the config allows both; the file's ids are lowercase with hyphens).
pub fn award_id(key: &str) -> String {
    key.to_ascii_lowercase().replace('_', "-")
}

/// The decisions file after publishing `released` over `existing`. `labels`: the review
/// config's awards (key, label), used for an award the file does not label yet.
pub fn merge(
    existing: Option<&Decisions>,
    released: &[Released],
    labels: &[(String, String)],
) -> Decisions {
    let mut d = Decisions {
        awards: match existing {
            Some(e) => e.awards.clone(),
            None => DEFAULT_AWARDS
                .iter()
                .map(|(a, l)| (a.to_string(), l.to_string()))
                .collect(),
        },
        poster_session: existing.and_then(|e| e.poster_session.clone()),
        ..Decisions::default()
    };
    for r in released {
        if !r.accepted {
            d.rejected.push(Rejected {
                slug: r.slug.clone(),
                line: 0,
            });
            continue;
        }
        let award = r.award.as_deref().map(award_id);
        if let Some(id) = &award {
            if d.award_label(id).is_none() {
                let label = labels
                    .iter()
                    .find(|(k, _)| award_id(k) == *id)
                    .map_or_else(|| id.replace('-', " "), |(_, l)| l.clone());
                d.awards.push((id.clone(), label));
            }
        }
        let place = existing
            .and_then(|e| e.accepted(&r.slug))
            .and_then(|a| a.poster.clone())
            .filter(|_| r.poster);
        d.accepted.push(Accepted {
            slug: r.slug.clone(),
            award,
            poster: place,
            authors: r.authors.clone(),
            line: 0,
        });
    }
    if d.poster_session.is_none() && released.iter().any(|r| r.accepted && r.poster) {
        d.poster_session = Some(PosterSession {
            title: "Poster session".into(),
            ..PosterSession::default()
        });
    }
    d
}

fn slugs_a(d: &Decisions) -> BTreeSet<&str> {
    d.accepted.iter().map(|a| a.slug.as_str()).collect()
}

fn slugs_r(d: &Decisions) -> BTreeSet<&str> {
    d.rejected.iter().map(|r| r.slug.as_str()).collect()
}

/// `+2 -1` and the slugs added and removed.
fn counted(old: &BTreeSet<&str>, new: &BTreeSet<&str>) -> String {
    let added: Vec<&str> = new.difference(old).copied().collect();
    let removed: Vec<&str> = old.difference(new).copied().collect();
    let mut s = format!("{} (+{} -{})", new.len(), added.len(), removed.len());
    if !added.is_empty() {
        s.push_str(&format!("; new: {}", added.join(", ")));
    }
    if !removed.is_empty() {
        s.push_str(&format!("; no longer: {}", removed.join(", ")));
    }
    s
}

/// What publishing `new` over `old` changes, one line per kind: accepted, rejected, awards,
/// authors and poster places (`released`: to tell the posters still to be placed).
pub fn summary(old: &Decisions, new: &Decisions, released: &[Released]) -> Vec<String> {
    let mut out = vec![
        format!("accepted: {}", counted(&slugs_a(old), &slugs_a(new))),
        format!("rejected: {}", counted(&slugs_r(old), &slugs_r(new))),
    ];
    let award = |d: &Decisions, slug: &str| d.accepted(slug).and_then(|a| a.award.clone());
    let shown = |a: Option<String>| a.unwrap_or_else(|| "none".into());
    let awards: Vec<String> = new
        .accepted
        .iter()
        .filter(|a| award(old, &a.slug) != a.award)
        .map(|a| {
            format!(
                "{} {} → {}",
                a.slug,
                shown(award(old, &a.slug)),
                shown(a.award.clone())
            )
        })
        .chain(
            old.accepted
                .iter()
                .filter(|a| a.award.is_some() && new.accepted(&a.slug).is_none())
                .map(|a| format!("{} {} → not accepted", a.slug, shown(a.award.clone()))),
        )
        .collect();
    out.push(if awards.is_empty() {
        "awards: unchanged".into()
    } else {
        format!("awards changed: {}", awards.join("; "))
    });
    let authors = new
        .accepted
        .iter()
        .filter(|a| {
            old.accepted(&a.slug)
                .is_some_and(|o| o.authors != a.authors)
        })
        .count();
    if authors > 0 {
        out.push(format!(
            "authors changed on {authors} accepted submission(s)"
        ));
    }
    out.push(poster_line(old, new, released));
    out
}

fn poster_line(old: &Decisions, new: &Decisions, released: &[Released]) -> String {
    let placed = new.accepted.iter().filter(|a| a.poster.is_some()).count();
    let to_place: Vec<&str> = released
        .iter()
        .filter(|r| {
            r.accepted && r.poster && new.accepted(&r.slug).is_some_and(|a| a.poster.is_none())
        })
        .map(|r| r.slug.as_str())
        .collect();
    let dropped: Vec<&str> = old
        .accepted
        .iter()
        .filter(|a| a.poster.is_some() && new.accepted(&a.slug).is_none_or(|n| n.poster.is_none()))
        .map(|a| a.slug.as_str())
        .collect();
    let mut s = format!("poster places: {placed} kept");
    if !dropped.is_empty() {
        s.push_str(&format!(
            "; dropped (no longer presenting a poster): {}",
            dropped.join(", ")
        ));
    }
    if !to_place.is_empty() {
        s.push_str(&format!(
            "; to place by hand (`poster:` in the file): {}",
            to_place.join(", ")
        ));
    }
    s
}

/// The rejected submissions' slugs, one a line (sorted): the list the preview workflow removes
/// previews by.
pub fn rejected_previews(d: &Decisions) -> String {
    let mut out = String::from(
        "# The rejected submissions, one slug a line: their reviewers' previews are removed.\n\
         # Written by `blogtrack review publish` (docs/decisions.md).\n",
    );
    for s in slugs_r(d) {
        out.push_str(s);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decisions::{parse, write_yaml};

    fn rel(slug: &str, accepted: bool, award: Option<&str>, poster: bool) -> Released {
        Released {
            slug: slug.into(),
            accepted,
            award: award.map(str::to_string),
            poster,
            authors: vec!["Ada Author".into()],
        }
    }

    #[test]
    fn the_file_keeps_its_session_places_and_labels_the_database_the_rest() {
        let (old, diags) = parse(
            "awards:\n  best-post: Outstanding post\naccepted:\n  - slug: 2026-04-27-a\n    poster: A1\n  - slug: 2026-04-27-b\n    poster: B2\n    award: best-post\nrejected:\n  - 2026-04-27-c\nposter_session:\n  title: Posters\n  place: Hall 2\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let old = old.expect("parsed");
        let released = [
            rel("2026-04-27-a", true, Some("Best_Post"), true),
            rel("2026-04-27-b", true, None, false),
            rel("2026-04-27-d", true, Some("people"), true),
            rel("2026-04-27-c", false, None, false),
        ];
        let labels = [("people".to_string(), "People's choice".to_string())];
        let new = merge(Some(&old), &released, &labels);
        assert_eq!(new.award_label("best-post"), Some("Outstanding post"));
        assert_eq!(new.badge("2026-04-27-a"), Some("Outstanding post"));
        assert_eq!(new.badge("2026-04-27-d"), Some("People's choice"));
        assert_eq!(
            new.accepted("2026-04-27-a")
                .and_then(|a| a.poster.as_deref()),
            Some("A1")
        );
        assert_eq!(
            new.accepted("2026-04-27-b")
                .and_then(|a| a.poster.as_deref()),
            None
        );
        assert_eq!(
            new.accepted("2026-04-27-d").map(|a| a.authors.clone()),
            Some(vec!["Ada Author".to_string()])
        );
        assert_eq!(
            new.poster_session.as_ref().map(|s| s.place.as_str()),
            Some("Hall 2")
        );
        let lines = summary(&old, &new, &released);
        assert_eq!(lines[0], "accepted: 3 (+1 -0); new: 2026-04-27-d");
        assert_eq!(lines[1], "rejected: 1 (+0 -0)");
        assert_eq!(lines[2], "awards changed: 2026-04-27-a none → best-post; 2026-04-27-b best-post → none; 2026-04-27-d none → people");
        assert_eq!(lines[3], "authors changed on 2 accepted submission(s)");
        assert_eq!(lines[4], "poster places: 1 kept; dropped (no longer presenting a poster): 2026-04-27-b; to place by hand (`poster:` in the file): 2026-04-27-d");
        let text = write_yaml(&new);
        let (back, diags) = parse(&text);
        assert!(diags.is_empty(), "{diags:?}\n{text}");
        let again = merge(back.as_ref(), &released, &labels);
        assert_eq!(
            write_yaml(&again),
            text,
            "publishing twice writes the same bytes"
        );
        assert_eq!(rejected_previews(&new).lines().last(), Some("2026-04-27-c"));
    }

    #[test]
    fn a_first_publish_with_posters_gets_a_session_page() {
        let released = [
            rel("2026-04-27-a", true, None, true),
            rel("2026-04-27-z", false, None, false),
        ];
        let new = merge(None, &released, &[]);
        assert_eq!(
            new.poster_session.as_ref().map(|s| s.title.as_str()),
            Some("Poster session")
        );
        let lines = summary(&Decisions::default(), &new, &released);
        assert_eq!(lines[0], "accepted: 1 (+1 -0); new: 2026-04-27-a");
        assert_eq!(lines[1], "rejected: 1 (+1 -0); new: 2026-04-27-z");
        let new = merge(None, &[rel("2026-04-27-a", true, None, false)], &[]);
        assert!(new.poster_session.is_none());
    }
}
