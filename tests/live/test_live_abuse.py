"""Abuse the appliance must survive, sent as raw frames from the kernel side of
the TAP (what a kernel socket will not send): UDP loops, Fraggle and Smurf
(broadcast and multicast destinations), martian sources, amplification. And
the other side of it: a single-source echo load test is never throttled."""
import socket
import struct

import pytest
from scapy.layers.inet import ICMP, IP, UDP, IPOption_RR
from scapy.layers.inet6 import (ICMPv6EchoRequest, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                                IPv6ExtHdrHopByHop, PadN)
from scapy.layers.l2 import Ether

from common import APP_IP4, APP_IP6, PEER_IP4, PEER_IP6, PEER_MAC
from livelib import (BCAST4, BCAST6, LOOP_PORTS, MARTIANS4, MARTIANS6, SO_RCVBUFFORCE, delta,
                     monotonic, udp_frame)

DEFAULT_BURST = 100  # [abuse] amplify_burst_per_source
DEFAULT_RATE = 100  # [abuse] amplify_rate_per_source, per second

def exchange(app, frames):
    """Send the frames, return what the appliance sent back before the barrier."""
    with app.l2() as l2:
        for f in frames:
            l2.send(f)
        return [Ether(f) for f in l2.barrier()]


@pytest.mark.parametrize("v6", [False, True], ids=["ipv4", "ipv6"])
def test_loop_guard(app, v6):
    """A spoofed datagram from a small-service port (19 -> 7 is the classic
    chargen/echo loop) gets nothing back; neighbouring ports do."""
    before = app.counters()
    frames = [udp_frame(app, v6, sport, dport, b"loop?")
              for sport in LOOP_PORTS for dport in (7, 13, 19, 37)]
    got = exchange(app, frames)
    assert got == [], [f.summary() for f in got]
    d = delta(before, app.counters(), "udp_loop_guard")
    assert d["udp_loop_guard"] == len(frames)
    # Control: the same requests from ordinary ports are answered.
    got = exchange(app, [udp_frame(app, v6, sport, 7, b"fine") for sport in (1, 20, 1024, 65535)])
    assert sorted(f[UDP].dport for f in got) == [1, 20, 1024, 65535]


@pytest.mark.parametrize("dst,mac,counter", BCAST4 + BCAST6,
                         ids=["%s-%s" % (d, m or "unicast") for d, m, _ in BCAST4 + BCAST6])
def test_broadcast_multicast_destination_unanswered(app, dst, mac, counter):
    v6 = ":" in dst
    before = app.counters()
    frames = [udp_frame(app, v6, 40000, port, b"fraggle", dst=dst, mac=mac) for port in (7, 19)]
    if v6:
        frames.append(Ether(src=PEER_MAC, dst=mac or app.mac) /
                      IPv6(src=PEER_IP6, dst=dst) / ICMPv6EchoRequest(id=1, seq=1))
    else:
        frames.append(Ether(src=PEER_MAC, dst=mac or app.mac) /
                      IP(src=PEER_IP4, dst=dst) / ICMP(type=8, id=1, seq=1))
    got = exchange(app, frames)
    assert got == [], [f.summary() for f in got]
    assert delta(before, app.counters(), counter)[counter] == len(frames)


@pytest.mark.parametrize("src", MARTIANS4 + MARTIANS6)
def test_martian_source_unanswered(app, src):
    v6 = ":" in src
    counter = "ipv6_src_invalid" if v6 else "ipv4_src_invalid"
    before = app.counters()
    frames = [udp_frame(app, v6, 40000, port, b"martian", src=src) for port in (7, 13, 19, 37)]
    got = exchange(app, frames)
    assert got == [], [f.summary() for f in got]
    assert delta(before, app.counters(), counter)[counter] == len(frames)


