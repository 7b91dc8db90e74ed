//! The server's e-mail templates: built-in defaults, each overridable by a file of the track,
//! `_review/mail/<name>.txt`. A template is a `Subject: …` line, an empty line, then the body;
//! `{{ placeholder }}` is replaced by a value. Each template knows a fixed set of placeholders
//! ([`TEMPLATES`]); an unknown one, an unclosed `{{`, a missing Subject line, an unreadable
//! file or a file that names no template is an error at server start, with the file and line.
//! A body line that holds only placeholders that are empty is left out (so `{{ award_note }}`
//! on its own line disappears when there is no award).
//!
//! This is a small substitution rather than the project's Liquid engine on purpose: that
//! engine reproduces Jekyll's lax mode, where an unknown variable silently prints nothing,
//! while a mail template must refuse a misspelt placeholder before the first mail goes out.

use std::collections::BTreeMap;
use std::path::Path;

/// The folder of the track that holds overrides.
pub const DIR: &str = "_review/mail";

pub const SIGN_IN: &str = "sign-in";
pub const INVITATION: &str = "invitation";
pub const ASSIGNMENT_REVIEWER: &str = "assignment-reviewer";
pub const ASSIGNMENT_AREA_CHAIR: &str = "assignment-area-chair";
pub const REMINDER: &str = "reminder";
pub const DECISION_ACCEPT: &str = "decision-accept";
pub const DECISION_REJECT: &str = "decision-reject";

/// Every template: name, placeholders (besides `track` and `name`, known to all), default.
pub const TEMPLATES: &[(&str, &[&str], &str)] = &[
    (
        SIGN_IN,
        &["link", "minutes"],
        "Subject: Your sign-in link for {{ track }}\n\n\
         Sign in to the {{ track }} review:\n\n{{ link }}\n\n\
         The link works once, for {{ minutes }} minutes. If you did not ask for it, ignore this message.\n",
    ),
    (
        INVITATION,
        &["link", "role", "days"],
        "Subject: Invitation to review for {{ track }}\n\n\
         Dear {{ name }},\n\nYou are invited to serve as {{ role }} for {{ track }}.\n\n\
         Accept here (the link works once, for {{ days }} days):\n{{ link }}\n",
    ),
    (
        ASSIGNMENT_REVIEWER,
        &["submissions", "count", "link", "deadline_aoe"],
        "Subject: {{ track }}: your review assignments\n\n\
         Dear {{ name }},\n\nYou are now assigned to review {{ count }} submission(s):\n\n{{ submissions }}\n\n\
         Reviews are due {{ deadline_aoe }}. Your assignments: {{ link }}\n",
    ),
    (
        ASSIGNMENT_AREA_CHAIR,
        &["submissions", "count", "link", "deadline_aoe"],
        "Subject: {{ track }}: your area-chair assignments\n\n\
         Dear {{ name }},\n\nYou are now the area chair of {{ count }} submission(s):\n\n{{ submissions }}\n\n\
         Meta-reviews are due {{ deadline_aoe }}. Your submissions: {{ link }}\n",
    ),
    (
        REMINDER,
        &["submissions", "count", "link", "deadline_aoe"],
        "Subject: {{ track }}: {{ count }} review(s) missing\n\n\
         Dear {{ name }},\n\nYour review of these submissions is still missing:\n\n{{ submissions }}\n\n\
         Reviews are due {{ deadline_aoe }}. Write them here: {{ link }}\n",
    ),
    (
        DECISION_ACCEPT,
        &["title", "outcome", "award", "award_note", "poster_note", "link"],
        "Subject: {{ track }}: your submission \"{{ title }}\" is accepted\n\n\
         Dear {{ name }},\n\nWe are glad to tell you that your submission \"{{ title }}\" is accepted ({{ outcome }}).\n\
         {{ award_note }}\n{{ poster_note }}\n\n\
         The decision and the reviews: {{ link }}\n",
    ),
    (
        DECISION_REJECT,
        &["title", "outcome", "link"],
        "Subject: {{ track }}: decision on \"{{ title }}\"\n\n\
         Dear {{ name }},\n\nWe are sorry to tell you that your submission \"{{ title }}\" was not accepted ({{ outcome }}).\n\n\
         The decision and the reviews: {{ link }}\n",
    ),
];

