//! Identity leaks in the text of a submission under review: author and affiliation names in the
//! front matter, e-mail addresses, links to personal profiles, absolute paths of the authors'
//! machines (`/Users/name/`, `/home/name/`, `C:\Users\name\`), an acknowledgements section, and
//! the `authors` entries of notebook and SVG metadata.
//!
//! The scan is tuned for precision: a false alarm on a clean submission costs a reviewer's
//! trust, so only patterns that identify a person are errors. Links to a bare GitHub, X/Twitter
//! or LinkedIn profile in the body are warnings (they often point to other people's work);
//! repositories, tweets and homepages are not flagged at all, because the scanner cannot tell
//! whose they are. Template placeholders (`Anonymous`, the Einstein–Podolsky–Rosen example
//! authors) and tool names (Matplotlib in SVG metadata) are not leaks. The scan is line based
//! and linear in the input; it does not parse YAML or HTML.

use blogtrack_diag::{Diagnostic, LineIndex};

use crate::escape::display_path;

/// What the text is, which decides the structure-specific checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// A post in Markdown (front matter + body).
    Markdown,
    /// An HTML post or an interactive figure under `assets/html/`.
    Html,
    /// A Jupyter notebook (JSON).
    Notebook,
    /// An SVG image.
    Svg,
}

/// Values of author, url and affiliation fields that do not identify anyone (compared
/// lowercased and trimmed; anything containing `anonymous` is one too).
const PLACEHOLDERS: [&str; 17] = [
    "",
    "anon",
    "author",
    "authors",
    "name",
    "your name",
    "author name",
    "null",
    "none",
    "~",
    "-",
    "#",
    "tbd",
    "na",
    "n/a",
    "n.a.",
    "affiliation",
];

/// The sample authors the track's template ships with (Einstein, Podolsky and Rosen of the
/// Distill example): their names, Wikipedia URLs (without scheme) and affiliation.
const SAMPLE_AUTHORS: [&str; 7] = [
    "albert einstein",
    "boris podolsky",
    "nathan rosen",
    "ias, princeton",
    "en.wikipedia.org/wiki/albert_einstein",
    "en.wikipedia.org/wiki/boris_podolsky",
    "en.wikipedia.org/wiki/nathan_rosen",
];

/// What an author, url or affiliation value of the front matter says about the authors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorValue {
    /// Blank, `Anonymous` in any case, `N/A` and the like.
    Placeholder,
    /// One of the template's sample authors (or their URL or affiliation), left in.
    Sample,
    /// Anything else: it may name the authors.
    Identifying,
}

/// Classifies one value of `name:`, `url:` or `affiliations:` in the front matter.
pub fn classify_author_value(value: &str) -> AuthorValue {
    let v = value
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .trim()
        .to_lowercase();
    let bare = v
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_start_matches("www.")
        .trim_end_matches('/');
    // Template placeholders (`Your Name`, `Your Institution`, `https://your.page`: what the
    // scaffold's commented-out camera-ready example says) name no one either.
    let template = v.starts_with("your ") || bare.starts_with("your.");
    if v.contains("anonymous") || PLACEHOLDERS.contains(&v.as_str()) || template {
        AuthorValue::Placeholder
    } else if SAMPLE_AUTHORS.contains(&bare) {
        AuthorValue::Sample
    } else {
        AuthorValue::Identifying
    }
}

fn is_placeholder(value: &str) -> bool {
    classify_author_value(value) != AuthorValue::Identifying
}

/// User names that appear in paths without identifying anyone.
const GENERIC_USERS: [&str; 21] = [
    "user",
    "anonymous",
    "username",
    "runner",
    "ubuntu",
    "jovyan",
    "root",
    "name",
    "me",
    "you",
    "yourname",
    "your_name",
    "your-name",
    "shared",
    "public",
    "default",
    "admin",
    "vagrant",
    "ec2-user",
    "guest",
    "<user>",
];

