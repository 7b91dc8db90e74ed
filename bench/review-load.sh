#!/usr/bin/env bash
# The review server under load (issue 18): 200 reviewers signing in, loading their review form,
# saving drafts and submitting against the real `blogtrack review serve` (examples/review_load.rs),
# on SQLite and, when BLOGTRACK_TEST_POSTGRES names a server (scripts/start-postgres), on PostgreSQL;
# each spread over the last minute before the deadline and as a burst (all at once, no pauses).
#   bench/review-load.sh
#   REVIEWERS=400 DRAFTS=5 SPREADS="60 0" bench/review-load.sh
# Exits non-zero when a request failed or an acknowledged write is missing from the database.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
REVIEWERS="${REVIEWERS:-200}"
DRAFTS="${DRAFTS:-3}"
SPREADS="${SPREADS:-60 0}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"
(cd "$here" && cargo build --release -q -p blogtrack --bin blogtrack --example review_load)
bt="$CARGO_TARGET_DIR/release/blogtrack"
load="$CARGO_TARGET_DIR/release/examples/review_load"
dbs="sqlite"
if [ -n "${BLOGTRACK_TEST_POSTGRES:-}" ]; then
  dbs="sqlite postgres"
else
  echo "review-load: PostgreSQL run skipped (set BLOGTRACK_TEST_POSTGRES, see scripts/start-postgres)" >&2
fi
status=0
for db in $dbs; do
  for spread in $SPREADS; do
    echo "== $db, spread $spread s; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    "$load" "$bt" "$db" --reviewers "$REVIEWERS" --drafts "$DRAFTS" --spread "$spread" || status=1
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
