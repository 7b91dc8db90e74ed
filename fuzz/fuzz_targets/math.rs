//! TeX to MathML: expressions separated by NUL bytes are rendered through one `MathContext`
//! (so macros defined by one apply to the next, as in a post); the first byte of each chooses
//! inline or display. Then equation references are resolved.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common/converter_panics.rs"]
mod converter_panics;

fuzz_target!(|data: &[u8]| {
    converter_panics::contain();
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut ctx = blogtrack_math::MathContext::new();
    let mut html = String::new();
    for expr in text.split('\0') {
        let display = expr.starts_with('D');
        match ctx.render(expr, display) {
            Ok(h) => html.push_str(&h),
            Err(_) => html.push_str(&blogtrack_math::fallback_html(expr, display)),
        }
    }
    let _ = ctx.finish(&html);
});
