//! Where the tests and examples find the real track repositories (the corpus), and the one way
//! a test says that it skipped because they are absent.
//!
//! The corpus is found at `$BLOGTRACK_CORPUS` when that is set, else at `../shared/corpus` next
//! to the repository's root (where it sits on the project's machines and in CI). A fresh clone
//! has neither: a corpus test then prints `skipped: TEST needs the corpus ...` straight to the
//! terminal (past the test harness's output capture, so the line is seen although the test
//! passes), appends the same line to the file named by `$BLOGTRACK_SKIP_LOG` (`scripts/test`
//! lists them at the end) and returns. With `BLOGTRACK_REQUIRE_CORPUS=1` (CI) an absent corpus
//! fails the test instead. `scripts/fetch-corpus` fetches the two public tracks.
//!
//! Not here: reading the corpus (each test reads what it checks).

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The two tracks every corpus test expects.
pub const TRACKS: [&str; 2] = ["iclr-2023", "iclr-2024"];

/// Where the corpus would be when `BLOGTRACK_CORPUS` is not set: `../shared/corpus` from the
/// repository's root.
pub fn default_location() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// Where the corpus is looked for, and why there.
fn location() -> (PathBuf, &'static str) {
    match std::env::var_os("BLOGTRACK_CORPUS") {
        Some(p) if !p.is_empty() => (PathBuf::from(p), "BLOGTRACK_CORPUS"),
        _ => (
            default_location(),
            "../shared/corpus next to the repository",
        ),
    }
}

/// The corpus folder (holding `iclr-2023/` and `iclr-2024/`), or `None` when it is absent.
pub fn root() -> Option<PathBuf> {
    let (p, _) = location();
    TRACKS
        .iter()
        .all(|t| p.join(t).join("_posts").is_dir())
        .then_some(p)
}

/// The corpus folder for test `test`; when it is absent, says so (see the module doc) and
/// returns `None`, and the test returns early. Panics instead when `BLOGTRACK_REQUIRE_CORPUS`
/// is set, so that CI cannot pass without running the corpus tests.
pub fn require(test: &str) -> Option<PathBuf> {
    if let Some(p) = root() {
        return Some(p);
    }
    let (p, source) = location();
    let line = format!(
        "skipped: {test} needs the corpus (iclr-2023/ and iclr-2024/ with _posts/), not found at {} \
         ({source}); run scripts/fetch-corpus or set BLOGTRACK_CORPUS\n",
        p.display()
    );
    if std::env::var_os("BLOGTRACK_REQUIRE_CORPUS").is_some_and(|v| !v.is_empty() && v != "0") {
        panic!("BLOGTRACK_REQUIRE_CORPUS is set and the corpus is absent: {line}");
    }
    // Straight to the terminal: the test harness captures `eprintln!` of passing tests.
    let _ = std::io::stderr().write_all(line.as_bytes());
    if let Some(log) = std::env::var_os("BLOGTRACK_SKIP_LOG") {
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
        {
            let _ = f.write_all(line.as_bytes());
        }
    }
    None
}

/// One track of the corpus (`iclr-2023` or `iclr-2024`) for test `test`, as [`require`].
pub fn track(test: &str, name: &str) -> Option<PathBuf> {
    require(test).map(|p| p.join(name))
}

/// The corpus folder for an example or tool run by hand: the first argument's value when given,
/// else the corpus, else an error message saying where it was looked for.
pub fn for_tool(arg: Option<String>) -> Result<PathBuf, String> {
    if let Some(a) = arg {
        return Ok(PathBuf::from(a));
    }
    root().ok_or_else(|| {
        let (p, source) = location();
        format!(
            "no corpus at {} ({source}): pass its folder, set BLOGTRACK_CORPUS or run scripts/fetch-corpus",
            p.display()
        )
    })
}

/// [`for_tool`] for an example's `main`: the folder, or the message on stderr and exit 2.
pub fn for_tool_or_exit(arg: Option<String>) -> PathBuf {
    for_tool(arg).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    })
}

/// Copies the folder `from` into `to` (made if missing), recursively: the fixture tracks that
/// tests change in a scratch copy. For tests: a file that cannot be copied panics with its path.
pub fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("cannot create {}: {e}", to.display()));
    let entries =
        std::fs::read_dir(from).unwrap_or_else(|e| panic!("cannot read {}: {e}", from.display()));
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| panic!("cannot read {}: {e}", from.display()));
        let target = to.join(entry.file_name());
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("cannot copy {}: {e}", entry.path().display()));
        }
    }
}

/// Runs `git ARGS` in `dir` for a fixture repository (a fixed identity, `main` as the first
/// branch, no signing) and returns its trimmed standard output. For tests: a git that cannot
/// run or fails panics with the command and git's messages.
pub fn git(dir: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run git {args:?}: {e}"));
    assert!(
        out.status.success(),
        "git {args:?} in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One test, because it sets process-wide environment variables.
    #[test]
    fn finds_the_corpus_named_by_the_variable_and_logs_a_skip_otherwise() {
        let tmp = std::env::temp_dir().join(format!("blogtrack-testcorpus-{}", std::process::id()));
        for t in TRACKS {
            std::fs::create_dir_all(tmp.join(t).join("_posts")).expect("temp dir is writable");
        }
        let log = tmp.join("skipped.txt");
        std::env::set_var("BLOGTRACK_SKIP_LOG", &log);
        std::env::remove_var("BLOGTRACK_REQUIRE_CORPUS");

        std::env::set_var("BLOGTRACK_CORPUS", &tmp);
        assert_eq!(require("t::present"), Some(tmp.clone()));
        assert_eq!(
            track("t::present", "iclr-2024"),
            Some(tmp.join("iclr-2024"))
        );
        assert!(!log.exists(), "nothing skipped, nothing logged");

        std::env::set_var("BLOGTRACK_CORPUS", tmp.join("nowhere"));
        assert_eq!(require("t::absent"), None);
        let logged = std::fs::read_to_string(&log).unwrap_or_default();
        assert!(
            logged.starts_with("skipped: t::absent needs the corpus"),
            "{logged}"
        );
        assert!(logged.contains("nowhere") && logged.contains("scripts/fetch-corpus"));
        assert!(for_tool(None).is_err());
        assert_eq!(for_tool(Some("x".into())), Ok(PathBuf::from("x")));

        std::env::set_var("BLOGTRACK_REQUIRE_CORPUS", "1");
        assert!(std::panic::catch_unwind(|| require("t::required")).is_err());

        std::env::remove_var("BLOGTRACK_REQUIRE_CORPUS");
        std::env::remove_var("BLOGTRACK_CORPUS");
        std::env::remove_var("BLOGTRACK_SKIP_LOG");
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