/// Path segments after a profile host that are site pages, not people.
const SITE_PAGES: [&str; 24] = [
    "orgs",
    "features",
    "topics",
    "sponsors",
    "about",
    "marketplace",
    "settings",
    "login",
    "join",
    "explore",
    "search",
    "pricing",
    "enterprise",
    "collections",
    "trending",
    "intent",
    "share",
    "home",
    "hashtag",
    "i",
    "notifications",
    "messages",
    "events",
    "site",
];

/// Scans `text` for likely identity leaks. Lines and columns are relative to `text`; the caller
/// attaches the file. Only meaningful during the review phase (after acceptance the authors are
/// named on purpose).
pub fn scan_text_for_identity(text: &str, kind: TextKind) -> Vec<Diagnostic> {
    let ix = LineIndex::new(text);
    let at = |offset: usize, d: Diagnostic| {
        let (l, c) = ix.line_col(text, offset);
        d.at(l, c)
    };
    let mut out = Vec::new();
    let mut skip = 0..0;
    if matches!(kind, TextKind::Markdown | TextKind::Html) {
        if let Some(range) = authors_block(text) {
            out.extend(
                scan_authors(text, range.clone())
                    .into_iter()
                    .map(|(o, d)| at(o, d)),
            );
            skip = range;
        }
        out.extend(acknowledgements(text).into_iter().map(|(o, d)| at(o, d)));
        out.extend(
            commented_front_matter(text)
                .into_iter()
                .map(|(o, d)| at(o, d)),
        );
        out.extend(html_comments(text).into_iter().map(|(o, d)| at(o, d)));
    }
    if kind == TextKind::Notebook {
        out.extend(notebook_authors(text).into_iter().map(|(o, d)| at(o, d)));
    }
    if kind == TextKind::Svg {
        out.extend(svg_creators(text).into_iter().map(|(o, d)| at(o, d)));
    }
    let outside_authors = |o: &usize| !skip.contains(o);
    let third_party = if kind == TextKind::Html {
        third_party_code(text)
    } else {
        Vec::new()
    };
    out.extend(
        emails(text)
            .into_iter()
            .filter(|(o, _)| outside_authors(o))
            .filter(|(o, _)| !third_party.iter().any(|r| r.contains(o)))
            .map(|(o, d)| at(o, d)),
    );
    out.extend(local_paths(text).into_iter().map(|(o, d)| at(o, d)));
    if matches!(kind, TextKind::Markdown | TextKind::Html) {
        out.extend(
            profile_links(text)
                .into_iter()
                .filter(|(o, _)| outside_authors(o))
                .map(|(o, d)| at(o, d)),
        );
    }
    out.sort_by_key(|d| (d.line, d.col));
    out
}

/// Lines of `text` with their byte offsets.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |l| {
        let start = offset;
        offset += l.len();
        (start, l.trim_end_matches(['\n', '\r']))
    })
}

/// Byte range of the `authors:` block of the front matter, if there is one.
fn authors_block(text: &str) -> Option<std::ops::Range<usize>> {
    let fm = front_matter(text)?;
    let mut start = None;
    for (o, line) in lines(&text[fm.clone()]) {
        let o = o + fm.start;
        let top = !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty();
        match start {
            None if top && (line.starts_with("authors:") || line.starts_with("author:")) => {
                start = Some(o)
            }
            Some(s) if top => return Some(s..o),
            _ => {}
        }
    }
    start.map(|s| s..fm.end)
}

/// Value of `key: value` on a line (after an optional list dash), without quotes or comment.
fn key_value<'a>(line: &'a str, key: &str) -> Option<(usize, &'a str)> {
    let trimmed = line.trim_start();
    let trimmed = trimmed
        .strip_prefix("- ")
        .map(str::trim_start)
        .unwrap_or(trimmed);
    let rest = trimmed.strip_prefix(key)?.strip_prefix(':')?;
    let lead = line.len() - rest.len();
    let value = rest.trim();
    let value = match value.find(" #") {
        Some(i) if !value.starts_with(['"', '\'']) => value[..i].trim_end(),
        _ => value,
    };
    let value = value.trim_matches(|c| c == '"' || c == '\'').trim();
    let col = lead + rest.find(|c: char| !c.is_whitespace()).unwrap_or(0);
    Some((col, value))
}