/// Placeholders every template knows.
const COMMON: &[&str] = &["track", "name"];

#[derive(Debug, Clone)]
enum Piece {
    Text(String),
    Var(String),
}

#[derive(Debug, Clone)]
struct Template {
    subject: Vec<Piece>,
    /// The body, line by line.
    body: Vec<Vec<Piece>>,
}

/// Every template, parsed and checked.
#[derive(Debug, Clone)]
pub struct Templates {
    by_name: BTreeMap<&'static str, Template>,
}

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

fn parse_line(line: &str, known: &[&str], at: &str, n: usize) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("{{") {
        if i > 0 {
            out.push(Piece::Text(rest[..i].to_string()));
        }
        let after = &rest[i + 2..];
        let Some(j) = after.find("}}") else {
            return Err(format!(
                "{at}:{n}: `{{{{` is not closed: write a placeholder as {{{{ name }}}}"
            ));
        };
        let var = after[..j].trim();
        if !known.contains(&var) && !COMMON.contains(&var) {
            let mut all: Vec<&str> = COMMON.to_vec();
            all.extend_from_slice(known);
            return Err(format!(
                "{at}:{n}: unknown placeholder `{{{{ {var} }}}}`; this template knows {}",
                all.iter()
                    .map(|v| format!("{{{{ {v} }}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        out.push(Piece::Var(var.to_string()));
        rest = &after[j + 2..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_string()));
    }
    Ok(out)
}

fn parse(text: &str, known: &[&str], at: &str) -> Result<Template, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    let Some(subject) = first.strip_prefix("Subject:") else {
        return Err(format!(
            "{at}:1: the first line must be `Subject: …` (then an empty line, then the body)"
        ));
    };
    let subject = parse_line(subject.trim(), known, at, 1)?;
    match lines.next() {
        Some(l) if l.trim().is_empty() => {}
        None => {}
        Some(_) => {
            return Err(format!(
                "{at}:2: leave an empty line after the Subject line"
            ))
        }
    }
    let mut body = Vec::new();
    for (i, line) in lines.enumerate() {
        body.push(parse_line(line.trim_end_matches('\r'), known, at, i + 3)?);
    }
    Ok(Template { subject, body })
}

impl Templates {
    /// The built-in templates only.
    pub fn builtin() -> Templates {
        let mut by_name = BTreeMap::new();
        for (name, known, text) in TEMPLATES {
            // The defaults are checked by a test; a broken one is a build mistake.
            if let Ok(t) = parse(text, known, &format!("built-in template {name}")) {
                by_name.insert(*name, t);
            }
        }
        Templates { by_name }
    }

    /// The defaults with the overrides of `track`'s `_review/mail/` folder (when it exists).
    /// Every problem is reported, one per line.
    pub fn load(track: &Path) -> Result<Templates, String> {
        let mut t = Templates::builtin();
        let dir = track.join(DIR);
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(t),
            Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
        };
        let mut errors = Vec::new();
        let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        for path in files {
            let shown = path.display().to_string();
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let is_txt = path.extension().and_then(|e| e.to_str()) == Some("txt");
            let Some((name, known, _)) = TEMPLATES.iter().find(|(n, _, _)| *n == stem && is_txt)
            else {
                let names: Vec<String> = TEMPLATES.iter().map(|t| format!("{}.txt", t.0)).collect();
                errors.push(format!(
                    "{shown}: not a mail template; the templates are {}",
                    names.join(", ")
                ));
                continue;
            };
            match std::fs::read_to_string(&path) {
                Ok(text) => match parse(&text, known, &shown) {
                    Ok(tpl) => {
                        t.by_name.insert(name, tpl);
                    }
                    Err(e) => errors.push(e),
                },
                Err(e) => errors.push(format!("{shown}: cannot read it: {e}")),
            }
        }
        if errors.is_empty() {
            Ok(t)
        } else {
            Err(errors.join("\n"))
        }
    }

    /// Renders template `name` with `vars` (a placeholder without a value is empty). Values
    /// in the Subject line lose their line breaks.
    pub fn render(&self, name: &str, vars: &[(&str, String)]) -> Rendered {
        let value = |v: &str| {
            vars.iter()
                .find(|(k, _)| *k == v)
                .map(|(_, s)| s.as_str())
                .unwrap_or("")
        };
        let line = |pieces: &[Piece]| {
            let mut s = String::new();
            for p in pieces {
                match p {
                    Piece::Text(t) => s.push_str(t),
                    Piece::Var(v) => s.push_str(value(v)),
                }
            }
            s
        };
        let Some(t) = self.by_name.get(name) else {
            return Rendered {
                subject: name.to_string(),
                body: String::new(),
            };
        };
        let subject: String = line(&t.subject)
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let mut body = String::new();
        for pieces in &t.body {
            let only_vars = !pieces.is_empty() && pieces.iter().all(|p| matches!(p, Piece::Var(_)));
            let text = line(pieces);
            if only_vars && text.trim().is_empty() {
                continue;
            }
            body.push_str(&text);
            body.push('\n');
        }
        Rendered {
            subject: subject.trim().to_string(),
            body,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_parses_and_uses_only_its_placeholders() {
        for (name, known, text) in TEMPLATES {
            parse(text, known, name).unwrap();
        }
        assert_eq!(Templates::builtin().by_name.len(), TEMPLATES.len());
    }

    #[test]
    fn overrides_replace_defaults_and_mistakes_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let mail = dir.path().join(DIR);
        std::fs::create_dir_all(&mail).unwrap();
        std::fs::write(
            mail.join("reminder.txt"),
            "Subject: Missing: {{count}}\n\nHi {{ name }},\n{{ submissions }}\n",
        )
        .unwrap();
        let t = Templates::load(dir.path()).unwrap();
        let r = t.render(
            REMINDER,
            &[
                ("count", "2".into()),
                ("name", "Rita".into()),
                ("submissions", "- A\n- B".into()),
            ],
        );
        assert_eq!(r.subject, "Missing: 2");
        assert_eq!(r.body, "Hi Rita,\n- A\n- B\n");
        std::fs::write(
            mail.join("decision-accept.txt"),
            "Subject: Yes\n\nDear {{ name }},\n\nYour {{ titel }} is in.\n",
        )
        .unwrap();
        std::fs::write(mail.join("remindr.txt"), "Subject: x\n").unwrap();
        let err = Templates::load(dir.path()).unwrap_err();
        assert!(
            err.contains("decision-accept.txt:5: unknown placeholder `{{ titel }}`"),
            "{err}"
        );
        assert!(err.contains("{{ title }}"), "{err}");
        assert!(err.contains("remindr.txt: not a mail template"), "{err}");
        std::fs::remove_file(mail.join("remindr.txt")).unwrap();
        std::fs::write(mail.join("decision-accept.txt"), "Hello {{ name\n").unwrap();
        let err = Templates::load(dir.path()).unwrap_err();
        assert!(
            err.contains("decision-accept.txt:1: the first line must be `Subject:"),
            "{err}"
        );
        std::fs::write(
            mail.join("decision-accept.txt"),
            "Subject: a\n\nHello {{ name\n",
        )
        .unwrap();
        let err = Templates::load(dir.path()).unwrap_err();
        assert!(
            err.contains("decision-accept.txt:3: `{{` is not closed"),
            "{err}"
        );
    }

    #[test]
    fn lines_of_empty_placeholders_vanish_and_subjects_stay_one_line() {
        let t = Templates::builtin();
        let r = t.render(
            DECISION_ACCEPT,
            &[
                ("title", "A\r\nBcc: x@y.org".into()),
                ("award_note", String::new()),
                ("poster_note", String::new()),
            ],
        );
        assert!(
            !r.subject.contains('\n') && !r.subject.contains('\r'),
            "{:?}",
            r.subject
        );
        assert!(!r.body.contains("\n\n\n"), "{:?}", r.body);
    }
}
