//! What the stages of one plan share: the [`Frame`] they read (the track, the theme's site
//! frame, the track's files) and the [`Assembly`] they add to (pages handed to the sink, files
//! kept in memory, the [`UrlTable`], diagnostics).

use super::sink::{deliver, file_write_failure, not_written, StreamedPage};
use super::urls::UrlTable;
use crate::model::Track;
use crate::site::{self, OutFile};
use crate::write::PageSink;
use blogtrack_diag::Diagnostic;
use blogtrack_theme::view::{NavItem, SiteView};
use std::collections::HashMap;
use std::path::Path;

/// The read-only surroundings of every stage.
pub(super) struct Frame<'a> {
    pub track: &'a Track,
    /// The page frame without navigation ([`Frame::site_view`] adds it).
    pub base_site: SiteView,
    /// Track-relative path → absolute path of every file of the track copied into the site.
    pub statics: HashMap<&'a str, &'a Path>,
}

impl<'a> Frame<'a> {
    pub fn new(track: &'a Track, base_site: SiteView) -> Self {
        let statics = track
            .static_files
            .iter()
            .map(|f| (f.rel.as_str(), f.abs.as_path()))
            .collect();
        Frame {
            track,
            base_site,
            statics,
        }
    }

    /// The navigation of the page at `url`.
    pub fn nav_for(&self, url: &str) -> Vec<NavItem> {
        site::nav(&self.track.config, &self.track.pages, url)
    }

    /// The site frame of the page at `url`, with its navigation.
    pub fn site_view(&self, url: &str) -> SiteView {
        let mut site_view = self.base_site.clone();
        site_view.nav = self.nav_for(url);
        site_view
    }
}

/// The site as the stages build it up.
pub(super) struct Assembly<'s> {
    pub sink: &'s dyn PageSink,
    /// Generated files kept in memory (theme assets, listings, feed, ...).
    pub files: Vec<OutFile>,
    /// The pages handed to the sink, in site order.
    pub streamed: Vec<StreamedPage>,
    /// Output path → source file of the pages rendered from a post or page.
    pub origins: HashMap<String, String>,
    /// Who owns every path of the site (posts and pages are added as they are settled).
    pub urls: UrlTable,
    pub diagnostics: Vec<Diagnostic>,
    /// The first failure of the sink that is not about one page's path.
    pub sink_failure: Option<Diagnostic>,
}

impl<'s> Assembly<'s> {
    pub fn new(sink: &'s dyn PageSink, files: Vec<OutFile>, urls: UrlTable) -> Self {
        Assembly {
            sink,
            files,
            streamed: Vec::new(),
            origins: HashMap::new(),
            urls,
            diagnostics: Vec::new(),
            sink_failure: None,
        }
    }

    /// Hands the page of `source` to the sink; `false` (with the error filed) if it refused it.
    /// `yaml_line` is the front-matter line of its `permalink` (0: none).
    pub fn put_page(&mut self, source: &str, out_path: &str, yaml_line: u32, html: String) -> bool {
        match deliver(self.sink, out_path, html.into_bytes()) {
            Ok(p) => {
                self.streamed.push(p);
                true
            }
            Err(e) => {
                self.refused(source, out_path, yaml_line, &e);
                false
            }
        }
    }

    /// Files the sink's refusal of the page of `source` (see [`super::sink`]).
    pub fn refused(&mut self, source: &str, out_path: &str, yaml_line: u32, e: &std::io::Error) {
        let d = not_written(source, out_path, yaml_line, e);
        file_write_failure(d, e, &mut self.diagnostics, &mut self.sink_failure);
    }
}
