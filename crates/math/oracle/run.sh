#!/usr/bin/env bash
# Compares blogtrack-math with MathJax 3.2.0 on every formula of the given track repositories
# (default: ../shared/corpus/*, or $BLOGTRACK_CORPUS/*) and of our own fixtures, and prints the
# coverage tables of crates/math/README.md. Dev-only: needs Node and `npm ci` in this folder.
#
#   crates/math/oracle/run.sh [TRACK_DIR…]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../../.."
if [ "$#" -eq 0 ]; then
  corpus="${BLOGTRACK_CORPUS:-../shared/corpus}"
  if ! compgen -G "$corpus/*/_posts" >/dev/null; then
    echo "no corpus at $corpus (set BLOGTRACK_CORPUS); comparing the fixtures only" >&2
    set --
  else
    set -- "$corpus"/*/
  fi
fi
[ -d "$here/node_modules/mathjax-full" ] || (cd "$here" && npm ci --no-audit --no-fund)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release -q -j 2 -p blogtrack-math --example oracle
oracle=target/release/examples/oracle
"$oracle" extract "$@" "$here/fixtures" >"$work/formulas.jsonl"
node "$here/mathjax.js" check <"$work/formulas.jsonl" >"$work/verdicts.jsonl"
node "$here/mathjax.js" commands >"$work/probes.jsonl"
"$oracle" report "$work/formulas.jsonl" "$work/verdicts.jsonl" "$work/probes.jsonl"
