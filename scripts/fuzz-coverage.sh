#!/usr/bin/env bash
# What a fuzz corpus reaches: builds the harness with clang's source-based coverage
# (build-fuzz-cov/, no sanitizers), runs every input of the corpus once, and prints the
# lines hit in each file of the TCP stack (lib/tcp/tcp_*.c) and lib/services/echo.c, then how often
# the functions that matter most for TCP ran.
#   scripts/fuzz-coverage.sh HARNESS DIR...      e.g. fuzz_tcp build-fuzz/corpus-fuzz_tcp
#   scripts/fuzz-coverage.sh --all HARNESS DIR...  every file of lib/
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh # llvm-14: llvm-profdata-14, llvm-cov-14

files=(lib/tcp/tcp_*.c lib/services/echo.c)
if [ "${1:-}" = --all ]; then
	files=(lib/*/*.c)
	shift
fi
if [ $# -lt 2 ]; then
	echo "usage: fuzz-coverage.sh [--all] HARNESS DIR..." >&2
	exit 2
fi
harness=$1
shift
case "$harness" in
fuzz_rx | fuzz_tcp) ;;
*) echo "fuzz-coverage.sh: no harness $harness (fuzz_rx, fuzz_tcp)" >&2; exit 2 ;;
esac

if [ ! -f build-fuzz-cov/build.ninja ]; then
	CC=clang meson setup build-fuzz-cov -Dfuzz=true -Dfuzz_coverage=true -Db_lto=false \
		>/dev/null
fi
if ! out=$(ninja -C build-fuzz-cov "tests/fuzz/$harness" 2>&1); then
	echo "$out" >&2
	exit 1
fi
tmp=$(mktemp -d /tmp/smallsrv-cov.XXXXXX)
cleanup() {
	local p
	rm -rf "$tmp"
	for p in ssfuzz ssfuzztcp; do
		rm -rf "${XDG_RUNTIME_DIR:-/var/run}/dpdk/$p" "/var/run/dpdk/$p"
	done
}
trap cleanup EXIT
bin=build-fuzz-cov/tests/fuzz/$harness
# -runs=0: each input of the corpus once, nothing mutated.
if ! LLVM_PROFILE_FILE="$tmp/%p.profraw" "$bin" -runs=0 -timeout=30 "$@" >"$tmp/log" 2>&1; then
	tail -n 30 "$tmp/log" >&2
	echo "fuzz-coverage.sh: an input of the corpus fails" >&2
	exit 1
fi
llvm-profdata-14 merge -sparse "$tmp"/*.profraw -o "$tmp/all.profdata"
llvm-cov-14 export "$bin" -instr-profile="$tmp/all.profdata" >"$tmp/cov.json"
runs=$(grep -Eo "^#[0-9]+" "$tmp/log" | tail -n 1 || true)
echo "$harness over $* (${runs#\#} inputs):"
/usr/bin/python3 - "$tmp/cov.json" "$PWD" "${files[@]}" <<'EOF'
import json
import os
import sys

KEY = ["ss_tcp_ack", "sack_retransmit", "ss_tcp_cc_dupack", "ss_tcp_established", "deliver",
       "drain_ooo", "ss_tcp_ooo_insert", "ss_echo_tcp_hold", "send_data", "ss_tcp_retransmit",
       "fin_in_order", "fin_acked", "ss_tcp_time_wait", "time_wait_restart",
       "rtx_timeout", "handshake_timeout"]
data = json.load(open(sys.argv[1]))["data"][0]
root = sys.argv[2]
wanted = {os.path.normpath(os.path.join(root, f)) for f in sys.argv[3:]}
hit = total = 0
by_name = {}
for f in data["files"]:
    path = os.path.normpath(os.path.join(root, "build-fuzz-cov", f["filename"]))
    if path in wanted:
        by_name[os.path.relpath(path, root)] = f["summary"]["lines"]
for name in sorted(wanted):
    name = os.path.relpath(name, root)
    lines = by_name.get(name, {"covered": 0, "count": 0, "percent": 0.0})
    hit, total = hit + lines["covered"], total + lines["count"]
    print("  %-22s %5d / %5d lines  %5.1f %%" % (name, lines["covered"], lines["count"],
                                               lines["percent"]))
print("  %-22s %5d / %5d lines  %5.1f %%" % ("all", hit, total, 100.0 * hit / max(total, 1)))
runs = {}
for fn in data["functions"]:
    name = fn["name"].split(":")[-1]
    runs[name] = runs.get(name, 0) + fn["count"]
print("  runs of: " + ", ".join("%s %d" % (k, runs.get(k, 0)) for k in KEY))
EOF
