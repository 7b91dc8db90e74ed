//! GitHub Actions set-up for a track repository: check and preview a submission without trusting
//! it, and publish the results from a separate, trusted job.
//!
//! Threat model: a pull request from a fork is hostile. Its files, branch name, title and body
//! can contain anything, including text crafted to become shell code when pasted into a `run:`
//! script through `${{ … }}`. So:
//!
//! * `submission.yml` runs on `pull_request` (never `pull_request_target`): GitHub gives it no
//!   secrets and a read-only token for forks, and `permissions: contents: read` keeps it so for
//!   branches of the repository too. It installs a pinned blogtrack release from crates.io
//!   (`cargo install --locked`, the version in `BLOGTRACK_VERSION`: nothing from the pull
//!   request is built or run), checks the submission and builds the preview. PR-controlled
//!   values (the title) reach the shell only as environment variables, always quoted. Results
//!   leave the job only as artifacts: the preview site, the Markdown report and the PR number.
//! * `publish-preview.yml` runs on `workflow_run` after the check, in the base repository's
//!   context with a token that may comment. It never checks out or runs PR code, and never
//!   expands PR-controlled text in a `run:` script: the artifact's PR number is validated as
//!   digits before use, the comment body is passed as a file, and the preview is deployed as
//!   static files to a separate origin so its HTML cannot act on the track's own site.

/// The two workflow files, as (path in the repository, YAML).
pub fn github_actions_workflows() -> Vec<(String, String)> {
    vec![
        (
            ".github/workflows/submission.yml".to_string(),
            SUBMISSION.to_string(),
        ),
        (
            ".github/workflows/publish-preview.yml".to_string(),
            PUBLISH.to_string(),
        ),
    ]
}

const SUBMISSION: &str = r#"# Checks a submitted blog post and builds its preview.
# Untrusted: runs the pull request's content with no secrets and a read-only token.
# Results are handed to publish-preview.yml as artifacts.
name: Check submission

on:
  pull_request:
    types: [opened, synchronize, reopened, edited]

permissions:
  contents: read

concurrency:
  group: submission-${{ github.event.pull_request.number }}
  cancel-in-progress: true

env:
  BLOGTRACK_VERSION: "0.1.0"

jobs:
  check:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    steps:
      - name: Check out the pull request with history
        uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
          fetch-depth: 0
          persist-credentials: false

      - name: Install blogtrack (pinned release from crates.io)
        run: cargo install --locked blogtrack --version "$BLOGTRACK_VERSION"

      - name: Check the submission
        id: check
        env:
          BASE_SHA: ${{ github.event.pull_request.base.sha }}
          HEAD_SHA: ${{ github.event.pull_request.head.sha }}
          PR_TITLE: ${{ github.event.pull_request.title }}
        run: |
          mkdir -p report
          blogtrack check --base "$BASE_SHA" --head "$HEAD_SHA" --title "$PR_TITLE" \
            --format markdown > report/comment.md || true
          blogtrack check --base "$BASE_SHA" --head "$HEAD_SHA" --title "$PR_TITLE" --format github

      - name: Build the preview
        if: always()
        run: blogtrack preview --out preview

      - name: Record the pull request number
        if: always()
        env:
          PR_NUMBER: ${{ github.event.pull_request.number }}
        run: printf '%s\n' "$PR_NUMBER" > report/pr-number

      - name: Upload the report
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: report
          path: report/
          retention-days: 7

      - name: Upload the preview
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: preview
          path: preview/
          if-no-files-found: ignore
          retention-days: 7
"#;

const PUBLISH: &str = r#"# Publishes the results of "Check submission": comments the report on the pull request and
# deploys the preview. Trusted: it has a write token, so it never checks out or runs PR code and
# never expands PR-controlled text inside a `run:` script.
name: Publish preview

on:
  workflow_run:
    workflows: ["Check submission"]
    types: [completed]

permissions:
  contents: read
  actions: read
  pull-requests: write

