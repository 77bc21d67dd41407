#!/usr/bin/env bash
# Fuzz with libFuzzer (clang, AddressSanitizer, UBSan), each harness for SECONDS:
#   fuzz_rx   one received frame per input, through the whole receive path
#   fuzz_tcp  TCP conversations: sequences of segments and clock steps played
#             against fresh appliances (tests/fuzz/fuzz_tcp_grammar.h)
#
#   scripts/fuzz.sh [SECONDS] [HARNESS...]     default 60 s, both harnesses
#
# A finding (a crash, a violated invariant, or an input that runs over 10 s: a hang)
# fails the run and leaves build-fuzz/artifacts/HARNESS-*; replay it with
# build-fuzz/tests/fuzz/HARNESS FILE (fuzz_tcp: FUZZ_TCP_TRACE=1 prints its segments).
# Each harness's corpus grows in build-fuzz/corpus-HARNESS, its log in build-fuzz/HARNESS.log.
# SMALLSRV_FUZZ_REGRESSIONS=1: first replay tests/fuzz/regressions/HARNESS/*, inputs that
# found defects once; each must now pass.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
if [ $# -gt 0 ]; then shift; fi
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(fuzz_rx fuzz_tcp)

targets=()
for h in "${harnesses[@]}"; do
	case "$h" in
	fuzz_rx | fuzz_tcp) targets+=("tests/fuzz/$h") ;;
	*) echo "fuzz.sh: no harness $h (fuzz_rx, fuzz_tcp)" >&2; exit 2 ;;
	esac
done
if [ ! -f build-fuzz/build.ninja ]; then
	CC=clang meson setup build-fuzz -Dfuzz=true -Db_lto=false >/dev/null
fi
if ! out=$(ninja -C build-fuzz "${targets[@]}" 2>&1); then
	echo "$out" >&2
	exit 1
fi
# libFuzzer exits without rte_eal_cleanup(): remove the EAL's runtime directories
# (the harnesses' --file-prefix; /var/run/dpdk for root) ourselves.
cleanup() {
	local p
	for p in ssfuzz ssfuzztcp; do
		rm -rf "${XDG_RUNTIME_DIR:-/var/run}/dpdk/$p" "/var/run/dpdk/$p"
	done
}
trap cleanup EXIT
mkdir -p build-fuzz/artifacts

failed=0
for h in "${harnesses[@]}"; do
	corpus=build-fuzz/corpus-$h
	case "$h" in
	fuzz_rx)
		/usr/bin/python3 tests/fuzz/make_corpus.py "$corpus"
		# a jumbo frame and then some; the harness refuses what no port could receive
		opts=(-max_len=9100)
		;;
	fuzz_tcp)
		/usr/bin/python3 tests/fuzz/make_corpus_tcp.py "$corpus"
		# Its runs touch tens of thousands of features: the entropic schedule's
		# bookkeeping of them took 85 % of the time (a fifth of the executions).
		opts=(-max_len=8192 -entropic=0)
		;;
	esac
	bin=build-fuzz/tests/fuzz/$h
	if [ "${SMALLSRV_FUZZ_REGRESSIONS:-0}" = 1 ] && [ -d "tests/fuzz/regressions/$h" ]; then
		for f in "tests/fuzz/regressions/$h"/*; do
			case "$f" in *.md) continue ;; esac
			if ! "$bin" -timeout=10 -artifact_prefix="build-fuzz/artifacts/$h-regression-" "$f" \
					>"build-fuzz/$h-regression.log" 2>&1; then
				tail -n 30 "build-fuzz/$h-regression.log" >&2
				echo "fuzz.sh: $h: regression input $f fails" >&2
				failed=1
			fi
		done
	fi
	if ! "$bin" -max_total_time="$seconds" -timeout=10 "${opts[@]}" \
			-print_final_stats=1 -artifact_prefix="build-fuzz/artifacts/$h-" "$corpus" \
			2>"build-fuzz/$h.log"; then
		tail -n 40 "build-fuzz/$h.log" >&2
		echo "fuzz.sh: $h: finding, input in build-fuzz/artifacts/" >&2
		failed=1
		continue
	fi
	echo "$h: $(grep -E "stat::number_of_executed_units" "build-fuzz/$h.log" | tail -n 1)," \
		"$(grep -E "^Done" "build-fuzz/$h.log" | tail -n 1)"
done
exit $failed
