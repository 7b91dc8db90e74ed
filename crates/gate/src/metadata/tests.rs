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

// ---- scan and scrub side by side (issue 16 item 3, issue 13 item 3) ----

#[test]
fn default_account_names_are_not_identities() {
    for name in ["Administrator", "User", "Owner", "Windows User"] {
        let png = png_with(&[text_chunk("Author", name), (b"IEND", vec![])]);
        assert!(scan_image_metadata(&png, "a.png").is_empty(), "{name}");
    }
}

/// Codes a scrub is responsible for: after it, none of them may remain.
const METADATA_CODES: [&str; 3] = [
    "anon-image-metadata",
    "anon-local-path",
    "anon-notebook-metadata",
];

fn metadata_findings(bytes: &[u8], name: &str) -> Vec<String> {
    scan_file(bytes, name)
        .into_iter()
        .filter(|d| METADATA_CODES.contains(&d.code))
        .map(|d| d.message)
        .collect()
}

/// The property: a cleaned file gives no finding and cleans to itself; a file with nothing to
/// remove gives no finding either; a file that fails is not claimed clean.
fn assert_scrub_property(bytes: &[u8], name: &str) {
    match scrub_file(bytes, name) {
        Some((
            _,
            Scrub::Removed {
                bytes: clean,
                items,
            },
        )) => {
            assert!(items > 0);
            assert_eq!(
                metadata_findings(&clean, name),
                Vec::<String>::new(),
                "{name}"
            );
            assert_eq!(
                scrub_file(&clean, name).map(|(_, s)| s),
                Some(Scrub::Clean),
                "{name}: cleaning twice removes nothing more"
            );
        }
        Some((_, Scrub::Clean)) => {
            assert_eq!(
                metadata_findings(bytes, name),
                Vec::<String>::new(),
                "{name}"
            )
        }
        Some((_, Scrub::Failed(_))) | None => {}
    }
}

fn jpeg_with_exif_and_xmp() -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    j.extend([0xFF, 0xE0, 0, 7]);
    j.extend(b"JFIF\0");
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff_with(0x013B, "Jane Roe"));
    j.extend([0xFF, 0xE1]);
    j.extend(((app1.len() + 2) as u16).to_be_bytes());
    j.extend(app1);
    let x = b"http://ns.adobe.com/xap/1.0/\0<dc:creator><rdf:li>Jane Roe</rdf:li></dc:creator>";
    j.extend([0xFF, 0xE1]);
    j.extend(((x.len() + 2) as u16).to_be_bytes());
    j.extend(x);
    j.extend([0xFF, 0xFE, 0, 6]);
    j.extend(b"Roe!");
    j.extend([0xFF, 0xDA, 0, 4, 1, 2]);
    j.extend(b"scan-data");
    j.extend([0xFF, 0xD9]);
    j
}

fn webp_with_exif_and_xmp() -> Vec<u8> {
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut c = kind.to_vec();
        c.extend((data.len() as u32).to_le_bytes());
        c.extend(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    };
    let mut body = b"WEBP".to_vec();
    body.extend(chunk(b"VP8X", &[0x0C, 0, 0, 0, 1, 0, 0, 1, 0, 0]));
    body.extend(chunk(b"VP8 ", b"pixels"));
    body.extend(chunk(b"EXIF", &tiff_with(0x9C9D, "J\0a\0n\0e\0")));
    body.extend(chunk(b"XMP ", b"<dc:creator>Jane Roe</dc:creator>"));
    let mut webp = b"RIFF".to_vec();
    webp.extend((body.len() as u32).to_le_bytes());
    webp.extend(body);
    webp
}

fn gif_with_comment_and_xmp() -> Vec<u8> {
    let mut gif = b"GIF89a".to_vec();
    gif.extend([1, 0, 1, 0, 0x80, 0, 0]); // 1x1, a global table of 2 colours
    gif.extend([0, 0, 0, 255, 255, 255]);
    gif.extend([0x21, 0xFF, 11]);
    gif.extend(b"NETSCAPE2.0");
    gif.extend([3, 1, 0, 0, 0]);
    gif.extend([0x21, 0xFE, 8]);
    gif.extend(b"Jane Roe");
    gif.push(0);
    gif.extend([0x21, 0xFF, 11]);
    gif.extend(b"XMP DataXMP");
    let packet = b"<dc:creator>Jane Roe</dc:creator>";
    gif.push(packet.len() as u8);
    gif.extend(packet);
    gif.push(0);
    gif.extend([0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]); // one frame, no local table
    gif.extend([2, 2, 0x4C, 0x01, 0]); // LZW size, one data block, end
    gif.push(0x3B);
    gif
}

