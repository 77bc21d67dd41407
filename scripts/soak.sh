#!/usr/bin/env bash
# Soak smallsrv: MINUTES of mixed traffic on net_tap in a network namespace of
# its own (the kernel's TCP and UDP clients of every service, IPv4 and IPv6, a
# SYN flood, frames to refuse, raw TCP peers that abuse the stack, 3 % loss each
# way), then everything closed: the mbuf pool back at its baseline, no
# connection left, rx = answered + to TCP + not answered, a flat RSS, a clean
# exit on SIGTERM. Prints a report ending PASS or FAIL; exit status 0 on PASS.
#   scripts/soak.sh MINUTES [--json FILE] [--seed N] [--skip KIND,...]
# Needs root. SMALLSRV_BIN runs another binary (and skips the build).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ]; then
	echo "usage: scripts/soak.sh MINUTES [--json FILE] [--seed N] [--skip KIND,...]" >&2
	exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "soak.sh: the soak needs root (network namespaces, TAP devices): run it with sudo" >&2
	exit 1
fi
[ -n "${SMALLSRV_BIN:-}" ] || scripts/build.sh
# Debian's interpreter (scapy); niced: the appliance polls one core already.
exec nice -n 10 /usr/bin/python3 tests/soak/soak.py "$@"
