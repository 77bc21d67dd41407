"""The protocol machinery's own answers: ARP, neighbour discovery, ICMP and
ICMPv6 echo, port unreachable for closed UDP ports, protocol unreachable and
parameter problem for protocols we do not serve, the port's own link-local
address; for TCP, a RST per RFC
9293 3.10.7.1 from a closed port, and from a listening one a SYN-ACK whose
sequence number is a SYN cookie, with the SYN-table path (the default) and
the stateless one (max_half_open = 0)."""
import socket

from scapy.all import (ARP, ICMP, IP, UDP, Dot1Q, Ether, ICMPv6EchoReply, ICMPv6EchoRequest,
                       ICMPv6ND_NS, ICMPv6ND_RS, ICMPv6NDOptSrcLLAddr, IPv6,
                       IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, raw)

from common import APP_IP4, APP_IP6, PEER_IP4, PEER_IP6, link_local
from pcaplib import (Case, Topic, check_icmp_echo, check_icmp_unreach, check_l2,
                     check_proto_unreach, check_rst, check_synack, echo_check, eth,
                     icmp_echo_req, l4_bytes, l4_cksum, synack_seq, tcp_req, topic_tests,
                     udp_req)

SNM_APP6 = "ff02::1:ff00:1"  # solicited-node group of 2001:db8::1
SNM_APP6_MAC = "33:33:ff:00:00:01"
ALL_NODES_MAC = "33:33:00:00:00:01"


# ARP ----------------------------------------------------------------------

def arp_req(op=1, pdst=APP_IP4, eth_dst="ff:ff:ff:ff:ff:ff", vlan=None):
    def build(ctx):
        return (eth(ctx, vlan, eth_dst) /
                ARP(op=op, hwsrc=ctx.mac, psrc=PEER_IP4, hwdst="00:00:00:00:00:00", pdst=pdst))
    return build


def check_arp_reply(ctx, req, rep):
    check_l2(ctx, req, rep, ethertype=0x0806)
    q, r = req[ARP], rep[ARP]
    assert (r.hwtype, r.ptype, r.hwlen, r.plen, r.op) == (1, 0x0800, 6, 4, 2)
    assert r.hwsrc.lower() == ctx.app_mac and r.psrc == q.pdst
    assert r.hwdst.lower() == q.hwsrc.lower() and r.pdst == q.psrc
    assert len(raw(rep)) in (14 + (4 if Dot1Q in rep else 0) + 28, 60)


# Neighbour discovery ------------------------------------------------------

def ns_req(target=APP_IP6, dst=SNM_APP6, eth_dst=SNM_APP6_MAC, src=PEER_IP6, hlim=255, code=0,
           lladdr=True, vlan=None):
    def build(ctx):
        p = (eth(ctx, vlan, eth_dst) / IPv6(src=src, dst=dst, hlim=hlim) /
             ICMPv6ND_NS(tgt=target, code=code))
        return p / ICMPv6NDOptSrcLLAddr(lladdr=ctx.mac) if lladdr else p
    return build


def check_na(dad=False):
    def check(ctx, req, rep):
        if dad:
            assert rep[Ether].dst.lower() == ALL_NODES_MAC
            assert rep[Ether].src.lower() == ctx.app_mac
        else:
            check_l2(ctx, req, rep)
        q, r = req[IPv6], rep[IPv6]
        tgt = req[ICMPv6ND_NS].tgt
        assert r.src == tgt, "NA not from the target address"
        assert r.dst == ("ff02::1" if dad else q.src)
        assert r.hlim == 255 and r.nh == 58 and r.plen == 32
        m = l4_bytes(rep)
        assert len(m) == 32
        assert m[0] == 136 and m[1] == 0, "not a neighbour advertisement"
        flags = m[4]
        assert flags & 0x80 == 0, "router flag set"
        assert bool(flags & 0x40) == (not dad), "solicited flag"
        assert flags & 0x20, "override flag clear"
        assert m[5:8] == b"\0\0\0"
        assert m[8:24] == socket.inet_pton(socket.AF_INET6, tgt)
        assert m[24:26] == b"\x02\x01", "no target link-layer address option"
        assert m[26:32] == bytes.fromhex(ctx.app_mac.replace(":", ""))
        assert l4_cksum(rep, 58, m) == 0, "ICMPv6 checksum wrong"
    return check


