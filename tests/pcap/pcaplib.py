"""Golden capture tests: scapy writes the requests, smallsrv answers them on
net_pcap, scapy reads the answers back.

A topic is a list of cases run through ONE process (EAL start is the costly
part). Each case is one request frame with what must come of it: a reply that
passes its check, or no reply and the name of the drop counter that must count
it. Every case sends from its own source MAC, and every reply goes to the
request's source MAC, so each reply is tied to the case that asked for it
whatever came out, missing or extra.
"""
import os
import re
import shlex
import shutil
import struct
import subprocess
import tempfile
import time
from collections import Counter

import pytest

from scapy.all import (IP, UDP, TCP, ICMP, Dot1Q, Ether, IPv6, ICMPv6EchoRequest,
                       rdpcap, raw)
from scapy.utils import checksum

import common
from common import (APP_IP4, APP_IP6, BIN, PEER_IP4, PEER_IP6, eal_args, parse_summary,
                    stderr_tail, unique, write_pcap)

APP_PREFIX4, APP_PREFIX6 = APP_IP4 + "/24", APP_IP6 + "/64"
RUN_TIMEOUT = 30.0
REPLY_TTL = 64
NTP_EPOCH_OFFSET = 2208988800  # seconds from 1900-01-01 to 1970-01-01 (RFC 868)
READY_RE = re.compile(common.READY_RE)


def case_mac(i):
    """The source MAC of case number i: locally administered, unicast."""
    return "02:00:5e:%02x:%02x:%02x" % ((i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff)


def ready_mac(line):
    """Port 0's MAC address from the ready line, lower case."""
    m = READY_RE.match(line)
    assert m, "malformed ready line: %r" % line
    return re.search(r"; port 0 ([0-9A-Fa-f:]{17}) ", m.group(3)).group(1).lower()


class Run:
    """One smallsrv process over a request capture."""

    def __init__(self, frames, args=(), lcores="0"):
        self.frames = [bytes(f) for f in frames]
        self.args = list(args)
        self.lcores = lcores

    def execute(self):
        prefix = unique("sspc")
        tmp = tempfile.mkdtemp(prefix="smallsrv-pcap-")
        inp, out = os.path.join(tmp, "in.pcap"), os.path.join(tmp, "out.pcap")
        try:
            write_pcap(inp, self.frames)
            cmd = [BIN] + eal_args(prefix, ["net_pcap0,rx_pcap=%s,tx_pcap=%s" % (inp, out)],
                                   self.lcores)
            # A run lasts a fraction of a second, but a stall could let a
            # SYN-ACK retransmission (1 s RTO) out as a stray reply: no TCP
            # timer fires during a run (a topic's own --set wins over this).
            cmd += ["--", "--ipv4", APP_PREFIX4, "--ipv6", APP_PREFIX6,
                    "--packets", str(len(self.frames)),
                    "--set", "tcp.rto_initial_ms=60000"]
            # scripts/test.sh's pcap-general: the same captures with other settings
            # (before the topic's own, which win).
            cmd += shlex.split(os.environ.get("SMALLSRV_PCAP_ARGS", "")) + self.args
            self.started = time.time()
            try:
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=RUN_TIMEOUT)
            except subprocess.TimeoutExpired as e:
                raise AssertionError("smallsrv did not finish %d packets within %.0f s\n"
                                     "stdout:\n%s\nstderr:\n%s" % (
                                         len(self.frames), RUN_TIMEOUT, e.stdout,
                                         stderr_tail(e.stderr or b""))) from None
            self.ended = time.time()
            self.cmd, self.rc, self.stdout, self.stderr = cmd, p.returncode, p.stdout, p.stderr
            # Under the sanitizers, a report ends the run with a status of its own.
            assert self.rc == 0, "%s\nexit %d\nstdout:\n%s\nstderr:\n%s" % (
                " ".join(cmd), self.rc, self.stdout, stderr_tail(self.stderr))
            self.replies = list(rdpcap(out)) if os.path.getsize(out) > 24 else []
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
        lines = self.stdout.splitlines()
        ready = [line for line in lines if line.startswith("ready")]
        assert len(ready) == 1, "expected one ready line:\n" + self.stdout
        self.ready = ready[0]
        self.mac = ready_mac(self.ready)
        self.summary = parse_summary(self.stdout)
        return self


def dissect(frame):
    """The frame as scapy sees it; runts scapy cannot take stay raw bytes."""
    try:
        return Ether(frame)
    except Exception:
        return frame


