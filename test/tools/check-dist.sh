#!/bin/sh
# Fails when the committed dist/ differs from a fresh build: the Action runs what is committed.
set -eu
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
sh "$(dirname "$0")/build.sh" "$fresh"
if ! diff -r "$fresh" dist >/dev/null; then
  diff -rq "$fresh" dist >&2 || true
  echo "dist/ is stale: run 'npm run build' and commit dist/." >&2
  exit 1
fi
