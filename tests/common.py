"""Helpers shared by the Python test suites (cli, pcap, live).

Use Debian's /usr/bin/python3: scapy and pytest are its packages.
"""
import os
import secrets

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("SMALLSRV_BIN", os.path.join(ROOT, "build", "app", "smallsrv"))

# The test port's addresses, from the documentation ranges only.
APP_IP4, PEER_IP4 = "192.0.2.1", "192.0.2.254"
APP_IP6, PEER_IP6 = "2001:db8::1", "2001:db8::fe"
PEER_MAC = "02:00:00:00:00:fe"


def unique(prefix, length=6):
    """A short unique name: file prefixes, namespaces, interfaces (15 chars max)."""
    return prefix + secrets.token_hex(length // 2 + 1)[:length]


def eal_args(prefix, vdevs, lcores="0"):
    """EAL options for a test run: no hugepages, no PCI, no shared files."""
    args = ["--no-huge", "-m", "512", "--no-pci", "--no-shconf",
            "--file-prefix", prefix, "-l", lcores, "--log-level", "*:warning"]
    for vdev in vdevs:
        args += ["--vdev", vdev]
    return args