@pytest.mark.parametrize("v6", [False, True], ids=["ipv4", "ipv6"])
def test_chargen_amplification_capped_per_source(app, v6):
    """Far more chargen requests than the per-source burst from one (spoofed)
    source: about a burst's worth is answered, the rest counted as dropped,
    while another source is still served."""
    n = 3 * DEFAULT_BURST
    victim = "2001:db8::77" if v6 else "192.0.2.77"
    other = "2001:db8:1::78" if v6 else "192.0.2.78"  # another /64: another source
    req = bytes(udp_frame(app, v6, 40000, 19, src=victim))
    before = app.counters()
    with app.l2() as l2:
        t0 = monotonic()
        for _ in range(n):
            l2.sock.send(req)
        l2.send(udp_frame(app, v6, 40001, 19, src=other))
        got = [Ether(f) for f in l2.barrier()]
        # The appliance handled every request within this time.
        elapsed = monotonic() - t0
    after = app.counters()
    fam = "ipv6" if v6 else "ipv4"
    to_victim = [f for f in got if UDP in f and f[UDP].dport == 40000]
    to_other = [f for f in got if UDP in f and f[UDP].dport == 40001]
    assert len(to_other) == 1, "another source must not be throttled"
    # The burst, plus what the rate refills while the requests arrive.
    most = DEFAULT_BURST + int(DEFAULT_RATE * elapsed) + 2
    assert DEFAULT_BURST <= len(to_victim) <= most, \
        "%d of %d answered in %.3f s" % (len(to_victim), n, elapsed)
    assert all(len(f[UDP].payload) == 74 for f in to_victim)
    d = delta(before, after, "udp_ratelimit_source", "udp_ratelimit_global",
              "chargen_udp_%s_requests" % fam, "chargen_udp_%s_replies" % fam)
    assert d == {"udp_ratelimit_source": n - len(to_victim), "udp_ratelimit_global": 0,
                 "chargen_udp_%s_requests" % fam: n + 1,
                 "chargen_udp_%s_replies" % fam: len(to_victim) + 1}


@pytest.mark.parametrize("family", [(socket.AF_INET, APP_IP4), (socket.AF_INET6, APP_IP6)],
                         ids=["ipv4", "ipv6"])
def test_echo_burst_single_source_not_throttled(app, family):
    """2000 echo requests from one socket as fast as a loop sends them: echo
    never amplifies, so every one is answered, whatever the rate limits."""
    fam_id, addr = family
    n = 2000
    fam = "ipv6" if fam_id == socket.AF_INET6 else "ipv4"
    before = app.counters()
    with app.socket(fam_id, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 32 << 20)
        s.connect((addr, 7))
        for i in range(n):
            s.send(struct.pack("!I", i) + b"x" * 60)
        seen = set()
        s.settimeout(3.0)
        while len(seen) < n:
            try:
                data = s.recv(2048)
            except socket.timeout:
                break
            assert data[4:] == b"x" * 60
            seen.add(struct.unpack("!I", data[:4])[0])
    d = delta(before, app.counters(), "echo_udp_%s_requests" % fam,
              "echo_udp_%s_replies" % fam, "udp_ratelimit_source", "udp_ratelimit_global",
              "tx_queue_full")
    assert d == {"echo_udp_%s_requests" % fam: n, "echo_udp_%s_replies" % fam: n,
                 "udp_ratelimit_source": 0, "udp_ratelimit_global": 0, "tx_queue_full": 0}
    assert len(seen) == n, "%d of %d echo replies came back" % (len(seen), n)


def checksums_valid(f):
    """True when scapy, computing every checksum afresh, gets the same frame."""
    g = f.copy()
    for layer in (IP, UDP, ICMP):
        if layer in g:
            del g[layer].chksum
    return bytes(Ether(bytes(g))) == bytes(f)


def ffff_payload(v6):
    """A 2-byte payload whose UDP checksum comes out as 0, and so is sent as
    0xffff: the sum of the rest is S, the checksum with a zero payload is ~S,
    and a payload of ~S makes the whole sum 0xffff."""
    ip = IPv6(src=PEER_IP6, dst=APP_IP6) if v6 else IP(src=PEER_IP4, dst=APP_IP4)
    zero = ip.__class__(bytes(ip / UDP(sport=40000, dport=7) / b"\0\0"))[UDP].chksum
    p = struct.pack("!H", zero)
    assert ip.__class__(bytes(ip / UDP(sport=40000, dport=7) / p))[UDP].chksum == 0xffff
    return p


