//! GIF: comment extensions and XMP application extensions, found by one block walker that the
//! scan and the scrub share. The scan reads XMP `dc:creator`; the scrub drops comments and XMP,
//! keeping frames and the looping extension byte for byte.

use super::{xmp, Field, Scrub};

const XMP_APP: &[u8] = b"XMP DataXMP";

/// One block of a GIF: its byte range and whether it is metadata (a comment or XMP).
struct Block {
    range: std::ops::Range<usize>,
    xmp: bool,
    comment: bool,
}

/// The blocks after the header and global colour table, up to the trailer, and the header's
/// length; `None` when the block structure is broken.
fn blocks(b: &[u8]) -> Option<(usize, Vec<Block>)> {
    if !(b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a")) {
        return None;
    }
    let table = |packed: u8| {
        if packed & 0x80 != 0 {
            3usize << ((packed & 7) + 1)
        } else {
            0
        }
    };
    // Sub-blocks from `i` to their zero terminator: the index after it.
    let sub_blocks_end = |mut i: usize| -> Option<usize> {
        loop {
            let n = *b.get(i)? as usize;
            i += 1 + n;
            if n == 0 {
                return Some(i);
            }
        }
    };
    let header = 13 + table(*b.get(10)?);
    b.get(..header)?;
    let mut i = header;
    let mut out = Vec::new();
    loop {
        match *b.get(i)? {
            0x3B => return Some((header, out)),
            0x2C => {
                let packed = *b.get(i + 9)?;
                // Descriptor, local colour table, LZW code size, then the data sub-blocks.
                let end = sub_blocks_end(i + 10 + table(packed) + 1)?;
                b.get(i..end)?;
                out.push(Block {
                    range: i..end,
                    xmp: false,
                    comment: false,
                });
                i = end;
            }
            0x21 => {
                let label = *b.get(i + 1)?;
                let end = sub_blocks_end(i + 2)?;
                b.get(i..end)?;
                let xmp = label == 0xFF && b.get(i + 3..i + 14) == Some(XMP_APP);
                out.push(Block {
                    range: i..end,
                    xmp,
                    comment: label == 0xFE,
                });
                i = end;
            }
            _ => return None,
        }
    }
}

/// XMP creators of the file's XMP application extensions (an XMP packet in a GIF is stored as
/// plain bytes after the `XMP DataXMP` header).
pub fn scan(b: &[u8]) -> Vec<Field> {
    let Some((_, blocks)) = blocks(b) else {
        return Vec::new();
    };
    blocks
        .iter()
        .filter(|k| k.xmp)
        .flat_map(|k| xmp(&String::from_utf8_lossy(&b[k.range.clone()])))
        .collect()
}

pub fn scrub(b: &[u8]) -> Scrub {
    let Some((header, blocks)) = blocks(b) else {
        return Scrub::failed("its block structure is broken");
    };
    let mut out = b[..header].to_vec();
    let mut removed = 0;
    for k in blocks {
        if k.xmp || k.comment {
            removed += 1;
        } else {
            out.extend_from_slice(&b[k.range]);
        }
    }
    out.push(0x3B);
    Scrub::from_removed(out, removed)
}
