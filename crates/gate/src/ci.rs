//! GitHub Actions set-up for a track repository: check and preview a submission without trusting
//! it, publish the preview from a separate, trusted job, remove it when the pull request closes,
//! and deploy the site on every push to the main branch.
//!
//! Threat model: a pull request from a fork is hostile. Its files, branch name, title and body
//! can contain anything, including text crafted to become shell code when pasted into a `run:`
//! script through `${{ … }}`, and it can even change `submission.yml` for its own run. So:
//!
//! * `submission.yml` runs on `pull_request` (never `pull_request_target`): GitHub gives it no
//!   secrets and a read-only token for forks, and `permissions: contents: read` keeps it so for
//!   branches of the repository too. It installs the pinned blogtrack release (a binary checked
//!   against its SHA-256, or built from the release's tag: nothing from the pull request is built
//!   or run), checks the submission and builds the preview to report its problems. PR-controlled
//!   values (the title) reach the shell only as environment variables, always quoted. Its result
//!   leaves the job only as the `report` artifact: the Markdown report and the PR number.
//! * `publish-preview.yml` runs on `workflow_run` after the check, with the preview secrets and a
//!   token that may comment. It treats the artifact as hostile: the PR number must be digits and
//!   GitHub must confirm that this pull request's head is the commit that was checked. It checks
//!   out the pull request's files without credentials, as data for blogtrack alone (which never
//!   executes anything from a track), over the track's own `_config.yml`, builds the preview
//!   under the submission's opaque token (`blogtrack preview --secret-env`), pushes it to a
//!   separate preview repository (its own origin, so a preview's HTML cannot act on the site), and
//!   comments report and link. The deadline freeze is judged by the time GitHub started the
//!   check (`workflow_run.created_at`), not by commit dates, which the author controls.
//! * `remove-preview.yml` runs on `pull_request_target` `closed`: it checks nothing out and uses
//!   only the pull request's number, to find and delete that pull request's preview.
//! * `remove-rejected-previews.yml` runs on a push to the main branch that changes
//!   `_data/rejected-previews.txt` (written by `blogtrack review publish`), or by hand: it checks
//!   out only that list and deletes the listed slugs' previews (`preview --remove-listed`).
//! * `deploy-site.yml` builds the site on a push to the main branch and deploys it with GitHub's
//!   Pages actions, in one `concurrency` group that never cancels a deployment half-way.
//!
//! Every action is pinned by commit SHA; the SHAs are those of the tags named beside them.
//! The templates are the `.yml` files in `workflows/` beside this crate's sources; [`Install`]
//! fills in the blogtrack release they install.

/// The blogtrack release the workflows install.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Install {
    /// `0.1.0`: the release's tag is `v0.1.0`.
    pub version: String,
    /// The GitHub repository that publishes the releases (`https://github.com/OWNER/blogtrack`).
    pub repository: String,
    /// SHA-256 (hex) of the release's `blogtrack-x86_64-unknown-linux-gnu` binary; `None`
    /// builds the release from its tag instead.
    pub sha256: Option<String>,
}

impl Install {
    /// This build's own version and repository, with the checksum given.
    pub fn this_release(sha256: Option<String>) -> Install {
        Install {
            version: env!("CARGO_PKG_VERSION").to_string(),
            repository: env!("CARGO_PKG_REPOSITORY").to_string(),
            sha256,
        }
    }
}

/// Whether `s` is a SHA-256 digest written as 64 hexadecimal digits.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

const ENV: &str = include_str!("../workflows/env.yml");
const INSTALL: &str = include_str!("../workflows/install-steps.yml");
const TEMPLATES: [(&str, &str); 5] = [
    (
        "submission.yml",
        include_str!("../workflows/submission.yml"),
    ),
    (
        "publish-preview.yml",
        include_str!("../workflows/publish-preview.yml"),
    ),
    (
        "remove-preview.yml",
        include_str!("../workflows/remove-preview.yml"),
    ),
    (
        "remove-rejected-previews.yml",
        include_str!("../workflows/remove-rejected-previews.yml"),
    ),
    (
        "deploy-site.yml",
        include_str!("../workflows/deploy-site.yml"),
    ),
];

