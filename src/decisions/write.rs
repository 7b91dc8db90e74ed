//! Writing `_data/decisions.yml` (what `blogtrack review publish` puts in the track): the same
//! format [`super::parse`] reads, every free-text value double-quoted so that no title, place or
//! label can change the file's structure, entries in a stable order (accepted by award then
//! slug, rejected by slug) so that publishing twice writes the same bytes.

use super::{Decisions, DEFAULT_AWARDS};
use std::fmt::Write;

/// The file's text for `d`.
pub fn write_yaml(d: &Decisions) -> String {
    let mut out = String::from(
        "# The track's decisions, read by `blogtrack build` and `blogtrack check` (docs/decisions.md).\n\
         # Written by `blogtrack review publish`; it may be edited by hand.\n",
    );
    let custom: Vec<&(String, String)> = d
        .awards
        .iter()
        .filter(|(id, label)| !DEFAULT_AWARDS.iter().any(|(i, l)| i == id && l == label))
        .collect();
    if !custom.is_empty() {
        out.push_str("awards:\n");
        for (id, label) in custom {
            let _ = writeln!(out, "  {id}: {}", quote(label));
        }
    }
    let mut accepted: Vec<_> = d.accepted.iter().collect();
    let rank = |a: &super::Accepted| {
        a.award.as_ref().map_or(usize::MAX, |id| {
            d.awards
                .iter()
                .position(|(i, _)| i == id)
                .unwrap_or(usize::MAX - 1)
        })
    };
    accepted.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.slug.cmp(&b.slug)));
    out.push_str(if accepted.is_empty() {
        "accepted: []\n"
    } else {
        "accepted:\n"
    });
    for a in accepted {
        let _ = writeln!(out, "  - slug: {}", a.slug);
        if let Some(award) = &a.award {
            let _ = writeln!(out, "    award: {award}");
        }
        if let Some(p) = &a.poster {
            let _ = writeln!(out, "    poster: {}", quote(p));
        }
        if !a.authors.is_empty() {
            let names: Vec<String> = a.authors.iter().map(|n| quote(n)).collect();
            let _ = writeln!(out, "    authors: [{}]", names.join(", "));
        }
    }
    let mut rejected: Vec<&str> = d.rejected.iter().map(|r| r.slug.as_str()).collect();
    rejected.sort_unstable();
    out.push_str(if rejected.is_empty() {
        "rejected: []\n"
    } else {
        "rejected:\n"
    });
    for r in rejected {
        let _ = writeln!(out, "  - {r}");
    }
    if let Some(s) = &d.poster_session {
        out.push_str("poster_session:\n");
        let _ = writeln!(out, "  title: {}", quote(&s.title));
        for (k, v) in [("date", &s.date), ("place", &s.place)] {
            if !v.is_empty() {
                let _ = writeln!(out, "  {k}: {}", quote(v));
            }
        }
        if !s.schedule.is_empty() {
            out.push_str("  schedule:\n");
            for it in &s.schedule {
                let _ = writeln!(
                    out,
                    "    - time: {}\n      what: {}",
                    quote(&it.time),
                    quote(&it.what)
                );
            }
        }
    }
    out
}

/// A YAML double-quoted scalar.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::super::{parse, Accepted, PosterSession, Rejected, ScheduleItem};
    use super::*;

    #[test]
    fn what_is_written_reads_back_the_same_even_with_hostile_text() {
        let mut d = Decisions {
            awards: DEFAULT_AWARDS
                .iter()
                .map(|(a, l)| (a.to_string(), l.to_string()))
                .collect(),
            ..Decisions::default()
        };
        d.awards.push((
            "people-choice".into(),
            "People's \"choice\"\n# not a comment".into(),
        ));
        d.accepted = vec![
            Accepted {
                slug: "2025-04-28-b".into(),
                line: 0,
                ..Accepted::default()
            },
            Accepted {
                slug: "2025-04-28-a".into(),
                award: Some("best-post".into()),
                poster: Some("A: 1 # x\u{7}".into()),
                authors: vec![
                    "Jane \"JD\" Doe".into(),
                    "Zoë Ünal, Jr.".into(),
                    "[x], {y}".into(),
                ],
                line: 0,
            },
        ];
        d.rejected = vec![Rejected {
            slug: "2025-04-28-z".into(),
            line: 0,
        }];
        d.poster_session = Some(PosterSession {
            title: "Posters: {{ site.title }}".into(),
            date: "2025-04-26".into(),
            place: "Hall \\ 2".into(),
            schedule: vec![ScheduleItem {
                time: "10:00".into(),
                what: "- opening".into(),
            }],
        });
        let text = write_yaml(&d);
        let (back, diags) = parse(&text);
        assert!(diags.is_empty(), "{diags:?}\n{text}");
        let back = back.expect("parsed");
        assert_eq!(back.awards, d.awards);
        assert_eq!(back.accepted[0].slug, "2025-04-28-a", "awarded first");
        assert_eq!(back.accepted[0].poster, d.accepted[1].poster);
        assert_eq!(back.accepted[0].authors, d.accepted[1].authors);
        assert!(back.accepted[1].authors.is_empty());
        assert_eq!(back.poster_session, d.poster_session);
        assert_eq!(write_yaml(&back), text, "a second write is byte-identical");
    }
}
