#!/usr/bin/env bash
# Prints the raw and gzip -9 size of every file in a folder (dist/ by default), and the totals.
# With a second argument, fails when the gzip total is over that many bytes.
set -euo pipefail
dir=${1:-dist}
budget=${2:-}
printf '%-40s %10s %10s\n' file raw gzip
raw_total=0 gz_total=0
while IFS= read -r f; do
  raw=$(wc -c <"$f")
  gz=$(gzip -9c "$f" | wc -c)
  raw_total=$((raw_total + raw)) gz_total=$((gz_total + gz))
  printf '%-40s %10d %10d\n' "${f#"$dir"/}" "$raw" "$gz"
done < <(find "$dir" -type f | sort)
printf '%-40s %10d %10d\n' TOTAL "$raw_total" "$gz_total"
if [ -n "$budget" ] && [ "$gz_total" -gt "$budget" ]; then
  echo "size: gzip total $gz_total bytes is over the budget of $budget bytes" >&2
  exit 1
fi
