//! SVG: `<metadata>` (where editors put RDF with `dc:creator`, rights and publisher), stray
//! Dublin Core elements, comments, and the attributes in which editors record local files
//! (`sodipodi:docname`, `inkscape:export-filename`, `sodipodi:absref`) or any attribute holding
//! an absolute home path (Inkscape's LaTeX `preamble`). The scan is the gate's text scan for SVG
//! (`dc:creator`/`dc:rights`/`dc:publisher`, home paths anywhere); the scrub parses the file with
//! `quick-xml` and writes every other event back unchanged. A home path in the drawing's own
//! text cannot be removed without changing the figure, so such a file fails.

use super::Scrub;
use crate::identity::personal_paths;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};

const EDITOR_FILE_ATTRIBUTES: [&str; 3] = [
    "sodipodi:docname",
    "inkscape:export-filename",
    "sodipodi:absref",
];

/// Elements dropped with their content.
fn dropped(name: &str) -> bool {
    let local = name.rsplit(':').next().unwrap_or(name);
    local.eq_ignore_ascii_case("metadata")
        || name.starts_with("dc:")
        || name.starts_with("rdf:")
        || name.starts_with("cc:")
}

pub fn scrub(b: &[u8]) -> Scrub {
    let Ok(text) = std::str::from_utf8(b) else {
        return Scrub::failed("it is not UTF-8 text");
    };
    let mut reader = Reader::from_str(text);
    let mut writer = Writer::new(Vec::with_capacity(b.len()));
    let mut removed = 0;
    // Depth inside a dropped element (0: not in one).
    let mut skip = 0usize;
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(e) => e,
            Err(e) => {
                return Scrub::failed(format!(
                    "it does not parse as XML near byte {} ({e})",
                    reader.buffer_position()
                ))
            }
        };
        if skip > 0 {
            match event {
                Event::Start(_) => skip += 1,
                Event::End(_) => skip -= 1,
                _ => {}
            }
            continue;
        }
        let out = match event {
            Event::Start(e) if dropped(e.name().as_ref()) => {
                removed += 1;
                skip = 1;
                continue;
            }
            Event::Empty(e) if dropped(e.name().as_ref()) => {
                removed += 1;
                continue;
            }
            Event::Comment(_) => {
                removed += 1;
                continue;
            }
            Event::Start(e) => match clean_tag(&e, &mut removed) {
                Some(clean) => Event::Start(clean),
                None => Event::Start(e),
            },
            Event::Empty(e) => match clean_tag(&e, &mut removed) {
                Some(clean) => Event::Empty(clean),
                None => Event::Empty(e),
            },
            Event::Text(t) if !personal_paths(t.as_ref()).is_empty() => {
                return Scrub::failed(
                    "its text shows an absolute path of a personal machine; edit the drawing",
                )
            }
            e => e,
        };
        if let Err(e) = writer.write_event(out) {
            return Scrub::failed(format!("it cannot be written back ({e})"));
        }
    }
    Scrub::from_removed(writer.into_inner(), removed)
}

/// The tag without editor file names and attributes holding home paths; `None` when it has
/// none of them (the tag is written back as it was).
fn clean_tag<'a>(e: &BytesStart<'a>, removed: &mut usize) -> Option<BytesStart<'static>> {
    let leaks = |key: &str, value: &str| {
        EDITOR_FILE_ATTRIBUTES.contains(&key) || !personal_paths(value).is_empty()
    };
    let attrs: Vec<_> = e.html_attributes().with_checks(false).flatten().collect();
    if !attrs.iter().any(|a| leaks(a.key.as_ref(), &a.value)) {
        return None;
    }
    let name = e.name().as_ref().to_string();
    let mut clean = BytesStart::new(name);
    for a in attrs {
        if leaks(a.key.as_ref(), &a.value) {
            *removed += 1;
        } else {
            clean.push_attribute(a);
        }
    }
    Some(clean.into_owned())
}