fn scan_authors(text: &str, range: std::ops::Range<usize>) -> Vec<(usize, Diagnostic)> {
    let mut out = Vec::new();
    let block = text.get(range.clone()).unwrap_or("");
    let mut aff_indent: Option<usize> = None;
    let mut author_named = false;
    for (o, line) in lines(block) {
        let o = o + range.start;
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start_matches([' ', '-']).len();
        if aff_indent.is_some_and(|a| indent <= a) {
            aff_indent = None;
        }
        if line.trim_start().starts_with("- ") && aff_indent.is_none() {
            author_named = false;
        }
        if let Some((col, v)) =
            key_value(line, "affiliations").or_else(|| key_value(line, "affiliation"))
        {
            if !v.is_empty() && !is_placeholder(v) {
                out.push((o + col, leak("anon-affiliation", "affiliation", v)));
            }
            aff_indent = Some(indent);
            continue;
        }
        if let Some((col, v)) = key_value(line, "name") {
            if is_placeholder(v) {
                continue;
            }
            if aff_indent.is_some() {
                out.push((o + col, leak("anon-affiliation", "affiliation", v)));
            } else {
                author_named = true;
                out.push((o + col, leak("anon-author", "author", v)));
            }
            continue;
        }
        if let Some((col, v)) = key_value(line, "url") {
            let lower = v.to_lowercase();
            let harmless =
                is_placeholder(v) || lower.contains("wikipedia.org") || lower.contains("example.");
            if !harmless && !author_named {
                out.push((
                    o + col,
                    Diagnostic::error(
                        "anon-author",
                        format!("an author's url `{}` may identify them", display_path(v)),
                    )
                    .with_hint(
                        "remove the url from `authors` during review (keep `- name: Anonymous`)",
                    ),
                ));
            }
            continue;
        }
        if let Some(col) = line.find("authors:").or_else(|| line.find("author:")) {
            let v = line[col..]
                .split_once(':')
                .map(|(_, v)| v.trim())
                .unwrap_or("");
            let v = v.trim_matches(|c| c == '"' || c == '\'');
            if !v.is_empty() && !v.starts_with('[') && !is_placeholder(v) {
                out.push((o + col, leak("anon-author", "author", v)));
            }
        }
    }
    out
}

fn leak(code: &'static str, what: &str, value: &str) -> Diagnostic {
    Diagnostic::error(code, format!("the front matter names an {what}: `{}`", display_path(value))).with_hint(
        "during review list the authors as `- name: Anonymous` and leave out affiliations and urls; \
         restore them for the camera-ready version",
    )
}

/// Byte range of the front matter's YAML (between the `---` lines), if the text has one.
fn front_matter(text: &str) -> Option<std::ops::Range<usize>> {
    let body = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let bom = text.len() - body.len();
    let mut it = lines(body);
    let (_, first) = it.next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let start = first.len() + usize::from(body[first.len()..].starts_with("\r\n")) + 1;
    for (o, line) in it {
        if line.trim_end() == "---" || line.trim_end() == "..." {
            return Some(bom + start.min(o)..bom + o);
        }
    }
    None
}

/// Keys of one author entry: what a commented-out author line carries.
const AUTHOR_KEYS: [&str; 5] = ["name", "url", "affiliations", "affiliation", "email"];

/// A YAML-looking `key: value` line of an authors list (`- name: Jane Doe`, `url: …`,
/// `affiliations: MIT`, `author: Jane Doe`) whose value may identify someone: the column of the
/// value and the value.
fn author_line(line: &str) -> Option<(usize, &str)> {
    let keys = AUTHOR_KEYS.iter().chain(["authors", "author"].iter());
    let (col, v) = keys.filter_map(|k| key_value(line, k)).next()?;
    let lower = v.to_lowercase();
    let harmless = v.starts_with(['[', '{'])
        || is_placeholder(v)
        || lower.contains("wikipedia.org")
        || lower.contains("example.");
    (!harmless).then_some((col, v))
}