# ICMP ---------------------------------------------------------------------

def icmp4_other(icmp_type):
    def build(ctx):
        return eth(ctx) / IP(src=PEER_IP4, dst=APP_IP4) / ICMP(type=icmp_type, id=1, seq=1)
    return build


def icmp6_echo_reply(ctx):
    return eth(ctx) / IPv6(src=PEER_IP6, dst=APP_IP6) / ICMPv6EchoReply(id=1, seq=1)


def router_solicit(ctx):
    return (Ether(src=ctx.mac, dst="33:33:00:00:00:02") /
            IPv6(src=PEER_IP6, dst="ff02::2", hlim=255) / ICMPv6ND_RS())


# Protocols we do not serve -------------------------------------------------

def other_proto(v, proto, payload=b"\0" * 24, ext=(), vlan=None, dst=None, eth_dst=None):
    """A datagram of IP protocol (IPv6: next header) proto; ext: IPv6
    extension headers in front of it, outermost first."""
    def build(ctx):
        if v == 4:
            return (eth(ctx, vlan, eth_dst) /
                    IP(src=PEER_IP4, dst=dst or APP_IP4, proto=proto) / payload)
        p = IPv6(src=PEER_IP6, dst=dst or APP_IP6)
        if not ext:
            p.nh = proto
        for i, h in enumerate(ext):
            p = p / (h(nh=proto) if i == len(ext) - 1 else h())
        return eth(ctx, vlan, eth_dst) / p / payload
    return build


def atomic_fragment(**kw):
    return IPv6ExtHdrFragment(offset=0, m=0, id=0x5a5a, **kw)


# The port's own link-local address --------------------------------------------

LL_PEER = "fe80::fe"


def snm(addr):
    """The solicited-node group of addr and its MAC address."""
    b = socket.inet_pton(socket.AF_INET6, addr)[13:]
    group = socket.inet_ntop(socket.AF_INET6, bytes.fromhex("ff02" + "00" * 9 + "01ff") + b)
    return group, "33:33:ff:" + ":".join("%02x" % x for x in b)


def ll_ns(ctx):
    """A neighbour solicitation for our link-local address, from a link-local peer."""
    target = link_local(ctx.app_mac)
    group, mac = snm(target)
    return (eth(ctx, None, mac) / IPv6(src=LL_PEER, dst=group, hlim=255) /
            ICMPv6ND_NS(tgt=target) / ICMPv6NDOptSrcLLAddr(lladdr=ctx.mac))


def ll_ping(ctx):
    return (eth(ctx) / IPv6(src=LL_PEER, dst=link_local(ctx.app_mac)) /
            ICMPv6EchoRequest(id=0x1234, seq=ctx.index) / b"link-local")


def ll_udp_echo(ctx):
    return (eth(ctx) / IPv6(src=LL_PEER, dst=link_local(ctx.app_mac)) /
            UDP(sport=20000 + ctx.index, dport=7) / b"link-local echo")


# What a SYN may offer: MSS, window scale, SACK permitted (and a stray NOP).
SYN_OPTIONS = [("MSS", 1460), ("WScale", 7), ("SAckOK", b""), ("NOP", None)]
# Linux's SYN: MSS, SACK permitted, timestamps, NOP, window scale.
LINUX_OPTIONS = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (12345, 0)), ("NOP", None),
                 ("WScale", 7)]
REPEAT_SPORT = 39999  # one tuple, two SYNs

BIG = bytes(range(256)) * 5 + bytes(120)  # 1400 bytes


