//! Author names hidden in the metadata of images and documents: PNG text chunks (`Author`,
//! `Copyright`, XMP, eXIf), JPEG and WebP EXIF (`Artist`, `Copyright`, `XPAuthor`) and XMP
//! (`dc:creator`), SVG `<metadata>`, and PDF `/Author` or XMP.
//!
//! Only the few fields that name a person are read; `Software`, `Creator` (the application in
//! PDF) and the like are fine. The parsers walk the container structure with bounds checks and
//! fixed iteration limits, never decompress, and never fail: a truncated or malformed file simply
//! yields what could be read. Decoding images is not this module's job.

use blogtrack_diag::Diagnostic;

use crate::escape::display_path;
use crate::identity::{scan_text_for_identity, strip_tags, TextKind};

/// Most chunks or segments walked in one file.
const MAX_PARTS: usize = 10_000;

/// Person-naming metadata in an image or PDF. `file_name` decides SVG (by extension) and is
/// attached to the diagnostics; binary formats are recognised by their magic bytes.
pub fn scan_image_metadata(bytes: &[u8], file_name: &str) -> Vec<Diagnostic> {
    let lower = file_name.to_ascii_lowercase();
    let found: Vec<(String, String)> = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(bytes)
    } else if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg(bytes)
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        webp(bytes)
    } else if bytes.starts_with(b"%PDF") {
        pdf(bytes)
    } else if lower.ends_with(".svg") || lower.ends_with(".svgz") {
        let text = String::from_utf8_lossy(bytes);
        return scan_text_for_identity(&text, TextKind::Svg)
            .into_iter()
            .map(|d| d.in_file(file_name))
            .collect();
    } else {
        Vec::new()
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

fn be32(b: &[u8], at: usize) -> Option<usize> {
    b.get(at..at + 4)
        .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as usize)
}

fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| c as char).collect()
}

fn png(b: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut at = 8;
    for _ in 0..MAX_PARTS {
        let (Some(len), Some(kind)) = (be32(b, at), b.get(at + 4..at + 8)) else {
            break;
        };
        let Some(data) = b.get(at + 8..(at + 8).saturating_add(len)) else {
            break;
        };
        match kind {
            b"tEXt" | b"zTXt" | b"iTXt" => {
                let (key, rest) = match data.iter().position(|&c| c == 0) {
                    Some(p) => (&data[..p], &data[p + 1..]),
                    None => (data, &[][..]),
                };
                let key = latin1(key);
                let value = match kind {
                    b"tEXt" => Some(latin1(rest)),
                    b"iTXt" if rest.first() == Some(&0) => {
                        // flag, method, language\0, translated keyword\0, text
                        let mut parts = rest.get(2..).unwrap_or(&[]).splitn(3, |&c| c == 0);
                        let text = parts.nth(2).unwrap_or(&[]);
                        Some(String::from_utf8_lossy(text).into_owned())
                    }
                    _ => None,
                };
                let k = key.to_ascii_lowercase();
                if k == "author" || k == "copyright" || k == "artist" {
                    let v = value.unwrap_or_else(|| "(compressed)".to_string());
                    out.push((format!("PNG {key}"), v));
                } else if k == "xml:com.adobe.xmp" {
                    out.extend(value.map(|v| xmp(&v)).unwrap_or_default());
                }
            }
            b"eXIf" => out.extend(tiff(data)),
            b"IEND" => break,
            _ => {}
        }
        at = at.saturating_add(12).saturating_add(len);
    }
    out
}

fn jpeg(b: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut at = 2;
    for _ in 0..MAX_PARTS {
        if b.get(at) != Some(&0xFF) {
            break;
        }
        let Some(&marker) = b.get(at + 1) else { break };
        if marker == 0xD9 || marker == 0xDA {
            break;
        }
        if marker == 0xFF || (0xD0..=0xD8).contains(&marker) || marker == 0x01 {
            at += if marker == 0xFF { 1 } else { 2 };
            continue;
        }
        let Some(len) = b
            .get(at + 2..at + 4)
            .map(|s| u16::from_be_bytes([s[0], s[1]]) as usize)
        else {
            break;
        };
        let Some(data) = b.get(at + 4..(at + 2).saturating_add(len)) else {
            break;
        };
        if marker == 0xE1 {
            if let Some(tiff_data) = data.strip_prefix(b"Exif\0\0") {
                out.extend(tiff(tiff_data));
            } else if data.starts_with(b"http://ns.adobe.com/xap/1.0/") {
                out.extend(xmp(&String::from_utf8_lossy(data)));
            }
        }
        at = at.saturating_add(2).saturating_add(len.max(2));
    }
    out
}

