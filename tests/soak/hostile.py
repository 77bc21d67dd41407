"""The soak's hostile traffic, through packet sockets on the kernel side of
the TAP: a SYN flood from spoofed documentation-range sources; frames the
appliance must refuse, each under a known drop reason; blind RSTs and SYNs
into the kernel's live connections; and raw TCP peers (scapy) that shut
their window, send out of the window, lie in their SACK blocks, leave holes
full of 1-byte segments, ask for an MSS of 1, or vanish halfway through a
close."""
import errno
import time

from common import APP_IP4, APP_IP6, PEER_IP4, PEER_IP6, PEER_MAC
from livelib import (BCAST4, BCAST6, CLOCK_SLACK, LOOP_PORTS, MARTIANS4, MARTIANS6, L2Socket,
                     NoFrame, RawPeer, chargen_expected, monotonic, parse_bsd_daytime, payload,
                     payload_len, syn_frames, udp_frame)
from tally import Lost, paced

SERVICE_PORTS = (7, 9, 13, 17, 19, 37)
CLOSED_PORT = 4444
M32 = 2**32


def send_frame(l2, frame):
    """True if the kernel took it; False when the TAP's queue is full (the
    flood must not turn into a retry loop)."""
    try:
        l2.sock.send(frame)
        return True
    except OSError as e:
        if e.errno in (errno.ENOBUFS, errno.EAGAIN):
            return False
        raise


# -- SYN flood ------------------------------------------------------------------