def _cases():
    cases = [
        Case("arp-request-broadcast", arp_req(), check_arp_reply),
        Case("arp-request-unicast", arp_req(eth_dst=None), check_arp_reply),
        Case("arp-request-vlan", arp_req(vlan=42), check_arp_reply),
        Case("arp-request-other-address", arp_req(pdst="192.0.2.2"), drop="arp_not_ours"),
        Case("arp-request-broadcast-address", arp_req(pdst="192.0.2.255"), drop="arp_not_ours"),
        Case("arp-reply", arp_req(op=2, eth_dst=None), drop="arp_not_request"),
        Case("ns-solicited-node", ns_req(), check_na()),
        Case("ns-unicast", ns_req(dst=APP_IP6, eth_dst=None), check_na()),
        Case("ns-vlan", ns_req(vlan=42), check_na()),
        Case("ns-no-lladdr-option", ns_req(lladdr=False), check_na()),
        Case("ns-dad", ns_req(src="::", lladdr=False), check_na(dad=True),
             reply_mac=ALL_NODES_MAC),
        Case("ns-hop-limit-64", ns_req(hlim=64), drop="nd_invalid"),
        Case("ns-code-1", ns_req(code=1), drop="nd_invalid"),
        Case("ns-dad-with-lladdr", ns_req(src="::"), drop="nd_invalid"),
        Case("ns-dad-unicast", ns_req(src="::", lladdr=False, dst=APP_IP6, eth_dst=None),
             drop="nd_invalid"),
        Case("ns-multicast-target", ns_req(target="ff02::1"), drop="nd_invalid"),
        Case("ns-other-target", ns_req(target="2001:db8::2", dst="ff02::1:ff00:2",
                                       eth_dst="33:33:ff:00:00:02"), drop="nd_not_ours"),
        Case("ping-v4", icmp_echo_req(4, b"abcdefghijklmnopqrstuvwabcdefghi"), check_icmp_echo),
        Case("ping-v4-empty", icmp_echo_req(4, b""), check_icmp_echo),
        Case("ping-v4-1400", icmp_echo_req(4, BIG), check_icmp_echo),
        Case("ping-v4-vlan", icmp_echo_req(4, vlan=7), check_icmp_echo),
        Case("ping-v6", icmp_echo_req(6, b"abcdefghijklmnopqrstuvwabcdefghi"), check_icmp_echo),
        Case("ping-v6-1400", icmp_echo_req(6, BIG), check_icmp_echo),
        Case("ping-v6-vlan", icmp_echo_req(6, vlan=7), check_icmp_echo),
        Case("icmp4-echo-reply", icmp4_other(0), drop="icmp4_ignored"),
        Case("icmp4-timestamp", icmp4_other(13), drop="icmp4_ignored"),
        Case("icmp6-echo-reply", icmp6_echo_reply, drop="icmp6_ignored"),
        Case("icmp6-router-solicitation", router_solicit, drop="icmp6_ignored"),
        Case("closed-udp-v4", udp_req(4, 4444, b"anyone?"), check_icmp_unreach),
        Case("closed-udp-v6", udp_req(6, 4444, b"anyone?"), check_icmp_unreach),
        Case("closed-udp-v4-vlan", udp_req(4, 1, b"", vlan=9), check_icmp_unreach),
        Case("closed-udp-v6-vlan", udp_req(6, 65535, b"", vlan=9), check_icmp_unreach),
        # Quotes are cut to 576 bytes of ICMP error (v4) and 1280 (v6).
        Case("closed-udp-v4-1400", udp_req(4, 4444, BIG), check_icmp_unreach),
        Case("closed-udp-v6-1400", udp_req(6, 4444, BIG), check_icmp_unreach),
        # Protocols we do not serve: what nmap -sO reads as closed.
        Case("proto-253-v4", other_proto(4, 253), check_proto_unreach()),
        Case("proto-gre-v4-vlan", other_proto(4, 47, vlan=9), check_proto_unreach()),
        Case("proto-sctp-v4-1400", other_proto(4, 132, BIG), check_proto_unreach()),
        Case("proto-253-v4-multicast", other_proto(4, 253, dst="224.0.0.1",
                                                   eth_dst="01:00:5e:00:00:01"),
             drop="ipv4_dst_multicast"),
        Case("proto-253-v4-broadcast", other_proto(4, 253, dst="192.0.2.255",
                                                   eth_dst="ff:ff:ff:ff:ff:ff"),
             drop="ipv4_dst_broadcast"),
        Case("next-header-253-v6", other_proto(6, 253), check_proto_unreach(6)),
        Case("next-header-253-v6-vlan", other_proto(6, 253, vlan=9), check_proto_unreach(6)),
        Case("next-header-253-v6-1400", other_proto(6, 253, BIG), check_proto_unreach(6)),
        Case("next-header-253-v6-dstopts", other_proto(6, 253, ext=[IPv6ExtHdrDestOpt]),
             check_proto_unreach(40)),
        Case("next-header-sctp-v6-hbh-frag-dstopts",
             other_proto(6, 132, ext=[IPv6ExtHdrHopByHop, atomic_fragment, IPv6ExtHdrDestOpt]),
             check_proto_unreach(56)),
        Case("next-header-none-v6-dstopts", other_proto(6, 59, ext=[IPv6ExtHdrDestOpt]),
             drop="ipv6_proto_unsupported"),
        Case("next-header-253-v6-multicast", other_proto(6, 253, dst="ff02::1",
                                                         eth_dst=ALL_NODES_MAC),
             drop="ipv6_dst_multicast"),
        # Our link-local address, from a link-local peer.
        Case("ns-link-local", ll_ns, check_na()),
        Case("ping-link-local", ll_ping, check_icmp_echo),
        Case("udp-echo-link-local", ll_udp_echo, echo_check),
    ]
    # TCP. A closed port (4444; qotd's 17, off by default): a RST for
    # everything but a RST (RFC 9293 3.10.7.1).
    for v in (4, 6):
        cases += [
            Case("tcp%d-closed-syn" % v, tcp_req(v, 4444, "S", seq=123456), check_rst),
            Case("tcp%d-closed-syn-qotd" % v, tcp_req(v, 17, "S", seq=1000), check_rst),
            Case("tcp%d-closed-syn-options" % v,
                 tcp_req(v, 4444, "S", seq=77, options=SYN_OPTIONS), check_rst),
            Case("tcp%d-closed-syn-data" % v,
                 tcp_req(v, 4444, "S", seq=5, payload=b"0123456789"), check_rst),
            Case("tcp%d-closed-syn-seq-wraps" % v, tcp_req(v, 4444, "S", seq=0xffffffff),
                 check_rst),
            Case("tcp%d-closed-ack" % v, tcp_req(v, 4444, "A", seq=5000, ack=7777), check_rst),
            Case("tcp%d-closed-psh-ack-data" % v,
                 tcp_req(v, 17, "PA", seq=5000, ack=0xfffffff0, payload=b"data"), check_rst),
            Case("tcp%d-closed-syn-ack" % v, tcp_req(v, 4444, "SA", seq=1, ack=2), check_rst),
            Case("tcp%d-closed-fin" % v, tcp_req(v, 4444, "F", seq=100), check_rst),
            Case("tcp%d-closed-fin-ack" % v, tcp_req(v, 4444, "FA", seq=100, ack=200),
                 check_rst),
            Case("tcp%d-closed-syn-fin" % v, tcp_req(v, 4444, "SF", seq=100), check_rst),
            Case("tcp%d-closed-no-flags-data" % v,
                 tcp_req(v, 4444, "", seq=42, payload=b"hello"), check_rst),
            Case("tcp%d-closed-vlan-syn" % v, tcp_req(v, 4444, "S", seq=9, vlan=3), check_rst),
            Case("tcp%d-closed-rst" % v, tcp_req(v, 4444, "R", seq=1),
                 drop="tcp_rst_no_connection"),
            Case("tcp%d-closed-rst-ack" % v, tcp_req(v, 17, "RA", seq=1, ack=1),
                 drop="tcp_rst_no_connection"),
        ]
    # A listening port: a SYN gets a SYN-ACK whatever else it carries; a
    # segment with an ACK but no valid cookie gets a RST; a RST, or a
    # segment with neither SYN nor ACK, gets nothing.
    for v in (4, 6):
        cases += [
            Case("tcp%d-syn-echo" % v, tcp_req(v, 7, "S", seq=1000), check_synack()),
            Case("tcp%d-syn-discard-mss-ws-sack" % v,
                 tcp_req(v, 9, "S", seq=77, options=SYN_OPTIONS), check_synack()),
            Case("tcp%d-syn-daytime-mss" % v,
                 tcp_req(v, 13, "S", seq=78, options=[("MSS", 536)]), check_synack()),
            Case("tcp%d-syn-chargen-ws" % v,
                 tcp_req(v, 19, "S", seq=79, options=[("WScale", 14)]), check_synack()),
            Case("tcp%d-syn-time-sack" % v,
                 tcp_req(v, 37, "S", seq=80, options=[("SAckOK", b"")]), check_synack()),
            Case("tcp%d-syn-linux-options" % v,
                 tcp_req(v, 7, "S", seq=81, options=LINUX_OPTIONS), check_synack()),
            Case("tcp%d-syn-data" % v, tcp_req(v, 13, "S", seq=5, payload=b"0123456789"),
                 check_synack()),
            Case("tcp%d-syn-seq-wraps" % v, tcp_req(v, 37, "S", seq=0xffffffff),
                 check_synack()),
            # SYN with FIN is a probe, not a handshake (Linux drops it too).
            Case("tcp%d-syn-fin" % v, tcp_req(v, 7, "SF", seq=100), None, drop="tcp_syn_fin"),
            Case("tcp%d-vlan-syn" % v, tcp_req(v, 7, "S", seq=9, vlan=3), check_synack()),
            # The same SYN twice: our SYN-ACK was lost; the same one again.
            Case("tcp%d-syn-first" % v, tcp_req(v, 7, "S", seq=4242, sport=REPEAT_SPORT),
                 check_synack()),
            Case("tcp%d-syn-again" % v, tcp_req(v, 7, "S", seq=4242, sport=REPEAT_SPORT),
                 check_synack()),
            Case("tcp%d-ack-no-cookie" % v, tcp_req(v, 7, "A", seq=5000, ack=7777), check_rst),
            Case("tcp%d-psh-ack-data" % v, tcp_req(v, 7, "PA", seq=5000, ack=0xfffffff0,
                                                   payload=b"data"), check_rst),
            Case("tcp%d-syn-ack" % v, tcp_req(v, 9, "SA", seq=1, ack=2), check_rst),
            Case("tcp%d-fin-ack" % v, tcp_req(v, 7, "FA", seq=100, ack=200), check_rst),
            Case("tcp%d-fin" % v, tcp_req(v, 7, "F", seq=100), drop="tcp_listen_no_ack"),
            Case("tcp%d-no-flags-data" % v, tcp_req(v, 7, "", seq=42, payload=b"hello"),
                 drop="tcp_listen_no_ack"),
            Case("tcp%d-rst" % v, tcp_req(v, 7, "R", seq=1), drop="tcp_rst_no_connection"),
            Case("tcp%d-rst-ack" % v, tcp_req(v, 7, "RA", seq=1, ack=1),
                 drop="tcp_rst_no_connection"),
            Case("tcp%d-bad-options" % v,
                 tcp_req(v, 7, "S", seq=1, raw_options=b"\x02\x04\x05\xb4\x03\x05\x07\x00"),
                 drop="tcp_bad_options"),
        ]
    # SYNs to broadcast and multicast destinations: never a SYN-ACK.
    cases += [
        Case("tcp4-syn-broadcast", tcp_req(4, 7, "S", dst="192.0.2.255",
                                           eth_dst="ff:ff:ff:ff:ff:ff"),
             drop="ipv4_dst_broadcast"),
        Case("tcp4-syn-limited-broadcast", tcp_req(4, 7, "S", dst="255.255.255.255",
                                                   eth_dst="ff:ff:ff:ff:ff:ff"),
             drop="ipv4_dst_broadcast"),
        Case("tcp4-syn-multicast", tcp_req(4, 7, "S", dst="224.0.0.1",
                                           eth_dst="01:00:5e:00:00:01"),
             drop="ipv4_dst_multicast"),
        Case("tcp6-syn-multicast", tcp_req(6, 7, "S", dst="ff02::1",
                                           eth_dst="33:33:00:00:00:01"),
             drop="ipv6_dst_multicast"),
        Case("tcp6-syn-l2-multicast", tcp_req(6, 7, "S", eth_dst="33:33:00:00:00:01"),
             drop="ipv6_l2_multicast"),
    ]
    return cases


