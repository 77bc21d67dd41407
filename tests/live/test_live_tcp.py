"""TCP at the edges, with the Linux kernel and nmap as peers: closed ports
answer RST (RFC 9293 3.10.7.1), which the kernel reports as ECONNREFUSED and
nmap as "closed" (not "filtered"); the services' ports are open, and their
SYN-ACK answers what the SYN offered; a RST is never answered."""
import random
import socket
import xml.etree.ElementTree as ET

import pytest
from scapy.layers.inet import IP, TCP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Ether

from common import APP_IP4, APP_IP6, PEER_IP4, PEER_IP6, PEER_MAC
from livelib import delta, wait_until

FAMILIES = [pytest.param((socket.AF_INET, APP_IP4, "tcp4_rst"), id="ipv4"),
            pytest.param((socket.AF_INET6, APP_IP6, "tcp6_rst"), id="ipv6")]
OPEN = {7: "echo", 9: "discard", 13: "daytime", 19: "chargen", 37: "time"}


@pytest.mark.parametrize("family", FAMILIES)
def test_connect_refused(app, family):
    """Closed ports: 4444, qotd's 17 (off by default), one picked at random."""
    fam_id, addr, counter = family
    ports = [4444, 17, random.choice([p for p in range(1024, 65536) if p not in OPEN])]
    before = app.counters()
    for port in ports:
        with app.socket(fam_id, socket.SOCK_STREAM) as s:
            s.settimeout(3.0)
            with pytest.raises(ConnectionRefusedError):
                s.connect((addr, port))
    assert delta(before, app.counters(), counter)[counter] == len(ports)


@pytest.mark.parametrize("family", FAMILIES)
def test_connect_open(app, family):
    """The services' ports accept, and no RST is sent for them."""
    fam_id, addr, counter = family
    before = app.counters()
    for port in OPEN:
        with app.socket(fam_id, socket.SOCK_STREAM) as s:
            s.settimeout(3.0)
            s.connect((addr, port))
    assert delta(before, app.counters(), counter)[counter] == 0


@pytest.mark.parametrize("target", [["192.0.2.1"], ["-6", "2001:db8::1"]],
                         ids=["ipv4", "ipv6"])
def test_nmap_connect_scan(app, target):
    r = app.exec(["nmap", "-n", "-Pn", "-T4", "--max-retries", "1", "-oX", "-", "-sT",
                  "-p", "7,9,13,17,19,37,4444"] + target, timeout=60)
    root = ET.fromstring(r.stdout)
    states = {int(p.get("portid")): p.find("state").get("state") for p in root.iter("port")}
    assert states == {7: "open", 9: "open", 13: "open", 17: "closed", 19: "open",
                      37: "open", 4444: "closed"}, r.stdout


def ip_layer(v6):
    return IPv6(src=PEER_IP6, dst=APP_IP6) if v6 else IP(src=PEER_IP4, dst=APP_IP4)


def check_tcp_reply(f, v6, sport, hlen=20):
    assert f.dst == PEER_MAC
    assert f[TCP].dport == sport
    ip = f[IPv6] if v6 else f[IP]
    assert (ip.src, ip.dst) == ((APP_IP6, PEER_IP6) if v6 else (APP_IP4, PEER_IP4))
    assert (ip.plen == hlen) if v6 else (ip.len == 20 + hlen)
    assert f[TCP].dataofs * 4 == hlen
    # The checksum scapy computes for the same segment.
    chk = f[TCP].chksum
    del f[TCP].chksum
    assert Ether(bytes(f))[TCP].chksum == chk


