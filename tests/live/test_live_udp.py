"""Every UDP service, from the kernel's own sockets, over IPv4 and IPv6."""
import os
import socket
import time

import pytest

from common import APP_IP4, APP_IP6
from livelib import CLOCK_SLACK, TIME_OFFSET, delta, parse_bsd_daytime, udp_exchange

V4 = pytest.param((socket.AF_INET, APP_IP4, "ipv4"), id="ipv4")
V6 = pytest.param((socket.AF_INET6, APP_IP6, "ipv6"), id="ipv6")
FAMILIES = [V4, V6]
# The largest UDP payload in one 1500-byte IP packet.
MAX_PAYLOAD = {"ipv4": 1500 - 20 - 8, "ipv6": 1500 - 40 - 8}


@pytest.fixture
def sock(app, request):
    """A kernel UDP socket of the test's family, closed afterwards."""
    family = request.node.callspec.params["family"][0]
    s = app.socket(family, socket.SOCK_DGRAM)
    yield s
    s.close()


def svc(family_name, service, field):
    return "%s_udp_%s_%s" % (service, family_name, field)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("size", ["empty", "one", "max"])
def test_echo(app, sock, family, size):
    _, addr, fam = family
    payload = {"empty": b"", "one": b"\x00", "max": os.urandom(MAX_PAYLOAD[fam])}[size]
    before = app.counters()
    assert udp_exchange(sock, (addr, 7), payload) == payload
    d = delta(before, app.counters(), svc(fam, "echo", "requests"),
              svc(fam, "echo", "replies"), svc(fam, "echo", "bytes_in"))
    assert d == {svc(fam, "echo", "requests"): 1, svc(fam, "echo", "replies"): 1,
                 svc(fam, "echo", "bytes_in"): len(payload)}


@pytest.mark.parametrize("family", FAMILIES)
def test_echo_many_sizes(app, sock, family):
    _, addr, fam = family
    for n in (2, 17, 64, 511, 512, 513, 1024, MAX_PAYLOAD[fam] - 1):
        payload = os.urandom(n)
        assert udp_exchange(sock, (addr, 7), payload) == payload, "size %d" % n


@pytest.mark.parametrize("family", FAMILIES)
def test_discard(app, sock, family):
    fam_id, addr, fam = family
    before = app.counters()
    for payload in (b"", b"x", b"discard me" * 100):
        sock.sendto(payload, (addr, 9))
    # A later echo on another socket: its reply follows any discard reply.
    with app.socket(fam_id, socket.SOCK_DGRAM) as other:
        assert udp_exchange(other, (addr, 7), b"barrier") == b"barrier"
    sock.setblocking(False)
    with pytest.raises(BlockingIOError):
        sock.recv(65535)
    d = delta(before, app.counters(), "udp_discard_service", svc(fam, "discard", "requests"),
              svc(fam, "discard", "replies"))
    assert d == {"udp_discard_service": 3, svc(fam, "discard", "requests"): 3,
                 svc(fam, "discard", "replies"): 0}


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("request_payload", [b"", b"\n", b"help\r\n\r\n"],
                         ids=["empty", "newline", "nmap"])
def test_daytime(app, sock, family, request_payload):
    _, addr, _ = family
    reply = udp_exchange(sock, (addr, 13), request_payload)
    now = time.time()
    assert reply.isascii()
    t = parse_bsd_daytime(reply.decode())
    assert abs(t - now) <= CLOCK_SLACK, "daytime %r is %+.0f s off" % (reply, t - now)


@pytest.mark.parametrize("family", FAMILIES)
def test_chargen_lines_continue_the_ring(app, sock, family):
    _, addr, _ = family
    firsts = []
    for payload in (b"", b"x", b"ignored" * 20, b""):
        line = udp_exchange(sock, (addr, 19), payload)
        assert len(line) == 74 and line.endswith(b"\r\n"), line
        body = line[:72]
        assert all(0x20 <= c <= 0x7e for c in body), line
        for a, b in zip(body, body[1:]):
            assert (b - 0x20) == (a - 0x20 + 1) % 95, "not consecutive ring chars: %r" % line
        firsts.append(body[0] - 0x20)
    for a, b in zip(firsts, firsts[1:]):
        assert b == (a + 1) % 95, "line does not continue the ring: starts %r" % firsts


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("request_payload", [b"", b"anything at all"], ids=["empty", "data"])
def test_time(app, sock, family, request_payload):
    _, addr, _ = family
    reply = udp_exchange(sock, (addr, 37), request_payload)
    now = int(time.time())
    assert len(reply) == 4, reply
    value = int.from_bytes(reply, "big")
    expect = (now + TIME_OFFSET) % 2**32
    off = (value - expect + 2**31) % 2**32 - 2**31
    assert abs(off) <= CLOCK_SLACK, "time %d is %+d s off" % (value, off)


def refused(app, family_id, addr, port):
    """Send on a connected UDP socket; True if the kernel reports the port
    unreachable error (ECONNREFUSED) on the next receive."""
    with app.socket(family_id, socket.SOCK_DGRAM) as s:
        s.settimeout(2.0)
        s.connect((addr, port))
        s.send(b"hello?")
        try:
            data = s.recv(65535)
        except ConnectionRefusedError:
            return True
        raise AssertionError("port %d answered %r" % (port, data))


@pytest.mark.parametrize("family", FAMILIES)
def test_qotd_off_by_default(app, family):
    fam_id, addr, fam = family
    reply = "icmp4_port_unreachable" if fam == "ipv4" else "icmp6_port_unreachable"
    before = app.counters()
    assert refused(app, fam_id, addr, 17)
    d = delta(before, app.counters(), reply, svc(fam, "qotd", "requests"))
    assert d == {reply: 1, svc(fam, "qotd", "requests"): 0}


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("port", [1, 40000, 65535])
def test_closed_port_unreachable(app, family, port):
    fam_id, addr, fam = family
    reply = "icmp4_port_unreachable" if fam == "ipv4" else "icmp6_port_unreachable"
    before = app.counters()
    assert refused(app, fam_id, addr, port)
    assert delta(before, app.counters(), reply)[reply] == 1
