#!/bin/sh
# Compares how blogtrack and libyaml (Ruby's Psych, what Jekyll used) read every case of
# cases.txt. Needs Ruby (Debian: apt-get install ruby). Prints the cases that differ; the
# differences that remain on purpose are listed in ../README.md.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ruby "$here/read.rb" "$here/cases.txt" >"$tmp/psych"
cargo run -q -j 2 -p blogtrack-yaml --example dump_cases -- "$here/cases.txt" |
    sed 's/ (not portable)$//' >"$tmp/ours"
total=$(wc -l <"$tmp/psych")
if diff "$tmp/psych" "$tmp/ours" >"$tmp/diff"; then
    echo "all $total cases read as libyaml reads them"
else
    grep -c '^<' "$tmp/diff" | xargs printf '%s of '"$total"' cases differ (< libyaml, > blogtrack):\n'
    grep '^[<>]' "$tmp/diff"
fi
