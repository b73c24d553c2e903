#!/bin/sh
# Installs everything the tests, the demo and the benchmark need on Debian or Ubuntu:
# the system packages (the real registry, skopeo, htpasswd, rsync for gitlab-ci-local, openssl
# for the sandbox's signing certificate, a real credential helper with pass and gpg) and the npm
# packages pinned in package-lock.json.
set -eu

packages="docker-registry skopeo apache2-utils rsync openssl ca-certificates git golang-docker-credential-helpers pass gnupg"
# The tests drive the real docker CLI (it logs in client-side, without a daemon); Debian ships it in docker.io.
command -v docker >/dev/null 2>&1 || packages="$packages docker.io"

if [ "$(id -u)" -eq 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1; then
  as_root="sudo"
else
  echo "setup: installing system packages needs root (or sudo): $packages" >&2
  exit 1
fi

missing=""
for package in $packages; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
if [ -n "$missing" ]; then
  $as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends $missing
fi

npm ci --no-audit --no-fund
