//! Where a submission's preview is published and when it stops changing: the opaque token that
//! names its folder, the stamp kept beside it, and the freeze at the submission deadline.
//!
//! The token is HMAC-SHA256 of the slug under a repository secret (`PREVIEW_TOKEN_SECRET`): the
//! same on every push, unguessable without the secret, and unrelated to the pull request's number
//! or author, so a reviewer cannot go from the link to the pull request.
//!
//! The stamp (`TOKEN/.blogtrack-preview.json`) records what was published, in a form that the
//! public preview site may carry: the commit sealed under the secret (XOR with an HMAC key stream
//! whose nonce is derived from the commit, so a commit id never appears in the clear), and an
//! HMAC of the pull-request number, which lets the removal job find the folder of a closed pull
//! request. No date is stored: publication times would match the pull request's pushes.
//!
//! After `blogtrack.dates.submission_deadline` a preview that exists is not replaced (unless the
//! organizers list the slug in `blogtrack.republish_after_deadline`): [`decide`] is a pure
//! function of the clock and the config, so tests run it with a fake clock.

use blogtrack_diag::Diagnostic;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::json;
use sha2::Sha256;
use std::path::Path;

/// Name of the stamp file inside a preview's folder.
pub const STAMP_FILE: &str = ".blogtrack-preview.json";