@pytest.mark.parametrize("v6", [False, True], ids=["ipv4", "ipv6"])
def test_rst_fields(app, v6):
    """A closed port. SYN with data: RST|ACK, seq 0, ack = seq + data + 1.
    ACK: RST, seq = its ack."""
    seq, ack = 0x12345678, 0x9abcdef0
    with app.l2() as l2:
        l2.send(Ether(src=PEER_MAC, dst=app.mac) / ip_layer(v6) /
                TCP(sport=45001, dport=4444, flags="S", seq=seq) / b"hello")
        l2.send(Ether(src=PEER_MAC, dst=app.mac) / ip_layer(v6) /
                TCP(sport=45002, dport=4444, flags="A", seq=seq, ack=ack))
        l2.send(Ether(src=PEER_MAC, dst=app.mac) / ip_layer(v6) /
                TCP(sport=45003, dport=17, flags="FA", seq=seq, ack=ack) / b"bye")
        frames = [Ether(f) for f in l2.barrier()]
    rsts = [f for f in frames if TCP in f]
    assert len(rsts) == 3, [f.summary() for f in frames]
    syn, ackd, fin = rsts
    for f, sport in ((syn, 45001), (ackd, 45002), (fin, 45003)):
        assert f[TCP].window == 0
        check_tcp_reply(f, v6, sport)
    assert str(syn[TCP].flags) == "RA" and syn[TCP].seq == 0 and syn[TCP].ack == seq + 6
    assert str(ackd[TCP].flags) == "R" and ackd[TCP].seq == ack
    assert str(fin[TCP].flags) == "R" and fin[TCP].seq == ack


@pytest.mark.parametrize("v6", [False, True], ids=["ipv4", "ipv6"])
def test_synack_fields(app, v6):
    """A listening port: SYN-ACK with ack = seq + 1, an ISN that is not
    predictable from the SYN, and options that answer the SYN's. The kernel
    has no socket for these SYNs: it resets the SYN-ACKs itself, which
    clears the SYN-table entries."""
    seq = 0xfffffff0
    mss = 1460 if not v6 else 1440
    before = app.telemetry("/smallsrv/tcp")
    with app.l2() as l2:
        l2.send(Ether(src=PEER_MAC, dst=app.mac) / ip_layer(v6) /
                TCP(sport=45011, dport=13, flags="S", seq=seq, window=1000,
                    options=[("MSS", 1200), ("SAckOK", b""), ("Timestamp", (1, 0)),
                             ("NOP", None), ("WScale", 9)]))
        l2.send(Ether(src=PEER_MAC, dst=app.mac) / ip_layer(v6) /
                TCP(sport=45012, dport=13, flags="S", seq=seq, window=1000))
        frames = [Ether(f) for f in l2.barrier()]
    synacks = [f for f in frames if TCP in f]
    assert len(synacks) == 2, [f.summary() for f in frames]
    full, bare = synacks
    for f, sport, hlen, opts in ((full, 45011, 32, [("MSS", mss), ("NOP", None), ("WScale", 0),
                                                    ("NOP", None), ("NOP", None),
                                                    ("SAckOK", b"")]),
                                 (bare, 45012, 24, [("MSS", mss)])):
        assert str(f[TCP].flags) == "SA"
        assert f[TCP].ack == (seq + 1) % 2**32
        assert f[TCP].window == 65535
        assert f[TCP].options == opts, f[TCP].options
        check_tcp_reply(f, v6, sport, hlen)
    # Same SYN, other source port: another ISN (SipHash of the tuple).
    assert full[TCP].seq != bare[TCP].seq
    after = app.telemetry("/smallsrv/tcp")
    assert after["synack_stateful"] - before["synack_stateful"] == 2
    wait_until(lambda: app.telemetry("/smallsrv/tcp")["table_half_open"] == 0, 5,
               "the kernel's RSTs to clear the SYN-table entries")


@pytest.mark.parametrize("v6", [False, True], ids=["ipv4", "ipv6"])
def test_rst_never_answered(app, v6):
    before = app.counters()
    with app.l2() as l2:
        for flags in ("R", "RA"):
            for dport in (7, 4444):
                l2.send(Ether(src=PEER_MAC, dst=app.mac) / ip_layer(v6) /
                        TCP(sport=45010, dport=dport, flags=flags, seq=1, ack=2))
        assert l2.barrier() == []
    d = delta(before, app.counters(), "tcp_rst_no_connection")
    assert d["tcp_rst_no_connection"] == 4
