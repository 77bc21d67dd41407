#!/usr/bin/env bash
# The benchmark: smallsrv against testpmd 5tswap on the same input, packet rates from
# the ports' own counters, instructions per packet under callgrind (total, and own:
# inside the smallsrv binary), the TCP figures in-process, the scaling over workers,
# and a DPDK peer (testpmd over net_memif) driving the appliance. Prints a table,
# writes it as JSON, and beside the JSON its plots (tests/perf/plot.py: NAME-rates.png,
# -instructions, -scaling, -tcp, -peer; README.md, "Performance", shows them).
#   scripts/bench.sh [--workers 1,2,4] [--rounds N] [--seconds S] [--no-huge] [--smoke]
#                    [--json FILE] [--baseline REV]
#                    [--parts rates,instructions,tcp,scaling,peer]
# --baseline REV builds an earlier commit beside this one and measures both in the same
# run, for before/after ratios.
# Hugepages are reserved when it runs as root and given back afterwards; --no-huge (or
# no root) measures without them. The figure's memory mode is printed and recorded.
set -euo pipefail
cd "$(dirname "$0")/.."

json=bench-results/bench.json huge=auto extra=() baseline=""
while [ $# -gt 0 ]; do
	case "$1" in
	--json) json=${2:?}; shift 2 ;;
	--no-huge) huge=no; shift ;;
	--workers|--rounds|--seconds|--packets|--parts) extra+=("$1" "${2:?}"); shift 2 ;;
	--baseline) baseline=${2:?}; shift 2 ;;
	--smoke) extra+=(--smoke); shift ;;
	*) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
done

scripts/setup.sh
scripts/build.sh
if [ "$(id -u)" -ne 0 ]; then
	echo "bench.sh: DPDK needs root: run it with sudo" >&2
	exit 1
fi

work=$(mktemp -d /tmp/smallsrv-bench.XXXXXX)
made_mount=""
cleanup() {
	if [ "$huge" = yes ]; then
		dpdk-hugepages.py -u >/dev/null 2>&1 || true
		dpdk-hugepages.py -c >/dev/null 2>&1 || true
		[ -n "$made_mount" ] && rmdir /dev/hugepages 2>/dev/null || true
	fi
	[ -d "$work/baseline" ] && git worktree remove --force "$work/baseline"
	rm -rf "$work"
}
trap cleanup EXIT

if [ "$huge" = auto ]; then
	huge=no
	[ -d /dev/hugepages ] || { mkdir -p /dev/hugepages && made_mount=1; }
	# Memory may be too fragmented for 2 GB of 2 MB pages: 1 GB does.
	if { dpdk-hugepages.py -p 2M --setup 2G >/dev/null 2>&1 ||
			dpdk-hugepages.py -p 2M --setup 1G >/dev/null 2>&1; } &&
			[ "$(awk '/HugePages_Total/ {print $2}' /proc/meminfo)" -gt 0 ]; then
		huge=yes
	else
		echo "bench.sh: no hugepages could be reserved: measuring without them"
		[ -n "$made_mount" ] && rmdir /dev/hugepages 2>/dev/null || true
	fi
fi

if [ -n "$baseline" ]; then
	# The earlier commit, built in the same way in a worktree of its own.
	git worktree add -q --detach "$work/baseline" "$baseline"
	(cd "$work/baseline" && meson setup build >/dev/null && ninja -C build >/dev/null)
	extra+=(--baseline "$work/baseline/build")
fi

mkdir -p "$(dirname "$json")"
/usr/bin/python3 tests/perf/make_requests.py "$work/pcaps"
args=(--pcaps "$work/pcaps" --json "$json")
[ "$huge" = yes ] && args+=(--huge)
/usr/bin/python3 tests/perf/bench.py "${args[@]}" "${extra[@]}"
# The figures are in the JSON already: a plot that fails costs its picture, not the run.
if ! /usr/bin/python3 tests/perf/plot.py "$json"; then
	echo "bench.sh: not every plot was drawn (the line above says why); $json holds every figure" >&2
fi
