"""Fixtures of the golden capture suite: smallsrv on net_pcap, one process
per topic (test module), scapy on both ends."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from common import BIN  # noqa: E402
from pcaplib import Run  # noqa: E402


@pytest.fixture(scope="session")
def app_mac():
    """The port's MAC as the ready line gives it, learnt once from a one-frame run
    (a broadcast ARP request, which needs no MAC to be addressed)."""
    if not os.access(BIN, os.X_OK):
        pytest.fail("no smallsrv binary at %s (build it, or set SMALLSRV_BIN)" % BIN)
    if os.geteuid() != 0:
        pytest.fail("the pcap tests need root (DPDK's runtime directory /var/run/dpdk)")
    from scapy.all import ARP, Ether, raw
    frame = raw(Ether(src="02:00:5e:ff:ff:fe", dst="ff:ff:ff:ff:ff:ff") /
                ARP(op=1, hwsrc="02:00:5e:ff:ff:fe", psrc="192.0.2.254", pdst="192.0.2.1"))
    run = Run([frame]).execute()
    assert run.summary["replies"]["arp_reply"] == 1
    return run.mac