/// A one-page PDF whose information dictionary and XMP name the author, written by lopdf.
fn pdf_with_author() -> Vec<u8> {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 10.into(), 10.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
        }),
    );
    let xmp_id = doc.add_object(Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        b"<x:xmpmeta><dc:creator><rdf:Seq><rdf:li>Jane Roe</rdf:li></rdf:Seq></dc:creator></x:xmpmeta>"
            .to_vec(),
    ));
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
        "Metadata" => xmp_id,
    });
    doc.trailer.set("Root", catalog_id);
    let info_id = doc.add_object(dictionary! {
        "Author" => Object::string_literal("Jane Roe"),
        "Creator" => Object::string_literal("LaTeX with hyperref"),
        "Title" => Object::string_literal("/home/janeroe/paper/fig.pdf"),
    });
    doc.trailer.set("Info", info_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("a PDF in memory");
    out
}

const SVG: &str = "<?xml version=\"1.0\"?>\n<!-- Created by Jane Roe -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" xmlns:sodipodi=\"http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd\" sodipodi:docname=\"janeroe-fig.svg\" inkscape:export-filename=\"/home/janeroe/figs/fig.png\" width=\"2\">\n<metadata id=\"m\"><rdf:RDF><cc:Work><dc:creator><cc:Agent><dc:title>Jane Roe</dc:title></cc:Agent></dc:creator></cc:Work></rdf:RDF></metadata>\n<g inkscape:label=\"Layer 1\"><text preamble=\"\\usepackage{/Users/janeroe/tex/macros}\">a &amp; b</text><rect width=\"1\" height=\"1\"/></g>\n</svg>\n";

const HTML: &str = "<html><head><script src=\"file:///Users/janeroe/plots/plotly.min.js\"></script></head><body><div data-src=\"/home/janeroe/run/out.json\">C:\\Users\\JaneRoe\\x</div><p>text stays</p></body></html>\n";

const NOTEBOOK: &str = "{\"cells\": [{\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [{\"text\": [\"/home/janeroe/venv/lib/x.py:3: Warning\"]}], \"source\": [\"print(1)\"]}], \"metadata\": {\"authors\": [{\"name\": \"Jane Roe\"}], \"kernelspec\": {\"name\": \"python3\"}}, \"nbformat\": 4, \"nbformat_minor\": 5}";

fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        (
            "a.png",
            png_with(&[
                (b"IHDR", vec![0; 13]),
                text_chunk("Author", "Jane Roe"),
                (b"eXIf", tiff_with(0x8298, "Jane Roe")),
                (b"IDAT", b"pixels".to_vec()),
                (b"IEND", vec![]),
            ]),
        ),
        ("a.jpg", jpeg_with_exif_and_xmp()),
        ("a.webp", webp_with_exif_and_xmp()),
        ("a.gif", gif_with_comment_and_xmp()),
        ("a.pdf", pdf_with_author()),
        ("a.svg", SVG.as_bytes().to_vec()),
        ("fig.html", HTML.as_bytes().to_vec()),
        ("nb.ipynb", NOTEBOOK.as_bytes().to_vec()),
    ]
}

#[test]
fn every_fixture_carries_a_name_that_the_scan_finds_and_the_scrub_removes() {
    for (name, bytes) in fixtures() {
        assert!(
            !metadata_findings(&bytes, name).is_empty(),
            "{name}: the fixture must carry identity"
        );
        let Some((_, Scrub::Removed { bytes: clean, .. })) = scrub_file(&bytes, name) else {
            panic!("{name}: not cleaned");
        };
        let text = String::from_utf8_lossy(&clean).to_lowercase();
        for needle in ["jane roe", "janeroe", "/home/j", "/users/j"] {
            assert!(
                !text.contains(needle),
                "{name} still has `{needle}`: {text}"
            );
        }
        assert_scrub_property(&bytes, name);
    }
}

