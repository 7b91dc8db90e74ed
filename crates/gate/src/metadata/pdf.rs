//! PDF: the document information dictionary (`/Author`, `/Creator`, `/Producer`, `/Title`…),
//! XMP metadata streams (`/Metadata` of the catalog, pages and images) and `/PieceInfo`
//! (editors' private data). The scan reads `/Author` and XMP `dc:creator` through `lopdf` (so
//! objects in compressed object streams count), or in the raw bytes when `lopdf` cannot parse
//! the file; the scrub loads the file with `lopdf`, removes the information dictionary, every
//! XMP stream and every `/Metadata` and `/PieceInfo` entry, drops the objects nothing refers to
//! any more, and saves it. An
//! encrypted or unparsable PDF cannot be cleaned.

use super::{latin1, xmp, Field, Scrub, MAX_PARTS};
use lopdf::{Document, Object};

/// Most bytes one XMP stream may inflate to while scanning (a packet is a few KiB).
const MAX_XMP_BYTES: usize = 4 << 20;

/// Whether an object is an XMP metadata stream.
fn is_xmp(object: &Object) -> bool {
    matches!(object, Object::Stream(s)
        if s.dict.get(b"Type").and_then(Object::as_name).ok() == Some(&b"Metadata"[..]))
}

pub fn scan(b: &[u8]) -> Vec<Field> {
    let Ok(doc) = Document::load_mem(b) else {
        // Unparsable (the scrub fails too): what the raw bytes show.
        return raw_scan(b);
    };
    let mut out = Vec::new();
    let info = doc
        .trailer
        .get_deref(b"Info", &doc)
        .and_then(Object::as_dict)
        .ok();
    if let Some(author) = info.and_then(|i| i.get(b"Author").ok()) {
        if let Ok(s) = author.as_str() {
            out.push(("PDF /Author".to_string(), pdf_text(s)));
        }
    }
    for object in doc.objects.values().filter(|o| is_xmp(o)) {
        if let Object::Stream(s) = object {
            let data = s
                .decompressed_content_with_limit(MAX_XMP_BYTES)
                .unwrap_or_else(|_| s.content.clone());
            out.extend(xmp(&String::from_utf8_lossy(&data)));
        }
    }
    out
}

pub fn scrub(b: &[u8]) -> Scrub {
    let mut doc = match Document::load_mem(b) {
        Ok(d) => d,
        Err(e) => return Scrub::failed(format!("it does not parse as a PDF ({e})")),
    };
    if doc.was_encrypted() || doc.is_encrypted() {
        return Scrub::failed("it is encrypted");
    }
    let mut removed = 0;
    if let Some(info) = doc.trailer.remove(b"Info") {
        removed += match info {
            Object::Reference(id) => doc.get_dictionary(id).map(|d| d.len()).unwrap_or(1).max(1),
            _ => 1,
        };
    }
    for object in doc.objects.values_mut() {
        if is_xmp(object) {
            // Referenced or not, an XMP packet goes.
            *object = Object::Null;
            removed += 1;
            continue;
        }
        let dict = match object {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &mut s.dict,
            _ => continue,
        };
        for key in [&b"Metadata"[..], b"PieceInfo"] {
            if dict.remove(key).is_some() {
                removed += 1;
            }
        }
    }
    if removed == 0 {
        return Scrub::Clean;
    }
    doc.prune_objects();
    let mut out = Vec::with_capacity(b.len());
    if let Err(e) = doc.save_to(&mut out) {
        return Scrub::failed(format!("it cannot be written back ({e})"));
    }
    Scrub::from_removed(out, removed)
}

/// `/Author` strings of uncompressed objects, and XMP creators in uncompressed streams.
fn raw_scan(b: &[u8]) -> Vec<Field> {
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
    if b.windows(11).any(|w| w == b"<dc:creator") {
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
