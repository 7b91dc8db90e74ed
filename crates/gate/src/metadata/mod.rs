//! Identifying metadata of the files a submission publishes, one module per format, each with
//! its `scan` (what `check` reports during review) and its `scrub` (what `preview` removes)
//! side by side, so the two cover the same fields: PNG, JPEG, GIF, WebP, PDF, SVG, HTML figures
//! and Jupyter notebooks. The promise that ties them together, pinned by a property test: a
//! file that [`scrub_file`] cleaned gives no finding when it is checked again; a file it cannot
//! clean is [`Scrub::Failed`], which `check` reports as an error during review
//! (`anon-uncleanable`) and `preview` does not publish.
//!
//! The scans read only the few fields that name a person (`Author`, `Artist`, `Copyright`,
//! `XPAuthor`, `dc:creator`, home paths, notebook authors); `Software`, a PDF's `Creator` (the
//! application) and tool names are fine, and so are default account names (`Administrator`,
//! `User`, `Owner`). The scrubs remove every metadata container of the format, named or not.
//! The binary parsers walk the container structure with bounds checks and fixed iteration
//! limits and never fail: a truncated file yields what could be read. PDFs go through `lopdf`
//! (XMP inflated up to 4 MiB while scanning), SVGs through `quick-xml`, notebooks through
//! `serde_json`. The HTML and notebook scans (and the SVG one) are the text scans of
//! [`crate::identity`].

use blogtrack_diag::Diagnostic;

use crate::escape::display_path;
use crate::identity::{scan_text_for_identity, strip_tags, TextKind};

mod gif;
mod html;
mod jpeg;
mod notebook;
mod pdf;
mod png;
mod svg;
mod webp;

/// One metadata field found: (where, e.g. `PNG Author`; its value).
pub(crate) type Field = (String, String);

/// What scrubbing a file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scrub {
    /// Nothing to remove: the original bytes are published.
    Clean,
    /// The cleaned file, and how many metadata items (chunks, segments, entries, attributes,
    /// paths) were removed.
    Removed { bytes: Vec<u8>, items: usize },
    /// The file does not parse as its type (the reason says why), so its metadata cannot be
    /// removed: it must not be published.
    Failed(String),
}

impl Scrub {
    fn failed(reason: impl Into<String>) -> Scrub {
        Scrub::Failed(reason.into())
    }

    fn from_removed(bytes: Vec<u8>, items: usize) -> Scrub {
        if items == 0 {
            Scrub::Clean
        } else {
            Scrub::Removed { bytes, items }
        }
    }
}

/// The formats whose metadata is scanned and scrubbed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileType {
    Png,
    Jpeg,
    Gif,
    Webp,
    Pdf,
    Svg,
    Html,
    Notebook,
}

impl FileType {
    /// The file's format: by its magic bytes for the binary formats (a PNG named `.jpg` is a
    /// PNG), else by extension. `None`: a format without metadata we handle.
    pub fn detect(bytes: &[u8], file_name: &str) -> Option<FileType> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Some(FileType::Png);
        }
        if bytes.starts_with(&[0xFF, 0xD8]) {
            return Some(FileType::Jpeg);
        }
        if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            return Some(FileType::Gif);
        }
        if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            return Some(FileType::Webp);
        }
        if bytes.starts_with(b"%PDF") {
            return Some(FileType::Pdf);
        }
        let lower = file_name.to_ascii_lowercase();
        let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
        Some(match ext {
            "png" => FileType::Png,
            "jpg" | "jpeg" => FileType::Jpeg,
            "gif" => FileType::Gif,
            "webp" => FileType::Webp,
            "pdf" => FileType::Pdf,
            "svg" | "svgz" => FileType::Svg,
            "html" | "htm" => FileType::Html,
            "ipynb" => FileType::Notebook,
            _ => return None,
        })
    }

    /// Its name in messages and summaries.
    pub fn label(self) -> &'static str {
        match self {
            FileType::Png => "PNG",
            FileType::Jpeg => "JPEG",
            FileType::Gif => "GIF",
            FileType::Webp => "WebP",
            FileType::Pdf => "PDF",
            FileType::Svg => "SVG",
            FileType::Html => "HTML",
            FileType::Notebook => "notebook",
        }
    }
}

