//! The table of contents from `toc:` in front matter, linked to the headings it names.
//!
//! The old site linked `#{{ name | slugify }}`, which missed kramdown's ids for about a tenth of
//! entries. Here an entry is matched to a heading by comparing their *texts* after normalisation
//! (case, punctuation, spacing, typographic quotes), never by a second slug algorithm; an entry
//! that names no heading is a warning that suggests the closest heading.

use crate::fields::edit_distance;
use crate::meta::TocItem;
use blogtrack_diag::Diagnostic;
use blogtrack_markdown::Heading;
use blogtrack_theme::view::TocEntry;

/// Lowercase letters and digits only, with runs of anything else folded to one space.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in crate::html::decode_entities(s).chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

/// Links each entry to a heading; returns the entries and warnings (lines relative to the file,
/// given `yaml_shift`, the line offset of the front matter in the file).
pub fn build_toc(
    items: &[TocItem],
    headings: &[Heading],
    yaml_shift: u32,
) -> (Vec<TocEntry>, Vec<Diagnostic>) {
    let norm: Vec<String> = headings.iter().map(|h| normalize(&h.text)).collect();
    let mut used = vec![false; headings.len()];
    let mut diags = Vec::new();
    let entries = link(items, headings, &norm, &mut used, &mut diags, yaml_shift);
    (entries, diags)
}

fn link(
    items: &[TocItem],
    headings: &[Heading],
    norm: &[String],
    used: &mut [bool],
    diags: &mut Vec<Diagnostic>,
    shift: u32,
) -> Vec<TocEntry> {
    let mut out: Vec<TocEntry> = Vec::with_capacity(items.len());
    for item in items {
        if item.name.trim().is_empty() {
            // `- subsections:` written as an entry of its own: the author meant the subsections
            // of the entry above.
            let children = link(&item.subsections, headings, norm, used, diags, shift);
            let d = Diagnostic::warning(
                "toc-entry-no-name",
                "a table of contents entry has no `name`",
            )
            .at(item.line + shift, 0);
            match out.last_mut() {
                Some(prev) if !children.is_empty() => {
                    diags.push(d.with_hint(
                        "indent `subsections:` under the entry above it, without a `-` of its own",
                    ));
                    prev.children.extend(children);
                }
                _ => diags.push(d.with_hint("give the entry a `name` that repeats a heading")),
            }
            continue;
        }
        let n = normalize(&item.name);
        let href = match find_heading(&n, headings, norm, used) {
            Found::Exact(i) => {
                used[i] = true;
                Some(format!("#{}", headings[i].id))
            }
            Found::Near(i) => {
                used[i] = true;
                diags.push(
                    Diagnostic::warning(
                        "toc-near-match",
                        format!(
                            "table of contents entry `{}` differs from the heading `{}`; linked to it",
                            item.name, headings[i].text
                        ),
                    )
                    .at(item.line + shift, 0)
                    .with_hint("make the entry's `name` repeat the heading exactly"),
                );
                Some(format!("#{}", headings[i].id))
            }
            Found::None if REFERENCE_NAMES.contains(&n.as_str()) => {
                Some("#bt-references".to_string())
            }
            Found::None => {
                let mut d = Diagnostic::warning(
                    "toc-no-heading",
                    format!(
                        "table of contents entry `{}` names no heading of the post",
                        item.name
                    ),
                )
                .at(item.line + shift, 0);
                let closest = headings
                    .iter()
                    .zip(norm)
                    .map(|(h, hn)| (edit_distance(&n, hn), h))
                    .min_by_key(|(d, _)| *d);
                d = match closest {
                    Some((dist, h)) if dist <= n.len().max(4) / 2 => d.with_hint(format!(
                        "the closest heading is `{}`: make the entry's `name` match it exactly",
                        h.text
                    )),
                    _ => d.with_hint("each `name` in `toc` must repeat a section heading's text"),
                };
                diags.push(d);
                None
            }
        };
        out.push(TocEntry {
            title: item.name.clone(),
            href,
            children: link(&item.subsections, headings, norm, used, diags, shift),
        });
    }
    out
}

/// Entries that name the appendix the theme adds, not a heading of the body.
const REFERENCE_NAMES: &[&str] = &["references", "bibliography", "citations"];

enum Found {
    Exact(usize),
    Near(usize),
    None,
}

