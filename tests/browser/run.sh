#!/usr/bin/env bash
# Runs the browser test suite: builds the release binary, installs the suite's npm packages
# (pinned by package-lock.json) and Debian's chromium when missing, then runs `node --test`.
# Artifacts (screenshots, a printed PDF, figures.json) go to target/browser-artifacts/.
#
# Environment: BLOGTRACK_BIN (the binary to test; default: built here), CARGO_TARGET_DIR (where
# the binary is built), CHROMIUM (browser path),
# CORPUS (track to build; default ../shared/corpus/iclr-2024 next to the repository). Without
# the corpus, suite.test.mjs skips with a message; live.test.mjs (the dev server) and
# review.test.mjs (the review server) need none.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

if [ -z "${CHROMIUM:-}" ]; then
  if ! command -v chromium >/dev/null 2>&1; then
    echo "browser tests: installing Debian's chromium" >&2
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null
    else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi
  fi
  CHROMIUM="$(command -v chromium)"
fi
export CHROMIUM

command -v node >/dev/null || { echo "browser tests: node (>= 18) is required" >&2; exit 2; }

# BLOGTRACK_BIN: a binary already built (scripts/test passes the one `cargo test` just built:
# building again here would compile most of the dependency tree a second time, because the
# tests' dev-dependencies enable extra features of shared crates).
if [ -z "${BLOGTRACK_BIN:-}" ]; then
  target="${CARGO_TARGET_DIR:-$repo/target}"
  (cd "$repo" && cargo build --release --quiet --bin blogtrack)
  BLOGTRACK_BIN="$target/release/blogtrack"
fi
[ -x "$BLOGTRACK_BIN" ] || { echo "browser tests: BLOGTRACK_BIN=$BLOGTRACK_BIN is not an executable" >&2; exit 2; }
export BLOGTRACK_BIN
export ARTIFACTS="${ARTIFACTS:-$repo/target/browser-artifacts}"

cd "$here"
if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node --test --test-concurrency=1 --test-reporter=spec suite.test.mjs live.test.mjs review.test.mjs year.test.mjs
echo "browser tests: artifacts in $ARTIFACTS" >&2
