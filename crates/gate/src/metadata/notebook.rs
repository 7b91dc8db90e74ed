//! Jupyter notebooks: `authors`/`author` entries of the notebook's and cells' metadata, and
//! personal home paths in any string (tracebacks and warnings in outputs). The scan is the
//! gate's text scan for notebooks (`anon-notebook-metadata`, `anon-local-path`); the scrub
//! parses the JSON with `serde_json`, removes the entries, replaces the user names in paths with
//! `anonymous`, and writes it back (pretty-printed JSON) only when it removed something. A notebook that is not JSON cannot be cleaned.

use super::html::anonymize_paths;
use super::Scrub;
use serde_json::Value;

pub fn scrub(b: &[u8]) -> Scrub {
    let mut doc: Value = match serde_json::from_slice(b) {
        Ok(v) => v,
        Err(e) => return Scrub::failed(format!("it is not valid JSON ({e})")),
    };
    let removed = clean(&mut doc);
    if removed == 0 {
        return Scrub::Clean;
    }
    let mut out = match serde_json::to_vec_pretty(&doc) {
        Ok(out) => out,
        Err(e) => return Scrub::failed(format!("it cannot be written back ({e})")),
    };
    out.push(b'\n');
    Scrub::from_removed(out, removed)
}

/// Whether an `authors` value names someone (not empty, null or anonymous), as the scan decides.
fn names_someone(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty() && !s.to_lowercase().contains("anonymous"),
        Value::Array(a) => !a.is_empty() && !v.to_string().to_lowercase().contains("anonymous"),
        _ => !v.to_string().to_lowercase().contains("anonymous"),
    }
}

/// Removes author entries and anonymizes paths in place, iteratively (no recursion on hostile
/// nesting); returns how many things it removed.
fn clean(doc: &mut Value) -> usize {
    let mut removed = 0;
    let mut stack: Vec<&mut Value> = vec![doc];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                for key in ["authors", "author"] {
                    if map.get(key).is_some_and(names_someone) {
                        map.remove(key);
                        removed += 1;
                    }
                }
                stack.extend(map.values_mut());
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            Value::String(s) => {
                let (clean, n) = anonymize_paths(s);
                if n > 0 {
                    *s = clean;
                    removed += n;
                }
            }
            _ => {}
        }
    }
    removed
}
