"""Every UDP service in the default configuration, over IPv4 and IPv6, bare and
802.1Q-tagged: one capture, one run."""
import itertools

from common import link_local
from pcaplib import (Case, Topic, chargen_check, check_icmp_unreach, daytime_check,
                     echo_check, time_check, topic_tests, udp_req)

NMAP_ECHO_PROBE = b"\r\n\r\n"
BIG = bytes(range(256)) * 5 + bytes(120)  # 1400 bytes, every byte value


def _run():
    return TOPIC.result.run


def _cases():
    chargen = itertools.count()  # the ring continues from datagram to datagram
    cases = []
    for v, vlan in ((4, None), (6, None), (4, 100), (6, 4094)):
        tag = "v%d%s" % (v, "" if vlan is None else "-vlan%d" % vlan)
        cases += [
            Case("echo-%s" % tag, udp_req(v, 7, b"hello, echo", vlan=vlan), echo_check),
            Case("echo-empty-%s" % tag, udp_req(v, 7, b"", vlan=vlan), echo_check),
            Case("echo-1400-%s" % tag, udp_req(v, 7, BIG, vlan=vlan), echo_check),
            Case("echo-nmap-probe-%s" % tag, udp_req(v, 7, NMAP_ECHO_PROBE, vlan=vlan),
                 echo_check),
            Case("discard-%s" % tag, udp_req(v, 9, b"into the void", vlan=vlan),
                 drop="udp_discard_service"),
            Case("discard-empty-%s" % tag, udp_req(v, 9, b"", vlan=vlan),
                 drop="udp_discard_service"),
            Case("daytime-empty-%s" % tag, udp_req(v, 13, b"", vlan=vlan), daytime_check(_run)),
            Case("daytime-newline-%s" % tag, udp_req(v, 13, b"\n", vlan=vlan),
                 daytime_check(_run)),
            Case("time-empty-%s" % tag, udp_req(v, 37, b"", vlan=vlan), time_check(_run)),
            Case("time-payload-%s" % tag, udp_req(v, 37, b"what time is it?", vlan=vlan),
                 time_check(_run)),
            Case("chargen-empty-%s" % tag, udp_req(v, 19, b"", vlan=vlan),
                 chargen_check(next(chargen))),
            Case("chargen-payload-%s" % tag, udp_req(v, 19, b"ignored", vlan=vlan),
                 chargen_check(next(chargen))),
            # qotd is off by default: its port is a closed port.
            Case("qotd-off-%s" % tag, udp_req(v, 17, b"", vlan=vlan), check_icmp_unreach),
            Case("closed-port-%s" % tag, udp_req(v, 4444, b"anyone?", vlan=vlan),
                 check_icmp_unreach),
        ]
    return cases


TOPIC = Topic(_cases())
result, test_case, test_run = topic_tests(TOPIC)


def test_service_counters(result):
    """The summary's per-service table counts each request and reply where it belongs."""
    svc = result.run.summary["services"]
    for family in ("ipv4", "ipv6"):
        assert svc[("echo", "udp", family)] == (8, 8)
        assert svc[("discard", "udp", family)] == (4, 0)
        assert svc[("daytime", "udp", family)] == (4, 4)
        assert svc[("time", "udp", family)] == (4, 4)
        assert svc[("chargen", "udp", family)] == (4, 4)
        assert svc[("qotd", "udp", family)] == (0, 0)
        for name in ("echo", "discard", "daytime", "qotd", "chargen", "time"):
            assert svc[(name, "tcp", family)] == (0, 0)
    replies = result.run.summary["replies"]
    assert replies["icmp4_port_unreachable"] == 4
    assert replies["icmp6_port_unreachable"] == 4
    assert sum(replies.values()) == 8


def test_ready_line(result):
    """One port with both test addresses and its own link-local one, MTU 1500,
    one worker; the link as net_pcap has it once started (up, and the speed and
    duplex it always says)."""
    r = result.run.ready
    assert r.startswith("ready: 1 port, 1 worker; port 0 ")
    assert r.endswith(" mtu 1500 queues 1 link up 10 Gbps full-duplex 192.0.2.1/24 "
                      "2001:db8::1/64 %s/64" % link_local(result.run.mac))


# Two lcores: worker 0 on the main lcore polls the port's one queue, worker 1
# has none; the replies are the same.
TOPIC_2W = Topic([
    Case("two-workers-echo-v4", udp_req(4, 7, b"two workers"), echo_check),
    Case("two-workers-echo-v6", udp_req(6, 7, b"two workers"), echo_check),
    Case("two-workers-chargen-v4", udp_req(4, 19, b""), chargen_check(0)),
    Case("two-workers-discard-v6", udp_req(6, 9, b""), drop="udp_discard_service"),
], lcores="0-1")
result_2w, test_case_2w, test_run_2w = topic_tests(TOPIC_2W, "result_2w")


def test_ready_line_two_workers(result_2w):
    assert result_2w.run.ready.startswith("ready: 1 port, 2 workers; port 0 ")