/// Commented-out lines of the front matter's authors (`#   - name: Jane Doe`): invisible on
/// the page, public in the pull request. A comment line belongs to the authors when the last
/// top-level key above it (written or itself commented out) is `authors:` or `author:`, so a
/// commented-out `toc` entry's `- name:` is not mistaken for one.
fn commented_front_matter(text: &str) -> Vec<(usize, Diagnostic)> {
    let mut out = Vec::new();
    let Some(range) = front_matter(text) else {
        return out;
    };
    let mut in_authors = false;
    for (o, line) in lines(&text[range.clone()]) {
        let o = o + range.start;
        let Some(content) = line.trim_start().strip_prefix('#') else {
            if !line.starts_with([' ', '\t', '-']) && !line.trim().is_empty() {
                in_authors = line.starts_with("authors:") || line.starts_with("author:");
            }
            continue;
        };
        let content = content.trim_start_matches('#');
        let lead = line.len() - content.len();
        let t = content.trim();
        let key = t.split_once(':').map(|(k, _)| k.trim());
        let top_key = key.filter(|k| {
            !t.starts_with('-')
                && !AUTHOR_KEYS.contains(k)
                && !k.is_empty()
                && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if let Some(k) = top_key {
            in_authors = k == "authors" || k == "author";
        }
        if !in_authors && top_key.is_none() {
            continue;
        }
        if let Some((col, v)) = author_line(content) {
            out.push((
                o + lead + col,
                Diagnostic::error(
                    "anon-comment",
                    format!(
                        "a commented-out line of the front matter names an author: `{}`",
                        display_path(v)
                    ),
                )
                .with_hint(
                    "comments do not show on the page but are public in the pull request: \
                     delete the line during review",
                ),
            ));
        }
    }
    out
}

/// Author lines (`name:`, `url:`, `affiliations:`, `author:`) inside HTML comments of the body
/// (outside code fences): hidden on the page, public in the pull request.
fn html_comments(text: &str) -> Vec<(usize, Diagnostic)> {
    let mut out = Vec::new();
    let body_start = front_matter(text).map_or(0, |r| r.end);
    let fences = fenced_ranges(text);
    let mut from = body_start;
    while let Some(i) = text[from..].find("<!--") {
        let start = from + i + 4;
        let end = text[start..].find("-->").map_or(text.len(), |e| start + e);
        from = (end + 3).min(text.len());
        if fences.iter().any(|r| r.contains(&start)) {
            continue;
        }
        for (o, line) in lines(&text[start..end]) {
            if let Some((col, v)) = author_line(line) {
                out.push((
                    start + o + col,
                    Diagnostic::error(
                        "anon-comment",
                        format!(
                            "an HTML comment in the post names an author: `{}`",
                            display_path(v)
                        ),
                    )
                    .with_hint(
                        "comments do not show on the page but are public in the pull request: \
                         delete the comment during review",
                    ),
                ));
            }
        }
        if from >= text.len() {
            break;
        }
    }
    out
}

/// Byte ranges of fenced code blocks (```` ``` ```` or `~~~`).
fn fenced_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (o, line) in lines(text) {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            match open.take() {
                Some(s) => out.push(s..o + line.len()),
                None => open = Some(o),
            }
        }
    }
    if let Some(s) = open {
        out.push(s..text.len());
    }
    out
}

/// Longest line of script code that is still somebody's source rather than a minified bundle.
const MINIFIED_LINE: usize = 1000;

