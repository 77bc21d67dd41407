"""IPv4 options, IPv6 extension headers and fragments. Requests with options
or processable extension headers are answered with a bare IP header; ICMP
errors quote them as they came. With reassembly off, fragments are dropped
and counted, except IPv6 atomic fragments (RFC 6946), which are whole
datagrams either way (test_pcap_fragments.py: reassembly on)."""
from scapy.all import (IP, TCP, UDP, ICMP, HBHOptUnknown, ICMPv6EchoRequest, IPOption_NOP,
                       IPOption_Router_Alert, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                       IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, PadN, RouterAlert)

from common import APP_IP4, PEER_IP4
from pcaplib import (Case, Topic, check_icmp_echo, check_icmp_unreach, check_synack, echo_check,
                     eth, ip, topic_tests)

OPTS4 = [IPOption_NOP(), IPOption_NOP(), IPOption_NOP(), IPOption_NOP()]
OPTS4_RA = [IPOption_Router_Alert()]


def v4(l4, options=OPTS4, **ipkw):
    def build(ctx):
        return eth(ctx) / IP(src=PEER_IP4, dst=APP_IP4, options=options, **ipkw) / l4(ctx)
    return build


def v6(exts, l4):
    """IPv6 with the extension headers exts (scapy layers, outermost first)."""
    def build(ctx):
        p = ip(6)
        for e in exts():
            p = p / e
        return eth(ctx) / p / l4(ctx)
    return build


def udp(dport=7, payload=b"with headers"):
    return lambda ctx: UDP(sport=20000 + ctx.index, dport=dport) / payload


def syn(ctx):
    return TCP(sport=30000 + ctx.index, dport=7, flags="S", seq=4242, options=[("MSS", 1460)])


def ping4(ctx):
    return ICMP(type=8, id=7, seq=ctx.index) / b"options"


def ping6(ctx):
    return ICMPv6EchoRequest(id=7, seq=ctx.index) / b"ext headers"


def hbh():
    return IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0\0\0\0")])


def dst(*opts):
    return IPv6ExtHdrDestOpt(options=list(opts) or [PadN(optdata=b"\0\0\0\0")])


def _cases():
    return [
        # IPv4 options: answered without them.
        Case("ipv4-options-nop-echo", v4(udp()), echo_check),
        Case("ipv4-options-router-alert-echo", v4(udp(), OPTS4_RA), echo_check),
        Case("ipv4-options-syn", v4(syn), check_synack()),
        Case("ipv4-options-ping", v4(ping4), check_icmp_echo),
        Case("ipv4-options-closed-port", v4(udp(4444)), check_icmp_unreach),
        Case("ipv4-dont-fragment-echo", v4(udp(), [], flags="DF"), echo_check),
        # IPv6 extension headers: answered without them.
        Case("ipv6-hop-by-hop-echo", v6(lambda: [hbh()], udp()), echo_check),
        Case("ipv6-hop-by-hop-router-alert-echo",
             v6(lambda: [IPv6ExtHdrHopByHop(options=[RouterAlert(), PadN(optdata=b"")])],
                udp()), echo_check),
        Case("ipv6-dest-opts-echo", v6(lambda: [dst()], udp()), echo_check),
        Case("ipv6-routing-done-echo", v6(lambda: [IPv6ExtHdrRouting(segleft=0)], udp()),
             echo_check),
        Case("ipv6-chain-echo",
             v6(lambda: [hbh(), dst(), IPv6ExtHdrRouting(segleft=0), dst()], udp()),
             echo_check),
        Case("ipv6-atomic-fragment-echo", v6(lambda: [IPv6ExtHdrFragment(offset=0, m=0, id=9)],
                                             udp()), echo_check),
        Case("ipv6-unknown-skippable-option-echo",
             v6(lambda: [dst(HBHOptUnknown(otype=0x1e, optdata=b"\0\0\0\0"))], udp()),
             echo_check),
        Case("ipv6-hop-by-hop-syn", v6(lambda: [hbh()], syn), check_synack()),
        Case("ipv6-dest-opts-ping", v6(lambda: [dst()], ping6), check_icmp_echo),
        Case("ipv6-dest-opts-closed-port", v6(lambda: [dst()], udp(4444)), check_icmp_unreach),
        # IPv6 extension headers that must not be processed.
        Case("ipv6-routing-segments-left",
             v6(lambda: [IPv6ExtHdrRouting(segleft=1, addresses=["2001:db8::fe"])], udp()),
             drop="ipv6_bad_ext_header"),
        Case("ipv6-unknown-option-discard",
             v6(lambda: [dst(HBHOptUnknown(otype=0x9e, optdata=b"\0\0\0\0"))], udp()),
             drop="ipv6_bad_ext_header"),
        Case("ipv6-hop-by-hop-not-first", v6(lambda: [dst(), hbh()], udp()),
             drop="ipv6_bad_ext_header"),
        Case("ipv6-too-many-ext-headers", v6(lambda: [dst() for _ in range(9)], udp()),
             drop="ipv6_bad_ext_header"),
        Case("ipv6-ext-header-past-end",
             v6(lambda: [IPv6ExtHdrDestOpt(len=4, options=[PadN(optdata=b"\0\0\0\0")],
                                           autopad=0)], udp()),
             drop="ipv6_bad_ext_header"),
    ]


def _fragment_cases():
    return [
        Case("ipv4-first-fragment", v4(udp(), [], flags="MF"), drop="ipv4_fragment"),
        Case("ipv4-middle-fragment", v4(udp(), [], flags="MF", frag=100), drop="ipv4_fragment"),
        Case("ipv4-last-fragment", v4(udp(), [], frag=100), drop="ipv4_fragment"),
        Case("ipv6-first-fragment", v6(lambda: [IPv6ExtHdrFragment(offset=0, m=1, id=1)], udp()),
             drop="ipv6_fragment"),
        Case("ipv6-last-fragment", v6(lambda: [IPv6ExtHdrFragment(offset=8, m=0, id=1)], udp()),
             drop="ipv6_fragment"),
        Case("ipv6-atomic-fragment-echo-off", v6(lambda: [IPv6ExtHdrFragment(offset=0, m=0, id=9)],
                                                 udp()), echo_check),
    ]


TOPIC = Topic(_cases())
result, test_case, test_run = topic_tests(TOPIC)
FRAGMENTS_OFF = Topic(_fragment_cases(), ["--set", "ip.reassembly_datagrams=0"])
result_off, test_case_off, test_run_off = topic_tests(FRAGMENTS_OFF, "result_off")
