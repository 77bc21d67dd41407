"""TCP before the stack exists: every port is closed, and says so with a RST
(RFC 9293 3.10.7.1), which the kernel reports as ECONNREFUSED and nmap as
"closed" (not "filtered"). These tests change when the TCP services land."""
import random
import socket
import xml.etree.ElementTree as ET

import pytest
from scapy.layers.inet import IP, TCP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Ether

from common import APP_IP4, APP_IP6, PEER_IP4, PEER_IP6, PEER_MAC
from livelib import delta

FAMILIES = [pytest.param((socket.AF_INET, APP_IP4, "tcp4_rst"), id="ipv4"),
            pytest.param((socket.AF_INET6, APP_IP6, "tcp6_rst"), id="ipv6")]


@pytest.mark.parametrize("family", FAMILIES)
def test_connect_refused(app, family):
    fam_id, addr, counter = family
    ports = [7, 9, 13, 17, 19, 37, random.randint(1024, 65535)]
    before = app.counters()
    for port in ports:
        with app.socket(fam_id, socket.SOCK_STREAM) as s:
            s.settimeout(3.0)
            with pytest.raises(ConnectionRefusedError):
                s.connect((addr, port))
    assert delta(before, app.counters(), counter)[counter] == len(ports)


@pytest.mark.parametrize("target", [["192.0.2.1"], ["-6", "2001:db8::1"]],
                         ids=["ipv4", "ipv6"])
def test_nmap_connect_scan_closed(app, target):
    r = app.exec(["nmap", "-n", "-Pn", "-T4", "--max-retries", "1", "-oX", "-", "-sT",
                  "-p", "7,13"] + target, timeout=60)
    root = ET.fromstring(r.stdout)
    states = {int(p.get("portid")): p.find("state").get("state") for p in root.iter("port")}
    assert states == {7: "closed", 13: "closed"}, r.stdout


def ip_layer(v6):
    return IPv6(src=PEER_IP6, dst=APP_IP6) if v6 else IP(src=PEER_IP4, dst=APP_IP4)


@pytest.mark.parametrize("v6", [False, True], ids=["ipv4", "ipv6"])
def test_rst_fields(app, v6):
    """SYN with data: RST|ACK, seq 0, ack = seq + data + 1. ACK: RST, seq = its ack."""
    seq, ack = 0x12345678, 0x9abcdef0
    with app.l2() as l2:
        l2.send(Ether(src=PEER_MAC, dst=app.mac) / ip_layer(v6) /
                TCP(sport=45001, dport=13, flags="S", seq=seq) / b"hello")
        l2.send(Ether(src=PEER_MAC, dst=app.mac) / ip_layer(v6) /
                TCP(sport=45002, dport=7, flags="A", seq=seq, ack=ack))
        l2.send(Ether(src=PEER_MAC, dst=app.mac) / ip_layer(v6) /
                TCP(sport=45003, dport=7, flags="FA", seq=seq, ack=ack) / b"bye")
        frames = [Ether(f) for f in l2.barrier()]
    rsts = [f for f in frames if TCP in f]
    assert len(rsts) == 3, [f.summary() for f in frames]
    syn, ackd, fin = rsts
    for f, sport in ((syn, 45001), (ackd, 45002), (fin, 45003)):
        assert f.dst == PEER_MAC
        assert f[TCP].dport == sport
        assert f[TCP].window == 0
        ip = f[IPv6] if v6 else f[IP]
        assert (ip.src, ip.dst) == ((APP_IP6, PEER_IP6) if v6 else (APP_IP4, PEER_IP4))
        # A bare 20-byte header: no options, no data.
        assert (ip.plen == 20) if v6 else (ip.len == 40)
        assert f[TCP].dataofs == 5
    assert str(syn[TCP].flags) == "RA" and syn[TCP].seq == 0 and syn[TCP].ack == seq + 6
    assert str(ackd[TCP].flags) == "R" and ackd[TCP].seq == ack
    assert str(fin[TCP].flags) == "R" and fin[TCP].seq == ack
    # The checksum scapy computes for the same segment.
    for f in rsts:
        chk = f[TCP].chksum
        del f[TCP].chksum
        assert Ether(bytes(f))[TCP].chksum == chk


@pytest.mark.parametrize("v6", [False, True], ids=["ipv4", "ipv6"])
def test_rst_never_answered(app, v6):
    before = app.counters()
    with app.l2() as l2:
        for flags in ("R", "RA"):
            l2.send(Ether(src=PEER_MAC, dst=app.mac) / ip_layer(v6) /
                    TCP(sport=45010, dport=7, flags=flags, seq=1, ack=2))
        assert l2.barrier() == []
    assert delta(before, app.counters(), "tcp_rst_received")["tcp_rst_received"] == 2
