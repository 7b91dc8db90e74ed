//! Whole-page tests: the shell (head, navigation, dark mode), the small layouts, and the
//! stylesheet's colour tokens (WCAG AA contrast in both themes).

use super::*;
use crate::view::{NavChild, NavItem, PageView, SiteView};

fn site() -> SiteView {
    SiteView {
        title: "ICLR Blogposts 2024".into(),
        description: "Home to the 2024 ICLR Blogposts track".into(),
        lang: "en".into(),
        home_href: "/2024/".into(),
        absolute_root: "https://iclr-blogposts.github.io/2024".into(),
        nav: vec![
            NavItem {
                title: "about".into(),
                href: "/2024/about/".into(),
                active: true,
                children: vec![],
            },
            NavItem {
                title: "other iterations".into(),
                href: String::new(),
                active: false,
                children: vec![
                    NavChild::Link {
                        title_html: "<strong>2024</strong>".into(),
                        href: "https://iclr-blogposts.github.io/2024/".into(),
                    },
                    NavChild::Divider,
                    NavChild::Link {
                        title_html: "2023".into(),
                        href: "https://iclr-blogposts.github.io/2023/".into(),
                    },
                ],
            },
        ],
        footer_html: "Powered by <a href=\"https://example.org\">x</a>.".into(),
        icon_href: Some("/2024/assets/img/iclr_favicon.ico".into()),
        feed_href: "/2024/feed.xml".into(),
        css_href: "/2024/assets/theme.abc.css".into(),
        js_href: "/2024/assets/theme.abc.js".into(),
        dark_mode: true,
        max_width: Some("1000px".into()),
        generator: "blogtrack 0.1.0".into(),
        ..SiteView::default()
    }
}

#[test]
fn shell_links_one_stylesheet_and_a_deferred_script() {
    let html = page(
        &site(),
        &PageView {
            title: "about".into(),
            ..PageView::default()
        },
    );
    assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">"));
    assert_eq!(html.matches("rel=\"stylesheet\"").count(), 1);
    assert!(html.contains("<script defer src=\"/2024/assets/theme.abc.js\"></script>"));
    assert!(html.contains("<title>about | ICLR Blogposts 2024</title>"));
    assert!(html.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"ICLR Blogposts 2024\" href=\"/2024/feed.xml\">"));
    assert!(html.contains("<style>:root{--page:1000px}</style>"));
    assert!(html.contains("<a class=\"skip-link\" href=\"#bt-main\">Skip to content</a>"));
    assert!(html.contains("<main id=\"bt-main\" class=\"page\">"));
    assert!(html.contains("<footer class=\"site-footer\"><div class=\"site-footer-inner\">Powered by <a href=\"https://example.org\">x</a>. Built with blogtrack.</div></footer>"));
    assert!(!html.contains("noindex"));
}

#[test]
fn theme_is_set_before_paint_and_the_toggle_only_shows_with_js() {
    let html = page(&site(), &PageView::default());
    let boot = html
        .find("localStorage.getItem('theme')")
        .unwrap_or(usize::MAX);
    assert!(boot < html.find("</head>").unwrap_or(0));
    assert!(html.contains("<button class=\"theme-toggle\" type=\"button\" hidden"));
}

#[test]
fn without_dark_mode_the_page_is_light_and_has_no_toggle() {
    let mut s = site();
    s.dark_mode = false;
    let html = page(&s, &PageView::default());
    assert!(html.contains("<html lang=\"en\" data-theme=\"light\">"));
    assert!(!html.contains("theme-toggle"));
    assert!(!html.contains("localStorage"));
}

#[test]
fn nav_marks_the_current_page_and_builds_a_details_dropdown() {
    let html = page(&site(), &PageView::default());
    assert!(html.contains("<li><a href=\"/2024/about/\" aria-current=\"page\">about</a></li>"));
    assert!(html.contains(
        "<li class=\"dropdown\"><details><summary>other iterations</summary>\n<ul class=\"dropdown-menu\">\n\
<li><a href=\"https://iclr-blogposts.github.io/2024/\"><strong>2024</strong></a></li>\n\
<li class=\"divider\" role=\"separator\"></li>\n\
<li><a href=\"https://iclr-blogposts.github.io/2023/\">2023</a></li>\n</ul></details></li>"
    ));
}

#[test]
fn about_page_is_titled_with_the_site_title() {
    let html = page(
        &site(),
        &PageView {
            title: "about".into(),
            is_about: true,
            body_html: "<p>Hi</p>".into(),
            ..PageView::default()
        },
    );
    assert!(html.contains("<h1>ICLR Blogposts 2024</h1><p class=\"page-description\">Home to the 2024 ICLR Blogposts track</p>"));
    assert!(html.contains("<div class=\"prose\">\n<p>Hi</p>\n</div>"));
}