TOPIC = Topic(_cases())
result, test_case, test_run = topic_tests(TOPIC)


def test_reply_counters(result):
    r = result.run.summary["replies"]
    assert r == {"arp_reply": 3, "nd_advert": 6, "icmp4_echo_reply": 4, "icmp6_echo_reply": 4,
                 "icmp4_port_unreachable": 3, "icmp6_port_unreachable": 3,
                 "icmp4_proto_unreachable": 3, "icmp6_param_problem": 5,
                 "tcp4_rst": 17, "tcp6_rst": 17}


def test_tcp_events(result):
    """Every SYN-ACK came from a SYN-table entry (the table is far from full),
    the repeated SYN drew a retransmission of the same, and the ACKs without
    a valid cookie were rejected."""
    assert result.run.summary["tcp_events"] == {
        "synack_stateful": 20, "synack_retransmit": 2, "cookie_rejected": 6}
    # No handshake completed: nothing was accepted.
    assert all(t["accepted"] == 0 for t in result.run.summary["tcp"].values())


def test_syn_again_same_cookie(result):
    for v in (4, 6):
        first = result.by_case["tcp%d-syn-first" % v]
        again = result.by_case["tcp%d-syn-again" % v]
        assert len(first) == len(again) == 1
        assert synack_seq(first[0]) == synack_seq(again[0]), \
            "a repeated SYN got another ISN: the SYN-ACK was not the one retransmitted"


