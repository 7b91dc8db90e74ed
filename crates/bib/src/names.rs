//! BibTeX name lists → [`Person`]s.
//!
//! Splits `author`/`editor` on ` and ` outside braces, and reads each name in BibTeX's three
//! forms: `First von Last`, `von Last, First`, `von Last, Jr, First`; a name that is one braced
//! group (`{OpenAI Team}`) is kept whole as a literal. A final `and others` sets the *et al.*
//! flag. Name parts are converted to Unicode text here; formatting lives in `format`.

use crate::tex::to_text;

/// A person (or organisation) in a name list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Person {
    /// Given names as written (`Ashish`, `A.`, `Jean-Baptiste`).
    pub given: String,
    /// Family name with any `von` particle and `Jr` suffix (`van der Maaten`, `King Jr`).
    pub family: String,
    /// The whole name when it must not be split (an organisation written `{Name Here}`).
    pub literal: Option<String>,
}

impl Person {
    /// `A. Vaswani`, `J.-B. Grill`, or the literal / family name alone.
    pub fn short(&self) -> String {
        if let Some(l) = &self.literal {
            return l.clone();
        }
        let initials = initials(&self.given);
        match (initials.is_empty(), self.family.is_empty()) {
            (true, _) => self.family.clone(),
            (false, true) => initials,
            (false, false) => format!("{initials} {}", self.family),
        }
    }

    /// `Ashish Vaswani`.
    pub fn full(&self) -> String {
        if let Some(l) = &self.literal {
            return l.clone();
        }
        [self.given.as_str(), self.family.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `Jean-Baptiste` → `J.-B.`, `John R.` → `J. R.`, `J.R.` → `J. R.`.
fn initials(given: &str) -> String {
    let mut out = String::new();
    for word in given.split_whitespace() {
        let mut wrote_in_word = false;
        for part in word.split('-') {
            let mut wrote_in_part = false;
            for piece in part.split('.') {
                let Some(c) = piece.chars().find(|c| c.is_alphabetic()) else {
                    continue;
                };
                if wrote_in_part {
                    out.push(' ');
                } else if wrote_in_word {
                    out.push('-');
                } else if !out.is_empty() {
                    out.push(' ');
                }
                out.push(c);
                out.push('.');
                wrote_in_part = true;
                wrote_in_word = true;
            }
        }
    }
    out
}

/// Parses a name list; the flag is true when it ends in `and others`.
pub(crate) fn parse_names(field: &str) -> (Vec<Person>, bool) {
    let mut people = Vec::new();
    let mut others = false;
    for name in split_top(field, Split::And) {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        if name.eq_ignore_ascii_case("others") {
            others = true;
            continue;
        }
        people.push(parse_one(name));
    }
    (people, others)
}

#[derive(Clone, Copy, PartialEq)]
enum Split {
    And,
    Comma,
    Space,
}

/// Splits at depth-0 separators: the word `and`, commas, or whitespace.
fn split_top(s: &str, how: Split) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 0 && how == Split::Comma => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            c if depth == 0 && c.is_ascii_whitespace() => match how {
                Split::Space => {
                    out.push(&s[start..i]);
                    start = i + 1;
                }
                Split::And => {
                    let rest = &s[i + 1..];
                    let word = rest.get(..3);
                    let after = rest.as_bytes().get(3);
                    if word.is_some_and(|w| w.eq_ignore_ascii_case("and"))
                        && after.is_some_and(|c| c.is_ascii_whitespace())
                    {
                        out.push(&s[start..i]);
                        i += 4;
                        start = i + 1;
                    }
                }
                Split::Comma => {}
            },
            _ => {}
        }
        i += 1;
    }
    out.push(&s[start.min(s.len())..]);
    if how == Split::Space {
        out.retain(|w| !w.is_empty());
    }
    out
}

