//! Fragments the pipeline puts inside bodies: organizer cards (`people_horizontal.html`) and
//! static tweet cards (`{% twitter %}`).
//!
//! Tweet cards are links, not embeds: the build has no network and pages load no third-party
//! script, so the card names the account and links to the post.

use crate::html::{attr, esc, maybe_link, safe_url};

/// An organizer card: photo, name (linked when `url` is given) and affiliation. It is a column
/// of its parent `.row`, as the old include was.
pub fn people_card(
    name: &str,
    affiliation: &str,
    url: Option<&str>,
    img_href: Option<&str>,
) -> String {
    let mut out = String::with_capacity(256 + name.len() + affiliation.len());
    out.push_str("<div class=\"col person\">");
    if let Some(src) = img_href.filter(|s| !s.trim().is_empty()) {
        out.push_str("<img class=\"person-photo\"");
        attr(&mut out, "src", src);
        out.push_str(" alt=\"\" width=\"72\" height=\"72\" loading=\"lazy\" decoding=\"async\">");
    }
    out.push_str("<div class=\"person-text\">");
    maybe_link(&mut out, name, url, Some("person-name"));
    if !affiliation.trim().is_empty() {
        out.push_str("<span class=\"person-affiliation\">");
        esc(&mut out, affiliation.trim());
        out.push_str("</span>");
    }
    out.push_str("</div></div>");
    out
}

/// A static card linking to a tweet (or a timeline). `user` defaults to the account in the URL.
pub fn twitter_card(url: &str, user: Option<&str>) -> String {
    let from_url = account_in_url(url);
    let user = user
        .map(|u| u.trim().trim_start_matches('@'))
        .filter(|u| !u.is_empty())
        .or(from_url.0);
    let is_status = from_url.1;
    let mut out = String::with_capacity(384 + 2 * url.len());
    out.push_str("<figure class=\"tweet-card\"><blockquote class=\"tweet-card-body\">");
    out.push_str("<p class=\"tweet-card-head\"><span class=\"tweet-card-logo\" aria-hidden=\"true\">𝕏</span>");
    match user {
        Some(u) => {
            out.push_str(if is_status {
                "A post by <strong>@"
            } else {
                "Posts by <strong>@"
            });
            esc(&mut out, u);
            out.push_str("</strong>");
        }
        None => out.push_str(if is_status { "A post" } else { "Posts" }),
    }
    out.push_str(" on X (Twitter)</p>");
    match safe_url(url) {
        Some(href) => {
            out.push_str("<p class=\"tweet-card-link\"><a");
            attr(&mut out, "href", href);
            out.push_str(" rel=\"noopener\">");
            out.push_str(if is_status {
                "Read the post on X"
            } else {
                "See the account on X"
            });
            out.push_str(" ↗</a></p>");
        }
        None => {
            out.push_str("<p class=\"tweet-card-link\">");
            esc(&mut out, url);
            out.push_str("</p>");
        }
    }
    out.push_str("</blockquote></figure>");
    out
}

/// The account name in `https://twitter.com/<user>/status/<n>` (or x.com), and whether the URL
/// names a single post.
fn account_in_url(url: &str) -> (Option<&str>, bool) {
    let rest = url.trim().split_once("://").map_or(url, |(_, r)| r);
    let mut parts = rest.split(['/', '?', '#']);
    let _host = parts.next();
    let user = parts
        .next()
        .filter(|u| !u.is_empty() && u.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    let is_status = parts.next() == Some("status");
    (user, is_status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_card_links_the_name_and_escapes_text() {
        let html = people_card(
            "Gauthier Gidel",
            "Mila, Université de Montréal",
            Some("https://gauthiergidel.github.io/"),
            Some("/2023/assets/img/organizers/gg.jpg"),
        );
        assert_eq!(
            html,
            "<div class=\"col person\"><img class=\"person-photo\" src=\"/2023/assets/img/organizers/gg.jpg\" alt=\"\" width=\"72\" height=\"72\" loading=\"lazy\" decoding=\"async\"><div class=\"person-text\"><a class=\"person-name\" href=\"https://gauthiergidel.github.io/\">Gauthier Gidel</a><span class=\"person-affiliation\">Mila, Université de Montréal</span></div></div>"
        );
    }

    #[test]
    fn person_card_without_url_shows_the_name_as_text() {
        let html = people_card("David \"D\" Dobre", "Mila", Some(""), None);
        assert!(html.contains("<span class=\"person-name\">David &quot;D&quot; Dobre</span>"));
        assert!(!html.contains("<img"));
    }

    #[test]
    fn tweet_card_names_the_account_from_the_url() {
        let html = twitter_card(
            "https://twitter.com/rubygems/status/518821243320287232",
            None,
        );
        assert!(html.contains("A post by <strong>@rubygems</strong>"));
        assert!(html.contains("href=\"https://twitter.com/rubygems/status/518821243320287232\""));
        assert!(!html.contains("<script"));
    }

    #[test]
    fn timeline_card_and_hostile_url() {
        let html = twitter_card("https://twitter.com/jekyllrb", None);
        assert!(html.contains("Posts by <strong>@jekyllrb</strong>"));
        let html = twitter_card("javascript:alert(\"x\")", Some("<b>"));
        assert!(!html.contains("href="));
        assert!(html.contains("@&lt;b&gt;"));
        assert!(html.contains("javascript:alert(&quot;x&quot;)"));
    }
}