/// Removes the identifying metadata of `bytes` (named `file_name`). `None` when the file is
/// of no format handled here (published as it is).
pub fn scrub_file(bytes: &[u8], file_name: &str) -> Option<(FileType, Scrub)> {
    let kind = FileType::detect(bytes, file_name)?;
    let scrub = match kind {
        FileType::Png => png::scrub(bytes),
        FileType::Jpeg => jpeg::scrub(bytes),
        FileType::Gif => gif::scrub(bytes),
        FileType::Webp => webp::scrub(bytes),
        FileType::Pdf => pdf::scrub(bytes),
        FileType::Svg if file_name.to_ascii_lowercase().ends_with(".svgz") => {
            Scrub::failed("a compressed SVG cannot be checked; publish it as .svg")
        }
        FileType::Svg => svg::scrub(bytes),
        FileType::Html => html::scrub(bytes),
        FileType::Notebook => notebook::scrub(bytes),
    };
    Some((kind, scrub))
}

/// The error of a file whose metadata cannot be removed, for `check` during review.
pub fn uncleanable(file_name: &str, kind: FileType, reason: &str) -> Diagnostic {
    Diagnostic::error(
        "anon-uncleanable",
        format!(
            "the reviewers' preview cannot remove this {} file's metadata: {reason}",
            kind.label()
        ),
    )
    .in_file(file_name)
    .with_hint("re-export the file (or fix its extension) so that it opens as what it claims to be; until then it is left out of the preview")
}

/// Every identity finding in the metadata of `bytes`, as `check` reports it: the binary
/// formats' person-naming fields (`anon-image-metadata`), and the text scans for SVG, HTML and
/// notebooks (`anon-image-metadata`, `anon-local-path`, `anon-notebook-metadata`, …).
pub fn scan_file(bytes: &[u8], file_name: &str) -> Vec<Diagnostic> {
    let text_kind = match FileType::detect(bytes, file_name) {
        Some(FileType::Svg) => Some(TextKind::Svg),
        Some(FileType::Html) => Some(TextKind::Html),
        Some(FileType::Notebook) => Some(TextKind::Notebook),
        _ => None,
    };
    match text_kind {
        Some(k) => scan_text_for_identity(&String::from_utf8_lossy(bytes), k)
            .into_iter()
            .map(|d| d.in_file(file_name))
            .collect(),
        None => scan_image_metadata(bytes, file_name),
    }
}

/// Most chunks or segments walked in one file.
pub(crate) const MAX_PARTS: usize = 10_000;

/// Person-naming metadata in an image or PDF. `file_name` decides SVG (by extension) and is
/// attached to the diagnostics; binary formats are recognised by their magic bytes.
pub fn scan_image_metadata(bytes: &[u8], file_name: &str) -> Vec<Diagnostic> {
    let found: Vec<Field> = match FileType::detect(bytes, file_name) {
        Some(FileType::Png) => png::scan(bytes),
        Some(FileType::Jpeg) => jpeg::scan(bytes),
        Some(FileType::Gif) => gif::scan(bytes),
        Some(FileType::Webp) => webp::scan(bytes),
        Some(FileType::Pdf) => pdf::scan(bytes),
        Some(FileType::Svg) => {
            let text = String::from_utf8_lossy(bytes);
            return scan_text_for_identity(&text, TextKind::Svg)
                .into_iter()
                .map(|d| d.in_file(file_name))
                .collect();
        }
        _ => Vec::new(),
    };
    found
        .into_iter()
        .filter(|(_, value)| !is_blank(value))
        .map(|(field, value)| {
            Diagnostic::error(
                "anon-image-metadata",
                format!("the file's metadata names a person: {field} `{}`", display_path(value.trim())),
            )
            .in_file(file_name)
            .with_hint("strip the metadata during review (for example `exiftool -all= FILE`, or re-export the image)")
        })
        .collect()
}