fn parse_one(name: &str) -> Person {
    if is_one_group(name) {
        return Person {
            literal: Some(to_text(name)),
            ..Person::default()
        };
    }
    let parts: Vec<&str> = split_top(name, Split::Comma)
        .into_iter()
        .map(str::trim)
        .collect();
    match parts.as_slice() {
        [single] => first_von_last(single),
        [last, first] => Person {
            given: to_text(first),
            family: to_text(last),
            literal: None,
        },
        [last, jr, first, ..] => Person {
            given: to_text(first),
            family: format!("{} {}", to_text(last), to_text(jr))
                .trim()
                .to_string(),
            literal: None,
        },
        [] => Person::default(),
    }
}

/// True for `{Whole Name}`: one group spanning the whole string.
fn is_one_group(name: &str) -> bool {
    if !(name.starts_with('{') && name.ends_with('}')) {
        return false;
    }
    let mut depth = 0usize;
    for (i, c) in name.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && i + 1 < name.len() {
                    return false;
                }
            }
            _ => {}
        }
    }
    name.contains(' ')
}

fn first_von_last(name: &str) -> Person {
    let words = split_top(name, Split::Space);
    let Some((last, rest)) = words.split_last() else {
        return Person::default();
    };
    let von = rest.iter().position(|w| starts_lowercase(w));
    let (given, family): (&[&str], Vec<&str>) = match von {
        Some(v) => (
            &rest[..v],
            rest[v..].iter().chain([last]).copied().collect(),
        ),
        None => (rest, vec![*last]),
    };
    Person {
        given: to_text(&given.join(" ")),
        family: to_text(&family.join(" ")),
        literal: None,
    }
}

/// BibTeX's test for a `von` word: its first letter (outside braces) is lowercase.
fn starts_lowercase(word: &str) -> bool {
    word.chars()
        .find(|c| c.is_alphabetic() || *c == '{')
        .is_some_and(|c| c.is_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(given: &str, family: &str) -> Person {
        Person {
            given: given.into(),
            family: family.into(),
            literal: None,
        }
    }

    #[test]
    fn last_first_and_first_last() {
        let (ps, others) =
            parse_names("Vaswani, Ashish and Noam Shazeer and van der Maaten, Laurens");
        assert!(!others);
        assert_eq!(
            ps,
            vec![
                p("Ashish", "Vaswani"),
                p("Noam", "Shazeer"),
                p("Laurens", "van der Maaten")
            ]
        );
    }

    #[test]
    fn von_particle_and_jr() {
        let (ps, _) = parse_names("Ludwig van Beethoven and King, Jr, Martin Luther");
        assert_eq!(ps[0], p("Ludwig", "van Beethoven"));
        assert_eq!(ps[1], p("Martin Luther", "King Jr"));
    }

    #[test]
    fn organisations_accents_and_others() {
        let (ps, others) = parse_names(
            r#"{OpenAI Team} and {Allen-Zhu}, Zeyuan and M{\"u}ller, J{\"o}rg and others"#,
        );
        assert!(others);
        assert_eq!(ps[0].literal.as_deref(), Some("OpenAI Team"));
        assert_eq!(ps[1], p("Zeyuan", "Allen-Zhu"));
        assert_eq!(ps[2], p("Jörg", "Müller"));
    }

    #[test]
    fn and_inside_braces_or_words_does_not_split() {
        let (ps, _) = parse_names("{Barnes and Noble} and Sandy Anderson");
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0].literal.as_deref(), Some("Barnes and Noble"));
        assert_eq!(ps[1], p("Sandy", "Anderson"));
    }

    #[test]
    fn short_form_uses_initials() {
        assert_eq!(p("Jean-Baptiste", "Grill").short(), "J.-B. Grill");
        assert_eq!(p("John R.", "Smith").short(), "J. R. Smith");
        assert_eq!(p("J.R.", "Smith").short(), "J. R. Smith");
        assert_eq!(p("", "Plato").short(), "Plato");
        assert_eq!(p("Émile", "Zola").short(), "É. Zola");
    }
}