fn mac(secret: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut m =
        <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC takes any key length");
    for p in parts {
        m.update(&(p.len() as u64).to_be_bytes());
        m.update(p);
    }
    m.finalize().into_bytes().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The folder name of the preview of `slug`: 32 hex digits (128 bits) of its HMAC.
pub fn token(secret: &[u8], slug: &str) -> String {
    hex(&mac(secret, &[b"blogtrack-preview-token", slug.as_bytes()])[..16])
}

/// The HMAC of a pull-request number, as the stamp stores it.
pub fn pr_mac(secret: &[u8], pr: u64) -> String {
    hex(&mac(
        secret,
        &[b"blogtrack-preview-pr", pr.to_string().as_bytes()],
    ))
}

/// Whether `s` looks like a git commit id (7 to 64 hex digits).
pub fn is_commit_id(s: &str) -> bool {
    (7..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// What was published, as stored beside the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// Nonce (hex) and sealed commit id (hex), if a commit was given.
    pub commit: Option<(String, String)>,
    pub pr: Option<String>,
}

impl Stamp {
    /// The stamp for publishing `commit` of pull request `pr`.
    pub fn new(secret: &[u8], token: &str, commit: Option<&str>, pr: Option<u64>) -> Stamp {
        Stamp {
            commit: commit.map(|c| seal(secret, token, c)),
            pr: pr.map(|n| pr_mac(secret, n)),
        }
    }

    pub fn to_json(&self) -> String {
        let commit = self
            .commit
            .as_ref()
            .map(|(n, s)| json!({"nonce": n, "sealed": s}));
        let v = json!({"format": 1, "commit": commit, "pr": self.pr});
        format!("{v}\n")
    }

    /// Reads a stamp; `None` when the text is not one (a damaged stamp counts as none).
    pub fn from_json(text: &str) -> Option<Stamp> {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        let commit = match v.get("commit") {
            Some(serde_json::Value::Object(c)) => Some((
                c.get("nonce")?.as_str()?.to_string(),
                c.get("sealed")?.as_str()?.to_string(),
            )),
            _ => None,
        };
        let pr = v.get("pr").and_then(|p| p.as_str()).map(str::to_string);
        Some(Stamp { commit, pr })
    }

    /// The commit id this stamp records, unsealed with the secret.
    pub fn commit(&self, secret: &[u8], token: &str) -> Option<String> {
        let (nonce, sealed) = self.commit.as_ref()?;
        unseal(secret, token, nonce, sealed)
    }
}

fn keystream(secret: &[u8], token: &str, nonce: &[u8]) -> [u8; 32] {
    mac(
        secret,
        &[b"blogtrack-preview-seal", token.as_bytes(), nonce],
    )
}

/// Seals a commit id (hex, up to 64 digits) as (nonce, sealed), both hex.
fn seal(secret: &[u8], token: &str, commit: &str) -> (String, String) {
    let nonce = &mac(
        secret,
        &[
            b"blogtrack-preview-nonce",
            token.as_bytes(),
            commit.as_bytes(),
        ],
    )[..16];
    let ks = keystream(secret, token, nonce);
    let plain = commit.as_bytes();
    // Commit ids are at most 64 ASCII digits; the key stream covers 32 bytes, so take two blocks.
    let ks2 = mac(
        secret,
        &[b"blogtrack-preview-seal-2", token.as_bytes(), nonce],
    );
    let sealed: Vec<u8> = plain
        .iter()
        .enumerate()
        .map(|(i, b)| b ^ if i < 32 { ks[i] } else { ks2[i - 32] })
        .collect();
    (hex(nonce), hex(&sealed))
}

fn unseal(secret: &[u8], token: &str, nonce_hex: &str, sealed_hex: &str) -> Option<String> {
    let nonce = unhex(nonce_hex)?;
    let sealed = unhex(sealed_hex)?;
    if sealed.len() > 64 {
        return None;
    }
    let ks = keystream(secret, token, &nonce);
    let ks2 = mac(
        secret,
        &[b"blogtrack-preview-seal-2", token.as_bytes(), &nonce],
    );
    let plain: Vec<u8> = sealed
        .iter()
        .enumerate()
        .map(|(i, b)| b ^ if i < 32 { ks[i] } else { ks2[i - 32] })
        .collect();
    let s = String::from_utf8(plain).ok()?;
    is_commit_id(&s).then_some(s)
}

/// What to do with a preview build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Write the preview (before the deadline, the first preview, or allowed by the organizers).
    Publish { after_deadline: bool },
    /// Leave the published preview as it is; it shows `commit` when the stamp says.
    Frozen,
}

/// Whether a preview built at `now` may replace the published one: always before the deadline
/// (or with no deadline); after it only when the organizers allowed this slug. A submission that
/// had no preview before the deadline gets none after it either, unless allowed.
pub fn decide(now: i64, deadline: Option<i64>, allowed: bool) -> Decision {
    match deadline {
        Some(d) if now > d && !allowed => Decision::Frozen,
        Some(d) if now > d => Decision::Publish {
            after_deadline: true,
        },
        _ => Decision::Publish {
            after_deadline: false,
        },
    }
}

/// The stamp of the preview in `dir`, if it has a readable one.
pub fn read_stamp(dir: &Path) -> Option<Stamp> {
    let text = std::fs::read_to_string(dir.join(STAMP_FILE)).ok()?;
    Stamp::from_json(&text)
}

/// Writes the stamp into the preview folder `dir`.
pub fn write_stamp(dir: &Path, stamp: &Stamp) -> Result<(), Diagnostic> {
    let path = dir.join(STAMP_FILE);
    std::fs::write(&path, stamp.to_json())
        .map_err(|e| Diagnostic::error("io", format!("cannot write `{}`: {e}", path.display())))
}

/// Removes every preview under `root` whose stamp names pull request `pr`; returns the removed
/// folders' names. Only direct sub-folders with a valid stamp are considered, and a symbolic
/// link is never followed.
pub fn remove_previews_of_pr(
    root: &Path,
    secret: &[u8],
    pr: u64,
) -> Result<Vec<String>, Diagnostic> {
    let want = pr_mac(secret, pr);
    let io = |e: std::io::Error, p: &Path| {
        Diagnostic::error("io", format!("cannot read `{}`: {e}", p.display()))
    };
    let mut removed = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(root)
        .map_err(|e| io(e, root))?
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let name = entry.file_name().to_string_lossy().to_string();
        if !kind.is_dir() || name.starts_with('.') {
            continue;
        }
        let dir = entry.path();
        if read_stamp(&dir).and_then(|s| s.pr).as_deref() == Some(want.as_str()) {
            std::fs::remove_dir_all(&dir).map_err(|e| {
                Diagnostic::error("io", format!("cannot remove `{}`: {e}", dir.display()))
            })?;
            removed.push(name);
        }
    }
    Ok(removed)
}

/// Removes the previews under `root` of the slugs listed in `list` (the text of
/// `_data/rejected-previews.txt`: one slug a line, `#` comments and blank lines ignored); returns
/// the removed slugs. A slug's preview is the folder named by its [`token`], removed only when it
/// holds a stamp (a preview this program wrote) and is not a symbolic link. A line that is not a
/// slug (lowercase letters, digits and hyphens) is an error naming the line, and nothing is removed.
pub fn remove_listed_previews(
    root: &Path,
    secret: &[u8],
    list: &str,
    list_name: &str,
) -> Result<Vec<String>, Diagnostic> {
    let mut slugs = Vec::new();
    for (i, line) in list.lines().enumerate() {
        let slug = line.trim();
        if slug.is_empty() || slug.starts_with('#') {
            continue;
        }
        let is_slug = slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !is_slug {
            return Err(Diagnostic::error(
                "usage",
                format!("`{slug}` is not a post's slug, so no preview was removed"),
            )
            .in_file(list_name)
            .at(i as u32 + 1, 1)
            .with_hint(
                "list one slug a line (`2026-04-27-name`), as `blogtrack review publish` writes it",
            ));
        }
        slugs.push(slug.to_string());
    }
    let mut removed = Vec::new();
    for slug in slugs {
        let dir = root.join(token(secret, &slug));
        let is_dir = std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir());
        if is_dir && read_stamp(&dir).is_some() {
            std::fs::remove_dir_all(&dir).map_err(|e| {
                Diagnostic::error("io", format!("cannot remove `{}`: {e}", dir.display()))
            })?;
            removed.push(slug);
        }
    }
    Ok(removed)
}

