#!/usr/bin/env bash
# Build smallsrv and run every test suite: unit (cmocka), cli (command line and
# configuration), pcap (golden captures through net_pcap), live (net_tap in network
# namespaces, the Linux kernel as the peer), fuzz (libFuzzer over the receive path and
# over TCP conversations) and a smoke run of the benchmark (scripts/bench.sh --smoke).
# The last line is "N passed, N failed"; the exit status is 0 only when nothing failed.
#   scripts/test.sh [SUITE...]     run only these suites
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

scripts/setup.sh || exit 1
scripts/build.sh || exit 1

if [ "$(id -u)" -ne 0 ]; then
	echo "test.sh: the tests need root (network namespaces, TAP devices): run it with sudo" >&2
	exit 1
fi

suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(unit cli pcap live fuzz bench)
results=$(mktemp -d /tmp/smallsrv-test.XXXXXX)
trap 'rm -rf "$results"' EXIT
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
		# One test: the benchmark still runs end to end, on a few thousand packets.
		if timeout 600 scripts/bench.sh --smoke --json "$results/bench.json" &&
				"$py" -c 'import json,sys; r=json.load(open(sys.argv[1]));
assert all(v["smallsrv_pps"] > 0 and v["testpmd_pps"] > 0 for v in r["rates"].values())
assert all(v["figure"] > 0 for v in r["tcp"].values())' "$results/bench.json"; then
			fail=""
		else
			fail="<failure message=\"the benchmark smoke failed\"/>"
		fi
		printf '<testsuite name="bench"><testcase classname="bench" name="smoke">%s</testcase></testsuite>\n' \
			"$fail" >"$results/bench.xml"
		;;
	*)
		timeout 900 "$py" -m pytest -q -p no:cacheprovider "tests/$suite" \
			--junitxml="$results/$suite.xml"
		;;
	esac
done

"$py" tests/summarize.py "$results" "${suites[@]}"
