#!/usr/bin/env bash
# Checks devtrust's certificates and CRLs with @peculiar/x509 under Node.js
# (interop/node/x509_device_certs.mjs). The packages come from
# interop/node/package-lock.json, which scripts/setup installs.
#
# Usage: peculiar_interop_test.sh FIXTURE_BINARY NODE_SCRIPT
set -euo pipefail

fixture=$1
script=$2
node_directory=$(dirname "$script")

if ! command -v node >/dev/null; then
  echo "node is not installed; run scripts/setup" >&2
  exit 1
fi
for package in @peculiar/x509 @noble/post-quantum reflect-metadata; do
  if [[ ! -d "$node_directory/node_modules/$package" ]]; then
    echo "$package is not installed in $node_directory; it must be listed in" \
      "$node_directory/package.json and installed by scripts/setup" >&2
    exit 1
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/devtrust_pki_peculiar.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$fixture" "$work" >/dev/null
node "$script" "$work"