/// Short form of a commit id for comments.
fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

/// The line the comment gets about the commit reviewers see.
pub fn commit_note(commit: Option<&str>, after_deadline: bool) -> String {
    let mut s = String::new();
    if let Some(c) = commit.filter(|c| is_commit_id(c)) {
        s.push_str(&format!("\nReviewers see commit `{}`.\n", short(c)));
    }
    if after_deadline {
        s.push_str(
            "\nBuilt after the submission deadline: the organizers allowed this post in \
             `blogtrack.republish_after_deadline`.\n",
        );
    }
    s
}

/// The comment when the deadline has passed and the preview was not re-published.
pub fn frozen_comment(
    slug: &str,
    deadline: &str,
    url: Option<&str>,
    head: Option<&str>,
    shown: Option<&str>,
) -> String {
    let mut s = format!("<!-- blogtrack-preview: {slug} -->\n");
    s.push_str(&format!(
        "**The submission deadline ({deadline}) has passed**: this push was checked, but the \
         reviewers' preview was not re-published.\n\n"
    ));
    match (url, shown) {
        (Some(url), Some(c)) => s.push_str(&format!(
            "Reviewers see [the preview](<{url}>) of commit `{}`, the last one published before the deadline.\n",
            short(c)
        )),
        (Some(url), None) => s.push_str(&format!(
            "Reviewers see [the preview](<{url}>) published before the deadline.\n"
        )),
        (None, _) => s.push_str(
            "No preview was published before the deadline, so reviewers have none.\n",
        ),
    }
    if let Some(h) = head.filter(|c| is_commit_id(c) && Some(*c) != shown) {
        s.push_str(&format!(
            "\nThis push (commit `{}`) is not shown to reviewers.\n",
            short(h)
        ));
    }
    s.push_str(
        "\nOrganizers can let the preview follow later pushes by adding the post's slug to \
         `blogtrack.republish_after_deadline` in `_config.yml`.\n",
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"test secret, not a real one";

    #[test]
    fn the_token_depends_on_the_secret_and_slug_only() {
        let t = token(SECRET, "2026-04-27-my-post");
        assert_eq!(t.len(), 32);
        assert!(t.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(t, token(SECRET, "2026-04-27-my-post"));
        assert_ne!(t, token(b"another secret", "2026-04-27-my-post"));
        assert_ne!(t, token(SECRET, "2026-04-27-other-post"));
        assert!(!t.contains("my-post"));
    }

    #[test]
    fn the_stamp_seals_the_commit_and_round_trips() {
        let commit = "0123456789abcdef0123456789abcdef01234567";
        let tok = token(SECRET, "s");
        let stamp = Stamp::new(SECRET, &tok, Some(commit), Some(123));
        let text = stamp.to_json();
        assert!(!text.contains(commit) && !text.contains("123\""), "{text}");
        let back = Stamp::from_json(&text).unwrap();
        assert_eq!(back, stamp);
        assert_eq!(back.commit(SECRET, &tok).as_deref(), Some(commit));
        assert_eq!(back.commit(b"wrong", &tok), None);
        assert_eq!(back.pr, Some(pr_mac(SECRET, 123)));
        assert_ne!(pr_mac(SECRET, 123), pr_mac(SECRET, 124));
        let long = "ab".repeat(32);
        let s = Stamp::new(SECRET, &tok, Some(&long), None);
        assert_eq!(s.commit(SECRET, &tok).as_deref(), Some(long.as_str()));
        assert_eq!(Stamp::from_json("not json"), None);
    }

    #[test]
    fn previews_freeze_after_the_deadline() {
        let d = Some(1_000);
        let before = Decision::Publish {
            after_deadline: false,
        };
        assert_eq!(decide(999, d, false), before);
        assert_eq!(decide(1_000, d, false), before);
        assert_eq!(decide(1_001, d, false), Decision::Frozen);
        assert_eq!(
            decide(1_001, d, true),
            Decision::Publish {
                after_deadline: true
            }
        );
        assert_eq!(decide(5_000, None, false), before);
    }
}