/// Words that mark a value as a company or a tool rather than a person (`PDF Tools AG`).
const NOT_A_PERSON: [&str; 14] = [
    "ag",
    "gmbh",
    "inc",
    "inc.",
    "ltd",
    "llc",
    "corp",
    "corporation",
    "tools",
    "software",
    "matplotlib",
    "adobe",
    "microsoft",
    "unknown",
];

/// Default account names that operating systems and editors write when nobody set a name.
const DEFAULT_ACCOUNTS: [&str; 12] = [
    "administrator",
    "admin",
    "user",
    "owner",
    "root",
    "guest",
    "default",
    "author",
    "pc",
    "windows user",
    "valued customer",
    "registered user",
];

fn is_blank(value: &str) -> bool {
    let v = value
        .trim_matches(|c: char| c.is_whitespace() || c == '\0')
        .to_lowercase();
    v.is_empty()
        || v.contains("anonymous")
        || DEFAULT_ACCOUNTS.contains(&v.as_str())
        || v.split(|c: char| c.is_whitespace() || c == ',')
            .any(|w| NOT_A_PERSON.contains(&w))
}

pub(crate) fn be32(b: &[u8], at: usize) -> Option<usize> {
    b.get(at..at + 4)
        .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as usize)
}

pub(crate) fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| c as char).collect()
}

/// `Artist`, `Copyright` and `XPAuthor` of the first IFD of a TIFF/EXIF block.
pub(crate) fn tiff(b: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let little = match b.get(0..4) {
        Some(b"II*\0") => true,
        Some(b"MM\0*") => false,
        _ => return out,
    };
    let u16_at = |at: usize| {
        b.get(at..at + 2).map(|s| {
            if little {
                u16::from_le_bytes([s[0], s[1]])
            } else {
                u16::from_be_bytes([s[0], s[1]])
            }
        })
    };
    let u32_at = |at: usize| {
        b.get(at..at + 4).map(|s| {
            let a = [s[0], s[1], s[2], s[3]];
            (if little {
                u32::from_le_bytes(a)
            } else {
                u32::from_be_bytes(a)
            }) as usize
        })
    };
    let Some(ifd) = u32_at(4) else { return out };
    let Some(count) = u16_at(ifd) else { return out };
    for i in 0..count as usize {
        let e = ifd + 2 + i * 12;
        let (Some(tag), Some(n)) = (u16_at(e), u32_at(e + 4)) else {
            break;
        };
        let name = match tag {
            0x013B => "EXIF Artist",
            0x8298 => "EXIF Copyright",
            0x9C9D => "EXIF XPAuthor",
            _ => continue,
        };
        let value_at = if n <= 4 { Some(e + 8) } else { u32_at(e + 8) };
        let Some(raw) = value_at.and_then(|v| b.get(v..v.saturating_add(n))) else {
            continue;
        };
        let text = if tag == 0x9C9D {
            let units: Vec<u16> = raw
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        } else {
            String::from_utf8_lossy(raw).into_owned()
        };
        // Copyright holds "photographer\0editor": both parts are names.
        let text = text
            .split('\0')
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        out.push((name.to_string(), text));
    }
    out
}

/// `dc:creator` of an XMP packet.
pub(crate) fn xmp(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("<dc:creator").take(MAX_PARTS) {
        let rest = &text[i..];
        let Some(end) = rest.find("</dc:creator>") else {
            continue;
        };
        let inner = strip_tags(&rest[..end.min(8192)].replacen("<dc:creator", "<x", 1));
        out.push(("XMP dc:creator".to_string(), inner));
    }
    out
}

#[cfg(test)]
mod tests;
