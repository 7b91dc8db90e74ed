#!/usr/bin/env bash
# Before/after comparison of two blogtrack binaries on the same tracks, runs interleaved so that
# both see the same machine load. Prints wall time, CPU time (user + sys) and peak RSS of each
# run (GNU time). CPU and peak RSS barely depend on load; wall time does.
#
#   bench/compare.sh OLD_BINARY NEW_BINARY TRACK [TRACK...]
#   RUNS=3 bench/compare.sh /tmp/bt-before target/release/blogtrack ../shared/corpus/iclr-2024 /tmp/syn10k
#
# Per track: RUNS cold builds (output removed first) of each binary, then one warm build to
# settle the build cache, then RUNS warm builds (nothing changed). Outputs go to a temp folder.
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,11p' "$0"; exit 2; }
old=$1 new=$2
shift 2
runs=${RUNS:-3}
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
row() { # label binary track out
  local r
  r=$(/usr/bin/time -f "%e %U %S %M" "$2" build "$3" -o "$4" 2>&1 >/dev/null | tail -1)
  set -- "$1" $r
  awk -v l="$1" -v w="$2" -v u="$3" -v s="$4" -v k="$5" \
    'BEGIN { printf "%-40s wall %7.2f s  cpu %7.2f s  rss %6d MiB\n", l, w, u + s, k / 1024 }'
}
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for track in "$@"; do
  name=$(basename "$track")
  for i in $(seq "$runs"); do
    for which in old new; do
      bin=${!which}
      rm -rf "$work/$which-$name"
      row "$which $name cold" "$bin" "$track" "$work/$which-$name"
    done
  done
  for which in old new; do
    bin=${!which}
    "$bin" build "$track" -o "$work/$which-$name" >/dev/null 2>&1 || true
  done
  for i in $(seq "$runs"); do
    for which in old new; do
      bin=${!which}
      row "$which $name warm" "$bin" "$track" "$work/$which-$name"
    done
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
