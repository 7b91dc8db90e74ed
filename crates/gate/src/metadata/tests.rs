use super::*;

fn png_with(chunks: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in chunks {
        b.extend((data.len() as u32).to_be_bytes());
        b.extend(*kind);
        b.extend(data);
        b.extend([0, 0, 0, 0]);
    }
    b
}

fn text_chunk(key: &str, value: &str) -> (&'static [u8; 4], Vec<u8>) {
    let mut d = key.as_bytes().to_vec();
    d.push(0);
    d.extend(value.as_bytes());
    (b"tEXt", d)
}

/// A little-endian TIFF block with one ASCII entry.
fn tiff_with(tag: u16, value: &str) -> Vec<u8> {
    let mut b = b"II*\0".to_vec();
    b.extend(8u32.to_le_bytes());
    b.extend(1u16.to_le_bytes());
    let bytes = format!("{value}\0");
    b.extend(tag.to_le_bytes());
    b.extend(2u16.to_le_bytes());
    b.extend((bytes.len() as u32).to_le_bytes());
    b.extend(26u32.to_le_bytes());
    b.extend(0u32.to_le_bytes());
    b.extend(bytes.as_bytes());
    b
}

#[test]
fn png_author_is_flagged_and_software_is_not() {
    let png = png_with(&[
        text_chunk("Software", "Matplotlib version3.8"),
        text_chunk("Author", "Jane Doe"),
        (b"IEND", vec![]),
    ]);
    let d = scan_image_metadata(&png, "assets/img/x/a.png");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "anon-image-metadata");
    assert_eq!(d[0].file.as_deref(), Some("assets/img/x/a.png"));
    assert!(d[0].message.contains("PNG Author `Jane Doe`"));
}

#[test]
fn png_exif_and_empty_values() {
    let png = png_with(&[
        (b"eXIf", tiff_with(0x013B, "Jane Doe")),
        text_chunk("Copyright", "  "),
    ]);
    let d = scan_image_metadata(&png, "a.png");
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("EXIF Artist `Jane Doe`"));
}

#[test]
fn jpeg_exif_copyright() {
    let mut jpg = vec![0xFF, 0xD8, 0xFF, 0xE1];
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff_with(0x8298, "(c) Jane Doe"));
    jpg.extend(((app1.len() + 2) as u16).to_be_bytes());
    jpg.extend(app1);
    jpg.extend([0xFF, 0xDA, 0, 2]);
    let d = scan_image_metadata(&jpg, "a.jpg");
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("EXIF Copyright `(c) Jane Doe`"));
}

#[test]
fn pdf_author_literal_and_hex() {
    let pdf = b"%PDF-1.4\n1 0 obj << /Creator (Matplotlib) /Author (Jane \\(J.\\) Doe) >> endobj";
    let d = scan_image_metadata(pdf, "a.pdf");
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("`Jane (J.) Doe`"), "{}", d[0].message);
    let hex = b"%PDF-1.7\n<< /Author <FEFF004A0061006E0065> >>";
    assert!(scan_image_metadata(hex, "a.pdf")[0]
        .message
        .contains("`Jane`"));
    assert!(scan_image_metadata(b"%PDF-1.5\n<< /Author () >>", "a.pdf").is_empty());
}

#[test]
fn svg_metadata_goes_through_the_text_scan() {
    let svg = b"<svg><metadata><dc:creator>Jane Doe</dc:creator></metadata></svg>";
    assert_eq!(
        scan_image_metadata(svg, "a.svg")[0].code,
        "anon-image-metadata"
    );
}

#[test]
fn truncated_and_hostile_files_do_not_panic() {
    let png = png_with(&[text_chunk("Author", "Jane")]);
    for cut in 0..png.len() {
        let _ = scan_image_metadata(&png[..cut], "a.png");
    }
    let mut evil = b"\x89PNG\r\n\x1a\n".to_vec();
    evil.extend([0xFF, 0xFF, 0xFF, 0xFF]);
    evil.extend(b"tEXt");
    assert!(scan_image_metadata(&evil, "a.png").is_empty());
    let tiff = {
        let mut t = b"MM\0*".to_vec();
        t.extend(u32::MAX.to_be_bytes());
        t
    };
    let mut jpg = vec![0xFF, 0xD8, 0xFF, 0xE1, 0, 16];
    jpg.extend(b"Exif\0\0");
    jpg.extend(tiff);
    let _ = scan_image_metadata(&jpg, "a.jpg");
    let _ = scan_image_metadata(b"%PDF /Author (unterminated \\", "a.pdf");
    let _ = scan_image_metadata(b"RIFF\0\0\0\0WEBPEXIF\xff\xff\xff\xff", "a.webp");
}

#[test]
fn vendors_and_tools_are_not_people() {
    let png = png_with(&[
        text_chunk("Author", "PDF Tools AG"),
        text_chunk("Copyright", "Adobe Inc."),
    ]);
    assert!(scan_image_metadata(&png, "a.png").is_empty());
}
