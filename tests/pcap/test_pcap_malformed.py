"""Bad checksums, truncated frames, lengths that lie, runts, jumbo frames and
link-layer oddities: each is dropped under its own counter, never answered
from bytes past the frame's end. Checksums that are right but unusual (a
UDP "no checksum" over IPv4) are answered."""
import struct

from scapy.all import ARP, IP, UDP, Dot1Q, Ether, raw

from common import APP_IP4, PEER_IP4
from pcaplib import (Case, Topic, bad_cksum, check_proto_unreach, daytime_check, echo_check,
                     edited, eth, icmp_echo_req, ip, l4_cksum, tcp_req, topic_tests, truncated,
                     udp_req)


def _run():
    return TOPIC.result.run


def udp_zero_cksum(v, dport, payload):
    return udp_req(v, dport, payload, chksum=0)


def set_field(off_from, off, fmt, value):
    """Overwrite a header field: off_from "l3" or "l4", off bytes into it."""
    def edit(data, l3, l4):
        base = l3 if off_from == "l3" else l4
        struct.pack_into(fmt, data, base + off, value)
    return edit


def fix_ip4_cksum(data, l3):
    struct.pack_into("!H", data, l3 + 10, 0)
    s = sum(struct.unpack("!10H", bytes(data[l3:l3 + 20])))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    struct.pack_into("!H", data, l3 + 10, ~s & 0xffff)


def ip4_field(off, fmt, value):
    """An IPv4 header field changed, the header checksum kept right."""
    def edit(data, l3, l4):
        struct.pack_into(fmt, data, l3 + off, value)
        fix_ip4_cksum(data, l3)
    return edit


def short_udp_length(cut):
    """The UDP length covers all but the last `cut` payload bytes, checksum right
    for what it covers: the rest is not part of the datagram."""
    def edit(data, l3, l4):
        ulen = struct.unpack_from("!H", data, l4 + 4)[0] - cut
        struct.pack_into("!HH", data, l4 + 4, ulen, 0)
        ck = l4_cksum(Ether(bytes(data)), 17, bytes(data[l4:l4 + ulen]))
        struct.pack_into("!H", data, l4 + 6, ck or 0xffff)
    return edit


def padded(build, to=60, fill=b"\xee"):
    """Ethernet padding (not zeros, so that a leak shows) up to `to` bytes."""
    def b(ctx):
        f = raw(build(ctx))
        return f + fill * (to - len(f))
    return b


def echo_of(payload):
    """An echo whose reply must carry exactly payload (not what the frame held)."""
    def check(ctx, req, rep):
        from pcaplib import check_udp
        check_udp(ctx, req, rep, payload)
    return check


def ethertype_frame(etype, body=b"\0" * 46):
    def b(ctx):
        return raw(Ether(src=ctx.mac, dst=ctx.app_mac, type=etype)) + body
    return b


def ip6_as_ip4(ctx):
    """An IPv6 packet behind the IPv4 EtherType."""
    return raw(Ether(src=ctx.mac, dst=ctx.app_mac, type=0x0800) /
               ip(6) / UDP(sport=20000, dport=7) / b"x")


def ip4_as_ip6(ctx):
    return raw(Ether(src=ctx.mac, dst=ctx.app_mac, type=0x86dd) /
               ip(4) / UDP(sport=20000, dport=7) / (b"x" * 40))


def raw_bytes(n, fill=0x11):
    def b(ctx):
        return bytes([fill]) * n
    return b


def vlan_runt(ctx):
    return raw(Ether(src=ctx.mac, dst=ctx.app_mac, type=0x8100)) + b"\x00\x64"


def stacked(outer):
    def b(ctx):
        return raw(Ether(src=ctx.mac, dst=ctx.app_mac, type=outer) /
                   Dot1Q(vlan=10, type=0x8100) / Dot1Q(vlan=20) / ip(4) /
                   UDP(sport=20000, dport=7) / b"x")
    return b


def arp_truncated(ctx):
    return raw(Ether(src=ctx.mac, dst="ff:ff:ff:ff:ff:ff") /
               ARP(op=1, hwsrc=ctx.mac, psrc=PEER_IP4, pdst=APP_IP4))[:14 + 20]


