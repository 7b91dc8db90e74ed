//! The review's settings in the track's `_config.yml`: the deadlines (`blogtrack.dates`) and
//! a top-level `review:` section (how many reviews per submission, each reviewer's and area
//! chair's load, the review form, the extra fields of a submission). A missing section gives
//! the defaults; an unknown key or a wrong value is a diagnostic at its line.
//!
//! ```yaml
//! blogtrack:
//!   dates:                        # read by the `blogtrack-dates` crate
//!     submission_deadline: 2025-12-01      # the end of that day, AoE
//!     bidding_deadline: 2025-12-08 23:59 AoE
//!     reviews_deadline: 2026-01-15
//!     author_response_deadline: 2026-01-22
//! review:
//!   reviews_per_submission: 3
//!   reviewer_load: 4
//!   area_chair_load: 12
//!   form:
//!     - { key: summary, label: Summary, type: text, required: true, max: 5000 }
//!     - key: score
//!       label: Overall
//!       type: scale
//!       options: { 1: Reject, 2: Borderline, 3: Accept }
//!     - { key: coi, label: I have a conflict of interest, type: checkbox }
//!   submission_fields:
//!     - { key: tldr, label: One-sentence summary, type: text, max: 300 }
//! ```

use crate::decision::{self, Award, DecisionOption};
use crate::form::{self, Field, Kind};
use blogtrack_dates::TrackDates;
use blogtrack_diag::Diagnostic;
use blogtrack_yaml::{Node, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct ReviewSettings {
    pub dates: TrackDates,
    pub reviews_per_submission: usize,
    pub reviewer_load: usize,
    pub area_chairs_per_submission: usize,
    pub area_chair_load: usize,
    pub form: Vec<Field>,
    pub submission_fields: Vec<Field>,
    /// The outcomes organizers choose from (default accept / reject).
    pub decisions: Vec<DecisionOption>,
    /// The awards an accepted post may get (default best post, runner-up).
    pub awards: Vec<Award>,
    pub meta_review_form: Vec<Field>,
}

impl Default for ReviewSettings {
    fn default() -> Self {
        ReviewSettings {
            dates: TrackDates::default(),
            reviews_per_submission: 3,
            reviewer_load: 4,
            area_chairs_per_submission: 1,
            area_chair_load: 12,
            form: form::default_review_form(),
            submission_fields: Vec::new(),
            decisions: decision::default_options(),
            awards: decision::default_awards(),
            meta_review_form: decision::default_meta_review_form(),
        }
    }
}

const REVIEW_KEYS: &[&str] = &[
    "reviews_per_submission",
    "reviewer_load",
    "area_chairs_per_submission",
    "area_chair_load",
    "form",
    "submission_fields",
    "decisions",
    "awards",
    "meta_review_form",
];
const FIELD_KEYS: &[&str] = &["key", "label", "help", "type", "required", "max", "options"];

fn err(node: &Node, code: &'static str, msg: String, hint: &str) -> Diagnostic {
    Diagnostic::error(code, msg)
        .at(node.line, node.col)
        .with_hint(hint.to_string())
        .in_file("_config.yml")
}

/// Reads the settings from the text of `_config.yml`. Errors are collected (every bad key
/// reported, not the first only); with any error the settings are not returned.
pub fn parse(config_text: &str) -> Result<ReviewSettings, Vec<Diagnostic>> {
    let root = match blogtrack_yaml::parse_mapping(config_text).0 {
        Ok(n) => n,
        Err(d) => return Err(vec![d.in_file("_config.yml")]),
    };
    let mut errors = Vec::new();
    let mut s = ReviewSettings {
        dates: read_dates(&root, &mut errors),
        ..ReviewSettings::default()
    };
    if let Some(review) = root.get("review").filter(|n| !n.is_null()) {
        let Some(map) = review.as_map() else {
            return Err(vec![err(
                review,
                "review-config",
                "`review:` must be a section of `key: value` lines".into(),
                "see the review settings in the README",
            )]);
        };
        for (key, node) in map {
            let count = |errors: &mut Vec<Diagnostic>| match node.as_i64() {
                Some(n) if (1..=1000).contains(&n) => Some(n as usize),
                _ => {
                    errors.push(err(
                        node,
                        "review-config",
                        format!(
                            "`review.{}` must be a whole number from 1 to 1000",
                            key.name
                        ),
                        "e.g. `3`",
                    ));
                    None
                }
            };
            match key.name.as_str() {
                "reviews_per_submission" => {
                    s.reviews_per_submission =
                        count(&mut errors).unwrap_or(s.reviews_per_submission)
                }
                "reviewer_load" => s.reviewer_load = count(&mut errors).unwrap_or(s.reviewer_load),
                "area_chairs_per_submission" => {
                    s.area_chairs_per_submission =
                        count(&mut errors).unwrap_or(s.area_chairs_per_submission)
                }
                "area_chair_load" => {
                    s.area_chair_load = count(&mut errors).unwrap_or(s.area_chair_load)
                }
                "form" => s.form = read_fields(node, "review.form", &mut errors),
                "submission_fields" => {
                    s.submission_fields = read_fields(node, "review.submission_fields", &mut errors)
                }
                "meta_review_form" => {
                    s.meta_review_form = read_fields(node, "review.meta_review_form", &mut errors)
                }
                "decisions" => s.decisions = read_options(node, &mut errors),
                "awards" => s.awards = read_awards(node, &mut errors),
                other => errors.push(unknown(key, "review", other, REVIEW_KEYS)),
            }
        }
    }
    if errors.is_empty() {
        Ok(s)
    } else {
        Err(errors)
    }
}

fn unknown(key: &blogtrack_yaml::Key, section: &str, name: &str, known: &[&str]) -> Diagnostic {
    Diagnostic::error(
        "review-config",
        format!("`{section}` has no setting `{name}`"),
    )
    .at(key.line, key.col)
    .with_hint(format!("the known settings are: {}", known.join(", ")))
    .in_file("_config.yml")
}

/// The deadlines, read by the same parser as the site build's (`blogtrack-dates`). Here every
/// problem of the section is an error (`review-dates`, with the build's message and hint), an
/// unknown key and dates out of order too: the server must not run with a deadline it could
/// not read, which would leave a phase open.
pub fn read_dates(root: &Node, errors: &mut Vec<Diagnostic>) -> TrackDates {
    let Some(section) = root.get("blogtrack").and_then(|b| b.get("dates")) else {
        return TrackDates::default();
    };
    let mut diags = Vec::new();
    let dates = TrackDates::from_yaml(section, &mut diags);
    diags.extend(dates.consistency(None));
    errors.extend(diags.into_iter().map(|d| {
        Diagnostic::error("review-dates", d.message)
            .at(d.line, d.col)
            .with_hint(d.hint.unwrap_or_default())
            .in_file("_config.yml")
    }));
    dates
}

/// A form section (`form`, `meta_review_form`, `submission_fields`): a list of fields, each
/// read by [`read_field`]; a field with a problem is left out, its problem reported.
fn read_fields(node: &Node, section: &str, errors: &mut Vec<Diagnostic>) -> Vec<Field> {
    let Value::Seq(items) = &node.value else {
        errors.push(err(
            node,
            "review-form",
            format!("`{section}` must be a list of fields"),
            "start each field with `- key: …`",
        ));
        return Vec::new();
    };
    let mut fields: Vec<Field> = Vec::new();
    for item in items {
        if let Some(field) = read_field(item, section, &fields, errors) {
            fields.push(field);
        }
    }
    fields
}

/// One field of a form section: its settings known, a valid `key` not already in `fields`,
/// and a known `type` ([`field_kind`]).
fn read_field(
    item: &Node,
    section: &str,
    fields: &[Field],
    errors: &mut Vec<Diagnostic>,
) -> Option<Field> {
    let Some(map) = item.as_map() else {
        errors.push(err(
            item,
            "review-form",
            format!("a field of `{section}` must be a `key: value` section"),
            "e.g. `- { key: summary, label: Summary, type: text }`",
        ));
        return None;
    };
    for (k, _) in map {
        if !FIELD_KEYS.contains(&k.name.as_str()) {
            errors.push(unknown(k, section, &k.name, FIELD_KEYS));
        }
    }
    let text = |name: &str| item.get(name).and_then(scalar_text);
    let Some(key) = text("key").filter(|k| form::valid_key(k)) else {
        errors.push(err(
            item,
            "review-form",
            "a field needs a `key` of letters, digits and `_`".into(),
            "e.g. `key: summary`",
        ));
        return None;
    };
    if fields.iter().any(|f| f.key == key) {
        errors.push(err(
            item,
            "review-form",
            format!("two fields have the key `{key}`"),
            "give each field its own key",
        ));
        return None;
    }
    let label = text("label").unwrap_or_else(|| key.clone());
    let kind = field_kind(item, &key, errors)?;
    Some(Field {
        key,
        label,
        help: text("help").unwrap_or_default(),
        required: item
            .get("required")
            .and_then(Node::as_bool)
            .unwrap_or(false),
        kind,
    })
}

/// The `type` of field `key` (default `text`) with its settings: `max` for a text, `options`
/// for a scale. `None` for an unknown type.
fn field_kind(item: &Node, key: &str, errors: &mut Vec<Diagnostic>) -> Option<Kind> {
    match item
        .get("type")
        .and_then(scalar_text)
        .as_deref()
        .unwrap_or("text")
    {
        "text" => Some(Kind::Text {
            max: text_max(item, key, errors),
        }),
        "checkbox" => Some(Kind::Checkbox),
        "scale" => Some(Kind::Scale {
            options: scale_options(item, key, errors),
        }),
        other => {
            errors.push(err(
                item,
                "review-form",
                format!("`{other}` is not a field type"),
                "use `text`, `scale` or `checkbox`",
            ));
            None
        }
    }
}

/// The `max` of a text field: from 1 to [`form::MAX_TEXT_LIMIT`] characters, default
/// [`form::DEFAULT_MAX_TEXT`] (also after a wrong value, which is reported).
fn text_max(item: &Node, key: &str, errors: &mut Vec<Diagnostic>) -> usize {
    let Some(m) = item.get("max") else {
        return form::DEFAULT_MAX_TEXT;
    };
    match m.as_i64() {
        Some(n) if n >= 1 && n as usize <= form::MAX_TEXT_LIMIT => n as usize,
        _ => {
            errors.push(err(
                m,
                "review-form",
                format!(
                    "`max` of `{key}` must be a number from 1 to {}",
                    form::MAX_TEXT_LIMIT
                ),
                "the longest text accepted, in characters",
            ));
            form::DEFAULT_MAX_TEXT
        }
    }
}

/// The `options` of a scale field, `number: label` each; a wrong option is reported and left
/// out, and a scale without `options` is reported (and has none).
fn scale_options(item: &Node, key: &str, errors: &mut Vec<Diagnostic>) -> Vec<(i64, String)> {
    let mut options = Vec::new();
    match item.get("options").map(|o| &o.value) {
        Some(Value::Map(pairs)) => {
            for (k, v) in pairs {
                match (k.name.trim().parse::<i64>(), scalar_text(v)) {
                    (Ok(n), Some(l)) => options.push((n, l)),
                    _ => errors.push(err(
                        v,
                        "review-form",
                        format!("an option of `{key}` must be `number: label`"),
                        "e.g. `1: Strong reject`",
                    )),
                }
            }
        }
        _ => errors.push(err(
            item,
            "review-form",
            format!("the scale `{key}` needs `options`"),
            "e.g. `options: { 1: Reject, 2: Accept }`",
        )),
    }
    options
}

/// The `{ key, label, … }` items of a list section, each checked for a valid key, for
/// unknown settings and for duplicates.
fn read_keyed<'a>(
    node: &'a Node,
    section: &str,
    known: &[&str],
    errors: &mut Vec<Diagnostic>,
) -> Vec<(&'a Node, String, String)> {
    let Value::Seq(items) = &node.value else {
        errors.push(err(
            node,
            "review-config",
            format!("`{section}` must be a list"),
            "start each item with `- key: …`",
        ));
        return Vec::new();
    };
    let mut out: Vec<(&Node, String, String)> = Vec::new();
    for item in items {
        let Some(map) = item.as_map() else {
            errors.push(err(
                item,
                "review-config",
                format!("an item of `{section}` must be a `key: value` section"),
                "e.g. `- { key: accept, label: Accept }`",
            ));
            continue;
        };
        for (k, _) in map {
            if !known.contains(&k.name.as_str()) {
                errors.push(unknown(k, section, &k.name, known));
            }
        }
        let Some(key) = item
            .get("key")
            .and_then(scalar_text)
            .filter(|k| decision::valid_key(k))
        else {
            errors.push(err(
                item,
                "review-config",
                format!("an item of `{section}` needs a `key` of letters, digits, `-` and `_`"),
                "e.g. `key: accept`",
            ));
            continue;
        };
        if out.iter().any(|(_, k, _)| *k == key) {
            errors.push(err(
                item,
                "review-config",
                format!("two items of `{section}` have the key `{key}`"),
                "give each its own key",
            ));
            continue;
        }
        let label = item
            .get("label")
            .and_then(scalar_text)
            .unwrap_or_else(|| key.clone());
        out.push((item, key, label));
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(err(
            node,
            "review-config",
            format!("`{section}` is empty"),
            "list at least one item, or remove the setting for the defaults",
        ));
    }
    out
}