class Case:
    """One request and its fate.

    build(ctx) returns the request (a scapy packet or bytes) and must send it
    from ctx.mac. check(ctx, req, rep) asserts on the reply; None means no
    reply is allowed, and drop names the counter that counts the request.
    reply_mac: where the reply goes when not to the source MAC (DAD).
    """

    def __init__(self, name, build, check=None, drop=None, reply_mac=None):
        assert (check is None) != (drop is None), name + ": a check or a drop reason"
        self.name, self.build, self.check, self.drop = name, build, check, drop
        self.reply_mac = reply_mac


class Ctx:
    def __init__(self, app_mac, mac, index):
        self.app_mac, self.mac, self.index = app_mac, mac, index


class Topic:
    """Cases that share one run of the appliance, with its extra options."""

    def __init__(self, cases, args=(), lcores="0"):
        names = [c.name for c in cases]
        dup = [n for n, k in Counter(names).items() if k > 1]
        assert not dup, "duplicate case names: %s" % dup
        self.cases, self.args, self.lcores = cases, list(args), lcores
        self.result = None

    def names(self):
        return [c.name for c in self.cases]

    def run(self, app_mac):
        if self.result is None:
            self.result = TopicResult(self, app_mac)
        return self.result


class TopicResult:
    def __init__(self, topic, app_mac):
        self.topic = topic
        self.ctx, self.reqs = {}, {}
        frames = []
        for i, c in enumerate(topic.cases):
            ctx = Ctx(app_mac, case_mac(i + 1), i)
            pkt = c.build(ctx)
            frames.append(raw(pkt) if not isinstance(pkt, bytes) else pkt)
            self.ctx[c.name] = ctx
            self.reqs[c.name] = dissect(frames[-1])
        self.run = Run(frames, topic.args, topic.lcores).execute()
        assert self.run.mac == app_mac, "port MAC changed between runs"
        owner = {}
        for c in topic.cases:
            mac = (c.reply_mac or self.ctx[c.name].mac).lower()
            owner[mac] = c.name
        self.by_case = {c.name: [] for c in topic.cases}
        self.stray = []
        self.order = []
        for rep in self.run.replies:
            name = owner.get(rep[Ether].dst.lower())
            if name is None:
                self.stray.append(rep)
            else:
                self.by_case[name].append(rep)
                self.order.append(name)

    def case(self, name):
        return next(c for c in self.topic.cases if c.name == name)

    def check_case(self, name):
        c, ctx, req = self.case(name), self.ctx[name], self.reqs[name]
        got = self.by_case[name]
        if c.check is None:
            assert not got, "%s: expected no reply (%s), got:\n%s" % (
                name, c.drop, "\n".join(r.show(dump=True) for r in got))
            return
        assert len(got) == 1, "%s: expected one reply, got %d" % (name, len(got))
        rep = got[0]
        assert rep[Ether].src.lower() == ctx.app_mac, "reply not from the port's MAC"
        c.check(ctx, req, rep)

    def check_global(self):
        """Nothing stray, replies in request order, counters that add up."""
        assert not self.stray, "replies to no request:\n" + "\n".join(
            r.show(dump=True) for r in self.stray)
        expected_order = [c.name for c in self.topic.cases
                          if c.check is not None and self.by_case[c.name]]
        assert self.order == expected_order, "replies out of request order"
        s = self.run.summary
        t = s["total"]
        n_replies = sum(1 for c in self.topic.cases if c.check is not None)
        assert t["rx_pkts"] == len(self.topic.cases)
        assert t["tx_pkts"] == len(self.run.replies) == n_replies
        # No handshake completes in a capture (the cookie cannot be guessed):
        # every packet is answered in place or dropped, none feeds a connection.
        assert t["rx_tcp"] == 0
        assert t["rx_pkts"] == t["answered"] + t["not_answered"]
        assert t["tx_pkts"] == t["answered"]
        assert s["ports"]["port 0"] == t
        want = Counter(c.drop for c in self.topic.cases if c.drop is not None)
        assert s["drops"] == dict(want), "drop counters differ from the cases' reasons"
        assert sum(s["drops"].values()) == t["not_answered"]
        if not want:
            assert "  not answered, by reason: none\n" in self.run.stdout


# ---------------------------------------------------------------------------
# Request builders. v is 4 or 6; vlan a VLAN id or None.

def eth(ctx, vlan=None, dst=None):
    e = Ether(src=ctx.mac, dst=dst or ctx.app_mac)
    return e / Dot1Q(vlan=vlan, prio=3) if vlan is not None else e


