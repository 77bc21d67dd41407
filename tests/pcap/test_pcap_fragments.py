"""IP reassembly and the fragments of our replies, IPv4 and IPv6, from a
capture: datagrams in fragments out of order, duplicated, overlapping, too
many, too large, with a tiny first fragment or a header chain cut short;
floods of partial datagrams that leave the table bounded while the echo
requests among them are answered; and replies larger than the MTU, whose
fragments scapy puts together byte for byte.

A case is a list of frames (the fragments of one datagram, or several) sent
from its own source MAC; its replies, one frame or the fragments of one
datagram, go back to that MAC. The run processes frames as fast as it reads
them: no timeout can pass during one (tests/live covers it), and none is
wanted here (the timeout is set long, so that counts stay exact on a slow
machine)."""
import struct
from collections import Counter

import pytest
from scapy.all import (ICMP, IP, TCP, UDP, Ether, ICMPv6EchoReply, ICMPv6EchoRequest, IPv6,
                       IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, PadN, fragment, fragment6, raw)
from scapy.layers.inet import defragment
from scapy.layers.inet6 import defragment6
from scapy.utils import checksum

from common import APP_IP4, APP_IP6, PEER_IP4, PEER_IP6
from pcaplib import Ctx, Run, case_mac, check_synack, l4_cksum

MTU = 1500
CHUNK = {4: (MTU - 20) & ~7, 6: (MTU - 48) & ~7}   # data bytes of a full fragment
ETHERTYPE = {4: 0x0800, 6: 0x86dd}
LONG_TIMEOUT = ["--set", "ip.reassembly_timeout_ms=60000"]


def pattern(n, seed):
    return bytes((i * 7 + seed) & 0xff for i in range(n))


def whole(v, l4, src=None):
    """The raw IP datagram (checksums filled in) of l4 from the peer to us."""
    if v == 4:
        return raw(IP(src=src or PEER_IP4, dst=APP_IP4) / l4)
    return raw(IPv6(src=src or PEER_IP6, dst=APP_IP6) / l4)