fn read_options(node: &Node, errors: &mut Vec<Diagnostic>) -> Vec<DecisionOption> {
    let items = read_keyed(
        node,
        "review.decisions",
        &["key", "label", "accepted"],
        errors,
    );
    let options: Vec<DecisionOption> = items
        .into_iter()
        .map(|(item, key, label)| DecisionOption {
            key,
            label,
            accepted: item
                .get("accepted")
                .and_then(Node::as_bool)
                .unwrap_or(false),
        })
        .collect();
    if !options.is_empty() && !options.iter().any(|o| o.accepted) {
        errors.push(err(
            node,
            "review-config",
            "no option of `review.decisions` accepts a post".into(),
            "mark the accepting option with `accepted: true`",
        ));
    }
    options
}

fn read_awards(node: &Node, errors: &mut Vec<Diagnostic>) -> Vec<Award> {
    read_keyed(node, "review.awards", &["key", "label"], errors)
        .into_iter()
        .map(|(_, key, label)| Award { key, label })
        .collect()
}

fn scalar_text(n: &Node) -> Option<String> {
    match &n.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_section_gives_the_defaults() {
        assert_eq!(parse("title: T\n").unwrap(), ReviewSettings::default());
    }

    #[test]
    fn reads_dates_counts_and_form() {
        let s = parse(
            "blogtrack:\n  dates:\n    submission_deadline: 2025-12-01\n    reviews_deadline: 2026-01-15 17:00 AoE\n\
             review:\n  reviews_per_submission: 2\n  form:\n    - { key: summary, label: Summary, type: text, required: true, max: 50 }\n    - key: score\n      type: scale\n      options: { 1: Reject, 2: Accept }\n    - { key: coi, label: COI, type: checkbox }\n",
        )
        .unwrap();
        let at = |m| s.dates.get(m).map(|d| d.at.written());
        assert_eq!(
            at(blogtrack_dates::Milestone::Submission).as_deref(),
            Some("2025-12-01 23:59 AoE")
        );
        assert_eq!(
            at(blogtrack_dates::Milestone::Reviews).as_deref(),
            Some("2026-01-15 17:00 AoE")
        );
        assert_eq!(s.reviews_per_submission, 2);
        assert_eq!(s.form.len(), 3);
        assert_eq!(s.form[0].kind, Kind::Text { max: 50 });
        assert_eq!(
            s.form[1].kind,
            Kind::Scale {
                options: vec![(1, "Reject".into()), (2, "Accept".into())]
            }
        );
    }

    #[test]
    fn reads_decision_options_awards_and_the_meta_review_form() {
        let s = parse(
            "review:\n  decisions:\n    - { key: accept, label: Accept, accepted: true }\n    - { key: accept-poster, label: Poster only, accepted: true }\n    - { key: reject, label: Reject }\n  awards:\n    - { key: best-post, label: Best post }\n  meta_review_form:\n    - { key: text, label: Meta-review, type: text }\n",
        )
        .unwrap();
        let keys: Vec<(&str, bool)> = s
            .decisions
            .iter()
            .map(|o| (o.key.as_str(), o.accepted))
            .collect();
        assert_eq!(
            keys,
            [("accept", true), ("accept-poster", true), ("reject", false)]
        );
        assert_eq!(s.awards.len(), 1);
        assert_eq!(s.meta_review_form.len(), 1);
    }

    #[test]
    fn bad_decision_settings_are_reported_at_their_line() {
        let errors = parse(
            "review:\n  decisions:\n    - { key: reject, colour: red }\n  awards:\n    - { label: No key }\n",
        )
        .unwrap_err();
        let lines: Vec<u32> = errors.iter().map(|d| d.line).collect();
        assert_eq!(lines, [3, 3, 5], "{errors:?}");
        assert!(errors[1].message.contains("accepts"), "{errors:?}");
    }

    #[test]
    fn every_bad_key_is_reported_at_its_line() {
        let errors = parse("review:\n  reviewer_lod: 3\n  reviews_per_submission: many\n  form:\n    - { key: a, type: slider }\n").unwrap_err();
        let lines: Vec<u32> = errors.iter().map(|d| d.line).collect();
        assert_eq!(lines, [2, 3, 5], "{errors:?}");
        assert!(errors[0]
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("reviewer_load"));
    }

    #[test]
    fn the_old_date_keys_are_refused_with_their_new_names() {
        let errors =
            parse("blogtrack:\n  dates:\n    submission: 2025-12-01\n    review: 2026-01-15\n")
                .unwrap_err();
        let got: Vec<(u32, &str)> = errors
            .iter()
            .map(|d| (d.line, d.hint.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            got,
            [
                (3, "did you mean `submission_deadline`?"),
                (4, "did you mean `reviews_deadline`?")
            ]
        );
        assert!(errors
            .iter()
            .all(|d| d.is_error() && d.file.as_deref() == Some("_config.yml")));
        let late = parse("blogtrack:\n  dates:\n    reviews_deadline: 2026-01-15\n    submission_deadline: 2026-02-01\n").unwrap_err();
        assert_eq!(late[0].code, "review-dates");
        assert!(
            late[0]
                .message
                .contains("is before the submission deadline"),
            "{late:?}"
        );
    }
}