/// Byte ranges of third-party code in an HTML file, whose e-mail addresses belong to a
/// library's authors, not the post's: comment blocks that are licence or `@author` banners
/// (`/*! … */`, or a `/* … */` naming `@license`, `@preserve`, `@author`, `Copyright` or
/// `Licensed`), and the lines of a `<script>` longer than [`MINIFIED_LINE`] characters
/// (a minified bundle such as plotly, decimal.js or Fraction.js pasted into a figure).
fn third_party_code(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("/*") {
        let start = from + i;
        let end = text[start + 2..]
            .find("*/")
            .map_or(text.len(), |e| start + 2 + e + 2);
        let block = text[start..end].to_ascii_lowercase();
        if block.starts_with("/*!")
            || ["@license", "@preserve", "@author", "copyright", "licensed"]
                .iter()
                .any(|m| block.contains(m))
        {
            out.push(start..end);
        }
        from = end;
        if from >= text.len() {
            break;
        }
    }
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<script") {
        let start = from + i;
        let end = lower[start..]
            .find("</script")
            .map_or(text.len(), |e| start + e);
        for (o, line) in lines(&text[start..end]) {
            if line.len() > MINIFIED_LINE {
                out.push(start + o..start + o + line.len());
            }
        }
        from = end.max(start + 7);
        if from >= text.len() {
            break;
        }
    }
    out
}

fn acknowledgements(text: &str) -> Vec<(usize, Diagnostic)> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for (o, line) in lines(text) {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let heading = if let Some(h) = t.strip_prefix('#') {
            Some(h.trim_start_matches('#').trim())
        } else if t.len() > 3
            && t.as_bytes()[0] == b'<'
            && t[1..].to_ascii_lowercase().starts_with('h')
        {
            let b = t.as_bytes();
            if b.len() > 3 && (b'1'..=b'6').contains(&b[2]) {
                t.find('>').map(|i| t[i + 1..].trim())
            } else {
                None
            }
        } else {
            t.strip_prefix("**").or_else(|| t.strip_prefix("__"))
        };
        let Some(h) = heading else { continue };
        let lower = h.to_lowercase();
        if lower.starts_with("acknowledgement") || lower.starts_with("acknowledgment") {
            out.push((
                o + (line.len() - t.len()),
                // A warning, not an error: the heading alone names no one, and what it thanks
                // (a course, a funder, colleagues) often does not identify the authors either;
                // names in it that do are caught by the author and profile rules.
                Diagnostic::warning(
                    "anon-acknowledgements",
                    "an acknowledgements section can identify the authors",
                )
                .with_hint("remove it during review and add it back in the camera-ready version"),
            ));
        }
    }
    out
}

fn email_local(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"._%+-".contains(&c)
}

fn email_domain(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'.' || c == b'-'
}

/// Top-level "domains" that are really file extensions (`figure@2x.png`).
const FILE_TLDS: [&str; 14] = [
    "png", "jpg", "jpeg", "gif", "svg", "webp", "pdf", "html", "js", "css", "py", "md", "json",
    "mp4",
];

fn emails(text: &str) -> Vec<(usize, Diagnostic)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let mut s = at;
        while s > 0 && email_local(b[s - 1]) {
            s -= 1;
        }
        let mut e = at + 1;
        while e < b.len() && email_domain(b[e]) {
            e += 1;
        }
        while e > at + 1 && matches!(b[e - 1], b'.' | b'-') {
            e -= 1;
        }
        let local = &text[s..at];
        let domain = &text[at + 1..e];
        let Some((_, tld)) = domain.rsplit_once('.') else {
            continue;
        };
        let lower = domain.to_ascii_lowercase();
        let local_lower = local.to_ascii_lowercase();
        let preceded_by_url = s > 0 && b[s - 1] == b'/';
        if local.is_empty()
            || local.starts_with('.')
            || tld.len() < 2
            || !tld.bytes().all(|c| c.is_ascii_alphabetic())
            || FILE_TLDS.contains(&tld.to_ascii_lowercase().as_str())
            || preceded_by_url
            || [
                "example.com",
                "example.org",
                "example.net",
                "users.noreply.github.com",
            ]
            .iter()
            .any(|d| lower == *d || lower.ends_with(&format!(".{d}")))
            || [
                "git",
                "noreply",
                "no-reply",
                "name",
                "user",
                "username",
                "email",
                "your.name",
                "yourname",
            ]
            .contains(&local_lower.as_str())
        {
            continue;
        }
        out.push((
            s,
            Diagnostic::error(
                "anon-email",
                format!("e-mail address `{}`", display_path(&text[s..e])),
            )
            .with_hint("remove e-mail addresses during review: they identify the authors"),
        ));
    }
    out
}

