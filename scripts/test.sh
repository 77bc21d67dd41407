#!/usr/bin/env bash
# Build smallsrv and run every test suite: unit (cmocka), cli (command line and
# configuration), pcap (golden captures through net_pcap), live (net_tap in network
# namespaces, the Linux kernel as the peer), fuzz (libFuzzer over the receive path and
# over TCP conversations), a smoke run of the benchmark (scripts/bench.sh --smoke, and its
# plots; BENCH_ARGS for more options, e.g. --no-huge on a shared machine) and a
# minute of soak (scripts/soak.sh; SOAK_MINUTES for more, SOAK_SKIP for its --skip);
# pcap-general runs the pcap tests again with the fast path off; pcap-asan and live-asan
# run the pcap and live tests again against the AddressSanitizer/UBSan build
# (scripts/build.sh --asan); package builds the Debian package from a copy of the tree,
# starts its binary once on net_tap, and checks `meson install` and the systemd units.
# The last line is "N passed, N failed"; the exit status is 0 only when nothing failed.
# Root for every suite but unit, which a user may run alone.
#   scripts/test.sh [SUITE...]     run only these suites
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(unit cli pcap pcap-general live pcap-asan live-asan fuzz bench package soak)

# The unit tests need no root: EAL without hugepages, devices or shared files. The others
# do: network namespaces and TAP devices (live, bench, soak), DPDK's runtime directory in
# /var/run (cli, pcap, and the clean-up of fuzz's). Said before anything is built.
rootless=(unit)
if [ "$(id -u)" -ne 0 ]; then
	for suite in "${suites[@]}"; do
		if [[ " ${rootless[*]} " != *" $suite "* ]]; then
			echo "test.sh: the $suite tests need root (network namespaces, TAP devices," \
				"DPDK's runtime directory): run it with sudo; without: ${rootless[*]}" >&2
			exit 1
		fi
	done
fi

scripts/setup.sh || exit 1
scripts/build.sh || exit 1
case " ${suites[*]} " in
*-asan\ *) scripts/build.sh --asan || exit 1 ;;
esac
# The sanitizer suites: any report ends the appliance with status 99, LeakSanitizer's
# at exit too, and the harness fails the test on any status but 0, showing the report.
# detect_stack_use_after_return: a pointer to a returned call's locals is caught as one
# to a freed block is. DPDK needs no option: EAL's address hint (4 GiB) lies in ASan's
# shadow gap, so EAL maps its memory where the kernel puts it, which only secondary
# processes would mind (none here: --no-shconf).
asan_env=(SMALLSRV_BIN="$PWD/${SMALLSRV_ASAN_BUILD:-build-asan}/app/smallsrv"
	ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:exitcode=99
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=99)

results=$(mktemp -d /tmp/smallsrv-test.XXXXXX)
trap 'rm -rf "$results"' EXIT
# EAL puts a user's runtime directory in $XDG_RUNTIME_DIR/dpdk, else in /tmp/dpdk, which
# the first user to make it keeps for themselves: give the run one of its own.
if [ "$(id -u)" -ne 0 ]; then
	export XDG_RUNTIME_DIR="$results"
fi
py=/usr/bin/python3 # Debian's, with scapy and pytest

for suite in "${suites[@]}"; do
	echo "== $suite"
	case "$suite" in
	unit)
		CMOCKA_MESSAGE_OUTPUT=xml CMOCKA_XML_FILE="$results/unit-%g.xml" \
			timeout 600 meson test -C build --no-rebuild --suite unit --print-errorlogs \
			>"$results/unit.log" 2>&1
		tail -n 12 "$results/unit.log"
		cp build/meson-logs/testlog.json "$results/unit-testlog.json" 2>/dev/null
		;;
	fuzz)
		# One test per harness: a minute of libFuzzer each under ASan/UBSan, with no
		# crash, no hang and no invariant violated (scripts/fuzz.sh).
		cases=""
		for h in fuzz_rx fuzz_tcp; do
			if timeout 600 scripts/fuzz.sh "${FUZZ_SECONDS:-60}" "$h"; then
				fail=""
			else
				fail="<failure message=\"$h found a crash, a hang or a violated invariant, or did not build\"/>"
			fi
			cases+=$(printf '<testcase classname="fuzz" name="%s">%s</testcase>' "$h" "$fail")
		done
		printf '<testsuite name="fuzz">%s</testsuite>\n' "$cases" >"$results/fuzz.xml"
		;;
	bench)
		# One test: the benchmark still runs end to end, on a few thousand packets, and
		# draws a PNG of each of its parts beside the JSON.
		# shellcheck disable=SC2086 # BENCH_ARGS: options, split on purpose
		if timeout 600 scripts/bench.sh --smoke ${BENCH_ARGS:-} --json "$results/bench.json" &&
				"$py" -c 'import json,sys; r=json.load(open(sys.argv[1]));
assert all(v["smallsrv_pps"] > 0 and v["testpmd_pps"] > 0 for v in r["rates"].values())
assert all(v["figure"] > 0 for v in r["tcp"].values())
assert all(v["smallsrv_own_instr_per_pkt"] > 0 for v in r["instructions"].values())
assert r["peer"]["memif"]["loop"]["replies_received"] > 0
for part in ("rates", "instructions", "scaling", "tcp", "peer"):
    with open(sys.argv[1][:-len(".json")] + "-%s.png" % part, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n", part' "$results/bench.json"; then
			fail=""
		else
			fail="<failure message=\"the benchmark smoke failed\"/>"
		fi
		printf '<testsuite name="bench"><testcase classname="bench" name="smoke">%s</testcase></testsuite>\n' \
			"$fail" >"$results/bench.xml"
		;;
	pcap-general)
		# The golden captures again with the fast path off: the general path alone
		# gives the same answers (tests/unit/net/test_fastpath.c compares the two).
		SMALLSRV_PCAP_ARGS="--set general.fast_path=off" timeout 900 "$py" -m pytest -q \
			-p no:cacheprovider tests/pcap -o junit_suite_name="$suite" \
			--junitxml="$results/$suite.xml"
		;;
	pcap-asan | live-asan)
		env "${asan_env[@]}" timeout 900 "$py" -m pytest -q -p no:cacheprovider \
			"tests/${suite%-asan}" -o junit_suite_name="$suite" --junitxml="$results/$suite.xml"
		;;
	soak)
		# One test: mixed hostile and normal traffic, then nothing left behind.
		minutes=${SOAK_MINUTES:-1}
		if timeout "$("$py" -c 'import sys; print(int(float(sys.argv[1]) * 60 + 300))' "$minutes")" \
				scripts/soak.sh "$minutes" --json "$results/soak.json" \
				${SOAK_SKIP:+--skip "$SOAK_SKIP"}; then
			fail=""
		else
			fail="<failure message=\"the soak failed: see its report\"/>"
		fi
		printf '<testsuite name="soak"><testcase classname="soak" name="soak_%s_min">%s</testcase></testsuite>\n' \
			"$minutes" "$fail" >"$results/soak.xml"
		;;
	*)
		timeout 900 "$py" -m pytest -q -p no:cacheprovider "tests/$suite" \
			--junitxml="$results/$suite.xml"
		;;
	esac
done

"$py" tests/summarize.py "$results" "${suites[@]}"