def test_cookies_differ(result):
    """The ISN depends on the tuple (SipHash keyed by a secret): no two
    connections here share one, and none is zero."""
    seqs = {}
    for c in TOPIC.cases:
        if not c.name.startswith("tcp") or c.name.endswith("syn-again"):
            continue
        for rep in result.by_case[c.name]:
            t = l4_bytes(rep)
            if t[13] == 0x12:
                seqs[c.name] = synack_seq(rep)
    assert len(seqs) == 20, sorted(seqs)
    assert len(set(seqs.values())) == len(seqs), seqs
    assert 0 not in seqs.values()


# The stateless path: no SYN table at all, every SYN-ACK a cookie alone.
# A smaller MSS and a window that needs scaling change the options.
def _stateless_cases():
    cases = []
    for v in (4, 6):
        cases += [
            Case("tcp%d-stateless-syn" % v, tcp_req(v, 7, "S", seq=1),
                 check_synack(mss=1000)),
            Case("tcp%d-stateless-syn-options" % v,
                 tcp_req(v, 19, "S", seq=0xfffffffe, options=SYN_OPTIONS),
                 check_synack(mss=1000, wscale=3)),
            Case("tcp%d-stateless-syn-linux" % v,
                 tcp_req(v, 13, "S", seq=0x80000000, options=LINUX_OPTIONS),
                 check_synack(mss=1000, wscale=3)),
            Case("tcp%d-stateless-ack-no-cookie" % v, tcp_req(v, 13, "A", seq=2, ack=3),
                 check_rst),
            Case("tcp%d-stateless-closed" % v, tcp_req(v, 4444, "S", seq=1), check_rst),
        ]
    return cases


TOPIC_STATELESS = Topic(_stateless_cases(), args=[
    "--set", "tcp.max_half_open=0", "--set", "tcp.mss=1000", "--set", "tcp.window=262144"])
result_stateless, test_case_stateless, test_run_stateless = topic_tests(
    TOPIC_STATELESS, "result_stateless")


def test_stateless_events(result_stateless):
    s = result_stateless.run.summary
    assert s["tcp_events"] == {"synack_cookie": 6, "cookie_rejected": 2}
    assert s["replies"]["tcp4_rst"] == 2 and s["replies"]["tcp6_rst"] == 2
