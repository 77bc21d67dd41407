"""The protocol machinery's own answers: ARP, neighbour discovery, ICMP and
ICMPv6 echo, port unreachable for closed UDP ports, and a RST per RFC 9293
3.10.7.1 for every TCP segment but a RST."""
import socket

from scapy.all import (ARP, ICMP, IP, Dot1Q, Ether, ICMPv6EchoReply, ICMPv6ND_NS,
                       ICMPv6ND_RS, ICMPv6NDOptSrcLLAddr, IPv6, raw)

from common import APP_IP4, APP_IP6, PEER_IP4, PEER_IP6
from pcaplib import (Case, Topic, check_icmp_echo, check_icmp_unreach, check_l2,
                     check_rst, eth, icmp_echo_req, l4_bytes, l4_cksum, tcp_req, topic_tests,
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
    ]
    # TCP: a RST for everything but a RST, on open and closed ports alike.
    for v in (4, 6):
        cases += [
            Case("tcp%d-syn-echo" % v, tcp_req(v, 7, "S", seq=1000), check_rst),
            Case("tcp%d-syn-closed" % v, tcp_req(v, 4444, "S", seq=123456), check_rst),
            Case("tcp%d-syn-options" % v,
                 tcp_req(v, 19, "S", seq=77, options=[("MSS", 1460), ("WScale", 7),
                                                      ("SAckOK", b""), ("NOP", None)]),
                 check_rst),
            Case("tcp%d-syn-data" % v, tcp_req(v, 13, "S", seq=5, payload=b"0123456789"),
                 check_rst),
            Case("tcp%d-syn-seq-wraps" % v, tcp_req(v, 37, "S", seq=0xffffffff), check_rst),
            Case("tcp%d-ack" % v, tcp_req(v, 7, "A", seq=5000, ack=7777), check_rst),
            Case("tcp%d-psh-ack-data" % v, tcp_req(v, 7, "PA", seq=5000, ack=0xfffffff0,
                                                   payload=b"data"), check_rst),
            Case("tcp%d-syn-ack" % v, tcp_req(v, 9, "SA", seq=1, ack=2), check_rst),
            Case("tcp%d-fin" % v, tcp_req(v, 7, "F", seq=100), check_rst),
            Case("tcp%d-fin-ack" % v, tcp_req(v, 7, "FA", seq=100, ack=200), check_rst),
            Case("tcp%d-syn-fin" % v, tcp_req(v, 7, "SF", seq=100), check_rst),
            Case("tcp%d-no-flags-data" % v, tcp_req(v, 7, "", seq=42, payload=b"hello"),
                 check_rst),
            Case("tcp%d-vlan-syn" % v, tcp_req(v, 7, "S", seq=9, vlan=3), check_rst),
            Case("tcp%d-rst" % v, tcp_req(v, 7, "R", seq=1), drop="tcp_rst_received"),
            Case("tcp%d-rst-ack" % v, tcp_req(v, 7, "RA", seq=1, ack=1), drop="tcp_rst_received"),
        ]
    return cases


TOPIC = Topic(_cases())
result, test_case, test_run = topic_tests(TOPIC)


def test_reply_counters(result):
    r = result.run.summary["replies"]
    assert r == {"arp_reply": 3, "nd_advert": 5, "icmp4_echo_reply": 4, "icmp6_echo_reply": 3,
                 "icmp4_port_unreachable": 3, "icmp6_port_unreachable": 3,
                 "tcp4_rst": 13, "tcp6_rst": 13}


