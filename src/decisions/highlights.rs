//! What the site shows of the decisions: the HTML of the includes organizers put in their pages
//! (`{% include decisions/highlights.html %}`: the awards and a link to the poster session;
//! `{% include decisions/accepted.html %}`: every accepted post), the body of the
//! poster-session page, and `site.data.decisions` for pages that lay it out themselves. All of it
//! is static HTML (readable without JavaScript); every text from the file or a post is escaped.

use super::{Accepted, Decisions};
use crate::config::Config;
use crate::html::{attr, escape};
use crate::model::{Post, Track};
use blogtrack_liquid::{Object, Value};
use std::collections::HashMap;
use std::fmt::Write;

/// Site URL of the poster-session page (registered in the build's `UrlTable` when the file has
/// a `poster_session`).
pub const POSTER_URL: &str = "/poster-session/";

/// The includes this module answers, by name.
pub const INCLUDES: &[&str] = &["decisions/highlights.html", "decisions/accepted.html"];

/// The decisions joined with the track's posts, ready to show.
pub struct Shown<'t> {
    decisions: &'t Decisions,
    config: &'t Config,
    posts: HashMap<&'t str, &'t Post>,
}

impl<'t> Shown<'t> {
    pub fn new(decisions: &'t Decisions, track: &'t Track) -> Self {
        Shown {
            decisions,
            config: &track.config,
            posts: track
                .posts
                .iter()
                .map(|p| (p.file_stem.as_str(), p))
                .collect(),
        }
    }

    /// The accepted entries whose post is in the track, awarded first (in the order of the
    /// awards), then by the posts' titles.
    fn entries(&self) -> Vec<(&'t Accepted, &'t Post)> {
        let d = self.decisions;
        let mut v: Vec<_> = d
            .accepted
            .iter()
            .filter_map(|a| Some((a, *self.posts.get(a.slug.as_str())?)))
            .collect();
        let rank = |a: &Accepted| {
            a.award.as_ref().map_or(usize::MAX, |id| {
                d.awards
                    .iter()
                    .position(|(i, _)| i == id)
                    .unwrap_or(usize::MAX)
            })
        };
        v.sort_by(|(a, p), (b, q)| {
            rank(a).cmp(&rank(b)).then_with(|| {
                p.meta
                    .title
                    .to_lowercase()
                    .cmp(&q.meta.title.to_lowercase())
            })
        });
        v
    }

    /// The HTML of the include `name` (one of [`INCLUDES`]).
    pub fn include(&self, name: &str) -> Option<String> {
        match name {
            "decisions/highlights.html" => Some(self.highlights()),
            "decisions/accepted.html" => Some(self.accepted_list(false)),
            _ => None,
        }
    }

    fn highlights(&self) -> String {
        let entries = self.entries();
        let mut out = String::from("<section class=\"decisions-highlights\">\n");
        for (id, label) in &self.decisions.awards {
            let winners: Vec<_> = entries
                .iter()
                .filter(|(a, _)| a.award.as_deref() == Some(id.as_str()))
                .collect();
            if winners.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "<h3 class=\"award-heading\">{}</h3>\n<ul class=\"award-list\">",
                escape(label)
            );
            for (_, p) in winners {
                out.push_str("<li>");
                self.post_line(&mut out, p);
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n");
        }
        let n = entries.len();
        let _ = write!(
            out,
            "<p class=\"decisions-count\">{n} blog post{} accepted",
            if n == 1 { " was" } else { "s were" }
        );
        if self.decisions.poster_session.is_some() {
            let _ = write!(
                out,
                "; they are presented at the <a href=\"{}\">poster session</a>",
                attr(&self.config.relative_url(POSTER_URL))
            );
        }
        out.push_str(".</p>\n</section>\n");
        out
    }

