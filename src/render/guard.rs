//! The panic guard: a bug in a rendering stage that panics fails the one post it was
//! rendering, with an `internal` diagnostic, instead of the whole build.

use super::{render_post, RenderContext, RenderedPost};
use crate::model::Post;
use blogtrack_diag::Diagnostic;

/// Renders a post; a bug in a stage that panics fails this post only, with a diagnostic.
pub fn guarded_render(ctx: &RenderContext, post: &Post) -> RenderedPost {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| render_post(ctx, post))) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            RenderedPost {
                view: Default::default(),
                diagnostics: vec![Diagnostic::error(
                    "internal",
                    format!("internal error while rendering this post: {what}"),
                )
                .in_file(&post.path)
                .with_hint("this is a bug in blogtrack: please report it with this post attached")],
                failed: true,
                referenced: Vec::new(),
                math_ok: 0,
                math_failed: 0,
            }
        }
    }
}
