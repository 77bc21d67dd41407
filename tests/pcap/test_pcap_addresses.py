"""Who gets an answer: spoofed loop ports, broadcast and multicast
destinations (L3 and L2), martian sources and destinations that are not ours
are dropped; honest peers off the subnet are answered."""
from pcaplib import (Case, Topic, check_icmp_echo, check_synack, chargen_check, echo_check,
                     icmp_echo_req, tcp_req, topic_tests, udp_req)

BCAST_MAC = "ff:ff:ff:ff:ff:ff"
LOOP_PORTS = (0, 7, 9, 11, 13, 17, 19, 37, 53, 69, 123, 161)


def _cases():
    cases = []
    # UDP loops (CVE-1999-0103, CVE-2024-2169): every default loop-guard port as a
    # source, to an always-reply service.
    for sport in LOOP_PORTS:
        cases.append(Case("loop-sport-%d-to-echo-v4" % sport, udp_req(4, 7, b"loop", sport=sport),
                          drop="udp_loop_guard"))
    for sport, dport in ((7, 19), (19, 7), (0, 13), (123, 37)):
        cases.append(Case("loop-sport-%d-to-%d-v6" % (sport, dport),
                          udp_req(6, dport, b"loop", sport=sport), drop="udp_loop_guard"))
    chargen = iter(range(100))
    cases += [
        # Source ports next to the guarded ones are served.
        Case("sport-8-echo-v4", udp_req(4, 7, b"fine", sport=8), echo_check),
        Case("sport-1024-chargen-v6", udp_req(6, 19, b"", sport=1024),
             chargen_check(next(chargen))),
        Case("sport-65535-echo-v4", udp_req(4, 7, b"fine", sport=65535), echo_check),
        # Broadcast and multicast destinations.
        Case("dst-subnet-broadcast-v4", udp_req(4, 7, b"x", dst="192.0.2.255", eth_dst=BCAST_MAC),
             drop="ipv4_dst_broadcast"),
        Case("dst-limited-broadcast-v4",
             udp_req(4, 19, b"x", dst="255.255.255.255", eth_dst=BCAST_MAC),
             drop="ipv4_dst_broadcast"),
        Case("dst-subnet-broadcast-unicast-mac-v4", udp_req(4, 7, b"x", dst="192.0.2.255"),
             drop="ipv4_dst_broadcast"),
        Case("dst-multicast-all-hosts-v4",
             udp_req(4, 7, b"x", dst="224.0.0.1", eth_dst="01:00:5e:00:00:01"),
             drop="ipv4_dst_multicast"),
        Case("dst-multicast-ssdp-v4",
             udp_req(4, 19, b"x", dst="239.255.255.250", eth_dst="01:00:5e:7f:ff:fa"),
             drop="ipv4_dst_multicast"),
        Case("ping-subnet-broadcast-v4", icmp_echo_req(4, dst="192.0.2.255", eth_dst=BCAST_MAC),
             drop="ipv4_dst_broadcast"),
        Case("syn-subnet-broadcast-v4", tcp_req(4, dst="192.0.2.255", eth_dst=BCAST_MAC),
             drop="ipv4_dst_broadcast"),
        Case("dst-all-nodes-v6", udp_req(6, 7, b"x", dst="ff02::1", eth_dst="33:33:00:00:00:01"),
             drop="ipv6_dst_multicast"),
        Case("dst-site-multicast-v6",
             udp_req(6, 19, b"x", dst="ff05::1:3", eth_dst="33:33:00:01:00:03"),
             drop="ipv6_dst_multicast"),
        Case("ping-all-nodes-v6", icmp_echo_req(6, dst="ff02::1", eth_dst="33:33:00:00:00:01"),
             drop="ipv6_dst_multicast"),
        Case("syn-all-nodes-v6", tcp_req(6, dst="ff02::1", eth_dst="33:33:00:00:00:01"),
             drop="ipv6_dst_multicast"),
        # Our unicast address in a link-layer broadcast or multicast frame (RFC 1122 3.3.6).
        Case("l2-broadcast-v4", udp_req(4, 7, b"x", eth_dst=BCAST_MAC), drop="ipv4_l2_broadcast"),
        Case("l2-multicast-v4", udp_req(4, 7, b"x", eth_dst="01:00:5e:00:00:01"),
             drop="ipv4_l2_broadcast"),
        Case("l2-broadcast-ping-v4", icmp_echo_req(4, eth_dst=BCAST_MAC),
             drop="ipv4_l2_broadcast"),
        Case("l2-multicast-v6", udp_req(6, 7, b"x", eth_dst="33:33:00:00:00:01"),
             drop="ipv6_l2_multicast"),
        Case("l2-broadcast-v6", udp_req(6, 7, b"x", eth_dst=BCAST_MAC), drop="ipv6_l2_multicast"),
        Case("l2-multicast-syn-v6", tcp_req(6, eth_dst="33:33:00:00:00:01"),
             drop="ipv6_l2_multicast"),
        # Not our address.
        Case("dst-other-host-v4", udp_req(4, 7, b"x", dst="192.0.2.77"), drop="ipv4_dst_not_ours"),
        Case("dst-other-net-v4", udp_req(4, 7, b"x", dst="198.51.100.1"),
             drop="ipv4_dst_not_ours"),
        Case("dst-other-host-v6", udp_req(6, 7, b"x", dst="2001:db8::77"),
             drop="ipv6_dst_not_ours"),
        # Honest peers beyond a router.
        Case("src-off-subnet-v4", udp_req(4, 7, b"routed", src="198.51.100.7"), echo_check),
        Case("src-off-subnet-v6", udp_req(6, 7, b"routed", src="2001:db8:1::7"), echo_check),
    ]
    # Martian sources: no reply, whatever the protocol.
    for src in ("0.0.0.0", "0.1.2.3", "127.0.0.1", "224.0.0.5", "239.255.255.250",
                "240.0.0.1", "255.255.255.255", "192.0.2.255", "192.0.2.1"):
        cases.append(Case("src-%s-udp" % src, udp_req(4, 19, b"", src=src),
                          drop="ipv4_src_invalid"))
    cases += [
        Case("src-127.0.0.1-ping", icmp_echo_req(4, src="127.0.0.1"), drop="ipv4_src_invalid"),
        Case("src-224.0.0.1-syn", tcp_req(4, src="224.0.0.1"), drop="ipv4_src_invalid"),
    ]
    for src in ("::", "::1", "ff02::1", "ff0e::1", "::ffff:192.0.2.254", "2001:db8::1"):
        cases.append(Case("src-%s-udp" % src, udp_req(6, 19, b"", src=src),
                          drop="ipv6_src_invalid"))
    cases += [
        Case("src-::1-ping", icmp_echo_req(6, src="::1"), drop="ipv6_src_invalid"),
        Case("src-::-ping", icmp_echo_req(6, src="::"), drop="ipv6_src_invalid"),
        Case("src-::ffff:192.0.2.254-syn", tcp_req(6, src="::ffff:192.0.2.254"),
             drop="ipv6_src_invalid"),
        # Controls: the same requests from an honest source are answered.
        Case("src-honest-ping-v4", icmp_echo_req(4), check_icmp_echo),
        Case("src-honest-syn-v6", tcp_req(6), check_synack()),
    ]
    return cases


TOPIC = Topic(_cases())
result, test_case, test_run = topic_tests(TOPIC)
