//! Prints how blogtrack reads each YAML case of a `=== name` separated file, one line per case
//! in the format of `psych/read.rb`, so `psych/compare.sh` can diff it with libyaml.

use blogtrack_yaml::{Node, Value};
fn esc(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\t' => o.push_str("\\t"),
            '\r' => o.push_str("\\r"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}
fn show(n: &Node) -> String {
    match &n.value {
        Value::Map(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{}:{}", esc(&k.name), show(v)))
                .collect::<Vec<_>>()
                .join(",")
        ),
        Value::Seq(s) => format!("[{}]", s.iter().map(show).collect::<Vec<_>>().join(",")),
        Value::Str(s) => esc(s),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.is_nan() => "NaN".into(),
        Value::Float(f) if f.is_infinite() => if *f > 0.0 { "inf" } else { "-inf" }.into(),
        Value::Float(f) => format!("{f:?}"),
        Value::Timestamp(t) => format!("\"TS:{}\"", t.raw),
    }
}
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump_cases CASES_FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    for chunk in text.split("=== ").skip(1) {
        let (name, body) = chunk.split_once('\n').unwrap_or((chunk, ""));
        let body = if name.starts_with("crlf") {
            body.replace('\n', "\r\n")
        } else {
            body.to_string()
        };
        let body = body.trim_start_matches('\u{feff}');
        let (r, w) = blogtrack_yaml::parse_with_warnings(body);
        match r {
            Ok(n) => {
                let notes = w.iter().filter(|d| d.code == "yaml-not-portable").count();
                println!(
                    "{name}\tOK {}{}",
                    show(&n),
                    if notes > 0 { " (not portable)" } else { "" }
                )
            }
            Err(d) => println!("{name}\tERR {}", d.line),
        }
    }
}