/// Absolute paths of personal machines (`/Users/jane/`, `/home/jdoe/`, `C:\\Users\\Jane\\`,
/// also JSON-escaped and as `file://` URLs): the start of each path and the byte range of its
/// user name, in text order. Generic accounts (`/home/user/`, `/home/runner/`) are skipped.
pub(crate) fn personal_paths(text: &str) -> Vec<(usize, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    for pattern in [
        "/Users/",
        "/home/",
        "\\Users\\",
        "\\\\Users\\\\",
        ":/Users/",
    ] {
        for (i, _) in text.match_indices(pattern) {
            if pattern == "/Users/" && i > 0 && b[i - 1] == b':' {
                continue;
            }
            if pattern == "\\Users\\" && i > 0 && b[i - 1] == b'\\' {
                continue;
            }
            let start = if pattern.starts_with(':') {
                if i == 0 || !b[i - 1].is_ascii_alphabetic() {
                    continue;
                }
                i - 1
            } else if pattern.starts_with('\\') {
                if i < 2 || b[i - 1] != b':' || !b[i - 2].is_ascii_alphabetic() {
                    continue;
                }
                i - 2
            } else {
                i
            };
            let file_url = start >= 7 && b[start - 7..start].eq_ignore_ascii_case(b"file://");
            if start > 0
                && !file_url
                && (b[start - 1].is_ascii_alphanumeric() || b".-_~/%".contains(&b[start - 1]))
            {
                continue;
            }
            let token_start = text[..start]
                .rfind(|c: char| c.is_whitespace() || "\"'(<>[=`".contains(c))
                .map_or(0, |p| p + 1);
            let token = &text[token_start..start];
            if !file_url && (token.contains("://") || token.contains("//")) {
                continue;
            }
            let name_start = i + pattern.len();
            let name_end = text[name_start..]
                .find(|c: char| !(c.is_alphanumeric() || "._-".contains(c)))
                .map_or(text.len(), |e| name_start + e);
            let name = &text[name_start..name_end];
            let sep_follows = text[name_end..].starts_with(['/', '\\']);
            let lower = name.to_lowercase();
            if name.is_empty()
                || !sep_follows
                || GENERIC_USERS.contains(&lower.as_str())
                || name.starts_with('.')
            {
                continue;
            }
            out.push((start, name_start..name_end));
        }
    }
    out.sort_by_key(|(o, _)| *o);
    out.dedup_by_key(|(o, _)| *o);
    out
}

fn local_paths(text: &str) -> Vec<(usize, Diagnostic)> {
    let mut out: Vec<(usize, Diagnostic)> = personal_paths(text)
        .into_iter()
        .map(|(start, name)| {
            let shown = display_path(&text[start..name.end + 1]);
            (
                start,
                Diagnostic::error("anon-local-path", format!("absolute path of a personal machine `{shown}…`"))
                    .with_hint("remove local paths (they contain your user name): use paths relative to the post, or re-export the figure"),
            )
        })
        .collect();
    // One report per user name is enough to find them all.
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|(_, d)| seen.insert(d.message.clone()));
    out
}