#[test]
fn hostile_site_values_are_escaped_in_head_and_header() {
    let mut s = site();
    s.title = "A \"site\" </title><script>x</script>".into();
    s.lang = "en\" onload=\"x".into();
    s.max_width = Some("1px}body{display:none".into());
    let html = not_found(&s);
    assert!(html.contains("<html lang=\"en&quot; onload=&quot;x\">"));
    assert!(html.contains("<title>Page not found | A &quot;site&quot; &lt;/title&gt;&lt;script&gt;x&lt;/script&gt;</title>"));
    assert!(!html.contains("--page"));
    assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
}

#[test]
fn noindex_site_marks_every_page() {
    let mut s = site();
    s.noindex = true;
    assert!(page(&s, &PageView::default()).contains("<meta name=\"robots\" content=\"noindex\">"));
}

#[test]
fn redirect_refreshes_and_names_its_target() {
    let html = redirect("/2024/about/?a=1&b=\"2\"");
    assert!(html.contains(
        "<meta http-equiv=\"refresh\" content=\"0; url=/2024/about/?a=1&amp;b=&quot;2&quot;\">"
    ));
    assert!(html.contains("<link rel=\"canonical\" href=\"/2024/about/?a=1&amp;b=&quot;2&quot;\">"));
    assert!(html.contains("<a href=\"/2024/about/?a=1&amp;b=&quot;2&quot;\">"));
}

#[test]
fn assets_stay_within_the_weight_budget() {
    let total = stylesheet().len() + script().len();
    // The theme's share of the 150 KB page budget (issue 8): styles, the script with search,
    // hover cards, zoom and copy buttons, and (issue 17, ~10 KB) the containment of authors'
    // content: scoped styles, wide content, iframes, dark figures; the post's HTML gets the rest.
    assert!(total < 56 * 1024, "CSS + JS is {total} bytes");
    assert!(
        !stylesheet().contains("http://") && !stylesheet().contains("https://"),
        "no external resources"
    );
    assert!(
        !script().contains("http://") && !script().contains("https://"),
        "no external resources"
    );
}

/// The custom properties (`--name: #rrggbb;`) declared in the first rule whose selector is
/// exactly `selector`.
fn tokens(selector: &str) -> Vec<(String, [u8; 3])> {
    let selector = selector.trim();
    let css = stylesheet();
    let start = css
        .find(&format!("{selector} {{"))
        .unwrap_or_else(|| panic!("no rule {selector}"));
    let body = &css[start..];
    let body = &body[body.find('{').unwrap_or(0) + 1..body.find('}').unwrap_or(0)];
    body.split(';')
        .filter_map(|decl| {
            let (name, value) = decl.split_once(':')?;
            let hex = value.trim().strip_prefix('#')?;
            let n = u32::from_str_radix(hex, 16)
                .ok()
                .filter(|_| hex.len() == 6)?;
            Some((
                name.trim().to_string(),
                [(n >> 16) as u8, (n >> 8) as u8, n as u8],
            ))
        })
        .collect()
}

fn luminance(rgb: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
}

fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn check_aa(selector: &str) {
    let toks = tokens(selector);
    let get = |name: &str| {
        toks.iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| *c)
            .unwrap_or_else(|| panic!("{selector} lacks {name}"))
    };
    for fg in ["--fg", "--muted", "--link"] {
        for bg in ["--bg", "--subtle-bg", "--code-bg", "--card-bg"] {
            let ratio = contrast(get(fg), get(bg));
            assert!(
                ratio >= 4.5,
                "{selector}: {fg} on {bg} is {ratio:.2}:1, below AA"
            );
        }
    }
}

#[test]
fn contrast_formula_matches_known_values() {
    assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
    assert!((contrast([0x76, 0x76, 0x76], [255, 255, 255]) - 4.54).abs() < 0.01);
}

#[test]
fn light_theme_text_and_links_meet_aa() {
    check_aa(":root");
}

#[test]
fn dark_theme_text_and_links_meet_aa() {
    check_aa("html[data-theme=\"dark\"]");
}

#[test]
fn system_dark_and_chosen_dark_use_the_same_tokens() {
    assert_eq!(
        tokens("  html:not([data-theme=\"light\"])"),
        tokens("html[data-theme=\"dark\"]")
    );
    assert!(tokens("html[data-theme=\"dark\"]").len() >= 9);
}

/// Regression (issue 17): the footer still said "Powered by Jekyll with al-folio theme".
#[test]
fn footer_names_blogtrack_instead_of_jekyll() {
    let mut s = site();
    s.footer_html = "Powered by <a href=\"https://jekyllrb.com/\">Jekyll</a> with <a href=\"https://github.com/alshedivat/al-folio\">al-folio</a> theme. Hosted by GitHub Pages.".into();
    let html = crate::page(&s, &crate::view::PageView::default());
    assert!(html.contains(
        "<div class=\"site-footer-inner\">Built with blogtrack. Hosted by GitHub Pages.</div>"
    ));
    assert!(!html.contains("Jekyll"));
}
