//! BibTeX: lenient parsing, then every accessor and both reference formats of every entry.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (bib, _) = blogtrack_bib::parse(text);
    for e in bib.iter() {
        let _ = (
            e.title(),
            e.authors(),
            e.year(),
            e.venue(),
            e.doi(),
            e.arxiv_id(),
            e.link(),
        );
        let _ = e.format_html_with(&mut |tex| blogtrack_bib::default_math_html(tex));
        let _ = e.format_text();
    }
});
