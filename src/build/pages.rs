//! Stage 4, pages: the track's `_pages/` rendered in track order and laid out in the theme,
//! after the posts (a post keeps a URL a page also claims); a page with `redirect_to` becomes a
//! redirect page (at `/`, it decides where the site's root leads).

use super::stage::{Assembly, Frame};
use crate::model::{url_to_output_path, Page};
use crate::render::inputs::RenderInputs;
use crate::render::render_page;
use blogtrack_diag::Diagnostic;

/// What the pages stage found.
pub(super) struct PagesDone {
    pub pages_written: usize,
    /// Where a redirect page at `/` leads (baseurl-prefixed).
    pub redirect_root: Option<String>,
}

/// The pages stage: every page rendered, checked for a clash and handed to the sink.
pub(super) fn add_pages(frame: &Frame, inputs: &RenderInputs, site: &mut Assembly) -> PagesDone {
    let track = frame.track;
    let ctx = inputs.context(track);
    let mut done = PagesDone {
        pages_written: 0,
        redirect_root: None,
    };
    for page in &track.pages {
        if let Some(target) = &page.meta.redirect_to {
            if page.url == "/" {
                done.redirect_root = Some(track.config.relative_url(target));
                continue;
            }
            add_redirect(frame, page, target, site);
            continue;
        }
        let r = render_page(&ctx, page);
        site.diagnostics.extend(r.diagnostics);
        if r.failed {
            site.diagnostics.push(
                // A note, not an error: it sums up the errors above and is not a problem of its own.
                Diagnostic::note(
                    "page-failed",
                    "this page was not built because of the errors above",
                )
                .in_file(&page.path),
            );
            continue;
        }
        let Some(out_path) = claim(frame, page, site) else {
            continue;
        };
        let html = blogtrack_theme::page(&frame.site_view(&page.url), &r.view);
        if !site.put_page(&page.path, &out_path, 0, html) {
            continue;
        }
        site.urls.claim(&out_path, &page.path);
        site.origins.insert(out_path, page.path.clone());
        done.pages_written += 1;
    }
    done
}

/// The output path of `page`, or `None` (with the `url-clash` error filed) when it is taken.
fn claim(frame: &Frame, page: &Page, site: &mut Assembly) -> Option<String> {
    let out_path = url_to_output_path(&page.url);
    let url = frame.track.config.relative_url(&page.url);
    match site.urls.clash(&out_path, "page", &page.path, &url, 0) {
        Some(d) => {
            site.diagnostics.push(d);
            None
        }
        None => Some(out_path),
    }
}

/// The redirect page of `page` (not at `/`) to `target`.
fn add_redirect(frame: &Frame, page: &Page, target: &str, site: &mut Assembly) {
    let Some(out_path) = claim(frame, page, site) else {
        return;
    };
    let html = blogtrack_theme::redirect(&frame.track.config.relative_url(target));
    if site.put_page(&page.path, &out_path, 0, html) {
        site.urls.claim(&out_path, &page.path);
    }
}
