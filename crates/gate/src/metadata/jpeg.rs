//! JPEG: EXIF and XMP in `APP1`, IPTC in `APP13`, comments (`COM`) and other application
//! segments. The scan reads EXIF `Artist`/`Copyright`/`XPAuthor` and XMP `dc:creator`; the
//! scrub keeps only JFIF (`APP0`), ICC profiles (`APP2`) and Adobe colour data (`APP14`) besides
//! the image itself.

use super::{tiff, xmp, Field, Scrub, MAX_PARTS};

pub fn scan(b: &[u8]) -> Vec<Field> {
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

/// JPEG without comments and metadata segments; fails when the segment structure is broken.
pub fn scrub(b: &[u8]) -> Scrub {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return Scrub::failed("it does not start with a JPEG marker");
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut removed = 0;
    let mut i = 2;
    let broken = |i: usize| Scrub::failed(format!("the segment at byte {i} is broken"));
    loop {
        // Markers may be padded with extra 0xFF bytes.
        if b.get(i) != Some(&0xFF) {
            return broken(i);
        }
        while b.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let Some(&marker) = b.get(i + 1) else {
            return broken(i);
        };
        match marker {
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Scrub::from_removed(out, removed);
            }
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&[0xFF, marker]);
                i += 2;
                continue;
            }
            _ => {}
        }
        let Some(len) = b
            .get(i + 2..i + 4)
            .map(|s| u16::from_be_bytes([s[0], s[1]]) as usize)
            .filter(|&l| l >= 2)
        else {
            return broken(i);
        };
        let end = i + 2 + len;
        let Some(seg) = b.get(i..end) else {
            return broken(i);
        };
        let keep = match marker {
            0xE0 | 0xEE => true,
            0xE2 => seg.get(4..16) == Some(b"ICC_PROFILE\0"),
            0xE1 | 0xE3..=0xED | 0xEF | 0xFE => false,
            _ => true,
        };
        if keep {
            out.extend_from_slice(seg);
        } else {
            removed += 1;
        }
        if marker == 0xDA {
            // Start of scan: the compressed data (and any later scans) follow as they are.
            out.extend_from_slice(&b[end..]);
            return Scrub::from_removed(out, removed);
        }
        i = end;
    }
}