@pytest.mark.parametrize("v6", [False, True], ids=["ipv4", "ipv6"])
def test_udp_checksums(app, v6):
    """The TAP's receive checksum flags and the software check agree with
    the RFCs: 0xffff is a valid sum; zero means "none" over IPv4 only; a
    wrong sum is dropped and counted."""
    fam = "ipv6" if v6 else "ipv4"
    good = ffff_payload(v6)
    before = app.counters()
    got = exchange(app, [udp_frame(app, v6, 40000, 7, good)])
    assert [f[UDP].dport for f in got] == [40000], [f.summary() for f in got]
    assert bytes(got[0][UDP].payload) == good and got[0][UDP].chksum == 0xffff
    zero = udp_frame(app, v6, 40002, 7, b"zero")
    zero[UDP].chksum = 0
    bad = udp_frame(app, v6, 40003, 7, b"bad")
    bad[UDP].chksum = 0x1234
    got = exchange(app, [zero, bad])
    d = delta(before, app.counters(), "udp_bad_checksum", "udp_zero_checksum_ipv6",
              "echo_udp_%s_requests" % fam)
    if v6:
        assert got == [], [f.summary() for f in got]
        assert d["udp_zero_checksum_ipv6"] == 1
    else:
        assert [f[UDP].dport for f in got] == [40002], [f.summary() for f in got]
        assert bytes(got[0][UDP].payload) == b"zero"
        # "No checksum" may stay none, or become a right one.
        assert got[0][UDP].chksum == 0 or checksums_valid(got[0]), got[0][UDP].chksum
        assert d["udp_zero_checksum_ipv6"] == 0
    assert d["udp_bad_checksum"] == 1


def odd_requests(app):
    eth = Ether(src=PEER_MAC, dst=app.mac)
    ip4 = IP(src=PEER_IP4, dst=APP_IP4, options=[IPOption_RR()])
    ip6 = IPv6(src=PEER_IP6, dst=APP_IP6)
    return [
        ("ipv4-options-echo", eth / ip4 / UDP(sport=40000, dport=7) / b"opts"),
        ("ipv4-options-chargen", eth / ip4 / UDP(sport=40000, dport=19) / b"opts"),
        ("ipv4-options-ping", eth / ip4 / ICMP(id=5, seq=1) / b"ping"),
        ("ipv4-options-closed", eth / ip4 / UDP(sport=40000, dport=4444) / b"opts"),
        ("ipv6-destopts-echo", eth / ip6 / IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0" * 4)]) /
         UDP(sport=40000, dport=7) / b"ext"),
        ("ipv6-hopbyhop-chargen", eth / ip6 / IPv6ExtHdrHopByHop() /
         UDP(sport=40000, dport=19) / b"ext"),
        ("ipv6-atomic-fragment-echo", eth / ip6 / IPv6ExtHdrFragment(id=7) /
         UDP(sport=40000, dport=7) / b"atomic"),
    ]


def test_options_and_extension_headers_answered(app):
    """Valid requests with IPv4 options or IPv6 extension headers get a plain
    reply: no options, no extension headers, right lengths and checksums."""
    for name, req in odd_requests(app):
        got = exchange(app, [req])
        assert len(got) == 1, "%s: %s" % (name, [f.summary() for f in got])
        r = got[0]
        if IP in r:
            assert r[IP].ihl == 5 and r[IP].len == len(r) - 14, name
        else:
            assert r[IPv6].nh in (17, 58) and r[IPv6].plen == len(r) - 54, name
        assert checksums_valid(r), name
        if UDP in r and UDP in req and r[UDP].sport == 7:
            assert bytes(r[UDP].payload) == bytes(req[UDP].payload), name
        if UDP in r and r[UDP].sport == 19:
            assert len(r[UDP].payload) == 74, name


@pytest.mark.parametrize("v6", [False, True], ids=["ipv4", "ipv6"])
def test_echo_larger_than_mtu_dropped_not_truncated(app, v6):
    """A request one byte past the port's MTU (the kernel side allows bigger
    frames for the occasion) is not echoed truncated: it is dropped, counted."""
    n = 1500 - (40 if v6 else 20) - 8 + 1
    app.exec(["ip", "link", "set", app.tap, "mtu", "2000"])
    try:
        before = app.counters()
        got = exchange(app, [udp_frame(app, v6, 40000, 7, b"j" * n),
                             udp_frame(app, v6, 40001, 7, b"j" * (n - 1))])
    finally:
        app.exec(["ip", "link", "set", app.tap, "mtu", "1500"])
    assert [(f[UDP].dport, len(f[UDP].payload)) for f in got] == [(40001, n - 1)]
    assert delta(before, app.counters(), "reply_exceeds_mtu")["reply_exceeds_mtu"] == 1
