#!/usr/bin/env bash
# run.sh WORK_DIR SCRIPT.ps1: the ctest ps_parse_collector. Installs the pinned grammar into
# WORK_DIR (npm ci from this folder's package-lock.json, once per lock file), then parses the
# collector with it and fails on any syntax error; it also checks that the parser refuses
# broken.ps1, so a grammar that accepted anything could not make the test pass.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$1
script=$2
command -v node >/dev/null || { echo "ps-parse: node is not installed (./dev.sh test installs it)" >&2; exit 1; }
command -v npm >/dev/null || { echo "ps-parse: npm is not installed (./dev.sh test installs it)" >&2; exit 1; }
mkdir -p "$work"
if ! cmp -s "$here/package-lock.json" "$work/package-lock.json" || [ ! -d "$work/node_modules/tree-sitter-powershell" ]; then
	cp "$here/package.json" "$here/package-lock.json" "$work/"
	# the native bindings are built from source (node-gyp: g++, make, python3): the linux-x64
	# prebuilt one needs a newer libstdc++ than Debian 12 has
	(cd "$work" && npm ci --no-audit --no-fund --loglevel=error >npm-ci.log 2>&1) || {
		cat "$work/npm-ci.log" >&2
		echo "ps-parse: npm ci failed (see above)" >&2
		exit 1
	}
fi
cp "$here/parse.mjs" "$work/"
node --no-deprecation "$work/parse.mjs" "$script"
if node --no-deprecation "$work/parse.mjs" "$here/broken.ps1" 2>/dev/null; then
	echo "ps-parse: the parser accepted broken.ps1: it cannot be trusted to find errors" >&2
	exit 1
fi
echo "ps-parse: broken.ps1 refused as it must be"
