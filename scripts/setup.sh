#!/usr/bin/env bash
# Install every Debian package smallsrv, its tests and its benchmark need.
# Idempotent: installs only what is missing and says nothing when all is there.
set -euo pipefail

packages=(
	# build
	build-essential meson ninja-build pkg-config libdpdk-dev dpdk dpdk-dev libpcap-dev
	# unit tests and fuzzing
	libcmocka-dev clang
	# golden and live tests: scapy, pytest, kernel-side clients and tools
	python3 python3-scapy python3-pytest python3-pytest-timeout iproute2 nftables
	netcat-openbsd socat rdate nmap perl tshark tcpdump tzdata iputils-ping telnet
	# benchmark
	valgrind
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
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
