//! What organizers decide and area chairs recommend: the decision options (default accept /
//! reject), the awards (default best post, runner-up), the poster session, the meta-review
//! form, and the reading of the bulk-decision table (one form, one row per submission).
//! Who may see a decision when is [`released`]: never before the release instant, for
//! anyone but organizers.
//!
//! ```yaml
//! review:
//!   decisions:
//!     - { key: accept, label: Accept, accepted: true }
//!     - { key: reject, label: Reject }
//!   awards:
//!     - { key: best-post, label: Best post }
//!     - { key: runner-up, label: Runner-up }
//!   meta_review_form:
//!     - { key: recommendation, label: Recommendation, type: scale, options: { 1: Reject, 2: Accept } }
//!     - { key: meta_review, label: Meta-review, type: text, required: true }
//! ```

use crate::form::{self, Field, FieldError, Kind};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionOption {
    /// Stored and published identifier (`accept`).
    pub key: String,
    pub label: String,
    /// Whether this outcome accepts the post (it is then published).
    pub accepted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Award {
    pub key: String,
    pub label: String,
}

/// Longest note an organizer may attach to a decision (characters).
pub const MAX_NOTE: usize = 2000;

pub fn default_options() -> Vec<DecisionOption> {
    vec![
        DecisionOption {
            key: "accept".into(),
            label: "Accept".into(),
            accepted: true,
        },
        DecisionOption {
            key: "reject".into(),
            label: "Reject".into(),
            accepted: false,
        },
    ]
}

pub fn default_awards() -> Vec<Award> {
    vec![
        Award {
            key: "best-post".into(),
            label: "Best post".into(),
        },
        Award {
            key: "runner-up".into(),
            label: "Runner-up".into(),
        },
    ]
}

/// The meta-review form when the config gives none: a recommendation and the text.
pub fn default_meta_review_form() -> Vec<Field> {
    vec![
        Field {
            key: "recommendation".into(),
            label: "Recommendation".into(),
            help: String::new(),
            required: true,
            kind: Kind::Scale {
                options: vec![
                    (1, "Reject".into()),
                    (2, "Borderline".into()),
                    (3, "Accept".into()),
                ],
            },
        },
        Field {
            key: "meta_review".into(),
            label: "Meta-review".into(),
            help: "Summarize the reviews and the discussion; say what decided your recommendation."
                .into(),
            required: true,
            kind: Kind::Text {
                max: form::DEFAULT_MAX_TEXT,
            },
        },
    ]
}

/// Whether `key` can name a decision option or an award (letters, digits, `-`, `_`).
pub fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// When decisions are shown to people other than organizers: at `release` (the
/// `decisions` date), and never while no release date is set.
pub fn released(release: Option<i64>, now: i64) -> bool {
    release.is_some_and(|r| now >= r)
}

/// One row of the bulk-decision table as read from the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionInput {
    pub submission_id: String,
    pub outcome: String,
    pub accepted: bool,
    pub award: Option<String>,
    pub poster: bool,
    pub note: String,
}

