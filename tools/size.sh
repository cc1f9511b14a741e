#!/usr/bin/env bash
# Prints the raw and gzip -9 size of every file in dist/ and the totals that the budget counts:
#   first load  what a reader downloads before the first list is painted: the script and the list
#               view's wasm (release-embed.<hash>.wasm)
#   parts       each lazily loaded wasm (release-embed-<part>.<hash>.wasm), fetched when a view
#               first needs it or when the browser is idle after the list shows
#   total       every file of dist/ that is served (not dist/npm, the same code packaged again)
# then where the wasm's bytes go (tools/wasm-breakdown.mjs). With ceilings, fails when the first
# load or the total (gzip) is over them:  tools/size.sh dist FIRST_LOAD_MAX TOTAL_MAX
set -euo pipefail
dir=${1:-dist}
first_max=${2:-}
total_max=${3:-}
gz() { gzip -9c "$1" | wc -c; }
printf '%-44s %10s %10s\n' file raw gzip
row() { printf '%-44s %10d %10d\n' "$1" "$2" "$3"; }
first_raw=0 first_gz=0 total_raw=0 total_gz=0
while IFS= read -r f; do
  name=${f#"$dir"/}
  raw=$(wc -c <"$f") g=$(gz "$f")
  row "$name" "$raw" "$g"
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + g))
  case $name in
    release-embed.js | release-embed.[0-9a-f]*.wasm) first_raw=$((first_raw + raw)) first_gz=$((first_gz + g)) ;;
  esac
done < <(find "$dir" -maxdepth 1 -type f | sort)
echo
row "FIRST LOAD (script + list view wasm)" "$first_raw" "$first_gz"
for f in "$dir"/release-embed-*.wasm; do
  [ -e "$f" ] || continue
  part=${f#"$dir"/release-embed-}
  row "  lazily loaded part: ${part%%.*}" "$(wc -c <"$f")" "$(gz "$f")"
done
row "TOTAL (every file of $dir/)" "$total_raw" "$total_gz"
if [ -d "$dir/npm" ]; then
  npm_raw=0 npm_gz=0
  while IFS= read -r f; do
    npm_raw=$((npm_raw + $(wc -c <"$f"))) npm_gz=$((npm_gz + $(gz "$f")))
  done < <(find "$dir/npm" -type f | sort)
  row "npm package ($dir/npm, for comparison)" "$npm_raw" "$npm_gz"
fi

if [ -z "$first_max" ] && [ -f pkg/release_embed_bg.wasm ]; then
  echo
  node tools/wasm-breakdown.mjs pkg/release_embed_bg.wasm
  for glue in pkg/*/release_embed_*_bg.wasm; do
    [ -e "$glue" ] && node tools/wasm-breakdown.mjs "$glue" 6
  done
fi

status=0
if [ -n "$first_max" ] && [ "$first_gz" -gt "$first_max" ]; then
  echo "size: the first load is $first_gz bytes gzip, over its ceiling of $first_max" >&2
  status=1
fi
if [ -n "$total_max" ] && [ "$total_gz" -gt "$total_max" ]; then
  echo "size: $dir/ is $total_gz bytes gzip in all, over its ceiling of $total_max" >&2
  status=1
fi
exit $status
