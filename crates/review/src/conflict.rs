//! Conflicts of interest that follow from what people wrote about themselves: the same
//! institution, the same e-mail domain (an organisation's, not a webmail provider's), a
//! declared co-author. Declared conflicts ("I have a conflict with this one", the authors'
//! declaration) are stored as they are; these derived ones are recomputed whenever a
//! submission's authors or a person's affiliations change. HotCRP and OpenReview derive the
//! same two kinds (institution and domain) and treat every conflict as a hard constraint.

use serde::{Deserialize, Serialize};

/// What is known about a possible reviewer.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub email: String,
    /// Their institution and any they declared (recent ones, as the call asks).
    pub institutions: Vec<String>,
    /// E-mails or names of recent co-authors they declared.
    pub coauthors: Vec<String>,
}

/// One author of a submission as the authors entered it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub name: String,
    pub email: String,
    pub institution: String,
}

/// Why a person conflicts with a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    IsAuthor,
    SameInstitution(String),
    SameDomain(String),
    CoAuthor(String),
}

impl Reason {
    /// The `source` column value and a short human text.
    pub fn describe(&self) -> (&'static str, String) {
        match self {
            Reason::IsAuthor => ("author", "is an author".into()),
            Reason::SameInstitution(i) => ("institution", format!("same institution ({i})")),
            Reason::SameDomain(d) => ("domain", format!("same e-mail domain ({d})")),
            Reason::CoAuthor(c) => ("coauthor", format!("declared co-author ({c})")),
        }
    }
}

/// Mail providers anyone can sign up with: a shared domain there says nothing.
const PUBLIC_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "yahoo.com",
    "icloud.com",
    "me.com",
    "proton.me",
    "protonmail.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "qq.com",
    "163.com",
    "126.com",
    "yandex.ru",
    "mail.ru",
    "aol.com",
    "fastmail.com",
    "example.org",
];

/// The organisation part of an e-mail's domain (`cs.stanford.edu` → `stanford.edu`,
/// `eng.ox.ac.uk` → `ox.ac.uk`), lower-cased; `None` for webmail or a malformed address.
pub fn organisation_domain(email: &str) -> Option<String> {
    let (_, domain) = email.trim().rsplit_once('@')?;
    let domain = domain.trim_end_matches('.').to_lowercase();
    let labels: Vec<&str> = domain.split('.').filter(|l| !l.is_empty()).collect();
    if labels.len() < 2 {
        return None;
    }
    let n = labels.len();
    let second_level = ["ac", "co", "edu", "gov", "org", "com", "net"];
    let keep = if n >= 3 && labels[n - 1].len() == 2 && second_level.contains(&labels[n - 2]) {
        3
    } else {
        2
    };
    let org = labels[n.saturating_sub(keep)..].join(".");
    (!PUBLIC_MAIL.contains(&org.as_str())).then_some(org)
}

/// An institution's name for comparison: case, punctuation, a leading "the" and runs of
/// spaces do not matter.
pub fn normalize_institution(name: &str) -> String {
    let lowered: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect();
    let words: Vec<&str> = lowered.split_whitespace().collect();
    let words = match words.first() {
        Some(&"the") => &words[1..],
        _ => &words[..],
    };
    words.join(" ")
}

fn normalize_person(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Every reason `person` conflicts with a submission by `authors` (empty: no conflict).
pub fn derive(person: &Profile, authors: &[Author]) -> Vec<Reason> {
    let mut out = Vec::new();
    let email = person.email.trim().to_lowercase();
    if authors
        .iter()
        .any(|a| !email.is_empty() && a.email.trim().to_lowercase() == email)
    {
        out.push(Reason::IsAuthor);
    }
    let mine: Vec<String> = person
        .institutions
        .iter()
        .map(|i| normalize_institution(i))
        .filter(|i| !i.is_empty())
        .collect();
    for a in authors {
        let theirs = normalize_institution(&a.institution);
        if !theirs.is_empty() && mine.contains(&theirs) {
            let r = Reason::SameInstitution(a.institution.trim().to_string());
            if !out.contains(&r) {
                out.push(r);
            }
        }
    }
    if let Some(domain) = organisation_domain(&email) {
        if authors
            .iter()
            .any(|a| organisation_domain(&a.email).as_deref() == Some(&domain))
        {
            out.push(Reason::SameDomain(domain));
        }
    }
    for c in &person.coauthors {
        let c = normalize_person(c);
        if c.is_empty() {
            continue;
        }
        if let Some(a) = authors
            .iter()
            .find(|a| normalize_person(&a.email) == c || normalize_person(&a.name) == c)
        {
            out.push(Reason::CoAuthor(a.name.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn author(name: &str, email: &str, inst: &str) -> Author {
        Author {
            name: name.into(),
            email: email.into(),
            institution: inst.into(),
        }
    }

    #[test]
    fn domains_reduce_to_the_organisation_and_skip_webmail() {
        assert_eq!(
            organisation_domain("a@cs.stanford.edu").as_deref(),
            Some("stanford.edu")
        );
        assert_eq!(
            organisation_domain("a@eng.ox.ac.uk").as_deref(),
            Some("ox.ac.uk")
        );
        assert_eq!(organisation_domain("a@Gmail.com"), None);
        assert_eq!(organisation_domain("not-an-address"), None);
        assert_eq!(organisation_domain("a@localhost"), None);
    }

    #[test]
    fn institutions_compare_without_case_or_punctuation() {
        assert_eq!(
            normalize_institution("The  University of Oxford, "),
            normalize_institution("university of oxford")
        );
    }

    #[test]
    fn derived_conflicts_name_their_reason() {
        let authors = [
            author("Ada Lovelace", "ada@math.ox.ac.uk", "University of Oxford"),
            author("Alan Turing", "alan@gmail.com", "Bletchley Park"),
        ];
        let same_place = Profile {
            email: "r@gmail.com".into(),
            institutions: vec!["university of oxford".into()],
            coauthors: vec![],
        };
        assert_eq!(
            derive(&same_place, &authors),
            vec![Reason::SameInstitution("University of Oxford".into())]
        );
        let same_domain = Profile {
            email: "x@stats.ox.ac.uk".into(),
            ..Profile::default()
        };
        assert_eq!(
            derive(&same_domain, &authors),
            vec![Reason::SameDomain("ox.ac.uk".into())]
        );
        let webmail = Profile {
            email: "y@gmail.com".into(),
            ..Profile::default()
        };
        assert!(derive(&webmail, &authors).is_empty());
        let coauthor = Profile {
            email: "z@elsewhere.org".into(),
            coauthors: vec!["alan turing".into()],
            ..Profile::default()
        };
        assert_eq!(
            derive(&coauthor, &authors),
            vec![Reason::CoAuthor("Alan Turing".into())]
        );
        let author_self = Profile {
            email: "ALAN@gmail.com".into(),
            ..Profile::default()
        };
        assert_eq!(derive(&author_self, &authors), vec![Reason::IsAuthor]);
    }
}
