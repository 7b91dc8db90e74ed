//! WebP: `EXIF` and `XMP ` chunks of the RIFF container (flagged in `VP8X`). The scan reads EXIF
//! `Artist`/`Copyright`/`XPAuthor` and XMP `dc:creator`; the scrub drops both chunks, clears
//! their flags and recomputes the RIFF size.

use super::{tiff, xmp, Field, Scrub, MAX_PARTS};

fn le32(b: &[u8], at: usize) -> Option<usize> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
}

pub fn scan(b: &[u8]) -> Vec<Field> {
    let mut out = Vec::new();
    let mut at = 12;
    for _ in 0..MAX_PARTS {
        let (Some(kind), Some(len)) = (b.get(at..at + 4), le32(b, at + 4)) else {
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

pub fn scrub(b: &[u8]) -> Scrub {
    if b.len() < 12 || &b[0..4] != b"RIFF" || &b[8..12] != b"WEBP" {
        return Scrub::failed("it is not a RIFF/WEBP file");
    }
    let mut out = b[..12].to_vec();
    let mut removed = 0;
    let mut i = 12;
    while i < b.len() {
        let chunk = b.get(i..i + 4).zip(le32(b, i + 4)).and_then(|(kind, len)| {
            let end = i.checked_add(8)?.checked_add(len)?.checked_add(len & 1)?;
            // The last chunk's padding byte is often missing in the wild.
            let chunk = b
                .get(i..end)
                .or_else(|| b.get(i..i.checked_add(8 + len)?))?;
            Some((kind, chunk, end))
        });
        let Some((kind, chunk, end)) = chunk else {
            return Scrub::failed(format!("the chunk at byte {i} is cut short"));
        };
        match kind {
            b"EXIF" | b"XMP " => removed += 1,
            b"VP8X" => {
                let at = out.len();
                out.extend_from_slice(chunk);
                if let Some(flags) = out.get_mut(at + 8) {
                    *flags &= !0x0C;
                }
            }
            _ => out.extend_from_slice(chunk),
        }
        i = end;
    }
    let Ok(size) = u32::try_from(out.len() - 8) else {
        return Scrub::failed("it is larger than a RIFF file can be");
    };
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Scrub::from_removed(out, removed)
}
