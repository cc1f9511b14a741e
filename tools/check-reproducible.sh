#!/usr/bin/env bash
# Checks that the release build is reproducible: builds dist/ here and from a fresh clone of the
# current commit in another folder (its own target/, so nothing is reused), and compares every
# file. Not part of `make test`: the clone builds std and every crate again (several minutes).
#   tools/check-reproducible.sh [folder for the clone, default a new temporary one]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "check-reproducible: commit your changes first (the clone builds the commit)" >&2
  exit 1
fi
nice tools/build-dist.sh >/dev/null
clone=${1:-$(mktemp -d /tmp/release-embed-clone.XXXXXX)}
git clone -q --no-hardlinks . "$clone/release-embed"
# The npm packages are the same (package-lock.json); a link saves installing them again.
ln -s "$PWD/node_modules" "$clone/release-embed/node_modules"
(cd "$clone/release-embed" && nice tools/build-dist.sh >/dev/null)
here=$(cd dist && find . -type f | sort | xargs sha256sum)
there=$(cd "$clone/release-embed/dist" && find . -type f | sort | xargs sha256sum)
if [ "$here" != "$there" ]; then
  echo "check-reproducible: the builds differ:" >&2
  diff <(echo "$here") <(echo "$there") >&2 || true
  exit 1
fi
echo "check-reproducible: $(echo "$here" | wc -l) files of dist/ are byte for byte the same, built in $PWD and in $clone/release-embed"
