//! The submission gate's path rules: one changed path per line (a leading `+`, `-` or `~` makes
//! it added, deleted or modified); an optional first line `title: ...` is the PR title.
#![no_main]

use blogtrack_gate::{check_paths, Change, ChangeKind, PathPolicy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.lines().peekable();
    let title = lines
        .peek()
        .and_then(|l| l.strip_prefix("title: "))
        .map(str::to_string);
    if title.is_some() {
        lines.next();
    }
    let changes: Vec<Change> = lines
        .map(|l| {
            let (kind, path) = match l.as_bytes().first() {
                Some(b'-') => (ChangeKind::Deleted, &l[1..]),
                Some(b'~') => (ChangeKind::Modified, &l[1..]),
                Some(b'+') => (ChangeKind::Added, &l[1..]),
                _ => (ChangeKind::Added, l),
            };
            Change::new(path, kind)
        })
        .collect();
    for policy in [
        PathPolicy { post_date: None },
        PathPolicy {
            post_date: Some("2025-04-28".into()),
        },
    ] {
        let _ = check_paths(&changes, title.as_deref(), &policy);
    }
});