    /// Every accepted post: badge, title linked, authors; with `placement`, the poster's place.
    fn accepted_list(&self, placement: bool) -> String {
        let mut out = String::from("<ul class=\"decisions-accepted\">\n");
        for (a, p) in self.entries() {
            out.push_str("<li>");
            if placement {
                if let Some(place) = &a.poster {
                    let _ = write!(
                        out,
                        "<span class=\"poster-place\">{}</span> ",
                        escape(place)
                    );
                }
            }
            if let Some(label) = a
                .award
                .as_deref()
                .and_then(|id| self.decisions.award_label(id))
            {
                out.push_str(&badge_html(label));
                out.push(' ');
            }
            self.post_line(&mut out, p);
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
        out
    }

    fn post_line(&self, out: &mut String, p: &Post) {
        let _ = write!(
            out,
            "<a href=\"{}\">{}</a>",
            attr(&self.config.relative_url(&p.url)),
            escape(&p.meta.title)
        );
        let authors = authors(p);
        if !authors.is_empty() {
            let _ = write!(
                out,
                " <span class=\"decisions-authors\">{}</span>",
                escape(&authors)
            );
        }
    }

    /// The body of the poster-session page: when and where, the schedule, and the posters.
    pub fn poster_page_body(&self) -> Option<String> {
        let s = self.decisions.poster_session.as_ref()?;
        let mut out = String::from("<div class=\"poster-session\">\n<dl class=\"poster-when\">");
        for (k, v) in [("When", &s.date), ("Where", &s.place)] {
            if !v.is_empty() {
                let _ = write!(out, "<dt>{k}</dt><dd>{}</dd>", escape(v));
            }
        }
        out.push_str("</dl>\n");
        if !s.schedule.is_empty() {
            out.push_str("<h2 id=\"schedule\">Schedule</h2>\n<table class=\"poster-schedule\"><thead><tr><th scope=\"col\">Time</th><th scope=\"col\">What</th></tr></thead><tbody>\n");
            for it in &s.schedule {
                let _ = writeln!(
                    out,
                    "<tr><td>{}</td><td>{}</td></tr>",
                    escape(&it.time),
                    escape(&it.what)
                );
            }
            out.push_str("</tbody></table>\n");
        }
        out.push_str("<h2 id=\"posters\">Posters</h2>\n");
        out.push_str(&self.accepted_list(true));
        out.push_str("</div>\n");
        Some(out)
    }

    /// `site.data.decisions`: `accepted` (slug, title, url, authors, award, award_label,
    /// poster), `rejected` (slugs), `awards` (id → label), `poster_session` (title, date, place,
    /// url, schedule of time/what).
    pub fn liquid_value(&self) -> Value {
        let s = |v: &str| Value::Str(v.to_string());
        let mut o = Object::new();
        let accepted = self
            .entries()
            .into_iter()
            .map(|(a, p)| {
                let mut e = Object::new();
                e.insert("slug".into(), s(&a.slug));
                e.insert("title".into(), s(&p.meta.title));
                e.insert("url".into(), s(&p.url));
                e.insert("authors".into(), s(&authors(p)));
                e.insert("award".into(), s(a.award.as_deref().unwrap_or("")));
                let label = a
                    .award
                    .as_deref()
                    .and_then(|id| self.decisions.award_label(id));
                e.insert("award_label".into(), s(label.unwrap_or("")));
                e.insert("poster".into(), s(a.poster.as_deref().unwrap_or("")));
                Value::Object(e)
            })
            .collect();
        o.insert("accepted".into(), Value::Array(accepted));
        let rejected = self.decisions.rejected.iter().map(|r| s(&r.slug)).collect();
        o.insert("rejected".into(), Value::Array(rejected));
        let mut awards = Object::new();
        for (id, label) in &self.decisions.awards {
            awards.insert(id.clone(), s(label));
        }
        o.insert("awards".into(), Value::Object(awards));
        if let Some(ps) = &self.decisions.poster_session {
            let mut p = Object::new();
            for (k, v) in [
                ("title", &ps.title),
                ("date", &ps.date),
                ("place", &ps.place),
            ] {
                p.insert(k.into(), s(v));
            }
            p.insert("url".into(), s(POSTER_URL));
            let items = ps
                .schedule
                .iter()
                .map(|it| {
                    let mut i = Object::new();
                    i.insert("time".into(), s(&it.time));
                    i.insert("what".into(), s(&it.what));
                    Value::Object(i)
                })
                .collect();
            p.insert("schedule".into(), Value::Array(items));
            o.insert("poster_session".into(), Value::Object(p));
        }
        Value::Object(o)
    }
}

/// The award badge shown on index cards, post pages and the decisions' lists.
pub fn badge_html(label: &str) -> String {
    format!("<span class=\"award-badge\">{}</span>", escape(label))
}

fn authors(p: &Post) -> String {
    p.meta
        .authors
        .iter()
        .map(|a| a.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
