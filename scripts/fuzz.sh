#!/usr/bin/env bash
# Fuzz the receive path with libFuzzer (clang, AddressSanitizer, UBSan).
#   scripts/fuzz.sh [SECONDS]      default 60; a crash leaves crash-* files in build-fuzz/
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

if [ ! -f build-fuzz/build.ninja ]; then
	CC=clang meson setup build-fuzz -Dfuzz=true -Db_lto=false >/dev/null
fi
if ! out=$(ninja -C build-fuzz tests/fuzz/fuzz_rx 2>&1); then
	echo "$out" >&2
	exit 1
fi
corpus=build-fuzz/corpus
# libFuzzer exits without rte_eal_cleanup(): remove the EAL's runtime directory
# (the harness's --file-prefix ssfuzz; /var/run/dpdk for root) ourselves.
trap 'rm -rf "${XDG_RUNTIME_DIR:-/var/run}/dpdk/ssfuzz" /var/run/dpdk/ssfuzz' EXIT
/usr/bin/python3 tests/fuzz/make_corpus.py "$corpus"
cd build-fuzz
# -max_len: a jumbo frame and then some; the harness refuses what no port could receive.
./tests/fuzz/fuzz_rx -max_total_time="$seconds" -max_len=9100 -print_final_stats=1 corpus \
	2>fuzz.log || { tail -n 40 fuzz.log >&2; exit 1; }
grep -E "stat::number_of_executed_units|Done" fuzz.log | tail -n 2
