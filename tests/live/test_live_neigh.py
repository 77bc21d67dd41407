"""ARP, neighbour discovery and ping, with the Linux kernel as the peer."""
import re

import pytest
from scapy.layers.l2 import ARP, Ether

from common import APP_IP4, APP_IP6, PEER_IP4, PEER_MAC
from livelib import delta

FAMILIES = [pytest.param((4, APP_IP4), id="ipv4"), pytest.param((6, APP_IP6), id="ipv6")]


@pytest.mark.parametrize("family", FAMILIES)
def test_kernel_resolves_appliance(app, family):
    ver, addr = family
    reply = "arp_reply" if ver == 4 else "nd_advert"
    before = app.counters()
    # Start from no entry: the kernel must resolve the address anew.
    app.exec(["ip", "neigh", "flush", "dev", app.tap])
    assert app.neighbour(addr) is None
    app.exec(["ping", "-%d" % ver, "-c", "1", "-W", "2", addr])
    n = app.neighbour(addr)
    assert n is not None, "no neighbour entry for %s" % addr
    assert n.get("lladdr", "").lower() == app.mac, n
    assert set(n.get("state", [])) & {"REACHABLE", "STALE"}, n
    after = app.counters()
    assert delta(before, after, reply)[reply] >= 1


def test_arp_reply_fields(app):
    with app.l2() as l2:
        l2.send(Ether(src=PEER_MAC, dst="ff:ff:ff:ff:ff:ff") /
                ARP(op=1, hwsrc=PEER_MAC, psrc=PEER_IP4, pdst=APP_IP4))
        frames = l2.receive(lambda f: f[12:14] == b"\x08\x06")
    r = Ether(frames[-1])
    assert r.dst == PEER_MAC
    assert r[ARP].op == 2
    assert r[ARP].hwsrc == app.mac and r[ARP].psrc == APP_IP4
    assert r[ARP].hwdst == PEER_MAC and r[ARP].pdst == PEER_IP4


def test_arp_for_other_address_unanswered(app):
    before = app.counters()
    with app.l2() as l2:
        l2.send(Ether(src=PEER_MAC, dst="ff:ff:ff:ff:ff:ff") /
                ARP(op=1, hwsrc=PEER_MAC, psrc=PEER_IP4, pdst="192.0.2.77"))
        assert l2.barrier(neighbour=True) == []
    assert delta(before, app.counters(), "arp_not_ours")["arp_not_ours"] == 1


@pytest.mark.parametrize("family", FAMILIES)
def test_ping(app, family):
    ver, addr = family
    name = "icmp%d_echo_reply" % ver
    before = app.counters()
    r = app.exec(["ping", "-%d" % ver, "-c", "3", "-i", "0.2", "-W", "2", addr], check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"3 packets transmitted, 3 received", r.stdout), r.stdout
    assert delta(before, app.counters(), name)[name] == 3


@pytest.mark.parametrize("family", FAMILIES)
def test_ping_large(app, family):
    """Echo requests that fill the MTU come back whole."""
    ver, addr = family
    size = 1500 - (20 if ver == 4 else 40) - 8
    r = app.exec(["ping", "-%d" % ver, "-c", "2", "-i", "0.2", "-W", "2", "-M", "do",
                  "-s", str(size), addr], check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "%d bytes from" % (size + 8) in r.stdout, r.stdout
