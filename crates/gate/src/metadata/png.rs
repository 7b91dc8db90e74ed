//! PNG: text chunks (`tEXt`, `zTXt`, `iTXt`, with XMP in `XML:com.adobe.xmp`), `eXIf` and
//! `tIME`. The scan reads the person-naming keys (`Author`, `Copyright`, `Artist`, XMP
//! `dc:creator`, EXIF); the scrub drops every one of those chunks and keeps the rest byte for
//! byte.

use super::{be32, latin1, tiff, xmp, Field, Scrub, MAX_PARTS};

const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";

pub fn scan(b: &[u8]) -> Vec<Field> {
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

/// PNG without its text, `eXIf` and `tIME` chunks; fails when the chunk structure is broken.
pub fn scrub(b: &[u8]) -> Scrub {
    if !b.starts_with(SIG) {
        return Scrub::failed("it does not start with the PNG signature");
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(SIG);
    let mut removed = 0;
    let mut i = SIG.len();
    while i < b.len() {
        let chunk = be32(b, i).and_then(|len| {
            let end = i.checked_add(12)?.checked_add(len)?;
            Some((b.get(i + 4..i + 8)?, b.get(i..end)?, end))
        });
        let Some((kind, chunk, end)) = chunk else {
            return Scrub::failed(format!("the chunk at byte {i} is cut short"));
        };
        if matches!(kind, b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME") {
            removed += 1;
        } else {
            out.extend_from_slice(chunk);
        }
        i = end;
        if kind == b"IEND" {
            break;
        }
    }
    Scrub::from_removed(out, removed)
}
