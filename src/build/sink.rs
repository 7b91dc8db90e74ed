//! Handing pages to a [`PageSink`], and what a refused page means: an error about the page's
//! own path (too long, a name the file system refuses) fails that page only; any other (a full
//! disk, a read-only folder) fails the whole write.

use super::cache;
use crate::links::PageLinks;
use crate::site::OutFile;
use crate::write::PageSink;
use blogtrack_diag::Diagnostic;

/// A page handed to a [`PageSink`], as the rest of a build needs it once the page is gone.
#[derive(Debug, Clone)]
pub struct StreamedPage {
    pub path: String,
    /// Hash of the bytes and the page's links, when the sink does not keep the page
    /// ([`PageSink::keeps_pages`]): for the site key and the link check.
    pub summary: Option<(cache::Key, PageLinks)>,
}

/// Hands one page to `sink`, summarised first if the sink will not keep it.
pub(super) fn deliver(
    sink: &dyn PageSink,
    path: &str,
    bytes: Vec<u8>,
) -> std::io::Result<StreamedPage> {
    let summary = (!sink.keeps_pages()).then(|| {
        let mut h = cache::KeyHasher::default();
        h.bytes(&bytes);
        let links = match std::str::from_utf8(&bytes) {
            Ok(html) => PageLinks::extract(path, html),
            Err(_) => PageLinks::of_file(&OutFile {
                path: path.to_string(),
                content: Vec::new(),
            }),
        };
        (h.finish(), links)
    });
    sink.put(path, bytes)?;
    Ok(StreamedPage {
        path: path.to_string(),
        summary,
    })
}

/// Whether a sink error is about the page's path itself (too long, invalid, a file where a
/// folder must be), which fails that page only, rather than about the output folder as a whole
/// (no space, no permission, read-only, I/O error), which fails the build.
pub(super) fn path_refused(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        e.kind(),
        ErrorKind::InvalidInput
            | ErrorKind::InvalidFilename
            | ErrorKind::NotADirectory
            | ErrorKind::IsADirectory
            | ErrorKind::AlreadyExists
    ) || matches!(e.raw_os_error(), Some(36 | 22 | 84))
}

/// Files a failed page write: an error about that page's own path (too long, refused by the
/// file system) fails only that page; any other (disk full, permissions) fails the whole write.
pub(super) fn file_write_failure(
    d: Diagnostic,
    e: &std::io::Error,
    diagnostics: &mut Vec<Diagnostic>,
    sink_failure: &mut Option<Diagnostic>,
) {
    if path_refused(e) {
        diagnostics.push(d);
    } else {
        sink_failure.get_or_insert(d);
    }
}

/// The file line of a front-matter key from its line within the front matter (0: unknown).
pub(super) fn file_line(yaml_line: u32) -> u32 {
    if yaml_line == 0 {
        0
    } else {
        yaml_line + 1
    }
}

/// The error of a page the sink refused (a name the file system does not allow, a full disk):
/// on the source file, at its `permalink` (`yaml_line`, 0 when it has none).
pub(super) fn not_written(
    source: &str,
    out_path: &str,
    yaml_line: u32,
    e: &std::io::Error,
) -> Diagnostic {
    let line = file_line(yaml_line);
    let too_long = out_path.split('/').any(|c| c.len() > 255)
        || e.raw_os_error() == Some(36)
        || e.to_string().contains("too long");
    Diagnostic::error(
        "page-not-written",
        format!("the page of this file could not be written to `{out_path}`: {e}"),
    )
    .in_file(source)
    .at(line, if line == 0 { 0 } else { 1 })
    .with_hint(if too_long {
        "shorten the permalink: file systems allow at most 255 bytes per path component"
    } else {
        "shorten the permalink, or check the output folder's file system (space, permissions)"
    })
}
