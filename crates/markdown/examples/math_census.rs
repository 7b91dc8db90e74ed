//! Counts, over the posts of one or more track folders, the formulas the Markdown stage finds and
//! the `$` signs it leaves as text (outside code), to measure the math delimiter rules on real
//! posts: `cargo run -p blogtrack-markdown --example math_census -- ../shared/corpus/iclr-2024`
//! (`-v` prints every `$` left as text with its context, `-f` every formula's TeX). Liquid does not run here: figures'
//! captions and other `{% %}` output are not counted; the numbers are for comparing rule changes.

use blogtrack_markdown::{render, MathRenderer, Options};

struct Count {
    inline: usize,
    display: usize,
    /// Every formula's TeX, printed with `-f`.
    tex: Vec<String>,
}

impl MathRenderer for Count {
    fn render_math(&mut self, tex: &str, display: bool, _line: u32) -> String {
        self.tex.push(tex.replace('\n', " "));
        if display {
            self.display += 1;
        } else {
            self.inline += 1;
        }
        "<math></math>".into()
    }
}

/// The text a reader sees outside `<code>`/`<pre>`/`<script>`/`<style>`, tags dropped.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    let mut skip_until: Option<&str> = None;
    while let Some(k) = rest.find('<') {
        if skip_until.is_none() {
            out.push_str(&rest[..k]);
        }
        rest = &rest[k..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
            continue;
        }
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        match skip_until {
            Some(close) if tag.starts_with(close) => skip_until = None,
            Some(_) => {}
            None => {
                for (open, close) in [
                    ("<code", "</code"),
                    ("<pre", "</pre"),
                    ("<script", "</script"),
                    ("<style", "</style"),
                ] {
                    if tag.starts_with(open) && !tag.ends_with("/>") {
                        skip_until = Some(close);
                    }
                }
            }
        }
        out.push(' ');
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "-v");
    let formulas = args.iter().any(|a| a == "-f");
    let dirs: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if dirs.is_empty() {
        eprintln!("usage: math_census [-v] [-f] TRACK_DIR...");
        std::process::exit(2);
    }
    let (mut inline, mut display, mut left, mut left_currency, mut posts) = (0, 0, 0, 0, 0);
    for dir in dirs {
        let mut files: Vec<_> = match std::fs::read_dir(format!("{dir}/_posts")) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                eprintln!("{dir}/_posts: {e}");
                std::process::exit(2);
            }
        };
        files.sort();
        for path in files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
        {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let body = text
                .strip_prefix("---")
                .and_then(|t| t.find("\n---").map(|k| &t[k + 4..]))
                .unwrap_or(&text);
            let mut count = Count {
                inline: 0,
                display: 0,
                tex: Vec::new(),
            };
            // Code in `{% highlight %}` is code: leave it out as Liquid would have made it `<pre>`.
            let mut body = body.to_string();
            while let Some(a) = body.find("{% highlight") {
                let b = body[a..]
                    .find("{% endhighlight %}")
                    .map_or(body.len(), |k| a + k + 18);
                body.replace_range(a..b, "");
            }
            let out = render(&body, &Options::default(), &mut count);
            posts += 1;
            if formulas {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default();
                for t in &count.tex {
                    println!("{name}: {t}");
                }
            }
            inline += count.inline;
            display += count.display;
            let text = visible_text(&out.html);
            for (at, _) in text.match_indices('$') {
                left += 1;
                let after = text[at + 1..].chars().next();
                if after.is_some_and(|c| c.is_ascii_digit()) {
                    left_currency += 1;
                }
                if verbose {
                    let from = text[..at].char_indices().rev().nth(40).map_or(0, |c| c.0);
                    let to = text[at..]
                        .char_indices()
                        .nth(40)
                        .map_or(text.len(), |c| at + c.0);
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default();
                    println!("{name}: {}", text[from..to].replace('\n', " "));
                }
            }
        }
    }
    println!(
        "{posts} posts: {inline} inline and {display} display formulas; {left} `$` left as text, \
         {left_currency} of them before a digit"
    );
}