/// Same text (first unused, else any); else the one heading whose text starts with the entry's
/// words or whose id is the entry's legacy slug; else one heading within a few typos.
fn find_heading(n: &str, headings: &[Heading], norm: &[String], used: &[bool]) -> Found {
    let all = 0..headings.len();
    if let Some(i) = all
        .clone()
        .find(|&i| !used[i] && norm[i] == n)
        .or_else(|| all.clone().find(|&i| norm[i] == n))
    {
        return Found::Exact(i);
    }
    if n.is_empty() {
        return Found::None;
    }
    let slug = n.replace(' ', "-");
    if let Some(i) = all.clone().find(|&i| headings[i].id == slug) {
        return Found::Exact(i);
    }
    let prefixed: Vec<usize> = all
        .clone()
        .filter(|&i| {
            !used[i] && norm[i].starts_with(n) && norm[i].as_bytes().get(n.len()) == Some(&b' ')
        })
        .collect();
    if prefixed.len() == 1 {
        return Found::Exact(prefixed[0]);
    }
    // Every word of the entry in the heading, in any order ("Meta-learning and Meta-RL" for
    // "Meta-RL and Meta-learning", "Fundamental pipeline of GIAs" for "... attacks (GIAs)").
    let words: Vec<&str> = n.split(' ').collect();
    if words.len() >= 2 {
        let subset: Vec<usize> = all
            .clone()
            .filter(|&i| !used[i])
            .filter(|&i| {
                let hw: Vec<&str> = norm[i].split(' ').collect();
                words.iter().all(|w| hw.contains(w))
            })
            .collect();
        if subset.len() == 1 {
            return Found::Near(subset[0]);
        }
    }
    let budget = (n.chars().count() / 6).max(1);
    let near: Vec<(usize, usize)> = all
        .filter(|&i| !used[i])
        .map(|i| (edit_distance(n, &norm[i]), i))
        .filter(|(d, _)| *d <= budget)
        .collect();
    match near.iter().min_by_key(|(d, _)| *d) {
        Some((d, i)) if near.iter().filter(|(e, _)| e == d).count() == 1 => Found::Near(*i),
        _ => Found::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(text: &str, id: &str) -> Heading {
        Heading {
            level: 2,
            id: id.into(),
            text: text.into(),
            line: 1,
        }
    }

    fn item(name: &str) -> TocItem {
        TocItem {
            name: name.into(),
            line: 3,
            subsections: vec![],
        }
    }

    #[test]
    fn matches_by_text_not_slug() {
        let hs = vec![
            h("What’s new & why?", "whats-new--why"),
            h("Results 🚀", "results-"),
        ];
        let (toc, d) = build_toc(&[item("What's new & why?"), item("Results")], &hs, 10);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(toc[0].href.as_deref(), Some("#whats-new--why"));
        assert_eq!(toc[1].href.as_deref(), Some("#results-"));
    }

    #[test]
    fn unmatched_entry_warns_with_closest_heading() {
        let hs = vec![h("Experimental Results on Images", "experimental-results")];
        let (toc, d) = build_toc(&[item("Experiment Results on Text")], &hs, 10);
        assert!(toc[0].href.is_none());
        assert_eq!(d[0].line, 13);
        assert!(d[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("Experimental Results on Images"));
    }

    #[test]
    fn near_miss_links_with_a_warning_and_prefix_links_silently() {
        let hs = vec![
            h("Estimating the CLML via Laplace Approximation", "a"),
            h("Empirical Evidence of Double Descent", "b"),
        ];
        let (toc, d) = build_toc(
            &[
                item("Estimating the CLML via the Laplace Approximation"),
                item("Empirical Evidence"),
            ],
            &hs,
            0,
        );
        assert_eq!(toc[0].href.as_deref(), Some("#a"));
        assert_eq!(toc[1].href.as_deref(), Some("#b"));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "toc-near-match");
    }

    #[test]
    fn nameless_entry_with_subsections_joins_the_entry_above() {
        let hs = vec![h("Intro", "intro"), h("Detail", "detail")];
        let mut holder = item("");
        holder.subsections = vec![item("Detail")];
        let (toc, d) = build_toc(&[item("Intro"), holder], &hs, 0);
        assert_eq!(toc.len(), 1);
        assert_eq!(toc[0].children[0].href.as_deref(), Some("#detail"));
        assert_eq!(d[0].code, "toc-entry-no-name");
    }

    #[test]
    fn duplicate_titles_link_in_order() {
        let hs = vec![h("Setup", "setup"), h("Setup", "setup-1")];
        let (toc, _) = build_toc(&[item("Setup"), item("Setup")], &hs, 0);
        assert_eq!(toc[1].href.as_deref(), Some("#setup-1"));
    }
}
