#!/usr/bin/env bash
# Install every Debian package smallsrv, its tests and its benchmark need.
# Idempotent: installs only what is missing and says nothing when all is there.
set -euo pipefail

packages=(
	# build
	build-essential meson ninja-build pkg-config libdpdk-dev dpdk dpdk-dev libpcap-dev
	# unit tests and fuzzing (llvm-14: coverage reports, scripts/fuzz-coverage.sh)
	libcmocka-dev clang llvm-14
	# formatting (scripts/format.sh): clang-format 14
	clang-format
	# golden and live tests: scapy, pytest, kernel-side clients and tools
	python3 python3-scapy python3-pytest python3-pytest-timeout iproute2 nftables
	netcat-openbsd socat rdate nmap perl tshark tcpdump tzdata iputils-ping telnet
	# live rates under a real terminal (tests/live/test_live_top.py)
	tmux
	# the real Prometheus server, scraping scripts/smallsrv-exporter (test_live_exporter.py)
	prometheus
	# benchmark, and its plots (tests/perf/plot.py)
	valgrind python3-matplotlib
	# the Debian package (dpkg-buildpackage), smallsrv(8) checked with groff and man,
	# the systemd units with systemd-analyze verify; kmod, which the package depends on
	# (modprobe), for the package installed in a chroot
	debhelper fakeroot dpkg-dev groff-base man-db systemd git kmod
)

# One query for all of them: "ii" (to install, installed, no error) is "install ok
# installed". A package dpkg has never heard of has no line (and dpkg-query exits
# non-zero, which does not matter here): it is missing like one that is not installed.
declare -A installed=()
while read -r status name; do
	if [ "$status" = ii ]; then
		installed[$name]=1
	fi
done < <(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${packages[@]}" 2>/dev/null)
missing=()
for p in "${packages[@]}"; do
	[ -n "${installed[$p]:-}" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null; then
		exec sudo "$0" "$@"
	fi
	echo "setup.sh: need root to install: ${missing[*]}" >&2
	exit 1
fi
echo "setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; the answer does not matter here.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