fn webp(b: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut at = 12;
    for _ in 0..MAX_PARTS {
        let (Some(kind), Some(len)) = (
            b.get(at..at + 4),
            b.get(at + 4..at + 8)
                .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize),
        ) else {
            break;
        };
        let Some(data) = b.get(at + 8..(at + 8).saturating_add(len)) else {
            break;
        };
        match kind {
            b"EXIF" => out.extend(tiff(data.strip_prefix(b"Exif\0\0").unwrap_or(data))),
            b"XMP " => out.extend(xmp(&String::from_utf8_lossy(data))),
            _ => {}
        }
        at = at
            .saturating_add(8)
            .saturating_add(len)
            .saturating_add(len & 1);
    }
    out
}

/// `Artist`, `Copyright` and `XPAuthor` of the first IFD of a TIFF/EXIF block.
fn tiff(b: &[u8]) -> Vec<(String, String)> {
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
fn xmp(text: &str) -> Vec<(String, String)> {
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

/// `/Author` strings of PDF info dictionaries (uncompressed) and XMP creators.
fn pdf(b: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let key = b"/Author";
    let mut from = 0;
    for _ in 0..MAX_PARTS {
        let Some(p) = b[from..].windows(key.len()).position(|w| w == key) else {
            break;
        };
        let mut at = from + p + key.len();
        from = at;
        while b.get(at).is_some_and(|c| c.is_ascii_whitespace()) {
            at += 1;
        }
        match b.get(at) {
            Some(b'(') => out.push(("PDF /Author".to_string(), pdf_literal(&b[at + 1..]))),
            Some(b'<') if b.get(at + 1) != Some(&b'<') => {
                out.push(("PDF /Author".to_string(), pdf_hex(&b[at + 1..])))
            }
            _ => {}
        }
    }
    let has_xmp = b.windows(11).any(|w| w == b"<dc:creator");
    if has_xmp {
        out.extend(xmp(&String::from_utf8_lossy(b)));
    }
    out
}

fn pdf_literal(b: &[u8]) -> String {
    let mut raw = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() && raw.len() < 1024 {
        match b[i] {
            b'\\' => {
                i += 1;
                match b.get(i) {
                    Some(b'n') => raw.push(b'\n'),
                    Some(&c @ b'0'..=b'7') => {
                        let mut v = (c - b'0') as u32;
                        for _ in 0..2 {
                            match b.get(i + 1) {
                                Some(&d @ b'0'..=b'7') => {
                                    v = v * 8 + (d - b'0') as u32;
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        raw.push(v as u8);
                    }
                    Some(&c) => raw.push(c),
                    None => break,
                }
            }
            b'(' => {
                depth += 1;
                raw.push(b'(');
            }
            b')' if depth == 0 => break,
            b')' => {
                depth -= 1;
                raw.push(b')');
            }
            c => raw.push(c),
        }
        i += 1;
    }
    pdf_text(&raw)
}

fn pdf_hex(b: &[u8]) -> String {
    let digits: Vec<u8> = b
        .iter()
        .take_while(|&&c| c != b'>')
        .take(2048)
        .filter_map(|&c| (c as char).to_digit(16).map(|d| d as u8))
        .collect();
    let raw: Vec<u8> = digits
        .chunks(2)
        .map(|p| p[0] * 16 + p.get(1).copied().unwrap_or(0))
        .collect();
    pdf_text(&raw)
}

fn pdf_text(raw: &[u8]) -> String {
    if let Some(rest) = raw.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        latin1(raw)
    }
}

#[cfg(test)]
mod tests;