def frag(v, dgram, off, length, more, ident):
    """Bytes off..off+length of the fragmentable part of dgram (raw IP, no IPv6
    extension header before it) as a fragment with identification ident."""
    if v == 4:
        hl = (dgram[0] & 0xf) * 4
        hdr = bytearray(dgram[:hl])
        struct.pack_into("!HHH", hdr, 2, hl + length, ident, off // 8 | (0x2000 if more else 0))
        hdr[10:12] = b"\0\0"
        struct.pack_into("!H", hdr, 10, checksum(bytes(hdr)))
        return bytes(hdr) + dgram[hl + off:hl + off + length]
    hdr = bytearray(dgram[:40])
    nh = hdr[6]
    hdr[6] = 44
    struct.pack_into("!H", hdr, 4, 8 + length)
    return (bytes(hdr) + struct.pack("!BBHI", nh, 0, off | (1 if more else 0), ident) +
            dgram[40 + off:40 + off + length])


def frag_len(v, dgram):
    return len(dgram) - ((dgram[0] & 0xf) * 4 if v == 4 else 40)


def pieces(n, size):
    """(off, len, more) of n bytes cut into pieces of size bytes."""
    return [(off, min(size, n - off), off + size < n) for off in range(0, n, size)]


def frames_of(ctx, v, dgram, cuts, ident):
    """Ethernet frames from the case's MAC of the fragments cuts of dgram."""
    eth = raw(Ether(src=ctx.mac, dst=ctx.app_mac, type=ETHERTYPE[v]))
    return [eth + frag(v, dgram, off, length, more, ident) for off, length, more in cuts]


class FCase:
    """build(ctx) returns the frames (bytes or scapy packets); check(ctx, replies)
    asserts on the reply frames (None: there must be none). drops: the drop
    counters this case's frames add to; held: fragments reassembly keeps;
    answered: frames answered (the one that completes a datagram is)."""

    def __init__(self, name, build, check=None, drops=None, held=0, answered=0):
        self.name, self.build, self.check = name, build, check
        self.drops, self.held, self.answered = Counter(drops or {}), held, answered


class FTopic:
    def __init__(self, cases, args=()):
        assert len({c.name for c in cases}) == len(cases)
        self.cases, self.args, self.result = cases, LONG_TIMEOUT + list(args), None

    def run(self, app_mac):
        if self.result is None:
            self.result = FResult(self, app_mac)
        return self.result


class FResult:
    def __init__(self, topic, app_mac):
        self.topic, self.ctx, self.n_frames = topic, {}, {}
        frames = []
        for i, c in enumerate(topic.cases):
            ctx = Ctx(app_mac, case_mac(0x100 + i), i)
            built = [f if isinstance(f, bytes) else raw(f) for f in c.build(ctx)]
            self.ctx[c.name], self.n_frames[c.name] = ctx, len(built)
            frames += built
        self.run = Run(frames, topic.args).execute()
        owner = {self.ctx[c.name].mac: c.name for c in topic.cases}
        self.by_case = {c.name: [] for c in topic.cases}
        self.stray = []
        for rep in self.run.replies:
            name = owner.get(rep[Ether].dst.lower())
            (self.by_case[name] if name else self.stray).append(rep)

    def check_case(self, name):
        c = next(c for c in self.topic.cases if c.name == name)
        got = self.by_case[name]
        if c.check is None:
            assert not got, "%s: expected no reply, got:\n%s" % (
                name, "\n".join(r.summary() for r in got))
            return
        assert got, name + ": no reply"
        for rep in got:
            assert rep[Ether].src.lower() == self.ctx[name].app_mac
        c.check(self.ctx[name], got)

    def check_global(self):
        """The summary's counts are the cases' sums: every frame answered, held
        or dropped under its reason, and nothing else sent."""
        assert not self.stray, "\n".join(r.summary() for r in self.stray)
        cases = self.topic.cases
        t, s = self.run.summary["total"], self.run.summary
        assert t["rx_pkts"] == sum(self.n_frames.values())
        assert t["rx_pkts"] == t["answered"] + t["rx_tcp"] + t["rx_held"] + t["not_answered"]
        assert t["rx_tcp"] == 0
        assert t["answered"] == sum(c.answered for c in cases)
        assert t["rx_held"] == sum(c.held for c in cases)
        assert t["tx_pkts"] == len(self.run.replies)
        want = sum((c.drops for c in cases), Counter())
        assert s["drops"] == dict(want)
        assert sum(s["drops"].values()) == t["not_answered"]
        assert s["reasm"]["timeouts"] == 0
        # Fragments of our replies: those of the replies larger than the MTU.
        assert s["reasm"]["fragments_out"] == sum(
            len(self.by_case[c.name]) for c in cases if len(self.by_case[c.name]) > 1)


def topic_tests(topic, name):
    @pytest.fixture(scope="module", name=name)
    def result(app_mac):
        return topic.run(app_mac)

    @pytest.mark.parametrize("case", [c.name for c in topic.cases])
    def test_case(request, case):
        request.getfixturevalue(name).check_case(case)

    def test_run(request):
        request.getfixturevalue(name).check_global()

    return result, test_case, test_run


# ---------------------------------------------------------------------------
# Checks on the replies.

def reply_fragments(v, reps):
    """Check the fragments of one reply (to the peer from us, within the MTU,
    offsets following each other, MF/M on all but the last, one identification;
    IPv4: header checksums right, DF clear) and put them together with scapy.
    Returns the datagram (Ether / IP...) and the number of fragments."""
    if len(reps) == 1:
        r = reps[0]
        assert (r[IP].frag == 0 and not r[IP].flags.MF) if v == 4 else \
            IPv6ExtHdrFragment not in r, "one fragment alone"
        return r, 1
    off, ident = 0, None
    for i, r in enumerate(reps):
        assert len(raw(r)) <= 14 + MTU
        last = i == len(reps) - 1
        if v == 4:
            ip = r[IP]
            assert (ip.src, ip.dst) == (APP_IP4, PEER_IP4)
            assert checksum(raw(ip)[:20]) == 0, "IPv4 header checksum wrong"
            assert ip.ihl == 5 and not ip.flags.DF
            assert ip.frag * 8 == off and bool(ip.flags.MF) == (not last)
            assert ident in (None, ip.id), "fragments of one reply with other ids"
            ident, n = ip.id, ip.len - 20
        else:
            ip = r[IPv6]
            assert (ip.src, ip.dst) == (APP_IP6, PEER_IP6)
            assert ip.nh == 44, "no fragment header right behind the IPv6 header"
            fh = r[IPv6ExtHdrFragment]
            assert fh.offset * 8 == off and fh.m == (0 if last else 1)
            assert ident in (None, fh.id)
            ident, n = fh.id, ip.plen - 8
        if not last:
            assert n == CHUNK[v], "a fragment but the last smaller than the MTU lets it be"
        off += n
    if v == 4:
        out = defragment(reps)
        assert len(out) == 1, "scapy did not put the fragments together"
        out = out[0]
    else:
        out = defragment6(reps)
        assert IPv6ExtHdrFragment not in out, "scapy did not put the fragments together"
    return Ether(raw(out)), len(reps)


def udp_echo_check(v, sport, payload, n_frags):
    def check(ctx, reps):
        rep, n = reply_fragments(v, reps)
        assert n == n_frags, "%d fragments, want %d" % (n, n_frags)
        u = raw(rep[UDP])
        assert struct.unpack("!HHH", u[:6]) == (7, sport, 8 + len(payload))
        assert u[8:8 + len(payload)] == payload, "payload differs"
        assert l4_cksum(rep, 17, u[:8 + len(payload)]) == 0, "UDP checksum wrong"
    return check


def icmp_echo_check(v, ident, seq, data, n_frags):
    def check(ctx, reps):
        rep, n = reply_fragments(v, reps)
        assert n == n_frags
        if v == 4:
            m = raw(rep[ICMP])[:8 + len(data)]
            assert m[0] == 0 and checksum(m) == 0
        else:
            assert ICMPv6EchoReply in rep
            m = raw(rep[ICMPv6EchoReply])[:8 + len(data)]
            assert l4_cksum(rep, 58, m) == 0
        assert struct.unpack("!HH", m[4:8]) == (ident, seq) and m[8:] == data
    return check


def synack_check(v, syn_of):
    def check(ctx, reps):
        assert len(reps) == 1
        check_synack()(ctx, syn_of(ctx), reps[0])
    return check


# ---------------------------------------------------------------------------
# The cases.

def udp_dgram(v, sport, n, seed, dport=7):
    return whole(v, UDP(sport=sport, dport=dport) / pattern(n, seed))


def echo_case(name, v, n, size, order, ident, drops=None, dup=()):
    """A UDP echo of n bytes in fragments of size, sent in order (indexes, dup
    ones again where listed), answered in fragments of the MTU."""
    sport = 20000 + ident
    dgram = udp_dgram(v, sport, n, ident)
    cuts = pieces(frag_len(v, dgram), size)
    seq = [cuts[i] for i in order]
    for at, i in dup:
        seq.insert(at, cuts[i])
    n_out = -(-(8 + n) // CHUNK[v])

    def build(ctx):
        return frames_of(ctx, v, dgram, seq, ident)
    return FCase(name, build, udp_echo_check(v, sport, pattern(n, ident), n_out),
                 drops=drops, held=len(cuts) - 1, answered=1)


def scapy_echo_case(v, n, ident):
    """In order, as scapy's own fragment() and fragment6() cut it."""
    sport = 21000 + ident
    payload = pattern(n, ident)

    def build(ctx):
        eth = Ether(src=ctx.mac, dst=ctx.app_mac)
        if v == 4:
            return [eth / f for f in fragment(
                IP(src=PEER_IP4, dst=APP_IP4, id=ident) / UDP(sport=sport, dport=7) / payload,
                fragsize=1480)]
        return [eth / f for f in fragment6(
            IPv6(src=PEER_IP6, dst=APP_IP6) / IPv6ExtHdrFragment(id=ident) /
            UDP(sport=sport, dport=7) / payload, 1500)]
    n_in = -(-(8 + n) // (1480 if v == 4 else 1448))
    return FCase("scapy-fragments-%d-v%d" % (n, v), build,
                 udp_echo_check(v, sport, payload, -(-(8 + n) // CHUNK[v])),
                 held=n_in - 1, answered=1)


def ext_echo_case(n, ident):
    """IPv6 with a 1024-byte destination options header behind the fragment
    header: the echo leaves without it, so its first fragment must be cut
    from a datagram whose head lost 1024 bytes (the head is one mbuf of the
    port's pool, the rest a chain behind it)."""
    sport = 21500 + ident
    payload = pattern(n, ident)

    def build(ctx):
        eth = Ether(src=ctx.mac, dst=ctx.app_mac)
        return [eth / f for f in fragment6(
            IPv6(src=PEER_IP6, dst=APP_IP6) / IPv6ExtHdrFragment(id=ident) /
            IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0" * 253)] * 4) /
            UDP(sport=sport, dport=7) / payload, 1500)]
    n_in = -(-(1024 + 8 + n) // 1448)
    return FCase("ext-header-echo-%d-v6" % n, build,
                 udp_echo_check(6, sport, payload, -(-(8 + n) // CHUNK[6])),
                 held=n_in - 1, answered=1)


def overlap_case(v):
    """RFC 5722 (and Linux for IPv4): an overlap drops the datagram whole."""
    dgram = udp_dgram(v, 22000, 3000, 5)
    cuts = [(0, 1000, True), (992, 1008, True), (1000, 1000, True),
            (2000, frag_len(v, dgram) - 2000, False)]
    return FCase("overlap-v%d" % v, lambda ctx: frames_of(ctx, v, dgram, cuts, 0x5151),
                 drops={"frag_overlap": 1, "frag_dropped": 2}, held=1)


def tiny_udp_case():
    """RFC 1858: a first fragment under a UDP header; the rest is held alone."""
    dgram = udp_dgram(4, 22001, 2000, 6)
    cuts = [(0, 4, True), (8, frag_len(4, dgram) - 8, False)]
    return FCase("tiny-first-fragment-udp-v4", lambda ctx: frames_of(ctx, 4, dgram, cuts, 0x77),
                 drops={"frag_header_chain": 1}, held=1)


def tiny_tcp_case():
    """A TCP first fragment of 16 bytes: its header's end in the next."""
    dgram = whole(4, TCP(sport=30001, dport=7, flags="S", seq=1, options=[("MSS", 1460)]) /
                  pattern(100, 7))
    cuts = [(0, 16, True), (16, frag_len(4, dgram) - 16, False)]
    return FCase("tiny-first-fragment-tcp-v4", lambda ctx: frames_of(ctx, 4, dgram, cuts, 0x78),
                 drops={"frag_header_chain": 1}, held=1)


def header_chain_case():
    """RFC 7112: 24 bytes of destination options, the first fragment holds 16."""
    dgram = whole(6, IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0" * 18)]) /
                  UDP(sport=22002, dport=7) / pattern(1000, 8))
    assert dgram[40 + 1] == 2, "destination options of 24 bytes"
    cuts = [(0, 16, True), (16, frag_len(6, dgram) - 16, False)]
    return FCase("first-fragment-without-upper-header-v6",
                 lambda ctx: frames_of(ctx, 6, dgram, cuts, 0x79),
                 drops={"frag_header_chain": 1}, held=1)


def too_big_case(v):
    """A fragment at the largest offset there is: past 65535 bytes, dropped
    whole, and the fragment of it that follows too."""
    dgram = udp_dgram(v, 22003, 100, 9) + bytes(65600)
    cuts = [(65528, 16, False), (0, 8, True)]
    return FCase("past-65535-v%d" % v, lambda ctx: frames_of(ctx, v, dgram, cuts, 0x7a),
                 drops={"frag_too_big": 1, "frag_dropped": 1})


def first_header_too_big_case(v):
    """The largest datagram, whose first fragment, come last, has a longer
    header than the others (IPv4 options, an IPv6 hop-by-hop header): the
    datagram's header is the first's, and with it 65535 bytes are passed."""
    dgram = udp_dgram(v, 22004, 65507 if v == 4 else 65527, 12)
    cuts = pieces(frag_len(v, dgram), CHUNK[v])

    def build(ctx):
        frames = frames_of(ctx, v, dgram, cuts[1:], 0x7d)
        first = frames_of(ctx, v, dgram, cuts[:1], 0x7d)[0]
        eth, ip_ = first[:14], bytearray(first[14:])
        if v == 4:
            ip_ = bytearray([0x4a]) + ip_[1:20] + b"\x01" * 19 + b"\0" + ip_[20:]
            struct.pack_into("!H", ip_, 2, len(ip_))
            ip_[10:12] = b"\0\0"
            struct.pack_into("!H", ip_, 10, checksum(bytes(ip_[:40])))
        else:
            hbh = bytes([44, 0, 1, 4, 0, 0, 0, 0])
            ip_[6] = 0
            struct.pack_into("!H", ip_, 4, len(ip_) - 40 + 8)
            ip_ = ip_[:40] + hbh + ip_[40:]
        return frames + [eth + bytes(ip_)]
    return FCase("first-header-past-65535-v%d" % v, build, drops={"frag_too_big": 1},
                 held=len(cuts) - 1)


def syn_case(v):
    """A SYN with options in two fragments: the SYN-ACK of an unfragmented one."""
    opts = [("MSS", 1460), ("NOP", None), ("WScale", 7), ("SAckOK", b"")]

    def syn(ctx):
        l3 = IP(src=PEER_IP4, dst=APP_IP4) if v == 4 else IPv6(src=PEER_IP6, dst=APP_IP6)
        return Ether(src=ctx.mac, dst=ctx.app_mac) / l3 / TCP(
            sport=31000 + v, dport=7, flags="S", seq=4242, window=8192, options=opts)

    def build(ctx):
        dgram = raw(syn(ctx))[14:]
        n = frag_len(v, dgram)
        assert n > 24
        return frames_of(ctx, v, dgram, [(0, 24, True), (24, n - 24, False)], 0x7b)
    return FCase("tcp-syn-in-two-fragments-v%d" % v, build,
                 synack_check(v, lambda ctx: Ether(raw(syn(ctx)))), held=1, answered=1)


def ping_case(v):
    data = pattern(3000, 10 + v)
    l4 = (ICMP(type=8, id=0x4321, seq=v) if v == 4 else
          ICMPv6EchoRequest(id=0x4321, seq=v)) / data
    dgram = whole(v, l4)
    cuts = pieces(frag_len(v, dgram), 1000)
    order = list(range(len(cuts)))[::-1]
    return FCase("ping-3000-reversed-v%d" % v,
                 lambda ctx: frames_of(ctx, v, dgram, [cuts[i] for i in order], 0x7c),
                 icmp_echo_check(v, 0x4321, v, data, 3), held=len(cuts) - 1, answered=1)


def plain_echo_case(name, v, payload=b"plain"):
    """A datagram in one piece, for the ones in between."""
    def build(ctx):
        return [raw(Ether(src=ctx.mac, dst=ctx.app_mac, type=ETHERTYPE[v])) +
                whole(v, UDP(sport=23000, dport=7) / payload)]
    return FCase(name, build, udp_echo_check(v, 23000, payload, 1), answered=1)


def general_cases():
    out = []
    for v in (4, 6):
        n = 4000
        k = len(pieces(8 + n, CHUNK[v]))
        out += [
            echo_case("echo-4000-in-order-v%d" % v, v, n, CHUNK[v], range(k), 0x100 + v),
            echo_case("echo-4000-reversed-v%d" % v, v, n, CHUNK[v], range(k)[::-1], 0x110 + v),
            # Five of 1000 bytes, out of order: back in four of the MTU.
            echo_case("echo-4984-shuffled-v%d" % v, v, 4984, 1000, [3, 0, 4, 2, 1], 0x120 + v),
            # Every fragment's first copy held, the second dropped alone.
            echo_case("echo-4000-duplicated-v%d" % v, v, n, CHUNK[v], [0, 2, 1], 0x130 + v,
                      drops={"frag_duplicate": 2}, dup=[(1, 0), (3, 2)]),
            scapy_echo_case(v, n, 0x140 + v),
            overlap_case(v),
            too_big_case(v),
            first_header_too_big_case(v),
            syn_case(v),
            ping_case(v),
            plain_echo_case("plain-echo-after-v%d" % v, v),
        ]
    out += [tiny_udp_case(), tiny_tcp_case(), header_chain_case(), ext_echo_case(3000, 0x150),
            ext_echo_case(1000, 0x151)]
    return out


TOPIC = FTopic(general_cases())
result, test_case, test_run = topic_tests(TOPIC, "result")


def too_many_cases():
    out = []
    for v in (4, 6):
        dgram = udp_dgram(v, 24000 + v, 4000 - 8, 11)
        five = pieces(frag_len(v, dgram), 800)
        out += [
            echo_case("four-fragments-v%d" % v, v, 4000 - 8, 1000, range(4), 0x200 + v),
            FCase("five-fragments-v%d" % v,
                  lambda ctx, v=v, d=dgram, f=five: frames_of(ctx, v, d, f + f[:1], 0x210 + v),
                  drops={"frag_too_many": 1, "frag_dropped": 1}, held=4),
        ]
        assert len(five) == 5
    return out


TOPIC_TOO_MANY = FTopic(too_many_cases(), ["--set", "ip.reassembly_fragments=4"])
result_too_many, test_case_too_many, test_run_too_many = topic_tests(TOPIC_TOO_MANY,
                                                                     "result_too_many")


def test_too_many_released(result_too_many):
    """The four fragments held of each datagram dropped whole are let go, and counted."""
    assert result_too_many.run.summary["reasm"]["released"] == 8
    assert result_too_many.run.summary["reasm"]["datagrams"] == 2


# ---------------------------------------------------------------------------
# Floods of first fragments that never complete.

FLOOD = 10000
ECHO_EVERY = 500
PER_SOURCE = 16     # [ip] reassembly_per_source, the default
TABLE = 256         # [ip] reassembly_datagrams, the default
FLOOD_MAC = "02:00:5e:fe:00:01"
ECHO_MAC = "02:00:5e:fe:00:02"


def flood_frames(app_mac):
    """10 000 datagrams' first fragments from one source, then 10 000 from as
    many sources, an echo request from the peer (in one piece) every 500."""
    eth = raw(Ether(src=FLOOD_MAC, dst=app_mac, type=0x0800))
    body = raw(UDP(sport=9, dport=7, len=8 + 1000, chksum=0)) + bytes(8)
    echo_eth = Ether(src=ECHO_MAC, dst=app_mac)
    frames, n_echo = [], 0

    # One header, its identification, source and checksum patched frame by frame.
    tmpl = bytearray(raw(IP(src=PEER_IP4, dst=APP_IP4, flags="MF", proto=17,
                            len=20 + len(body), chksum=0)))
    for k in range(2 * FLOOD):
        if k % ECHO_EVERY == 0:
            frames.append(raw(echo_eth / IP(src=PEER_IP4, dst=APP_IP4) /
                              UDP(sport=25000 + n_echo, dport=7) / b"still here"))
            n_echo += 1
        if k < FLOOD:
            struct.pack_into("!H", tmpl, 4, k)                  # one source, 10 000 ids
        else:
            struct.pack_into("!H", tmpl, 4, 1)
            struct.pack_into("!I", tmpl, 12, 0x0a000001 + k - FLOOD)  # 10 000 sources
        tmpl[6:8] = b"\x20\x00"
        tmpl[10:12] = b"\0\0"
        struct.pack_into("!H", tmpl, 10, checksum(bytes(tmpl)))
        frames.append(eth + bytes(tmpl) + body)
    return frames, n_echo


@pytest.fixture(scope="module")
def flood(app_mac):
    frames, n_echo = flood_frames(app_mac)
    return Run(frames, LONG_TIMEOUT).execute(), n_echo


def test_flood_echoes_answered(flood):
    """Every echo request among the flood is answered, and nothing else."""
    run, n_echo = flood
    assert len(run.replies) == n_echo
    ports = []
    for rep in run.replies:
        assert rep[Ether].dst.lower() == ECHO_MAC
        assert rep[UDP].sport == 7 and raw(rep[UDP].payload)[:10] == b"still here"
        ports.append(rep[UDP].dport)
    assert ports == [25000 + i for i in range(n_echo)]


def test_flood_bounded(flood):
    """One source holds reassembly_per_source datagrams, all sources together
    reassembly_datagrams: the rest is dropped and counted, and the counts add up."""
    run, n_echo = flood
    s, t = run.summary, run.summary["total"]
    assert t["rx_pkts"] == 2 * FLOOD + n_echo
    assert t["answered"] == t["tx_pkts"] == n_echo
    assert t["rx_held"] == TABLE, "held %d first fragments" % t["rx_held"]
    assert s["drops"] == {"frag_source_full": FLOOD - PER_SOURCE,
                          "frag_table_full": FLOOD - (TABLE - PER_SOURCE)}
    assert t["rx_pkts"] == t["answered"] + t["rx_held"] + t["not_answered"]
    assert sum(s["drops"].values()) == t["not_answered"]
    assert s["reasm"] == {"datagrams": 0, "timeouts": 0, "fragments": 0, "released": 0,
                          "fragments_out": 0}