fn profile_links(text: &str) -> Vec<(usize, Diagnostic)> {
    let mut out = Vec::new();
    let lower = text.to_ascii_lowercase();
    for host in [
        "github.com/",
        "twitter.com/",
        "x.com/",
        "linkedin.com/in/",
        "gitlab.com/",
    ] {
        for (i, _) in lower.match_indices(host) {
            let before = &lower[..i];
            let scheme = before.ends_with("://") || before.ends_with("://www.");
            if !scheme {
                continue;
            }
            let line_start = text[..i].rfind('\n').map_or(0, |p| p + 1);
            if text[line_start..i].contains("{% twitter") {
                continue;
            }
            let name_start = i + host.len();
            let name_end = text[name_start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .map_or(text.len(), |e| name_start + e);
            let name = &text[name_start..name_end];
            let rest = &text[name_end..];
            let rest = rest.strip_prefix('/').unwrap_or(rest);
            // Sentence punctuation may follow the link (`github.com/janedoe.`): a `.`, `:` or
            // `!` ends it when nothing but more punctuation or a space comes after.
            let after_punct = rest.trim_start_matches(['.', ':', '!', '*', '_', '`']);
            let ends_here = rest.is_empty()
                || rest.starts_with(|c: char| c.is_whitespace() || "\"')>]?#,;".contains(c))
                || (after_punct.len() < rest.len()
                    && (after_punct.is_empty()
                        || after_punct
                            .starts_with(|c: char| c.is_whitespace() || "\"')>]<,;".contains(c))));
            if name.is_empty()
                || !ends_here
                || SITE_PAGES.contains(&name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            let url_start = before
                .rfind(|c: char| c.is_whitespace() || "\"'(<[=".contains(c))
                .map_or(0, |p| p + 1);
            out.push((
                url_start,
                Diagnostic::warning(
                    "anon-profile-link",
                    format!(
                        "link to the personal profile `{}{}`",
                        host,
                        display_path(name)
                    ),
                )
                .with_hint(
                    "if this profile is yours or a co-author's, remove the link during review",
                ),
            ));
        }
    }
    out
}

fn notebook_authors(text: &str) -> Vec<(usize, Diagnostic)> {
    let mut out = Vec::new();
    for key in ["\"authors\"", "\"author\""] {
        for (i, _) in text.match_indices(key) {
            let rest = text[i + key.len()..].trim_start();
            let Some(value) = rest.strip_prefix(':').map(str::trim_start) else {
                continue;
            };
            let empty =
                value.starts_with("[]") || value.starts_with("\"\"") || value.starts_with("null");
            let anonymous = value
                .get(..value.len().min(200))
                .is_some_and(|v| v.to_lowercase().contains("anonymous"));
            if !empty && !anonymous {
                out.push((
                    i,
                    Diagnostic::error(
                        "anon-notebook-metadata",
                        "the notebook metadata lists authors",
                    )
                    .with_hint("clear the notebook's `authors` metadata during review"),
                ));
            }
        }
    }
    out
}

fn svg_creators(text: &str) -> Vec<(usize, Diagnostic)> {
    let mut out = Vec::new();
    for tag in ["dc:creator", "dc:rights", "dc:publisher"] {
        let open = format!("<{tag}>");
        let close = format!("</{tag}>");
        for (i, _) in text.match_indices(&open) {
            let inner_start = i + open.len();
            let Some(len) = text[inner_start..].find(&close) else {
                continue;
            };
            let inner = strip_tags(&text[inner_start..inner_start + len.min(4096)]);
            let lower = inner.to_lowercase();
            if inner.is_empty()
                || is_placeholder(&inner)
                || [
                    "matplotlib",
                    "inkscape",
                    "http",
                    "plotly",
                    "graphviz",
                    "tikz",
                    "draw.io",
                    "diagrams.net",
                    "adobe",
                    "generated",
                ]
                .iter()
                .any(|t| lower.contains(t))
            {
                continue;
            }
            out.push((
                i,
                Diagnostic::error(
                    "anon-image-metadata",
                    format!(
                        "the SVG metadata names a person: {tag} `{}`",
                        display_path(&inner)
                    ),
                )
                .with_hint(
                    "remove the <metadata> element (or its dc:creator) from the SVG during review",
                ),
            ));
        }
    }
    out
}

/// Text content of an XML fragment (the one `strip_tags`: every element separates words,
/// references decoded, whitespace collapsed).
pub(crate) use blogtrack_escape::strip_tags;

#[cfg(test)]
mod tests;
