"""Datagrams of every size, with the kernel as the peer: its fragments are
reassembled, and the echo of a datagram larger than the MTU comes back in
fragments the kernel reassembles in turn, byte for byte."""
import os
import socket
import subprocess
import tempfile

import pytest

from common import APP_IP4, APP_IP6, PEER_IP4, PEER_MAC
from livelib import delta, udp_exchange, wait_until

F4 = (socket.AF_INET, APP_IP4, "ipv4")
F6 = (socket.AF_INET6, APP_IP6, "ipv6")
V4 = pytest.param(F4, id="ipv4")
V6 = pytest.param(F6, id="ipv6")
IP_MTU_DISCOVER, IP_PMTUDISC_DONT = 10, 0
IPV6_MTU_DISCOVER, IPV6_PMTUDISC_DONT = 23, 0


def family_socket(app, family):
    """A UDP socket that lets the kernel fragment what it sends (no DF, no PMTU)."""
    s = app.socket(family, socket.SOCK_DGRAM)
    if family == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
    else:
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER, IPV6_PMTUDISC_DONT)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    return s


def echo_sizes():
    for n in (1473, 4000, 8972, 9000, 65507):
        yield pytest.param(F4, n, id="ipv4-%d" % n)
    for n in (1453, 4000, 65527):
        yield pytest.param(F6, n, id="ipv6-%d" % n)


@pytest.mark.parametrize("family,size", list(echo_sizes()))
def test_echo_in_fragments(app, family, size):
    fam_id, addr, fam = family
    payload = os.urandom(size)
    before = app.counters()
    with family_socket(app, fam_id) as s:
        assert udp_exchange(s, (addr, 7), payload, timeout=5.0) == payload
    d = delta(before, app.counters(), "reasm_datagrams", "reasm_fragments_out",
              "echo_udp_%s_requests" % fam, "echo_udp_%s_bytes_in" % fam)
    assert d["reasm_datagrams"] == 1
    assert d["echo_udp_%s_requests" % fam] == 1
    assert d["echo_udp_%s_bytes_in" % fam] == size
    # As many fragments back as the kernel sent us (the same MTU each way).
    assert d["reasm_fragments_out"] >= 2


@pytest.mark.parametrize("family", [V4, V6])
def test_nc_echo_from_file(app, family):
    """netcat sends a file's 5000 bytes as one datagram and prints the echo."""
    fam_id, addr, fam = family
    data = os.urandom(5000)
    with tempfile.NamedTemporaryFile() as f:
        f.write(data)
        f.flush()
        flag = "-4" if fam_id == socket.AF_INET else "-6"
        # -W 1: quit once one datagram came back (-w bounds the wait for it).
        r = subprocess.run(["ip", "netns", "exec", app.ns, "sh", "-c",
                            "nc %s -u -W 1 -w 5 %s 7 < %s" % (flag, addr, f.name)],
                           capture_output=True, timeout=20)
    assert r.stdout == data, r.stderr


@pytest.mark.parametrize("family", [V4, V6])
def test_ping_8000(app, family):
    fam_id, addr, fam = family
    ver = 4 if fam_id == socket.AF_INET else 6
    before = app.counters()
    r = app.exec(["ping", "-%d" % ver, "-c", "2", "-i", "0.2", "-W", "2", "-M", "dont",
                  "-s", "8000", addr], check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 packets transmitted, 2 received" in r.stdout, r.stdout
    assert "8008 bytes from" in r.stdout, r.stdout
    assert delta(before, app.counters(), "reasm_datagrams")["reasm_datagrams"] == 2


@pytest.mark.parametrize("family", [V4, V6])
@pytest.mark.parametrize("service,port", [("daytime", 13), ("time", 37), ("chargen", 19)])
def test_generated_reply_to_fragmented_request(app, family, service, port):
    """A request in fragments (its payload, which these services ignore, is
    large) is answered as a small one would be."""
    fam_id, addr, fam = family
    before = app.counters()
    with family_socket(app, fam_id) as s:
        s.settimeout(3.0)
        s.sendto(b"x" * 3000, (addr, port))
        reply, peer = s.recvfrom(65535)
    assert peer[0] == addr
    if service == "time":
        assert len(reply) == 4
    else:
        assert len(reply) > 0
    d = delta(before, app.counters(), "reasm_datagrams", "%s_udp_%s_replies" % (service, fam))
    assert d == {"reasm_datagrams": 1, "%s_udp_%s_replies" % (service, fam): 1}


def test_missing_fragment_times_out(appliance):
    """One fragment of a datagram never comes: the others are let go at the
    timeout, and counted."""
    from scapy.all import IP, UDP, Ether, fragment, raw

    a = appliance(["--set", "ip.reassembly_timeout_ms=200"])
    frags = fragment(IP(src=PEER_IP4, dst=APP_IP4) / UDP(sport=40000, dport=7) /
                     (b"z" * 3000), fragsize=1000)
    assert len(frags) == 4
    before = a.counters()
    with a.l2() as l2:
        for f in frags[:-1]:
            l2.send(raw(Ether(src=PEER_MAC, dst=a.mac) / f))
    wait_until(lambda: delta(before, a.counters(), "reasm_timeouts")["reasm_timeouts"] == 1,
               5.0, "the incomplete datagram to time out")
    d = delta(before, a.counters(), "rx_held", "reasm_timed_out", "reasm_datagrams")
    assert d == {"rx_held": 3, "reasm_timed_out": 3, "reasm_datagrams": 0}