#[test]
fn scrubs_keep_the_content() {
    let keep = |name: &str, bytes: &[u8], parts: &[&str]| {
        let Some((_, Scrub::Removed { bytes: clean, .. })) = scrub_file(bytes, name) else {
            panic!("{name}: not cleaned");
        };
        let text = String::from_utf8_lossy(&clean);
        for p in parts {
            assert!(text.contains(p), "{name} lost `{p}`: {text}");
        }
        clean
    };
    keep("a.jpg", &jpeg_with_exif_and_xmp(), &["JFIF", "scan-data"]);
    let webp = keep("a.webp", &webp_with_exif_and_xmp(), &["pixels", "VP8X"]);
    assert_eq!(webp[20] & 0x0C, 0, "EXIF and XMP flags cleared");
    let riff = u32::from_le_bytes([webp[4], webp[5], webp[6], webp[7]]) as usize;
    assert_eq!(riff, webp.len() - 8);
    let gif = keep("a.gif", &gif_with_comment_and_xmp(), &["NETSCAPE2.0"]);
    assert!(gif.ends_with(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4C, 0x01, 0, 0x3B]));
    let svg = keep(
        "a.svg",
        SVG.as_bytes(),
        &[
            "<rect width=\"1\" height=\"1\"/>",
            "a &amp; b",
            "inkscape:label=\"Layer 1\"",
        ],
    );
    assert!(!String::from_utf8_lossy(&svg).contains("<metadata"));
    keep(
        "fig.html",
        HTML.as_bytes(),
        &["/home/anonymous/run/out.json", "text stays"],
    );
    let nb = keep("nb.ipynb", NOTEBOOK.as_bytes(), &["kernelspec", "print(1)"]);
    let doc: serde_json::Value = serde_json::from_slice(&nb).expect("still JSON");
    assert!(doc["metadata"].get("authors").is_none());
    let pdf = keep("a.pdf", &pdf_with_author(), &["/Catalog"]);
    let reloaded = lopdf::Document::load_mem(&pdf).expect("still a PDF");
    assert_eq!(reloaded.get_pages().len(), 1);
}

#[test]
fn files_that_cannot_be_cleaned_fail_instead_of_passing() {
    for (name, bytes) in [
        ("x.png", &b"not a png"[..]),
        ("x.jpg", &[0xFF, 0xD8, 0xFF, 0xE1, 0xFF][..]),
        ("x.gif", &b"GIF89a"[..]),
        ("x.webp", &b"RIFF\0\0\0\0WEBPVP8 \xff"[..]),
        ("x.pdf", &b"%PDF-1.4 garbage"[..]),
        ("x.svg", &b"<svg><g></svg>"[..]),
        ("x.svg", &b"<svg><text>/home/janeroe/x</text></svg>"[..]),
        ("x.svgz", &b"\x1f\x8b"[..]),
        ("x.ipynb", &b"{\"cells\": ["[..]),
    ] {
        assert!(
            matches!(scrub_file(bytes, name), Some((_, Scrub::Failed(_)))),
            "{name}: {:?}",
            scrub_file(bytes, name)
        );
    }
    assert_eq!(scrub_file(b"x", "a.mp4"), None);
    assert_eq!(
        scrub_file(b"RIFF\x04\0\0\0WEBP", "x.webp").map(|(_, s)| s),
        Some(Scrub::Clean)
    );
}

/// A small deterministic generator (xorshift), so the property runs over many variants of
/// every fixture without a dependency and the same way each time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn property_a_scrubbed_file_is_clean_for_the_scan_on_mutated_fixtures() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for (name, bytes) in fixtures() {
        for cut in (0..bytes.len()).step_by(1 + bytes.len() / 64) {
            assert_scrub_property(&bytes[..cut], name);
        }
        for _ in 0..300 {
            let mut m = bytes.clone();
            for _ in 0..1 + rng.next() % 4 {
                let at = (rng.next() as usize) % m.len();
                m[at] = rng.next() as u8;
            }
            assert_scrub_property(&m, name);
        }
    }
}

#[test]
fn gif_xmp_creator_is_flagged() {
    let d = scan_image_metadata(&gif_with_comment_and_xmp(), "anim.gif");
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].message.contains("XMP dc:creator `Jane Roe`"));
}

#[test]
fn pdf_metadata_is_scrubbed_regression_pdf_never_scrubbed() {
    let pdf = pdf_with_author();
    assert!(!scan_image_metadata(&pdf, "a.pdf").is_empty());
    let Some((FileType::Pdf, Scrub::Removed { bytes, items })) = scrub_file(&pdf, "a.pdf") else {
        panic!("the PDF was not cleaned");
    };
    assert_eq!(
        items, 5,
        "three Info entries, the XMP stream and the catalog's link to it"
    );
    assert!(scan_image_metadata(&bytes, "a.pdf").is_empty());
}
