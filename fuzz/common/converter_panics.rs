//! Panics raised inside the math converter (`math-core`) are contained by design:
//! `MathContext::render` runs the converter under `catch_unwind` and turns a panic into a math
//! error that the post shows as TeX with a warning, so such a panic never crashes a build.
//!
//! libFuzzer's panic hook aborts on every panic, caught or not. Fuzz builds also turn on
//! `math-core`'s debug-only assertions, which release builds (what users run) compile out. This
//! hook passes every other panic to libFuzzer's hook (so a panic in blogtrack's own code, or one
//! that escapes, is still a crash) and lets the converter's own panics unwind to the
//! `catch_unwind` that contains them.

use std::sync::Once;

pub fn contain() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_converter = info
                .location()
                .is_some_and(|l| l.file().contains("/math-core"));
            if !in_converter {
                fuzzer_hook(info);
            }
        }));
    });
}
