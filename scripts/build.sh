#!/usr/bin/env bash
# Configure (once) and build smallsrv in build/. CI=true turns warnings into errors.
set -euo pipefail
cd "$(dirname "$0")/.."

builddir=${SMALLSRV_BUILD:-build}
werror=false
[ "${CI:-}" = "true" ] && werror=true

if [ ! -f "$builddir/build.ninja" ]; then
	meson setup "$builddir" -Dwerror=$werror >/dev/null
elif [ "$(meson introspect "$builddir" --buildoptions |
		/usr/bin/python3 -c 'import json,sys; print(str([o["value"] for o in json.load(sys.stdin) if o["name"]=="werror"][0]).lower())')" != "$werror" ]; then
	meson configure "$builddir" -Dwerror=$werror >/dev/null
fi
if ! out=$(ninja -C "$builddir" 2>&1); then
	echo "$out" >&2
	echo "build.sh: build failed" >&2
	exit 1
fi
