//! Parsing `_data/decisions.yml` (pure: text in, [`Decisions`] and diagnostics out). Unknown
//! keys, wrong shapes, malformed or repeated slugs, a slug both accepted and rejected and an
//! unknown award are errors with the line and a fix; the file is then not used at all (a build
//! must not publish from half-read decisions).

use super::{Accepted, Decisions, PosterSession, Rejected, ScheduleItem, DEFAULT_AWARDS, PATH};
use crate::fields::did_you_mean;
use blogtrack_diag::Diagnostic;
use blogtrack_yaml::{Key, Node, Value};
use std::collections::HashMap;

const TOP_KEYS: &[&str] = &["awards", "accepted", "rejected", "poster_session"];
const ACCEPTED_KEYS: &[&str] = &["slug", "award", "poster", "authors"];
const SESSION_KEYS: &[&str] = &["title", "date", "place", "schedule"];
const ITEM_KEYS: &[&str] = &["time", "what"];

/// The decisions in `text` (the file's contents), or `None` when it has an error.
pub fn parse(text: &str) -> (Option<Decisions>, Vec<Diagnostic>) {
    let (node, warnings) = blogtrack_yaml::parse_mapping(text);
    let mut p = Parser {
        diags: warnings.into_iter().map(|d| d.in_file(PATH)).collect(),
    };
    let node = match node {
        Ok(n) => n,
        Err(d) => {
            p.diags.push(d.in_file(PATH));
            return (None, p.diags);
        }
    };
    let decisions = p.decisions(&node);
    let failed = p.diags.iter().any(Diagnostic::is_error);
    (decisions.filter(|_| !failed), p.diags)
}

struct Parser {
    diags: Vec<Diagnostic>,
}

impl Parser {
    fn error(&mut self, code: &'static str, line: u32, col: u32, msg: String, hint: &str) {
        let d = Diagnostic::error(code, msg).in_file(PATH).at(line, col);
        self.diags.push(if hint.is_empty() {
            d
        } else {
            d.with_hint(hint.to_string())
        });
    }