/// Reads the bulk-decision form: for each submission id `ID` of `known`, the fields
/// `outcome_ID` (an option key, or empty: no decision in this row), `award_ID` (an award key
/// or empty), `poster_ID` (a checkbox) and `note_ID`. A field for an id outside `known` (a
/// forged id) or any other field is an error; an award or poster on a row without outcome, or
/// on a rejected one, too. Every problem is reported, not the first only.
pub fn read_bulk(
    options: &[DecisionOption],
    awards: &[Award],
    known: &[String],
    input: &BTreeMap<String, String>,
) -> Result<Vec<DecisionInput>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut fail = |key: &str, message: String| {
        errors.push(FieldError {
            key: key.to_string(),
            message,
        })
    };
    for key in input.keys() {
        let id = ["outcome_", "award_", "poster_", "note_"]
            .iter()
            .find_map(|p| key.strip_prefix(p));
        match id {
            Some(id) if known.iter().any(|k| k == id) => {}
            Some(_) => fail(key, format!("“{key}” names no submission of this table")),
            None => fail(key, format!("the decision table has no field “{key}”")),
        }
    }
    let mut rows = Vec::new();
    for id in known {
        let get = |p: &str| {
            input
                .get(&format!("{p}{id}"))
                .map(|s| s.trim())
                .unwrap_or("")
        };
        let (outcome, award, note) = (get("outcome_"), get("award_"), get("note_"));
        let poster = matches!(get("poster_"), "on" | "true" | "1" | "yes");
        let key = |p: &str| format!("{p}{id}");
        if note.chars().count() > MAX_NOTE {
            fail(
                &key("note_"),
                format!("the note is longer than {MAX_NOTE} characters"),
            );
        }
        if outcome.is_empty() {
            if !award.is_empty() || poster || !note.is_empty() {
                fail(
                    &key("outcome_"),
                    "choose a decision for this row, or clear its award, poster and note".into(),
                );
            }
            continue;
        }
        let Some(option) = options.iter().find(|o| o.key == outcome) else {
            let keys: Vec<&str> = options.iter().map(|o| o.key.as_str()).collect();
            fail(
                &key("outcome_"),
                format!(
                    "“{outcome}” is not a decision; use one of {}",
                    keys.join(", ")
                ),
            );
            continue;
        };
        let award = if award.is_empty() {
            None
        } else if awards.iter().any(|a| a.key == award) {
            Some(award.to_string())
        } else {
            let keys: Vec<&str> = awards.iter().map(|a| a.key.as_str()).collect();
            fail(
                &key("award_"),
                format!("“{award}” is not an award; use one of {}", keys.join(", ")),
            );
            None
        };
        if !option.accepted && (award.is_some() || poster) {
            fail(
                &key("award_"),
                format!(
                    "a submission decided “{}” cannot have an award or a poster",
                    option.label
                ),
            );
        }
        rows.push(DecisionInput {
            submission_id: id.clone(),
            outcome: option.key.clone(),
            accepted: option.accepted,
            award,
            poster,
            note: note.to_string(),
        });
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn ids() -> Vec<String> {
        vec!["a1".into(), "b2".into(), "c3".into()]
    }

    #[test]
    fn reads_rows_and_skips_undecided_ones() {
        let rows = read_bulk(
            &default_options(),
            &default_awards(),
            &ids(),
            &input(&[
                ("outcome_a1", "accept"),
                ("award_a1", "best-post"),
                ("poster_a1", "on"),
                ("outcome_b2", "reject"),
                ("outcome_c3", ""),
            ]),
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].accepted, rows[0].award.as_deref(), rows[0].poster),
            (true, Some("best-post"), true)
        );
        assert_eq!(
            (rows[1].outcome.as_str(), rows[1].accepted),
            ("reject", false)
        );
    }

    #[test]
    fn forged_ids_unknown_options_and_awards_on_rejections_are_refused() {
        let errors = read_bulk(
            &default_options(),
            &default_awards(),
            &ids(),
            &input(&[
                ("outcome_zz", "accept"),
                ("outcome_a1", "maybe"),
                ("outcome_b2", "reject"),
                ("award_b2", "runner-up"),
                ("award_c3", "best-post"),
                ("admin", "1"),
            ]),
        )
        .unwrap_err();
        let keys: Vec<&str> = errors.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "admin",
                "outcome_zz",
                "outcome_a1",
                "award_b2",
                "outcome_c3"
            ],
            "{errors:?}"
        );
        assert!(errors[2].message.contains("accept, reject"));
    }

    #[test]
    fn decisions_are_released_at_the_date_and_never_without_one() {
        assert!(!released(None, i64::MAX));
        assert!(!released(Some(100), 99));
        assert!(released(Some(100), 100));
    }
}
