"""The packet trace ([general] trace = N): what each layer made of the first N
packets, printed at exit, one line a packet; the array's end counted, not
overwritten; and no trace at all when none is asked for."""
import re

from scapy.all import ARP, ICMPv6EchoRequest, IP, IPv6, IPv6ExtHdrHopByHop, TCP, UDP, Ether, raw

from common import APP_IP4, APP_IP6, PEER_IP4, PEER_IP6
from pcaplib import Run

PEER_MAC = "02:00:5e:00:00:01"
ENTRIES = 256  # SS_TRACE_ENTRIES


def frames(app_mac):
    eth = Ether(src=PEER_MAC, dst=app_mac)
    ip4 = IP(src=PEER_IP4, dst=APP_IP4)
    return [
        eth / ip4 / UDP(sport=40000, dport=7) / b"echo",
        eth / ip4 / UDP(sport=40000, dport=7, chksum=0x1234) / b"bad",
        eth / ip4 / TCP(sport=40000, dport=7, flags="S", seq=1000, options=[("MSS", 1460)]),
        eth / IPv6(src=PEER_IP6, dst=APP_IP6) / IPv6ExtHdrHopByHop() /
        ICMPv6EchoRequest(id=1, seq=2, data=b"ping6"),
        raw(eth)[:10],
        eth / IP(src=PEER_IP4, dst=APP_IP4, ttl=1, frag=5) / UDP(sport=1, dport=7) / b"frag",
    ]


def test_trace_lines(app_mac):
    """Six packets of every kind of outcome, then ARP requests past the array's end."""
    arp = Ether(src=PEER_MAC, dst="ff:ff:ff:ff:ff:ff") / ARP(
        op=1, hwsrc=PEER_MAC, psrc=PEER_IP4, pdst=APP_IP4)
    first = frames(app_mac)
    run = Run(first + [arp] * ENTRIES, ["--set", "general.trace=300"]).execute()
    t = run.summary["trace"]
    n = len(first) + ENTRIES
    assert (t["recorded"], t["missed"], t["left"]) == (ENTRIES, n - ENTRIES, 300 - n)
    assert len(t["lines"]) == ENTRIES
    eth = "eth %s>%s" % (PEER_MAC, app_mac)
    lines = t["lines"]
    assert lines[0] == (
        "w0 #1 port 0 rx 46B: %s ipv4: ok | ipv4 192.0.2.254>192.0.2.1 ttl 64 len 32 udp: "
        "checked, to us | udp 40000>7 len 12: checked, echo | answered: 192.0.2.1>192.0.2.254 "
        "udp 7>40000 len 12 (46B frame)" % eth)
    assert lines[1] == (
        "w0 #2 port 0 rx 45B: %s ipv4: ok | ipv4 192.0.2.254>192.0.2.1 ttl 64 len 31 udp: "
        "checked, to us | udp 40000>7 len 11: udp_bad_checksum | dropped: UDP checksum wrong"
        % eth)
    # The ISN is the cookie's: a number.
    assert re.fullmatch(
        r"w0 #3 port 0 rx 58B: %s ipv4: ok \| ipv4 192.0.2.254>192.0.2.1 ttl 64 len 44 tcp: "
        r"checked, to us \| tcp 40000>7 \[S\] seq 1000 win 8192 hlen 24: checked, echo \| "
        r"answered: 192.0.2.1>192.0.2.254 tcp 7>40000 \[SA\] seq \d+ ack 1001 win \d+ hlen 24 "
        r"\(58B frame\) \| conn SYN-RECEIVED, nothing queued for it" % eth, lines[2]), lines[2]
    assert lines[3] == (
        "w0 #4 port 0 rx 75B: %s ipv6: ok | ipv6 2001:db8::fe>2001:db8::1 hlim 64 plen 21 "
        "ext hbh icmp6: checked, to us | icmp6 echo-request id 1 seq 2: checked | answered: "
        "2001:db8::1>2001:db8::fe icmp6 echo-reply id 1 seq 2 (67B frame)" % eth)
    assert lines[4] == ("w0 #5 port 0 rx 10B: eth truncated, 10 of 14 bytes: eth_runt | "
                        "dropped: frame shorter than its Ethernet header")
    assert lines[5] == (
        "w0 #6 port 0 rx 46B: %s ipv4: ok | ipv4 192.0.2.254>192.0.2.1 ttl 1 len 32 frag "
        "offset 40 udp: checked, to us | held for reassembly" % eth)
    for i, line in enumerate(lines[6:], 7):
        assert line.startswith("w0 #%d port 0 rx 42B: eth %s>ff:ff:ff:ff:ff:ff arp: ok" %
                               (i, PEER_MAC)), line
        assert line.endswith("answered: arp reply 192.0.2.1 is-at %s (42B frame)" % app_mac)
    # Tracing changed nothing: every packet had its outcome.
    assert run.summary["total"]["rx_pkts"] == n
    assert run.summary["replies"]["arp_reply"] == ENTRIES
    assert run.summary["drops"] == {"udp_bad_checksum": 1, "eth_runt": 1}
    assert run.summary["total"]["rx_held"] == 1


def test_no_trace_by_default(app_mac):
    run = Run(frames(app_mac)).execute()
    assert run.summary["trace"] is None
    assert "trace" not in run.stdout