    /// Reports the keys of `node` (a map) that are not in `known`; returns its entries.
    fn entries<'n>(&mut self, node: &'n Node, known: &[&str], what: &str) -> &'n [(Key, Node)] {
        let Some(map) = node.as_map() else {
            self.error(
                "decisions-shape",
                node.line,
                node.col,
                format!(
                    "{what} must be a map of `key: value` lines, found {}",
                    node.type_name()
                ),
                &format!("write its keys one per line: {}", known.join(", ")),
            );
            return &[];
        };
        for (k, _) in map {
            if !known.contains(&k.name.as_str()) {
                let hint = match did_you_mean(&k.name, known) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the keys of {what} are: {}", known.join(", ")),
                };
                self.error(
                    "decisions-unknown-key",
                    k.line,
                    k.col,
                    format!("unknown key `{}` in {what}", k.name),
                    &hint,
                );
            }
        }
        map
    }

    /// A scalar as text (`None` and an error for a list or map).
    fn text(&mut self, node: &Node, what: &str) -> Option<String> {
        match &node.value {
            Value::Seq(_) | Value::Map(_) => {
                self.error(
                    "decisions-shape",
                    node.line,
                    node.col,
                    format!("{what} must be a single value, found {}", node.type_name()),
                    "write it on the same line as its key",
                );
                None
            }
            _ => node.to_text().map(|s| s.trim().to_string()),
        }
    }

    fn list<'n>(&mut self, node: &'n Node, what: &str, example: &str) -> &'n [Node] {
        if node.is_null() {
            return &[];
        }
        match node.as_seq() {
            Some(s) => s,
            None => {
                self.error(
                    "decisions-shape",
                    node.line,
                    node.col,
                    format!("`{what}` must be a list, found {}", node.type_name()),
                    &format!("write one `- {example}` line per entry"),
                );
                &[]
            }
        }
    }

    fn decisions(&mut self, root: &Node) -> Option<Decisions> {
        let map = self.entries(root, TOP_KEYS, "_data/decisions.yml");
        let mut d = Decisions {
            awards: DEFAULT_AWARDS
                .iter()
                .map(|(a, l)| (a.to_string(), l.to_string()))
                .collect(),
            ..Decisions::default()
        };
        for (k, v) in map {
            match k.name.as_str() {
                "awards" => self.awards(v, &mut d.awards),
                "poster_session" if !v.is_null() => d.poster_session = self.session(v),
                _ => {}
            }
        }
        if let Some(v) = root.get("accepted") {
            for n in self.list(v, "accepted", "slug: 2025-04-28-name") {
                if let Some(a) = self.accepted(n, &d.awards) {
                    d.accepted.push(a);
                }
            }
        }
        if let Some(v) = root.get("rejected") {
            for n in self.list(v, "rejected", "2025-04-28-name") {
                if let Some(slug) = self.text(n, "a rejected slug") {
                    if self.slug_ok(&slug, n) {
                        d.rejected.push(Rejected { slug, line: n.line });
                    }
                }
            }
        }
        self.duplicates(&d);
        Some(d)
    }

    fn awards(&mut self, node: &Node, awards: &mut Vec<(String, String)>) {
        let Some(map) = node.as_map() else {
            if !node.is_null() {
                self.error(
                    "decisions-shape",
                    node.line,
                    node.col,
                    format!(
                        "`awards` must be a map of `id: label`, found {}",
                        node.type_name()
                    ),
                    "write e.g. `best-post: Outstanding blog post`",
                );
            }
            return;
        };
        for (k, v) in map {
            let Some(label) = self.text(v, "an award's label") else {
                continue;
            };
            if !is_id(&k.name) || label.is_empty() {
                self.error(
                    "decisions-award",
                    k.line,
                    k.col,
                    format!("`{}: {label}` is not an award", k.name),
                    "write `id: Label` with a lowercase id of letters, digits and hyphens (`best-post: Best post`)",
                );
                continue;
            }
            match awards.iter_mut().find(|(a, _)| *a == k.name) {
                Some(entry) => entry.1 = label,
                None => awards.push((k.name.clone(), label)),
            }
        }
    }

    fn accepted(&mut self, n: &Node, awards: &[(String, String)]) -> Option<Accepted> {
        if !matches!(n.value, Value::Map(_)) {
            let slug = self.text(n, "an accepted entry")?;
            return self.slug_ok(&slug, n).then(|| Accepted {
                slug,
                line: n.line,
                ..Accepted::default()
            });
        }
        let map = self.entries(n, ACCEPTED_KEYS, "an accepted entry");
        let mut a = Accepted {
            line: n.line,
            ..Accepted::default()
        };
        for (k, v) in map {
            if k.name == "authors" {
                a.authors = self.authors(v);
                continue;
            }
            let value = match k.name.as_str() {
                "slug" | "award" | "poster" => self.text(v, &format!("`{}`", k.name)),
                _ => None,
            };
            let value = value.filter(|s| !s.is_empty());
            match k.name.as_str() {
                "slug" => a.slug = value.unwrap_or_default(),
                "award" => a.award = value,
                "poster" => a.poster = value,
                _ => {}
            }
        }
        if a.slug.is_empty() {
            self.error(
                "decisions-shape",
                n.line,
                n.col,
                "this accepted entry has no `slug`".into(),
                "write `- slug: 2025-04-28-name` (the post's file name without `.md`)",
            );
            return None;
        }
        if !self.slug_ok(&a.slug, n.get("slug").unwrap_or(n)) {
            return None;
        }
        if let Some(award) = &a.award {
            if !awards.iter().any(|(id, _)| id == award) {
                let ids: Vec<&str> = awards.iter().map(|(id, _)| id.as_str()).collect();
                let hint = match did_you_mean(award, &ids) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "the awards are: {}; add others under `awards:` with their label",
                        ids.join(", ")
                    ),
                };
                let at = n.get("award").unwrap_or(n);
                self.error(
                    "decisions-award",
                    at.line,
                    at.col,
                    format!("unknown award `{award}`"),
                    &hint,
                );
                return None;
            }
        }
        Some(a)
    }

    /// `authors: ["Jane Doe", "Ravi Rao"]` (or one `- name` line each): the names, in order.
    fn authors(&mut self, node: &Node) -> Vec<String> {
        if !node.is_null() && node.as_seq().is_none() {
            self.error(
                "decisions-shape",
                node.line,
                node.col,
                format!(
                    "`authors` must be a list of names, found {}",
                    node.type_name()
                ),
                "write `authors: [\"Jane Doe\", \"Ravi Rao\"]`",
            );
            return Vec::new();
        }
        let mut names = Vec::new();
        for n in self.list(node, "authors", "Jane Doe") {
            match self.text(n, "an author's name") {
                Some(name) if !name.is_empty() => names.push(name),
                Some(_) => self.error(
                    "decisions-shape",
                    n.line,
                    n.col,
                    "an author without a name".into(),
                    "write the author's name, or remove the empty entry",
                ),
                None => {}
            }
        }
        names
    }

    fn session(&mut self, n: &Node) -> Option<PosterSession> {
        let map = self.entries(n, SESSION_KEYS, "`poster_session`");
        if map.is_empty() {
            return None;
        }
        let mut s = PosterSession::default();
        for (k, v) in map {
            match k.name.as_str() {
                "title" => s.title = self.text(v, "`title`").unwrap_or_default(),
                "date" => s.date = self.text(v, "`date`").unwrap_or_default(),
                "place" => s.place = self.text(v, "`place`").unwrap_or_default(),
                "schedule" => {
                    for item in self.list(v, "schedule", "time: \"10:00\"") {
                        let fields = self.entries(item, ITEM_KEYS, "a schedule entry");
                        let mut it = ScheduleItem::default();
                        for (ik, iv) in fields {
                            let text = self.text(iv, &format!("`{}`", ik.name));
                            match ik.name.as_str() {
                                "time" => it.time = text.unwrap_or_default(),
                                "what" => it.what = text.unwrap_or_default(),
                                _ => {}
                            }
                        }
                        if !fields.is_empty() {
                            s.schedule.push(it);
                        }
                    }
                }
                _ => {}
            }
        }
        if s.title.is_empty() {
            s.title = "Poster session".into();
        }
        Some(s)
    }

    /// Whether `slug` is a post's file stem (`YYYY-MM-DD-name`, lowercase); an error if not.
    fn slug_ok(&mut self, slug: &str, at: &Node) -> bool {
        let name_ok = crate::model::parse_post_file_name(&format!("{slug}.md")).is_some()
            && slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !name_ok {
            let lower = slug.trim().to_lowercase();
            let file = lower.rsplit('/').next().unwrap_or(&lower);
            let stem = file.trim_end_matches(".md").replace([' ', '_'], "-");
            self.error(
                "decisions-slug",
                at.line,
                at.col,
                format!("`{slug}` is not a post's slug"),
                &format!(
                    "write the post's file name without `.md`, e.g. `{stem}` for _posts/{stem}.md"
                ),
            );
        }
        name_ok
    }

    fn duplicates(&mut self, d: &Decisions) {
        let mut seen: HashMap<&str, u32> = HashMap::new();
        for (slug, line) in d
            .accepted
            .iter()
            .map(|a| (a.slug.as_str(), a.line))
            .chain(d.rejected.iter().map(|r| (r.slug.as_str(), r.line)))
        {
            if let Some(first) = seen.insert(slug, line) {
                let both = d.accepted(slug).is_some() && d.is_rejected(slug);
                let msg = if both {
                    format!("`{slug}` is both accepted and rejected (also on line {first})")
                } else {
                    format!("`{slug}` is listed twice (also on line {first})")
                };
                self.error(
                    "decisions-duplicate",
                    line,
                    1,
                    msg,
                    "keep one entry per submission",
                );
            }
        }
    }
}

