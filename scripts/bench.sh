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
# Hugepages are the machine's: others may hold some. The bench adds its own to the
# count, in a hugetlbfs mount of its own, and takes back only those.
nr_2m=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
huge_dir="$work/huge" added=0
hugepages_add() {
	local before
	before=$(cat "$nr_2m")
	echo $((before + $1)) >"$nr_2m" 2>/dev/null || true
	added=$(($(cat "$nr_2m") - before))
}
hugepages_give_back() {
	local now
	if mountpoint -q "$huge_dir"; then
		rm -f "$huge_dir"/*
		umount "$huge_dir"
	fi
	now=$(cat "$nr_2m")
	[ "$added" -gt 0 ] && echo $((now > added ? now - added : 0)) >"$nr_2m"
	added=0
}
cleanup() {
	hugepages_give_back
	[ -d "$work/baseline" ] && git worktree remove --force "$work/baseline"
	rm -rf "$work"
}
trap cleanup EXIT

if [ "$huge" = auto ]; then
	huge=no
	# 2 GB of 2 MB pages; memory may be too fragmented for all of them: 1 GB does.
	if [ -w "$nr_2m" ]; then
		hugepages_add 1024
		mkdir -p "$huge_dir"
		if [ "$added" -ge 512 ] && mount -t hugetlbfs -o pagesize=2M nodev "$huge_dir"; then
			huge=yes
		fi
	fi
	if [ "$huge" = no ]; then
		echo "bench.sh: no hugepages could be reserved: measuring without them"
		hugepages_give_back
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
[ "$huge" = yes ] && args+=(--huge --huge-dir "$huge_dir")
/usr/bin/python3 tests/perf/bench.py "${args[@]}" "${extra[@]}"
# The figures are in the JSON already: a plot that fails costs its picture, not the run.
if ! /usr/bin/python3 tests/perf/plot.py "$json"; then
	echo "bench.sh: not every plot was drawn (the line above says why); $json holds every figure" >&2
fi