def arp_not_ipv4(ctx):
    return raw(Ether(src=ctx.mac, dst="ff:ff:ff:ff:ff:ff") /
               ARP(op=1, ptype=0x86dd, hwsrc=ctx.mac, psrc=PEER_IP4, pdst=APP_IP4))


def other_proto(v, proto):
    def b(ctx):
        if v == 4:
            return eth(ctx) / IP(src=PEER_IP4, dst=APP_IP4, proto=proto) / (b"\0" * 24)
        return eth(ctx) / ip(6, nh=proto) / (b"\0" * 24)
    return b


def _cases():
    u4, u6 = udp_req(4, 7, b"checksummed"), udp_req(6, 7, b"checksummed")
    return [
        # Checksums.
        Case("ipv4-bad-header-checksum", bad_cksum(u4, "ip"), drop="ipv4_bad_checksum"),
        Case("udp4-bad-checksum", bad_cksum(u4, "l4"), drop="udp_bad_checksum"),
        Case("udp6-bad-checksum", bad_cksum(u6, "l4"), drop="udp_bad_checksum"),
        Case("udp4-payload-corrupted", edited(u4, lambda d, l3, l4: d.__setitem__(-1, 0x21)),
             drop="udp_bad_checksum"),
        Case("udp6-zero-checksum", udp_zero_cksum(6, 7, b"no checksum"),
             drop="udp_zero_checksum_ipv6"),
        Case("udp4-zero-checksum-echo", udp_zero_cksum(4, 7, b"no checksum"), echo_check),
        Case("udp4-zero-checksum-daytime", udp_zero_cksum(4, 13, b""), daytime_check(_run)),
        Case("tcp4-bad-checksum", bad_cksum(tcp_req(4), "l4"), drop="tcp_bad_checksum"),
        Case("tcp6-bad-checksum", bad_cksum(tcp_req(6), "l4"), drop="tcp_bad_checksum"),
        Case("icmp4-bad-checksum", bad_cksum(icmp_echo_req(4), "l4"), drop="icmp4_bad_checksum"),
        Case("icmp6-bad-checksum", bad_cksum(icmp_echo_req(6), "l4"), drop="icmp6_bad_checksum"),
        # Runts and Ethernet.
        Case("runt-empty", raw_bytes(0), drop="eth_runt"),
        Case("runt-13-bytes", raw_bytes(13, 0x02), drop="eth_runt"),
        Case("runt-vlan-tag-cut", vlan_runt, drop="eth_runt"),
        Case("jumbo-3000-bytes", udp_req(4, 7, b"j" * (3000 - 42)), drop="mbuf_multiseg"),
        Case("eth-dst-other-unicast", udp_req(4, 7, b"x", eth_dst="02:00:5e:ee:ee:ee"),
             drop="eth_not_ours"),
        Case("eth-src-multicast", edited(udp_req(4, 7, b"x"),
                                         lambda d, l3, l4: d.__setitem__(6, 0x03)),
             drop="eth_src_invalid"),
        Case("eth-src-zero", edited(udp_req(4, 7, b"x"),
                                    lambda d, l3, l4: d.__setitem__(slice(6, 12), bytes(6))),
             drop="eth_src_invalid"),
        Case("ethertype-unknown", ethertype_frame(0x88b5), drop="eth_type_unsupported"),
        Case("vlan-stacked-8100", stacked(0x8100), drop="eth_vlan_stacked"),
        Case("vlan-stacked-88a8", stacked(0x88a8), drop="eth_vlan_stacked"),
        # IPv4 lengths and header.
        Case("ipv4-header-cut", truncated(u4, 14 + 19), drop="ipv4_truncated"),
        Case("ipv4-total-length-past-frame", edited(u4, ip4_field(2, "!H", 20 + 8 + 11 + 10)),
             drop="ipv4_truncated"),
        Case("ipv4-total-length-below-header", edited(u4, ip4_field(2, "!H", 19)),
             drop="ipv4_bad_ihl"),
        Case("ipv4-ihl-4", edited(u4, ip4_field(0, "!B", 0x44)), drop="ipv4_bad_ihl"),
        Case("ipv4-ihl-past-total-length", edited(u4, ip4_field(0, "!B", 0x4f)),
             drop="ipv4_bad_ihl"),
        Case("ipv4-version-6", ip6_as_ip4, drop="ipv4_bad_version"),
        Case("ipv4-proto-gre", other_proto(4, 47), check_proto_unreach()),
        Case("ipv4-padding-ignored", padded(udp_req(4, 7, b"ab")), echo_of(b"ab")),
        # IPv6 lengths and header.
        Case("ipv6-header-cut", truncated(u6, 14 + 39), drop="ipv6_truncated"),
        Case("ipv6-payload-length-past-frame",
             edited(u6, set_field("l3", 4, "!H", 8 + 11 + 1)), drop="ipv6_truncated"),
        Case("ipv6-version-4", ip4_as_ip6, drop="ipv6_bad_version"),
        Case("ipv6-next-header-gre", other_proto(6, 47), check_proto_unreach(6)),
        Case("ipv6-no-next-header", other_proto(6, 59), drop="ipv6_proto_unsupported"),
        Case("ipv6-padding-ignored", padded(udp_req(6, 7, b"cd"), to=80), echo_of(b"cd")),
        # UDP lengths.
        Case("udp4-header-cut", edited(truncated(u4, 14 + 20 + 6),
                                       ip4_field(2, "!H", 26)), drop="udp_truncated"),
        Case("udp4-length-past-ip", edited(u4, set_field("l4", 4, "!H", 8 + 11 + 1)),
             drop="udp_truncated"),
        Case("udp4-length-below-header", edited(u4, set_field("l4", 4, "!H", 7)),
             drop="udp_truncated"),
        Case("udp6-length-past-ip", edited(u6, set_field("l4", 4, "!H", 8 + 11 + 1)),
             drop="udp_truncated"),
        Case("udp6-header-cut", edited(truncated(u6, 14 + 40 + 4),
                                       set_field("l3", 4, "!H", 4)), drop="udp_truncated"),
        Case("udp4-length-shorter-than-ip",
             edited(udp_req(4, 7, b"0123456789"), short_udp_length(5)), echo_of(b"01234")),
        Case("udp6-length-shorter-than-ip",
             edited(udp_req(6, 7, b"0123456789"), short_udp_length(3)), echo_of(b"0123456")),
        # TCP, ICMP, ARP lengths.
        Case("tcp4-data-offset-past-end", edited(tcp_req(4), set_field("l4", 12, "!B", 0xf0)),
             drop="tcp_truncated"),
        Case("tcp4-data-offset-4", edited(tcp_req(4), set_field("l4", 12, "!B", 0x40)),
             drop="tcp_truncated"),
        Case("tcp6-header-cut", edited(truncated(tcp_req(6), 14 + 40 + 12),
                                       set_field("l3", 4, "!H", 12)), drop="tcp_truncated"),
        Case("icmp4-truncated", edited(truncated(icmp_echo_req(4, b""), 14 + 20 + 3),
                                       ip4_field(2, "!H", 23)), drop="icmp4_truncated"),
        Case("icmp6-truncated", edited(truncated(icmp_echo_req(6, b""), 14 + 40 + 3),
                                       set_field("l3", 4, "!H", 3)), drop="icmp6_truncated"),
        Case("arp-truncated", arp_truncated, drop="arp_malformed"),
        Case("arp-not-ipv4", arp_not_ipv4, drop="arp_malformed"),
    ]


TOPIC = Topic(_cases())
result, test_case, test_run = topic_tests(TOPIC)


def test_padding_not_echoed(result):
    """The padded requests' replies are exactly as long as their IP length."""
    for name, ip_len in (("ipv4-padding-ignored", 30), ("ipv6-padding-ignored", 50)):
        (rep,) = result.by_case[name]
        # Past the datagram there is nothing, or the port's zero padding: never
        # the request's 0xee padding. (The IP ID or a checksum may hold 0xee.)
        assert len(raw(rep)) in (14 + ip_len, 60)
        assert b"\xee" not in raw(rep)[14 + ip_len:]


