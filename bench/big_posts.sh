#!/usr/bin/env bash
# Times a build of a track holding one post with 100,000 footnotes and one with 100,000 citations
# (the README's "processed in linear time" figure). Uses the demo track as the rest of the site.
#   bench/big_posts.sh            # 3 runs
#   RUNS=5 N=200000 bench/big_posts.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${RUNS:-3}"
N="${N:-100000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"
(cd "$here" && cargo build --release -q -p blogtrack)
bt="$CARGO_TARGET_DIR/release/blogtrack"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bt" init "$work/track" >/dev/null 2>&1
python3 - "$work/track" "$N" <<'PY'
import sys
root, n = sys.argv[1], int(sys.argv[2])
notes = "".join(f"x<d-footnote>n{i}</d-footnote> " for i in range(n))
open(f"{root}/_posts/2026-04-27-footnotes.md", "w").write(
    "---\nlayout: distill\ntitle: Footnotes\n---\n" + notes + "\n")
cites = "".join('y<d-cite key="a"></d-cite> ' for _ in range(n))
open(f"{root}/_posts/2026-04-27-cites.md", "w").write(
    "---\nlayout: distill\ntitle: Cites\nbibliography: big.bib\n---\n" + cites + "\n")
open(f"{root}/assets/bibliography/big.bib", "w").write(
    "@article{a, title={A}, author={Doe, J.}, year={2020}}\n")
PY
for _ in $(seq "$RUNS"); do
  rm -rf "$work/out"
  /usr/bin/time -f "%e s wall, %U+%S s CPU, %M KB peak" "$bt" build "$work/track" -o "$work/out" 2>&1 | tail -1
done
