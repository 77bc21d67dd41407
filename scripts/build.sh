#!/usr/bin/env bash
# Configure (once) and build smallsrv in build/. CI=true turns warnings into errors.
#   scripts/build.sh           everything, optimised (LTO), in build/
#   scripts/build.sh --asan    the appliance alone under AddressSanitizer and UBSan, in
#                              build-asan/: what the pcap-asan and live-asan suites run
set -euo pipefail
cd "$(dirname "$0")/.."

builddir=${SMALLSRV_BUILD:-build}
options=()
target=()
if [ "${1:-}" = "--asan" ]; then
	builddir=${SMALLSRV_ASAN_BUILD:-build-asan}
	# LTO and the sanitizers do not mix well; -O2 -g keeps the suites' run times near the
	# optimised build's and the reports' stacks readable (meson adds the frame pointers).
	# UBSan aborts on its first finding (no-recover), as ASan does, so that either one
	# fails the run whatever UBSAN_OPTIONS says.
	options=(-Db_sanitize=address,undefined -Db_lto=false -Dbuildtype=debugoptimized
		-Dc_args=-fno-sanitize-recover=all)
	target=(app/smallsrv)
elif [ $# -gt 0 ]; then
	echo "usage: scripts/build.sh [--asan]" >&2
	exit 2
fi
werror=false
[ "${CI:-}" = "true" ] && werror=true

if [ ! -f "$builddir/build.ninja" ]; then
	meson setup "$builddir" -Dwerror=$werror "${options[@]}" >/dev/null
elif [ "$(meson introspect "$builddir" --buildoptions |
		/usr/bin/python3 -c 'import json,sys; print(str([o["value"] for o in json.load(sys.stdin) if o["name"]=="werror"][0]).lower())')" != "$werror" ]; then
	meson configure "$builddir" -Dwerror=$werror >/dev/null
fi
if ! out=$(ninja -C "$builddir" "${target[@]}" 2>&1); then
	echo "$out" >&2
	echo "build.sh: build failed" >&2
	exit 1
fi