def ip(v, src=None, dst=None, **kw):
    if v == 4:
        return IP(src=src or PEER_IP4, dst=dst or APP_IP4, **kw)
    return IPv6(src=src or PEER_IP6, dst=dst or APP_IP6, **kw)


def udp_req(v, dport, payload=b"", sport=None, vlan=None, src=None, dst=None,
            eth_dst=None, **udpkw):
    """A UDP request; the default source port is unique to the case."""
    def build(ctx):
        sp = sport if sport is not None else 20000 + ctx.index
        return (eth(ctx, vlan, eth_dst) / ip(v, src, dst) /
                UDP(sport=sp, dport=dport, **udpkw) / payload)
    return build


def icmp_echo_req(v, payload=b"ping", vlan=None, src=None, dst=None, eth_dst=None):
    def build(ctx):
        if v == 4:
            l4 = ICMP(type=8, id=0x1234, seq=ctx.index) / payload
        else:
            l4 = ICMPv6EchoRequest(id=0x1234, seq=ctx.index) / payload
        return eth(ctx, vlan, eth_dst) / ip(v, src, dst) / l4
    return build


def tcp_req(v, dport=7, flags="S", seq=1000, ack=0, payload=b"", vlan=None, src=None,
            dst=None, eth_dst=None, options=None, sport=None, raw_options=None):
    """A TCP segment; the default source port is unique to the case.
    raw_options: option bytes as they are (a multiple of 4), malformed ones too."""
    def build(ctx):
        sp = sport if sport is not None else 30000 + ctx.index
        if raw_options is not None:
            t = TCP(sport=sp, dport=dport, flags=flags, seq=seq, ack=ack, window=8192,
                    dataofs=5 + len(raw_options) // 4) / raw_options
        else:
            t = TCP(sport=sp, dport=dport, flags=flags, seq=seq, ack=ack, window=8192,
                    options=options or [])
        return eth(ctx, vlan, eth_dst) / ip(v, src, dst) / t / payload
    return build


# ---------------------------------------------------------------------------
# Reply checks.

def l3(pkt):
    return pkt[IP] if IP in pkt else pkt[IPv6]


def ip_bytes(pkt):
    """The IP packet as its own length field says (Ethernet padding cut)."""
    layer = l3(pkt)
    b = raw(layer)
    return b[:layer.len] if IP in pkt else b[:40 + layer.plen]


IP6_EXT = (0, 43, 60)  # hop-by-hop, routing, destination options (44: fragment)


def l4_bytes(pkt):
    """Upper-layer header and payload, after any options or extension headers."""
    b = ip_bytes(pkt)
    if IP in pkt:
        return b[(b[0] & 0xf) * 4:]
    nh, off = b[6], 40
    while nh in IP6_EXT or nh == 44:
        nh, off = b[off], off + (8 if nh == 44 else (b[off + 1] + 1) * 8)
    return b[off:]


def l2_len(pkt):
    return 18 if Dot1Q in pkt else 14


def l4_cksum(pkt, proto, data):
    """The Internet checksum over pseudo-header + data; 0 when data's sum is right."""
    layer = l3(pkt)
    if IP in pkt:
        ph = (bytes(map(int, layer.src.split("."))) + bytes(map(int, layer.dst.split("."))) +
              struct.pack("!BBH", 0, proto, len(data)))
    else:
        import socket
        ph = (socket.inet_pton(socket.AF_INET6, layer.src) +
              socket.inet_pton(socket.AF_INET6, layer.dst) +
              struct.pack("!IxxxB", len(data), proto))
    return checksum(ph + data)


def check_l2(ctx, req, rep, ethertype=None):
    assert rep[Ether].dst.lower() == req[Ether].src.lower(), "reply not to the requester"
    assert rep[Ether].src.lower() == ctx.app_mac
    if Dot1Q in req:
        assert Dot1Q in rep, "VLAN tag lost"
        assert rep[Dot1Q].vlan == req[Dot1Q].vlan and rep[Dot1Q].prio == req[Dot1Q].prio
        assert rep[Dot1Q].type == (ethertype or req[Dot1Q].type)
    else:
        assert Dot1Q not in rep, "VLAN tag out of nowhere"
        assert rep[Ether].type == (ethertype or req[Ether].type)


def check_ip(ctx, req, rep, proto, l4_len, src=None):
    """Addresses swapped, a bare header, the length and the header checksum right."""
    check_l2(ctx, req, rep)
    q, r = l3(req), l3(rep)
    assert type(q) is type(r), "address family changed"
    assert r.src == (src or q.dst) and r.dst == q.src, "addresses not swapped"
    b = raw(r)
    if IP in rep:
        assert r.version == 4 and r.ihl == 5, "IPv4 options in the reply"
        assert r.proto == proto
        assert r.len == 20 + l4_len, "IPv4 total length %d, want %d" % (r.len, 20 + l4_len)
        assert r.flags == 0 and r.frag == 0
        assert r.ttl == REPLY_TTL
        assert checksum(b[:20]) == 0, "IPv4 header checksum wrong"
    else:
        assert r.version == 6
        assert r.nh == proto, "IPv6 next header %d, want %d" % (r.nh, proto)
        assert r.plen == l4_len, "IPv6 payload length %d, want %d" % (r.plen, l4_len)
        assert r.hlim == REPLY_TTL
    frame = raw(rep)
    end = l2_len(rep) + (20 if IP in rep else 40) + l4_len
    assert len(frame) >= end, "frame shorter than its IP length"
    # Nothing past the reply but, at most, zero padding to the Ethernet minimum.
    assert frame[end:] == bytes(len(frame) - end) and (len(frame) == end or len(frame) <= 60), \
        "bytes past the reply's end: %r" % frame[end:]


def check_udp(ctx, req, rep, payload, zero_ok=False):
    """A UDP reply from the requested port back to the source port, with this payload."""
    check_ip(ctx, req, rep, 17, 8 + len(payload))
    u = l4_bytes(rep)
    sport, dport, ulen, ck = struct.unpack("!HHHH", u[:8])
    assert sport == req[UDP].dport and dport == req[UDP].sport, "ports not swapped"
    assert ulen == 8 + len(payload), "UDP length %d, want %d" % (ulen, 8 + len(payload))
    assert u[8:ulen] == payload, "payload differs: %r... want %r..." % (u[8:48], payload[:40])
    if ck == 0:
        assert zero_ok and IP in rep, "UDP reply without a checksum"
    else:
        assert l4_cksum(rep, 17, u[:ulen]) == 0, "UDP checksum wrong"


def udp_payload(pkt):
    u = l4_bytes(pkt)
    return u[8:struct.unpack("!H", u[4:6])[0]]


def req_payload(req):
    return udp_payload(req)


def echo_check(ctx, req, rep):
    check_udp(ctx, req, rep, req_payload(req), zero_ok=req[UDP].chksum == 0)


def chargen_line(n):
    return bytes(0x20 + (n + c) % 95 for c in range(72)) + b"\r\n"


def chargen_stream(start, length):
    """length bytes of the chargen stream from offset start."""
    out = bytearray()
    k = start
    while len(out) < length:
        line, col = (k // 74) % 95, k % 74
        out.append(13 if col == 72 else 10 if col == 73 else 0x20 + (line + col) % 95)
        k += 1
    return bytes(out)


def chargen_check(n):
    """Chargen's n-th datagram since start: ring line n (mod 95)."""
    def check(ctx, req, rep):
        check_udp(ctx, req, rep, chargen_line(n % 95))
    return check


DAYTIME_BSD_RE = re.compile(rb"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) "
                            rb"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                            rb"([ 123]\d) (\d\d):(\d\d):(\d\d) (\d{4})\r\n$")
MONTHS = [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct",
          b"Nov", b"Dec"]


def bsd_daytime_seconds(line):
    """Unix time of a ctime-style daytime line in UTC, and its weekday check."""
    import calendar
    m = DAYTIME_BSD_RE.match(line)
    assert m, "not a BSD (ctime) daytime line: %r" % line
    mon = MONTHS.index(m.group(2)) + 1
    day, hh, mm, ss, year = (int(m.group(i)) for i in (3, 4, 5, 6, 7))
    t = calendar.timegm((year, mon, day, hh, mm, ss))
    assert time.strftime("%a", time.gmtime(t)).encode() == m.group(1), "wrong weekday"
    return t


def daytime_check(run_of):
    """Daytime in the default format, within a few seconds of the run."""
    def check(ctx, req, rep):
        line = udp_payload(rep)
        check_udp(ctx, req, rep, line)
        t = bsd_daytime_seconds(line)
        run = run_of()
        assert run.started - 3 <= t <= run.ended + 3, \
            "daytime %r is not now (%d..%d)" % (line, run.started, run.ended)
    return check


def time_check(run_of):
    """RFC 868: exactly 4 bytes, seconds since 1900, within a few seconds of the run."""
    def check(ctx, req, rep):
        data = udp_payload(rep)
        assert len(data) == 4, "time reply of %d bytes" % len(data)
        check_udp(ctx, req, rep, data)
        t = struct.unpack("!I", data)[0] - NTP_EPOCH_OFFSET
        run = run_of()
        assert run.started - 3 <= t <= run.ended + 3, "time %d is not now" % t
    return check


def icmp_error_check(v4=(3, 3), v6=(1, 4), word6=0):
    """An ICMP or ICMPv6 error, (type, code) v4 or v6 by the request's family,
    quoting the request from its IP header on, up to 576 bytes (v4) or 1280
    (v6) in all; the 32 bits behind the checksum are unused (0) over IPv4,
    word6 over IPv6 (the parameter problem's pointer)."""
    def check(ctx, req, rep):
        orig = ip_bytes(req)
        if IP in req:
            quote = orig[:576 - 28]
            check_ip(ctx, req, rep, 1, 8 + len(quote))
            m = l4_bytes(rep)
            assert checksum(m) == 0, "ICMP checksum wrong"
            want = v4
        else:
            quote = orig[:1280 - 48]
            check_ip(ctx, req, rep, 58, 8 + len(quote))
            m = l4_bytes(rep)
            assert l4_cksum(rep, 58, m) == 0, "ICMPv6 checksum wrong"
            want = v6
        assert (m[0], m[1]) == want, "ICMP type/code %d/%d, want %d/%d" % (m[0], m[1], *want)
        word = 0 if IP in req else word6
        assert struct.unpack("!I", m[4:8])[0] == word, "word after the checksum: %r" % m[4:8]
        assert m[8:] == quote, "the quoted datagram differs from the request"
    return check


# Port unreachable: ICMP 3/3, ICMPv6 1/4.
check_icmp_unreach = icmp_error_check()


def check_proto_unreach(pointer=6):
    """A protocol we do not serve: ICMP protocol unreachable (3/2); over IPv6 a
    parameter problem, unrecognized next header (4/1), whose pointer is the
    offset of the next header field that named it (6: the IPv6 header's own)."""
    return icmp_error_check(v4=(3, 2), v6=(4, 1), word6=pointer)


def check_icmp_echo(ctx, req, rep):
    q = l4_bytes(req)
    if IP in req:
        check_ip(ctx, req, rep, 1, len(q))
        m = l4_bytes(rep)
        assert m[0] == 0 and m[1] == 0, "not an echo reply"
        assert checksum(m) == 0, "ICMP checksum wrong"
    else:
        check_ip(ctx, req, rep, 58, len(q))
        m = l4_bytes(rep)
        assert m[0] == 129 and m[1] == 0, "not an ICMPv6 echo reply"
        assert l4_cksum(rep, 58, m) == 0, "ICMPv6 checksum wrong"
    assert m[4:] == q[4:], "identifier, sequence or data changed"


def check_rst(ctx, req, rep):
    """RFC 9293 3.10.7.1: the reset a closed port sends in answer to req."""
    q = req[TCP]
    check_ip(ctx, req, rep, 6, 20)
    t = l4_bytes(rep)
    sport, dport, seq, ack, off, flags, win, ck, urg = struct.unpack("!HHIIBBHHH", t[:20])
    assert sport == q.dport and dport == q.sport, "ports not swapped"
    assert off >> 4 == 5, "RST with options"
    assert win == 0 and urg == 0
    assert l4_cksum(rep, 6, t) == 0, "TCP checksum wrong"
    if "A" in q.flags:
        assert flags == 0x04, "RST for a segment with ACK: flags %#x, want RST" % flags
        assert seq == q.ack, "RST seq %d, want the segment's ACK %d" % (seq, q.ack)
        assert ack == 0
    else:
        seg_len = len(l4_bytes(req)) - q.dataofs * 4
        seg_len += ("S" in q.flags) + ("F" in q.flags)
        assert flags == 0x14, "RST for a segment without ACK: flags %#x, want RST|ACK" % flags
        assert seq == 0
        assert ack == (q.seq + seg_len) % 2**32, "RST ack %d, want %d" % (
            ack, (q.seq + seg_len) % 2**32)


TCP_WINDOW = 65535  # the default [tcp] window; never scaled in a SYN-ACK


def tcp_options(t):
    """The raw option bytes of a TCP header given as bytes."""
    return t[20:(t[12] >> 4) * 4]


def check_synack(mss=None, wscale=0, window=TCP_WINDOW):
    """A SYN-ACK for a SYN to a listening port: seq is a SYN cookie (any
    value), ack = seq + 1 (a SYN's data and FIN are not acknowledged), and
    the options answer the SYN's: MSS always (ours: mss, or by default the
    port's MTU less the headers, within the default [tcp] mss 1460), window
    scale wscale only if the SYN offered one, SACK-permitted only if the SYN
    did, each behind NOPs that keep it aligned."""
    def check(ctx, req, rep):
        q = req[TCP]
        offered = {o[0] for o in q.options}
        opts = struct.pack("!BBH", 2, 4, mss or (1460 if IP in req else 1440))
        if "WScale" in offered:
            opts += bytes([1, 3, 3, wscale])
        if "SAckOK" in offered:
            opts += bytes([1, 1, 4, 2])
        check_ip(ctx, req, rep, 6, 20 + len(opts))
        t = l4_bytes(rep)
        sport, dport, seq, ack, off, flags, win, ck, urg = struct.unpack("!HHIIBBHHH", t[:20])
        assert sport == q.dport and dport == q.sport, "ports not swapped"
        assert flags == 0x12, "flags %#x, want SYN|ACK" % flags
        assert ack == (q.seq + 1) % 2**32, "ack %d, want %d" % (ack, (q.seq + 1) % 2**32)
        assert off & 0xf == 0, "reserved bits set"
        assert tcp_options(t) == opts, "options %s, want %s" % (tcp_options(t).hex(),
                                                                 opts.hex())
        assert win == window, "window %d, want %d" % (win, window)
        assert urg == 0
        assert l4_cksum(rep, 6, t) == 0, "TCP checksum wrong"
    return check


def synack_seq(rep):
    """The sequence number (the SYN cookie) of a SYN-ACK."""
    return struct.unpack("!I", l4_bytes(rep)[4:8])[0]


def udp_reply(payload):
    """The reply carries exactly this payload."""
    def check(ctx, req, rep):
        check_udp(ctx, req, rep, payload)
    return check


def topic_tests(topic, name="result"):
    """The fixture and tests every topic has: one test per case, one for the run as
    a whole. In a module: result, test_case, test_run = topic_tests(TOPIC); with
    several topics, give each its own fixture name and test names."""
    @pytest.fixture(scope="module", name=name)
    def result(app_mac):
        return topic.run(app_mac)

    @pytest.mark.parametrize("case", topic.names())
    def test_case(request, case):
        request.getfixturevalue(name).check_case(case)

    def test_run(request):
        """No stray replies, replies in request order, counters add up to the cases."""
        request.getfixturevalue(name).check_global()

    return result, test_case, test_run


# ---------------------------------------------------------------------------
# Frames that scapy would not build on its own.

def offsets(frame):
    """Where the IP header and the upper-layer header start in a frame (bytes)."""
    l3 = 18 if frame[12:14] == b"\x81\x00" else 14
    etype = frame[l3 - 2:l3]
    if etype == b"\x08\x00":
        return l3, l3 + (frame[l3] & 0xf) * 4
    if etype == b"\x86\xdd":
        nh, off = frame[l3 + 6], l3 + 40
        while (nh in IP6_EXT or nh == 44) and off + 2 <= len(frame):
            nh, off = frame[off], off + (8 if nh == 44 else (frame[off + 1] + 1) * 8)
        return l3, off
    return l3, l3


def edited(build, edit):
    """A builder whose frame goes through edit(frame: bytearray, l3_offset, l4_offset)."""
    def b(ctx):
        p = build(ctx)
        data = bytearray(p if isinstance(p, bytes) else raw(p))
        r = edit(data, *offsets(data))
        return bytes(r if r is not None else data)
    return b


def bad_cksum(build, where):
    """The same request with one checksum field wrong: "ip" (IPv4 header) or "l4"."""
    def edit(data, l3, l4):
        if where == "ip":
            off = l3 + 10
        else:
            p = Ether(bytes(data))
            off = l4 + (16 if TCP in p else 6 if UDP in p else 2)
        v = (data[off] << 8 | data[off + 1]) ^ 0x5a5a
        v = v or 0x1111  # never zero: that is "no checksum" to UDP over IPv4
        data[off], data[off + 1] = v >> 8, v & 0xff
    return edited(build, edit)


def truncated(build, keep):
    """The frame cut after keep bytes (keep may be negative: bytes cut off the end)."""
    def b(ctx):
        return raw(build(ctx))[:keep]
    return b
