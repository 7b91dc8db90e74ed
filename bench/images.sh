#!/usr/bin/env bash
# What the responsive-image variants (src/build/images.rs) cost a build of a track:
#   first-ever build  (no image cache, no previous output): every variant is made;
#   cold build        (image cache kept, output deleted): the originals are only hashed;
#   warm build        (nothing changed).
# Usage: bench/images.sh [TRACK] (default ../shared/corpus/iclr-2024). RUNS (default 3) runs of
# the cold and warm builds; the first-ever build runs once (it is the slow one). Prints the
# median wall time of each, the number and bytes of the variants, and the load average, since
# the figures move with the machine's load.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
track="${1:-$repo/../shared/corpus/iclr-2024}"
runs="${RUNS:-3}"
bin="${BLOGTRACK_BIN:-$repo/target/release/blogtrack}"
[ -x "$bin" ] || (cd "$repo" && cargo build --release --quiet --bin blogtrack)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
out="$work/site"

wall() { # prints the wall time of one build in seconds
  local t0 t1
  t0=$(date +%s.%N)
  "$bin" build "$track" -o "$out" >/dev/null 2>&1 || { echo "build failed" >&2; exit 1; }
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
first=$(wall)
variants=$(find "$work/.blogtrack-cache/images" -name '*.webp' | wc -l)
bytes=$(du -sb "$work/.blogtrack-cache/images" | cut -f1)
cold=$(for _ in $(seq "$runs"); do rm -rf "$out"; wall; done | median)
warm=$(for _ in $(seq "$runs"); do wall; done | median)
echo "first-ever build (makes $variants variants, $((bytes / 1024)) KiB): ${first} s"
echo "cold build (variants cached), median of $runs: ${cold} s"
echo "warm build, median of $runs: ${warm} s"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
