//! End-to-end over the real posts of the corpus (skipped with a message when it is absent): at least
//! 99% of the expressions render, and `finish` leaves no placeholder behind.

#[path = "../examples/common/extract.rs"]
mod extract;

use blogtrack_math::MathContext;

#[test]
fn corpus_renders_at_least_99_percent() {
    let Some(root) = blogtrack_testcorpus::require("math::corpus_renders_at_least_99_percent")
    else {
        return;
    };
    let mut posts = Vec::new();
    extract::posts(&root, &mut posts);
    let (mut total, mut ok) = (0usize, 0usize);
    for post in posts {
        let text = std::fs::read_to_string(&post).unwrap_or_default();
        let mut ctx = MathContext::new();
        let mut html = String::new();
        for (tex, display) in extract::extract(&extract::body(&text)) {
            total += 1;
            if let Ok(h) = ctx.render(&tex, display) {
                ok += 1;
                html.push_str(&h);
            }
        }
        let (html, _) = ctx.finish(&html);
        assert!(
            !html.contains(|c| ('\u{E000}'..='\u{F8FF}').contains(&c)),
            "placeholder or stand-in character left in {}",
            post.display()
        );
    }
    assert!(total > 1000, "only {total} expressions found");
    assert!(ok * 100 >= total * 99, "{ok} of {total} rendered");
}
