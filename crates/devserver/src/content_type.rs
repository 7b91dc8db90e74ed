//! Content types by file extension.
//!
//! A fixed table of the types a blog-post site serves (pages, styles, scripts, images, video,
//! fonts, PDFs, notebooks and bibliographies); anything else is `application/octet-stream`.
//! Text types carry `charset=utf-8` because the pipeline writes UTF-8. No content sniffing: the
//! extension the author chose decides.

/// The `Content-Type` for a path, from its extension (case-insensitive).
pub fn content_type_for(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = match name.rsplit_once('.') {
        Some((_, e)) => e.to_ascii_lowercase(),
        None => return "application/octet-stream",
    };
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml",
        "atom" => "application/atom+xml",
        "rss" => "application/rss+xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "bmp" => "image/bmp",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "ogv" => "video/ogg",
        "mov" => "video/quicktime",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "ogg" => "audio/ogg",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "txt" | "md" | "markdown" | "py" | "yml" | "yaml" | "toml" | "tex" | "identifier" => {
            "text/plain; charset=utf-8"
        }
        "csv" => "text/csv; charset=utf-8",
        "bib" => "text/x-bibtex; charset=utf-8",
        "ipynb" => "application/x-ipynb+json",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        _ => "application/octet-stream",
    }
}

/// Whether a content type is an HTML page (gets the live-reload script and the overlay).
pub fn is_html(content_type: &str) -> bool {
    content_type.starts_with("text/html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_types_a_track_serves() {
        let cases = [
            ("index.html", "text/html; charset=utf-8"),
            ("assets/css/main.css", "text/css; charset=utf-8"),
            ("assets/js/x.js", "text/javascript; charset=utf-8"),
            ("data.json", "application/json"),
            ("feed.xml", "application/xml"),
            ("a/b.svg", "image/svg+xml"),
            ("a/b.PNG", "image/png"),
            ("a/b.jpeg", "image/jpeg"),
            ("a/b.jpg", "image/jpeg"),
            ("a/b.gif", "image/gif"),
            ("a/b.webp", "image/webp"),
            ("v.mp4", "video/mp4"),
            ("paper.pdf", "application/pdf"),
            ("f.woff2", "font/woff2"),
            ("favicon.ico", "image/x-icon"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("assets/bibliography/x.bib", "text/x-bibtex; charset=utf-8"),
            ("assets/x.ipynb", "application/x-ipynb+json"),
        ];
        for (p, t) in cases {
            assert_eq!(content_type_for(p), t, "{p}");
        }
    }

    #[test]
    fn unknown_or_missing_extensions_are_binary() {
        assert_eq!(content_type_for("LICENSE"), "application/octet-stream");
        assert_eq!(content_type_for("x.unknownext"), "application/octet-stream");
        assert_eq!(content_type_for("dir.d/file"), "application/octet-stream");
    }
}
