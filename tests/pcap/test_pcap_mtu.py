"""Replies must fit the port's MTU: echoed in full up to it, never truncated,
dropped (and counted) past it. The MTU counts the IP packet, not the
Ethernet header or a VLAN tag."""
from pcaplib import (Case, Topic, check_icmp_echo, check_icmp_unreach, echo_check,
                     icmp_echo_req, topic_tests, udp_req)


def _edge_cases(mtu):
    """Requests whose reply is exactly the MTU, and one byte more."""
    u4, u6 = mtu - 28, mtu - 48   # UDP payload that fills the MTU
    i4, i6 = mtu - 28, mtu - 48   # ICMP echo data likewise (8-byte ICMP header)
    return [
        Case("echo-v4-at-mtu", udp_req(4, 7, b"a" * u4), echo_check),
        Case("echo-v4-over-mtu", udp_req(4, 7, b"a" * (u4 + 1)), drop="reply_exceeds_mtu"),
        Case("echo-v6-at-mtu", udp_req(6, 7, b"b" * u6), echo_check),
        Case("echo-v6-over-mtu", udp_req(6, 7, b"b" * (u6 + 1)), drop="reply_exceeds_mtu"),
        Case("echo-v4-vlan-at-mtu", udp_req(4, 7, b"c" * u4, vlan=5), echo_check),
        Case("echo-v6-vlan-over-mtu", udp_req(6, 7, b"c" * (u6 + 1), vlan=5),
             drop="reply_exceeds_mtu"),
        Case("ping-v4-at-mtu", icmp_echo_req(4, b"d" * i4), check_icmp_echo),
        Case("ping-v4-over-mtu", icmp_echo_req(4, b"d" * (i4 + 1)), drop="reply_exceeds_mtu"),
        Case("ping-v6-at-mtu", icmp_echo_req(6, b"e" * i6), check_icmp_echo),
        Case("ping-v6-over-mtu", icmp_echo_req(6, b"e" * (i6 + 1)), drop="reply_exceeds_mtu"),
        # ICMP errors are cut to fit (576 bytes for IPv4, 1280 for IPv6).
        Case("closed-port-v4-over-mtu", udp_req(4, 4444, b"f" * (u4 + 100)),
             check_icmp_unreach),
        Case("closed-port-v6-over-mtu", udp_req(6, 4444, b"f" * (u6 + 100)),
             check_icmp_unreach),
    ]


TOPIC_1500 = Topic(_edge_cases(1500))
result_1500, test_case_1500, test_run_1500 = topic_tests(TOPIC_1500, "result_1500")

TOPIC_1280 = Topic(_edge_cases(1280) + [
    Case("echo-1300-byte-datagram-v4", udp_req(4, 7, b"g" * (1300 - 28)),
         drop="reply_exceeds_mtu"),
    Case("echo-1300-byte-datagram-v6", udp_req(6, 7, b"g" * (1300 - 48)),
         drop="reply_exceeds_mtu"),
    Case("echo-1400-v4", udp_req(4, 7, b"h" * 1400), drop="reply_exceeds_mtu"),
    Case("echo-small-v4", udp_req(4, 7, b"small"), echo_check),
], ["--set", "port0.mtu=1280"])
result_1280, test_case_1280, test_run_1280 = topic_tests(TOPIC_1280, "result_1280")


def test_ready_line_mtu(result_1280):
    assert " mtu 1280 " in result_1280.run.ready
