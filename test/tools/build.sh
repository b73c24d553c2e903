#!/bin/sh
# Bundles the Action's main and post entries and the CLI, each minified into its own folder of $1.
# Each folder is emptied first: ncc leaves chunks of an earlier build behind.
set -eu
out=${1:-dist}
for entry in main:src/github/main.ts post:src/github/post.ts cli:src/cli/index.ts; do
  name=${entry%%:*}
  rm -rf "${out:?}/$name"
  npx ncc build "${entry#*:}" -o "$out/$name" -m -q --license licenses.txt
done