def run_flood(stop, rate, app, tally, rng):
    """rate SYNs a second, in ten batches, from random spoofed sources
    (198.51.100.0/24, 2001:db8:f::/48) to every service and a closed port.
    The appliance's SYN-ACKs (and RSTs) go to addresses the kernel does not
    own: it drops them."""
    batch = max(1, rate // 10)
    ports = SERVICE_PORTS + (CLOSED_PORT,)
    with L2Socket(app, send_only=True) as l2:
        def body():
            v = rng.choice((4, 6))
            for f in syn_frames(app, v, rng.choice(ports), batch):
                tally.count_sent("syn flood" if send_frame(l2, f) else "syn flood (queue full)")
        paced(stop, 10, body)


# -- frames to refuse -----------------------------------------------------------

def refused_frames(app):
    """[(kind, frame bytes, drop reason)]: frames the appliance must not
    answer, each with the counter (lib/core/drop_reasons.def) its refusal bumps.
    Only reasons that nothing else in the soak produces are named."""
    from scapy.layers.inet import ICMP, IP, TCP, UDP
    from scapy.layers.inet6 import (HBHOptUnknown, ICMPv6EchoRequest, ICMPv6ND_NS, IPv6,
                                    IPv6ExtHdrFragment, IPv6ExtHdrHopByHop)
    from scapy.layers.l2 import ARP, Ether
    from scapy.packet import Raw

    eth = Ether(src=PEER_MAC, dst=app.mac)
    ip4, ip6 = IP(src=PEER_IP4, dst=APP_IP4), IPv6(src=PEER_IP6, dst=APP_IP6)
    spoof4, spoof6 = IP(src="198.51.100.99", dst=APP_IP4), IPv6(src="2001:db8:f::99",
                                                               dst=APP_IP6)
    udp = UDP(sport=40000, dport=7) / b"abuse"
    out = []

    def add(kind, frame, reason):
        out.append((kind, bytes(frame), reason))

    for v6 in (False, True):
        for sport in LOOP_PORTS:
            for dport in (7, 13, 19, 37):
                add("loop guard", udp_frame(app, v6, sport, dport, b"loop?"), "udp_loop_guard")
    for dst, mac, reason in BCAST4 + BCAST6:
        v6 = ":" in dst
        for port in (7, 19):
            add("broadcast destination", udp_frame(app, v6, 40000, port, b"fraggle", dst=dst,
                                                   mac=mac), reason)
        ip = IPv6(src=PEER_IP6, dst=dst) if v6 else IP(src=PEER_IP4, dst=dst)
        echo = ICMPv6EchoRequest(id=1, seq=1) if v6 else ICMP(type=8, id=1, seq=1)
        add("broadcast destination", Ether(src=PEER_MAC, dst=mac or app.mac) / ip / echo,
            reason)
        add("broadcast destination", Ether(src=PEER_MAC, dst=mac or app.mac) / ip /
            TCP(sport=40000, dport=7, flags="S"), reason)
    for src in MARTIANS4 + MARTIANS6:
        v6 = ":" in src
        for port in (7, 19):
            add("martian source", udp_frame(app, v6, 40000, port, b"martian", src=src),
                "ipv6_src_invalid" if v6 else "ipv4_src_invalid")

    # Checksums that are wrong.
    add("bad checksum", eth / IP(src=PEER_IP4, dst=APP_IP4, chksum=0x1234) / udp,
        "ipv4_bad_checksum")
    add("bad checksum", eth / ip4 / UDP(sport=40000, dport=7, chksum=0x1234) / b"x",
        "udp_bad_checksum")
    add("bad checksum", eth / ip6 / UDP(sport=40000, dport=7, chksum=0x1234) / b"x",
        "udp_bad_checksum")
    add("bad checksum", eth / ip6 / UDP(sport=40000, dport=7, chksum=0) / b"x",
        "udp_zero_checksum_ipv6")
    add("bad checksum", eth / spoof4 / TCP(sport=40000, dport=7, flags="S", chksum=0x1234),
        "tcp_bad_checksum")
    add("bad checksum", eth / spoof6 / TCP(sport=40000, dport=19, flags="S", chksum=0x1234),
        "tcp_bad_checksum")
    add("bad checksum", eth / ip4 / ICMP(type=8, chksum=0x1234), "icmp4_bad_checksum")
    add("bad checksum", eth / ip6 / ICMPv6EchoRequest(cksum=0x1234), "icmp6_bad_checksum")

    # Headers cut short, lengths that lie.
    full4, full6 = bytes(eth / ip4 / udp), bytes(eth / ip6 / udp)
    add("truncated header", full4[:14 + 12], "ipv4_truncated")
    add("truncated header", eth / IP(src=PEER_IP4, dst=APP_IP4, len=400) / udp, "ipv4_truncated")
    add("truncated header", eth / IP(src=PEER_IP4, dst=APP_IP4, ihl=4) / udp, "ipv4_bad_ihl")
    add("truncated header", full6[:14 + 30], "ipv6_truncated")
    add("truncated header", eth / IPv6(src=PEER_IP6, dst=APP_IP6, plen=400) / udp,
        "ipv6_truncated")
    add("truncated header", eth / ip4 / UDP(sport=40000, dport=7, len=300) / b"x",
        "udp_truncated")
    add("truncated header", eth / ip6 / UDP(sport=40000, dport=7, len=4) / b"x",
        "udp_truncated")
    add("truncated header", eth / IP(src=PEER_IP4, dst=APP_IP4, proto=17) / Raw(b"\x9c\x40\0\7"),
        "udp_truncated")
    add("truncated header", eth / spoof4 / TCP(sport=40000, dport=7, flags="S", dataofs=4),
        "tcp_truncated")
    add("truncated header", eth / spoof6 / TCP(sport=40000, dport=7, flags="S", dataofs=15),
        "tcp_truncated")
    add("truncated header", eth / IP(src="198.51.100.99", dst=APP_IP4, proto=6) /
        Raw(b"\x9c\x40\0\7\0\0\0\0\0\0"), "tcp_truncated")
    add("truncated header", eth / IP(src=PEER_IP4, dst=APP_IP4, proto=1) / Raw(b"\x08"),
        "icmp4_truncated")
    add("truncated header", eth / IPv6(src=PEER_IP6, dst=APP_IP6, nh=58) / Raw(b"\x80"),
        "icmp6_truncated")
    add("truncated header", Ether(src=PEER_MAC, dst=app.mac, type=0x0806) / Raw(b"\0\1\x08\0"),
        "arp_malformed")

    # Versions, protocols, fragments, extension headers, addresses not ours.
    add("malformed", eth / IP(src=PEER_IP4, dst=APP_IP4, version=6) / udp, "ipv4_bad_version")
    add("malformed", eth / IPv6(src=PEER_IP6, dst=APP_IP6, version=4) / udp, "ipv6_bad_version")
    # A protocol we do not serve is answered (protocol unreachable, parameter
    # problem); "no next header" names none.
    add("malformed", eth / IPv6(src=PEER_IP6, dst=APP_IP6, nh=59) / Raw(b"none" * 4),
        "ipv6_proto_unsupported")
    # Fragments that reassembly refuses at once, whatever it holds: a first
    # one too short for the UDP header (RFC 1858, RFC 7112), a middle one not
    # a multiple of 8 bytes.
    add("malformed", eth / IP(src=PEER_IP4, dst=APP_IP4, flags="MF", proto=17) / Raw(b"x" * 4),
        "frag_header_chain")
    add("malformed", eth / IP(src=PEER_IP4, dst=APP_IP4, flags="MF", frag=100, proto=17) /
        Raw(b"x" * 13), "frag_malformed")
    add("malformed", eth / ip6 / IPv6ExtHdrFragment(m=1, id=9, nh=17) / Raw(b"x" * 4),
        "frag_header_chain")
    # Option type 0x41: unknown, "discard the packet" (RFC 8200 4.2).
    add("malformed", eth / ip6 / IPv6ExtHdrHopByHop(options=[HBHOptUnknown(otype=0x41,
                                                                          optdata=b"xx")]) /
        udp, "ipv6_bad_ext_header")
    add("malformed", eth / IP(src=PEER_IP4, dst="192.0.2.77") / udp, "ipv4_dst_not_ours")
    add("malformed", eth / IPv6(src=PEER_IP6, dst="2001:db8::77") / udp, "ipv6_dst_not_ours")
    add("malformed", Ether(src=PEER_MAC, dst="ff:ff:ff:ff:ff:ff") /
        ARP(op=1, hwsrc=PEER_MAC, psrc=PEER_IP4, pdst="192.0.2.77"), "arp_not_ours")
    add("malformed", eth / ARP(op=2, hwsrc=PEER_MAC, psrc=PEER_IP4, pdst=APP_IP4),
        "arp_not_request")
    add("malformed", Ether(src=PEER_MAC, dst="33:33:ff:00:00:77") /
        IPv6(src=PEER_IP6, dst="ff02::1:ff00:77", hlim=255) / ICMPv6ND_NS(tgt="2001:db8::77"),
        "nd_not_ours")

    # TCP flags and options no handshake has (from spoofed sources).
    for ip in (spoof4, spoof6):
        add("tcp flags", eth / ip / TCP(sport=40001, dport=7, flags="SF"), "tcp_syn_fin")
        add("tcp flags", eth / ip / TCP(sport=40002, dport=19, flags=""), "tcp_listen_no_ack")
        add("tcp flags", eth / ip / TCP(sport=40003, dport=13, flags="FPU"), "tcp_listen_no_ack")
        for opts in (b"\x02\x00\0\0", b"\x02\x03\x05\xb4", b"\x01\x01\x03\x08",
                     b"\x08\x0a\0\0", b"\x01\x01\x01\x02"):
            # MSS with length 0 or 3, a window scale running past the header,
            # a timestamp option cut short, an MSS whose length is past the end.
            add("tcp options", eth / ip / TCP(sport=40004, dport=7, flags="S", dataofs=6) /
                Raw(opts), "tcp_bad_options")
    return out


def blind_segment(app, key, rng):
    """A RST or SYN with a random sequence number on one of the kernel's
    live connections (RFC 5961: a challenge ACK at most, never a reset)."""
    from scapy.layers.inet import IP, TCP
    from scapy.layers.inet6 import IPv6
    from scapy.layers.l2 import Ether
    v, kport, port = key
    ip = IP(src=PEER_IP4, dst=APP_IP4) if v == 4 else IPv6(src=PEER_IP6, dst=APP_IP6)
    flags = rng.choice(("R", "S", "RA"))
    return "blind %s" % ("syn" if flags == "S" else "rst"), bytes(
        Ether(src=PEER_MAC, dst=app.mac) / ip /
        TCP(sport=kport, dport=port, flags=flags, seq=rng.getrandbits(32),
            ack=rng.getrandbits(32) if "A" in flags else 0, window=rng.choice((0, 512))))


def run_refused(stop, rate, app, frames, live, tally, rng):
    """The frames to refuse, in turn, rate a second; every fifth slot a
    blind segment into a live kernel connection instead."""
    with L2Socket(app, send_only=True) as l2:
        i = 0

        def body():
            nonlocal i
            i += 1
            if i % 5 == 0:
                key = live.pick(rng)
                if key is not None:
                    kind, frame = blind_segment(app, key, rng)
                    if send_frame(l2, frame):
                        tally.count_sent(kind)
                    return
            kind, frame, reason = frames[i % len(frames)]
            if send_frame(l2, frame):
                tally.count_sent(kind)
                tally.expect_drop(reason)
        paced(stop, rate, body)


# -- raw TCP peers ----------------------------------------------------------------

def expect(peer, until, timeout=2.0):
    """The peer's segments until until(tcp) holds; Lost if it does not come
    (the configured loss took a segment, one way or the other)."""
    try:
        return peer.receive(until, timeout)
    except NoFrame as e:
        raise Lost(str(e))


def handshake(peer, **kw):
    try:
        return peer.handshake(**kw)
    except NoFrame as e:
        raise Lost(str(e))


def data_segments(peer, n, timeout=2.0):
    """At least n data segments (or what came in time: Lost if none)."""
    got = []

    def enough(t):
        if payload_len(t):
            got.append(t)
        return len(got) >= n
    try:
        peer.receive(enough, timeout)
    except NoFrame:
        if not got:
            raise Lost("no data")
    return got


def check_chargen(peer, segments):
    """Each segment holds the RFC 864 stream at its own offset."""
    for t in segments:
        off = (t.seq - peer.irs - 1) % M32
        data = payload(t)
        assert data == chargen_expected(off, len(data)), \
            "chargen segment at offset %d is not the pattern" % off


def reset(peer):
    """End it with a RST at exactly the appliance's next expected byte."""
    peer.send("R", seq=peer.snd_nxt)


def listen_for(peer, seconds, answer=None):
    """Segments for a while; answer(tcp) for each, if given."""
    end = monotonic() + seconds
    while True:
        left = end - monotonic()
        if left <= 0:
            return
        try:
            for t in peer.receive(lambda t: True, left):
                if answer is not None:
                    answer(t)
        except NoFrame:
            return


class RawSessions:
    """One session: a raw peer that does something a kernel would not."""

    def __init__(self, app, skip):
        self.app, self.skip = app, skip

    def zero_window(self, v, rng):
        """Takes a segment, then keeps its window shut, answering probes with
        a zero window for a second; then goes quiet (the zero-window
        timeout ends it)."""
        with RawPeer(self.app, v, 19) as p:
            handshake(p, window=2000)
            segs = data_segments(p, 1)
            check_chargen(p, segs)
            p.rcv_nxt = (segs[0].seq + payload_len(segs[0])) % M32
            p.send("A", window=0)
            listen_for(p, 1.0, lambda t: p.send("A", window=0))

    def out_of_window(self, v, rng):
        """Echo: data far ahead and far behind, ACKs of unsent and long-gone
        data, a RST and a SYN in the window; then real data, which must
        come back."""
        with RawPeer(self.app, v, 7) as p:
            handshake(p)
            base = p.snd_nxt
            p.send("PA", b"ahead", seq=base + 200000)
            p.send("PA", b"behind", seq=base - 100000)
            p.send("A", ack=p.rcv_nxt + 100000)
            p.send("A", ack=p.rcv_nxt - 300000)
            p.send("R", seq=base + 1000)
            p.send("S", seq=base + 10)
            msg = rng.randbytes(32)
            p.send("PA", msg)
            got = expect(p, lambda t: payload_len(t) > 0)
            echoed = payload(got[-1])
            assert echoed == msg, "echo after garbage: %r, not %r" % (echoed, msg)
            p.snd_nxt += len(msg)
            reset(p)

    def sack_lies(self, v, rng, lie):
        """Chargen with SACK: ACK the first segment only, then duplicate ACKs
        whose SACK blocks lie (see SACK_LIES), enough for recovery."""
        with RawPeer(self.app, v, 19) as p:
            handshake(p, window=8000, options=[("MSS", 1000), ("SAckOK", b"")])
            segs = data_segments(p, 4)
            check_chargen(p, segs)
            first = segs[0]
            una = (first.seq + payload_len(first)) % M32
            top = max((t.seq + payload_len(t) - una) % M32 for t in segs)
            blocks = [(l % M32, r % M32) for l, r in SACK_LIES[lie](una, una + top)]
            sack = ("SAck", tuple(x for b in blocks for x in b))
            p.send("A", ack=una, window=8000)
            for _ in range(6):
                p.send("A", ack=una, window=8000, options=[sack])
            listen_for(p, 0.3)
            reset(p)

    def ooo_tiny(self, v, rng):
        """Echo: a hole, then 1-byte segments beyond it, 80 of them, each
        with a hole of its own; then silence (the idle timeout ends it,
        and must free what the appliance held)."""
        with RawPeer(self.app, v, 7) as p:
            handshake(p)
            for i in range(80):
                p.send("PA", b"%c" % (0x41 + i % 26), seq=p.snd_nxt + 2 + 2 * i)

    def mss_1(self, v, rng):
        """Chargen to a peer that asks for an MSS of 1 and a 64-byte window."""
        with RawPeer(self.app, v, 19) as p:
            handshake(p, window=64, options=[("MSS", 1)])
            got = []

            def ack(t):
                if payload_len(t):
                    got.append(t)
                    end = (t.seq + payload_len(t)) % M32
                    if (end - p.rcv_nxt) % M32 < 2**31:
                        p.rcv_nxt = end
                    p.send("A", window=64)
            listen_for(p, 0.5, ack)
            if not got:
                raise Lost("no data")
            check_chargen(p, got)
            reset(p)

    def vanish_in_last_ack(self, v, rng):
        """Echo: data and FIN, the echo and FIN come back, and the peer
        never acknowledges them (LAST-ACK retransmits, then gives up)."""
        with RawPeer(self.app, v, 7) as p:
            handshake(p)
            p.send("FPA", b"bye")
            p.snd_nxt += 4
            got = expect(p, lambda t: t.flags.F)
            assert b"".join(payload(t) for t in got) == b"bye", \
                "echo before FIN: %r" % [payload(t) for t in got]

    def fin_wait_2(self, v, rng):
        """Daytime: take the line and the FIN, acknowledge both, never close
        (FIN-WAIT-2 times out)."""
        with RawPeer(self.app, v, 13) as p:
            t0 = time.time()
            handshake(p)
            got = expect(p, lambda t: t.flags.F)
            line = b"".join(payload(t) for t in got)
            t = parse_bsd_daytime(line.decode("ascii"))
            assert t0 - CLOCK_SLACK <= t <= time.time() + CLOCK_SLACK, "daytime says %d" % t
            p.rcv_nxt = (got[-1].seq + payload_len(got[-1]) + 1) % M32
            p.send("A")

    def syn_again(self, v, rng):
        """A second SYN, another ISN, while the first is in SYN-RECEIVED; then
        silence (the handshake times out)."""
        with RawPeer(self.app, v, 9) as p:
            p.send("S", options=[("MSS", 1460)])
            expect(p, lambda t: t.flags.S and t.flags.A)
            p.send("S", seq=p.iss + 5000, options=[("MSS", 1460)])
            listen_for(p, 0.2)

    def steps(self):
        """(name, function) of every session not skipped."""
        out = [("zero-window", self.zero_window), ("out-of-window", self.out_of_window),
               ("ooo-1-byte", self.ooo_tiny), ("mss-1", self.mss_1),
               ("vanish-in-last-ack", self.vanish_in_last_ack),
               ("fin-wait-2", self.fin_wait_2), ("syn-again", self.syn_again)]
        for lie in SACK_LIES:
            out.append(("sack-%s" % lie, lambda v, rng, lie=lie: self.sack_lies(v, rng, lie)))
        return [(k, fn) for k, fn in out if k not in self.skip]


def session_names():
    return [k for k, _ in RawSessions(None, ()).steps()]


# SACK blocks that lie, from the first unacknowledged byte una and the
# highest byte sent top: [(left, right), ...].
SACK_LIES = {
    "above": lambda una, top: [(top + 1000, top + 3000)],
    "below": lambda una, top: [(una - 30000, una - 10000)],
    "reversed": lambda una, top: [(una + 2000, una + 1000)],
    "everything": lambda una, top: [(una - 0x40000000, una + 0x40000000)],
    "overlapping": lambda una, top: [(una + 10, una + 20), (una + 15, top + 5000),
                                     (una + 1, una + 2)],
    # Issue 8, defect 1: modulo 2^32 each block holds the next one's left
    # edge, so a hole that walks the blocks goes round for ever.
    "cycle": lambda una, top: [(una, una + 0x7fffffff), (una + 0x7fffffff, una + 0xfffffffe),
                               (una + 0xfffffffe, una + 0x7ffffffd)],
}


def run_raw(stop, rate, sessions, tally, rng):
    steps = sessions.steps()

    def body():
        kind, fn = rng.choice(steps)
        v = rng.choice((4, 6))
        tally.step("raw %s ipv%d" % (kind, v), fn, v, rng)
    if steps:
        paced(stop, rate, body)