/// An award id: lowercase letters, digits and hyphens.
fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        let (d, diags) = parse(text);
        assert!(d.is_none(), "{text}: parsed despite errors");
        diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| {
                format!(
                    "{}:{} {} ({})",
                    d.line,
                    d.code,
                    d.message,
                    d.hint.clone().unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn a_full_file_parses_with_awards_posters_and_the_session() {
        let text = "awards:\n  runner-up: Honourable mention\n  people-choice: People's choice\naccepted:\n  - slug: 2025-04-28-a\n    award: best-post\n    poster: A1\n  - 2025-04-28-b\n  - slug: 2025-04-28-c\n    award: people-choice\nrejected:\n  - 2025-04-28-d\nposter_session:\n  title: Posters\n  date: 2025-04-26 10:00\n  place: Hall 2\n  schedule:\n    - time: \"10:00\"\n      what: Opening\n";
        let (d, diags) = parse(text);
        assert!(diags.is_empty(), "{diags:?}");
        let d = d.expect("parsed");
        assert_eq!(d.accepted.len(), 3);
        assert_eq!(d.accepted[0].poster.as_deref(), Some("A1"));
        assert!(d.accepted[0].authors.is_empty());
        assert_eq!(d.accepted[1].line, 8);
        assert_eq!(d.badge("2025-04-28-a"), Some("Best post"));
        assert_eq!(d.badge("2025-04-28-b"), None);
        assert_eq!(d.badge("2025-04-28-c"), Some("People's choice"));
        assert_eq!(d.award_label("runner-up"), Some("Honourable mention"));
        assert!(d.is_rejected("2025-04-28-d"));
        let s = d.poster_session.expect("session");
        assert_eq!(
            (s.title.as_str(), s.date.as_str(), s.place.as_str()),
            ("Posters", "2025-04-26 10:00", "Hall 2")
        );
        assert_eq!(s.schedule[0].what, "Opening");
    }

    #[test]
    fn an_unknown_key_names_its_line_and_the_key_it_resembles() {
        let e = errors("accepted:\n  - slug: 2025-04-28-a\n    awrd: best-post\n");
        assert_eq!(e, ["3:decisions-unknown-key unknown key `awrd` in an accepted entry (did you mean `award`?)"]);
        let e = errors("acepted: []\n");
        assert!(
            e[0].starts_with("1:decisions-unknown-key") && e[0].contains("`accepted`"),
            "{e:?}"
        );
    }

    #[test]
    fn an_unknown_award_suggests_the_configured_one() {
        let e = errors("accepted:\n  - slug: 2025-04-28-a\n    award: best-posts\n");
        assert_eq!(
            e,
            ["3:decisions-award unknown award `best-posts` (did you mean `best-post`?)"]
        );
    }

    #[test]
    fn malformed_repeated_and_contradictory_slugs_are_errors() {
        let e = errors("accepted:\n  - _posts/2025-04-28-My_Post.md\n");
        assert!(
            e[0].contains("decisions-slug") && e[0].contains("`2025-04-28-my-post`"),
            "{e:?}"
        );
        let e = errors("accepted:\n  - 2025-04-28-a\n  - 2025-04-28-a\n");
        assert_eq!(e, ["3:decisions-duplicate `2025-04-28-a` is listed twice (also on line 2) (keep one entry per submission)"]);
        let e = errors("accepted:\n  - 2025-04-28-a\nrejected:\n  - 2025-04-28-a\n");
        assert!(
            e[0].starts_with("4:decisions-duplicate")
                && e[0].contains("both accepted and rejected"),
            "{e:?}"
        );
    }

    #[test]
    fn wrong_shapes_say_what_was_expected() {
        let e = errors("accepted: 2025-04-28-a\n");
        assert!(e[0].contains("`accepted` must be a list, found"), "{e:?}");
        let e = errors("accepted:\n  - award: best-post\n");
        assert!(e[0].contains("has no `slug`"), "{e:?}");
        let e = errors("- 2025-04-28-a\n");
        assert!(e[0].contains("yaml-not-a-map"), "{e:?}");
    }

    #[test]
    fn authors_are_a_list_of_names_flow_or_block() {
        let text = "accepted:\n  - slug: 2025-04-28-a\n    authors: [\"Jane Doe\", \"Zoë Ünal\"]\n  - slug: 2025-04-28-b\n    authors:\n      - Ravi Rao\n";
        let (d, diags) = parse(text);
        assert!(diags.is_empty(), "{diags:?}");
        let d = d.expect("parsed");
        assert_eq!(d.accepted[0].authors, ["Jane Doe", "Zoë Ünal"]);
        assert_eq!(d.accepted[1].authors, ["Ravi Rao"]);
        let e = errors("accepted:\n  - slug: 2025-04-28-a\n    authors: Jane Doe\n");
        assert!(
            e[0].starts_with("3:decisions-shape") && e[0].contains("list of names"),
            "{e:?}"
        );
        let e = errors("accepted:\n  - slug: 2025-04-28-a\n    authors: [\"\"]\n");
        assert!(e[0].contains("without a name"), "{e:?}");
    }

    #[test]
    fn an_empty_file_decides_nothing() {
        let (d, diags) = parse("");
        assert!(diags.is_empty());
        assert!(!d.expect("parsed").restricts_posts());
    }
}
