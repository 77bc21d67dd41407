#!/usr/bin/env bash
# Build and run smallsrv.
#
#   scripts/run.sh                 demo on a TAP port: the appliance is 192.0.2.1 and
#                                  2001:db8::1, this host is 192.0.2.254 and 2001:db8::fe
#   scripts/run.sh --pci 0000:01:00.0 --ipv4 198.51.100.1/24 [--ipv6 2001:db8:1::1/64]
#                  [--lcores 2-3] [--config FILE] [-- more smallsrv options]
#                                  a real NIC, bound to vfio-pci beforehand (README)
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
	sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
}

pci="" ipv4="" ipv6="" lcores="" config="" extra=()
while [ $# -gt 0 ]; do
	case "$1" in
	--pci) pci=${2:?}; shift 2 ;;
	--ipv4) ipv4=${2:?}; shift 2 ;;
	--ipv6) ipv6=${2:?}; shift 2 ;;
	--lcores) lcores=${2:?}; shift 2 ;;
	--config) config=${2:?}; shift 2 ;;
	--) shift; extra=("$@"); break ;;
	-h|--help) usage ;;
	*) echo "run.sh: unknown option $1" >&2; usage ;;
	esac
done

scripts/setup.sh
scripts/build.sh
bin=build/app/smallsrv

if [ "$(id -u)" -ne 0 ]; then
	echo "run.sh: DPDK needs root (TAP devices, hugepages, device access): run it with sudo" >&2
	exit 1
fi

app=()
[ -n "$config" ] && app+=(--config "$config")

if [ -z "$pci" ]; then
	# The demo: one TAP port; the kernel side of it is this host.
	tap=smallsrv0
	app+=(--ipv4 "${ipv4:-192.0.2.1/24}" --ipv6 "${ipv6:-2001:db8::1/64}")
	# net_tap warns that it cannot set up rte_flow without the multiq qdisc: not used here.
	eal=(-l "${lcores:-0}" --no-huge -m 512 --no-pci --file-prefix smallsrv-demo
		--vdev "net_tap0,iface=$tap" --log-level pmd.net.tap:critical)
	(
		# Give the kernel side its addresses once the appliance has made the interface.
		for _ in $(seq 100); do
			ip link show "$tap" >/dev/null 2>&1 && break
			sleep 0.1
		done
		ip link set "$tap" address 02:00:00:00:00:fe up
		ip addr add 192.0.2.254/24 dev "$tap" 2>/dev/null || true
		ip -6 addr add 2001:db8::fe/64 dev "$tap" nodad 2>/dev/null || true
		# Host routes win even where 192.0.2.0/24 is already in use on this host.
		ip route replace 192.0.2.1/32 dev "$tap"
		ip -6 route replace 2001:db8::1/128 dev "$tap"
		cat <<EOT

smallsrv demo: the appliance answers at 192.0.2.1 and 2001:db8::1 on $tap.
From another shell try:
    nc -u 192.0.2.1 7                echo: type a line, it comes back
    echo | nc -u -w1 192.0.2.1 13    daytime
    echo | nc -u -w1 2001:db8::1 19  chargen
    rdate -p -u 192.0.2.1            time (RFC 868) over UDP
    telnet 192.0.2.1 daytime         daytime over TCP
    rdate -p 192.0.2.1               time over TCP
    nc 2001:db8::1 7                 echo over TCP
    ping 192.0.2.1; ping 2001:db8::1
    echo /smallsrv/stats | dpdk-telemetry.py -f smallsrv-demo    counters
Ctrl-C stops it and prints its counters.

EOT
	) &
else
	[ -n "$ipv4" ] || [ -n "$ipv6" ] || [ -n "$config" ] ||
		{ echo "run.sh: --pci needs --ipv4, --ipv6 or --config" >&2; exit 2; }
	[ -n "$ipv4" ] && app+=(--ipv4 "$ipv4")
	[ -n "$ipv6" ] && app+=(--ipv6 "$ipv6")
	eal=(-l "${lcores:-0-1}" -a "$pci" --file-prefix smallsrv)
fi

exec "$bin" "${eal[@]}" -- "${app[@]}" "${extra[@]}"