/// The workflow files, as (path in the repository, YAML).
pub fn github_actions_workflows(install: &Install) -> Vec<(String, String)> {
    let env = ENV
        .replace("@VERSION@", &install.version)
        .replace("@REPOSITORY@", &install.repository)
        .replace(
            "@SHA256@",
            install
                .sha256
                .as_deref()
                .filter(|s| is_sha256(s))
                .unwrap_or(""),
        );
    TEMPLATES
        .iter()
        .map(|(name, yaml)| {
            (
                format!(".github/workflows/{name}"),
                yaml.replace("@ENV@\n", &env)
                    .replace("@INSTALL@\n", INSTALL),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<(String, String)> {
        github_actions_workflows(&Install {
            version: "9.8.7".into(),
            repository: "https://github.com/example/blogtrack".into(),
            sha256: Some("ab".repeat(32)),
        })
    }

    fn get(name: &str) -> String {
        all()
            .into_iter()
            .find(|(p, _)| p.ends_with(name))
            .map(|(_, y)| y)
            .unwrap_or_default()
    }

    #[test]
    fn the_release_and_its_checksum_are_filled_in_everywhere() {
        for (path, yaml) in all() {
            for placeholder in [
                "@ENV@",
                "@INSTALL@",
                "@VERSION@",
                "@REPOSITORY@",
                "@SHA256@",
            ] {
                assert!(!yaml.contains(placeholder), "{path}: {placeholder}");
            }
            assert!(yaml.contains("BLOGTRACK_VERSION: \"9.8.7\""), "{path}");
            assert!(
                yaml.contains(&format!("BLOGTRACK_SHA256: \"{}\"", "ab".repeat(32))),
                "{path}"
            );
            assert!(yaml.contains("sha256sum --check"), "{path}");
        }
        let none = github_actions_workflows(&Install::this_release(Some("not hex".into())));
        assert!(none[0].1.contains("BLOGTRACK_SHA256: \"\""));
    }

    #[test]
    fn every_action_is_pinned_by_commit_sha() {
        for (path, yaml) in all() {
            for line in yaml.lines() {
                let Some(rest) = line
                    .trim_start()
                    .trim_start_matches("- ")
                    .strip_prefix("uses:")
                else {
                    continue;
                };
                let target = rest.split_whitespace().next().unwrap_or("");
                let (_, sha) = target.split_once('@').unwrap_or(("", ""));
                assert!(
                    sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_hexdigit()),
                    "{path}: {line}"
                );
                assert!(
                    line.contains(" # v"),
                    "{path}: the tag is named beside the SHA: {line}"
                );
            }
        }
    }

    #[test]
    fn untrusted_workflow_has_no_write_permission_and_no_secret() {
        let yaml = get("submission.yml");
        assert!(yaml.contains("pull_request:") && !yaml.contains("pull_request_target"));
        assert!(yaml.contains("permissions: {}\n") && yaml.contains("      contents: read # "));
        assert!(!yaml.contains("secrets."));
    }

    #[test]
    fn the_trusted_workflow_checks_the_artifact_and_reads_the_pr_as_data() {
        let yaml = get("publish-preview.yml");
        assert!(yaml.contains("workflow_run:"));
        assert!(yaml.contains("\"$head\" != \"$HEAD_SHA\""));
        assert!(yaml.contains("cp track/_config.yml submission/_config.yml"));
        assert!(yaml.contains("--secret-env PREVIEW_TOKEN_SECRET"));
        assert!(yaml.contains("BLOGTRACK_NOW: ${{ github.event.workflow_run.created_at }}"));
        // Checkouts never keep a token, and nothing but blogtrack, git, gh and coreutils runs.
        assert_eq!(
            yaml.matches("actions/checkout@").count(),
            yaml.matches("persist-credentials: false").count()
        );
        for banned in [
            "npm ",
            "make",
            "bash submission",
            "./submission",
            "cargo build",
            "sh -c",
        ] {
            assert!(!yaml.contains(banned), "{banned}");
        }
        let remove = get("remove-preview.yml");
        assert!(remove.contains("pull_request_target:") && !remove.contains("actions/checkout"));
        // The rejected previews go on a push of the decisions to the main branch: no pull
        // request is read, and the checkout is the list alone.
        let rejected = get("remove-rejected-previews.yml");
        assert!(rejected
            .contains("  push:\n    branches: [main]\n    paths: [_data/rejected-previews.txt]\n"));
        assert!(!rejected.contains("pull_request"));
        assert!(rejected.contains("sparse-checkout: _data/rejected-previews.txt\n"));
        assert!(rejected.contains("--remove-listed track/_data/rejected-previews.txt"));
    }

    #[test]
    fn the_site_deploy_cannot_race() {
        let yaml = get("deploy-site.yml");
        assert!(yaml.contains("concurrency:\n  group: pages\n  cancel-in-progress: false\n"));
        assert!(yaml.contains("actions/deploy-pages@") && !yaml.contains("git push"));
    }

    #[test]
    fn no_expression_inside_a_run_script() {
        for (path, yaml) in all() {
            assert_no_expression_in_run(&path, &yaml);
        }
    }

    /// No `${{ … }}` expression inside a `run:` script: values come through `env:`.
    fn assert_no_expression_in_run(path: &str, yaml: &str) {
        let mut in_run = false;
        let mut run_indent = 0;
        for line in yaml.lines() {
            let indent = line.len() - line.trim_start().len();
            let t = line.trim_start();
            if in_run && !t.is_empty() && indent <= run_indent {
                in_run = false;
            }
            if let Some(rest) = t.strip_prefix("run:").or_else(|| t.strip_prefix("- run:")) {
                in_run = true;
                run_indent = indent;
                assert!(!rest.contains("${{"), "{path}: {line}");
            } else if in_run {
                assert!(
                    !line.contains("${{"),
                    "{path}: expression in a run script: {line}"
                );
            }
        }
    }
}
