//! Forms the track configures: the review form and the extra fields of a submission. A form
//! is a list of fields (free text in Markdown, a scale with a label per value, a checkbox);
//! this module checks what a browser or an API client sent against it. Drafts may leave
//! required fields empty; submitting may not.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest text a field accepts unless the config says otherwise (characters).
pub const DEFAULT_MAX_TEXT: usize = 20_000;
/// Longest any text field may be configured to accept.
pub const MAX_TEXT_LIMIT: usize = 200_000;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// Identifier (letters, digits, `_`), the key in stored values and the API.
    pub key: String,
    pub label: String,
    pub help: String,
    pub required: bool,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Kind {
    /// Markdown with math; at most `max` characters.
    Text {
        max: usize,
    },
    /// One of the listed values, each with its label (e.g. 1 "Strong reject").
    Scale {
        options: Vec<(i64, String)>,
    },
    Checkbox,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Check(bool),
    Number(i64),
    Text(String),
}

pub type Values = BTreeMap<String, Value>;

/// A field whose value is wrong, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub key: String,
    pub message: String,
}

/// The review form used when `_config.yml` configures none: what the ICLR call asks.
pub fn default_review_form() -> Vec<Field> {
    let text = |key: &str, label: &str, help: &str| Field {
        key: key.into(),
        label: label.into(),
        help: help.into(),
        required: true,
        kind: Kind::Text {
            max: DEFAULT_MAX_TEXT,
        },
    };
    let check = |key: &str, label: &str| Field {
        key: key.into(),
        label: label.into(),
        help: String::new(),
        required: false,
        kind: Kind::Checkbox,
    };
    vec![
        text(
            "summary",
            "Summary",
            "What the post explains, in your words.",
        ),
        text("strengths", "Strengths", ""),
        text("weaknesses", "Weaknesses and suggestions", ""),
        Field {
            key: "score".into(),
            label: "Overall recommendation".into(),
            help: String::new(),
            required: true,
            kind: Kind::Scale {
                options: vec![
                    (1, "Strong reject".into()),
                    (2, "Reject".into()),
                    (3, "Borderline".into()),
                    (4, "Accept".into()),
                    (5, "Strong accept".into()),
                ],
            },
        },
        check(
            "conflict_of_interest",
            "I have a conflict of interest with this submission",
        ),
        check("self_promotion", "The post promotes the authors' own work"),
    ]
}

/// Whether `key` can name a field.
pub fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 64
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Reads form input (`key` → the text the browser sent; checkboxes absent when unticked)
/// into values. With `complete`, required fields must be filled.
pub fn read(
    form: &[Field],
    input: &BTreeMap<String, String>,
    complete: bool,
) -> Result<Values, Vec<FieldError>> {
    let mut values = Values::new();
    let mut errors = Vec::new();
    let mut fail = |key: &str, message: String| {
        errors.push(FieldError {
            key: key.to_string(),
            message,
        })
    };
    for field in form {
        let raw = input.get(&field.key).map(|s| s.as_str());
        match &field.kind {
            Kind::Checkbox => {
                let on = matches!(raw, Some("on" | "true" | "1" | "yes"));
                if field.required && complete && !on {
                    fail(&field.key, format!("“{}” must be ticked", field.label));
                }
                values.insert(field.key.clone(), Value::Check(on));
            }
            Kind::Text { max } => {
                let text = raw.unwrap_or("").replace("\r\n", "\n");
                let len = text.chars().count();
                if len > *max {
                    fail(
                        &field.key,
                        format!(
                            "“{}” is {len} characters long; at most {max} are accepted",
                            field.label
                        ),
                    );
                } else if text.trim().is_empty() {
                    if field.required && complete {
                        fail(&field.key, format!("“{}” is required", field.label));
                    }
                } else {
                    values.insert(field.key.clone(), Value::Text(text));
                }
            }
            Kind::Scale { options } => match raw.map(str::trim).filter(|s| !s.is_empty()) {
                None => {
                    if field.required && complete {
                        fail(&field.key, format!("choose a value for “{}”", field.label));
                    }
                }
                Some(s) => match s.parse::<i64>() {
                    Ok(n) if options.iter().any(|(v, _)| *v == n) => {
                        values.insert(field.key.clone(), Value::Number(n));
                    }
                    _ => fail(
                        &field.key,
                        format!(
                            "“{}” takes one of {}",
                            field.label,
                            options
                                .iter()
                                .map(|(v, _)| v.to_string())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ),
                },
            },
        }
    }
    for key in input.keys() {
        if !form.iter().any(|f| &f.key == key) {
            fail(key, format!("the form has no field “{key}”"));
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

/// Values as form input again (for an API client's JSON or a stored draft).
pub fn to_input(values: &Values) -> BTreeMap<String, String> {
    values
        .iter()
        .filter_map(|(k, v)| {
            let s = match v {
                Value::Check(true) => "on".to_string(),
                Value::Check(false) => return None,
                Value::Number(n) => n.to_string(),
                Value::Text(t) => t.clone(),
            };
            Some((k.clone(), s))
        })
        .collect()
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

    #[test]
    fn drafts_may_be_incomplete_submissions_may_not() {
        let form = default_review_form();
        let partial = input(&[("summary", "Good post.")]);
        assert!(read(&form, &partial, false).is_ok());
        let errors = read(&form, &partial, true).unwrap_err();
        let keys: Vec<&str> = errors.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["strengths", "weaknesses", "score"]);
    }

    #[test]
    fn scales_take_only_their_values_and_text_has_a_limit() {
        let form = default_review_form();
        let bad = input(&[
            ("score", "9"),
            ("summary", &"x".repeat(DEFAULT_MAX_TEXT + 1)),
        ]);
        let errors = read(&form, &bad, false).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].message.contains("at most 20000"));
        assert!(errors[1].message.contains("one of 1, 2, 3, 4, 5"));
    }

    #[test]
    fn unknown_fields_are_refused_and_values_round_trip() {
        let form = default_review_form();
        assert!(read(&form, &input(&[("admin", "1")]), false).is_err());
        let full = input(&[
            ("summary", "s"),
            ("strengths", "t"),
            ("weaknesses", "w"),
            ("score", "4"),
            ("self_promotion", "on"),
        ]);
        let values = read(&form, &full, true).unwrap();
        assert_eq!(values["score"], Value::Number(4));
        assert_eq!(read(&form, &to_input(&values), true).unwrap(), values);
    }
}