jobs:
  publish:
    if: github.event.workflow_run.event == 'pull_request'
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - name: Download the report
        uses: actions/download-artifact@v4
        with:
          name: report
          path: report
          run-id: ${{ github.event.workflow_run.id }}
          github-token: ${{ github.token }}

      - name: Validate the pull request number
        id: pr
        run: |
          number="$(head -c 20 report/pr-number | tr -d '\n')"
          case "$number" in
            ''|*[!0-9]*) echo "invalid PR number in the artifact" >&2; exit 1 ;;
          esac
          echo "number=$number" >> "$GITHUB_OUTPUT"

      - name: Comment the report
        env:
          GH_TOKEN: ${{ github.token }}
          GH_REPO: ${{ github.repository }}
          PR_NUMBER: ${{ steps.pr.outputs.number }}
        run: |
          head -c 60000 report/comment.md > comment.md
          gh pr comment "$PR_NUMBER" --body-file comment.md --edit-last \
            || gh pr comment "$PR_NUMBER" --body-file comment.md

      - name: Download the preview
        uses: actions/download-artifact@v4
        continue-on-error: true
        with:
          name: preview
          path: preview
          run-id: ${{ github.event.workflow_run.id }}
          github-token: ${{ github.token }}

      # Deploy the static preview to a separate origin (a dedicated repository's Pages site, set
      # in the PREVIEW_REPOSITORY variable, pushed with a deploy key), under pr-<number>/.
      - name: Deploy the preview
        if: hashFiles('preview/**') != '' && vars.PREVIEW_REPOSITORY != ''
        env:
          PR_NUMBER: ${{ steps.pr.outputs.number }}
          PREVIEW_REPOSITORY: ${{ vars.PREVIEW_REPOSITORY }}
          DEPLOY_KEY: ${{ secrets.PREVIEW_DEPLOY_KEY }}
        run: |
          install -m 600 /dev/null "$RUNNER_TEMP/key"
          printf '%s\n' "$DEPLOY_KEY" > "$RUNNER_TEMP/key"
          export GIT_SSH_COMMAND="ssh -i $RUNNER_TEMP/key -o IdentitiesOnly=yes"
          git clone --depth 1 "git@github.com:$PREVIEW_REPOSITORY.git" site
          rm -rf "site/pr-$PR_NUMBER"
          cp -R --no-dereference preview "site/pr-$PR_NUMBER"
          find "site/pr-$PR_NUMBER" -type l -delete
          cd site
          git config user.name "preview bot"
          git config user.email "preview-bot@users.noreply.github.com"
          git add -A
          git commit -m "Preview of pull request $PR_NUMBER" || exit 0
          git push
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrusted_workflow_has_no_write_permission_and_no_inline_pr_text() {
        let all = github_actions_workflows();
        let (_, yaml) = &all[0];
        assert!(yaml.contains("pull_request:") && !yaml.contains("pull_request_target"));
        assert!(yaml.contains("permissions:\n  contents: read\n"));
        assert!(!yaml.contains("secrets."));
        assert_no_pr_text_in_run(yaml);
    }

    #[test]
    fn trusted_workflow_runs_no_pr_code() {
        let all = github_actions_workflows();
        let (path, yaml) = &all[1];
        assert_eq!(path, ".github/workflows/publish-preview.yml");
        assert!(yaml.contains("workflow_run:"));
        assert!(!yaml.contains("actions/checkout"));
        assert!(!yaml.contains("head_branch") && !yaml.contains("blogtrack "));
        assert_no_pr_text_in_run(yaml);
    }

    /// No `${{ … }}` expression inside a `run:` script: values come through `env:`.
    fn assert_no_pr_text_in_run(yaml: &str) {
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
                assert!(!rest.contains("${{"), "{line}");
            } else if in_run {
                assert!(!line.contains("${{"), "expression in a run script: {line}");
            }
        }
    }
}
