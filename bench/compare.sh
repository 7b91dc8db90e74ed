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
# The order alternates (old first on odd runs, new first on even ones): the second build of a
# pair pays for the first one's file writes still being flushed, whichever binary it is. The
# last lines are each label's median over its RUNS.
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
    'BEGIN { printf "%-40s wall %7.2f s  cpu %7.2f s  rss %6d MiB\n", l, w, u + s, k / 1024 }' |
    tee -a "$work/rows"
}
# order RUN: the two binaries in the order of run RUN.
order() { if [ $(($1 % 2)) -eq 1 ]; then echo old new; else echo new old; fi; }
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for track in "$@"; do
  name=$(basename "$track")
  for i in $(seq "$runs"); do
    for which in $(order "$i"); do
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
    for which in $(order "$i"); do
      bin=${!which}
      row "$which $name warm" "$bin" "$track" "$work/$which-$name"
    done
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median of each:"
awk '{ label = $1 " " $2 " " $3; print label "\t" $5 "\t" $8 "\t" $11 }' "$work/rows" |
  sort -t "$(printf '\t')" -k1,1 -k2,2n |
  awk -F '\t' -v n="$runs" '
    { k = $1; c[k]++; if (c[k] == int((n + 1) / 2)) { w[k] = $2; u[k] = $3; m[k] = $4; keys[++nk] = k } }
    END { for (i = 1; i <= nk; i++) printf "  %-38s wall %7.2f s  cpu %7.2f s  rss %6d MiB\n", keys[i], w[keys[i]], u[keys[i]], m[keys[i]] }'
