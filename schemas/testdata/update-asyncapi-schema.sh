#!/usr/bin/env bash
# Refreshes asyncapi-3.0.0.schema.json, the official JSON Schema of AsyncAPI 3.0.0, from the npm
# package @asyncapi/specs (Apache-2.0). Tests read the committed copy, so they need neither npm nor
# the network; run this only to move to another release of the package.
#
#   schemas/testdata/update-asyncapi-schema.sh [version]   # default: the release named below
set -euo pipefail

version="${1:-6.11.1}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "@asyncapi/specs@${version}" >/dev/null)
tar -xzf "$work/asyncapi-specs-${version}.tgz" -C "$work" package/schemas/3.0.0.json
cp "$work/package/schemas/3.0.0.json" "$here/asyncapi-3.0.0.schema.json"
sha256sum "$here/asyncapi-3.0.0.schema.json"
