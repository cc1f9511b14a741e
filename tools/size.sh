#!/usr/bin/env bash
# Prints the raw and gzip -9 size of every file in dist/ and the totals: the script-tag files
# (dist/*) that a reader downloads, and the npm package (dist/npm/). With a second argument,
# fails when the script-tag gzip total is over that many bytes.
set -euo pipefail
dir=${1:-dist}
budget=${2:-}
printf '%-40s %10s %10s\n' file raw gzip
row() {
  local raw gz
  raw=$(wc -c <"$1")
  gz=$(gzip -9c "$1" | wc -c)
  printf '%-40s %10d %10d\n' "${1#"$dir"/}" "$raw" "$gz"
  echo "$raw $gz" >>"$2"
}
sum() { awk -v name="$1" '{r += $1; g += $2} END {printf "%-40s %10d %10d\n", name, r, g}' "$2"; }
tag=$(mktemp) npm=$(mktemp)
trap 'rm -f "$tag" "$npm"' EXIT
while IFS= read -r f; do row "$f" "$tag"; done < <(find "$dir" -maxdepth 1 -type f | sort)
sum "TOTAL (script tag)" "$tag"
if [ -d "$dir/npm" ]; then
  while IFS= read -r f; do row "$f" "$npm"; done < <(find "$dir/npm" -type f | sort)
  sum "TOTAL (npm package)" "$npm"
fi
gz_total=$(awk '{g += $2} END {print g + 0}' "$tag")
if [ -n "$budget" ] && [ "$gz_total" -gt "$budget" ]; then
  echo "size: script-tag gzip total $gz_total bytes is over the budget of $budget bytes" >&2
  exit 1
fi
