"""The exit summary: every received packet is either answered or counted
under a reason, and the counters say exactly what the traffic was."""
import socket

from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Ether

from common import APP_IP4, APP_IP6, PEER_IP4, PEER_MAC
from livelib import udp_exchange


def check_invariants(s):
    for label, t in list(s["ports"].items()) + [("total", s["total"])]:
        assert t["rx_pkts"] == t["tx_pkts"] + t["not_answered"], (label, t)
    t = s["total"]
    assert t["not_answered"] == sum(s["drops"].values()), s
    service_replies = sum(rep for _, rep in s["services"].values())
    assert t["tx_pkts"] == sum(s["replies"].values()) + service_replies, s


def test_counters_add_up_at_exit(appliance):
    app = appliance()
    v4, v6 = (APP_IP4, socket.AF_INET), (APP_IP6, socket.AF_INET6)
    app.exec(["ping", "-c", "2", "-i", "0.2", "-W", "2", APP_IP4])
    app.exec(["ping", "-6", "-c", "1", "-W", "2", APP_IP6])
    for (addr, fam), port, payloads in [
            (v4, 7, [b"", b"a", b"abc"]), (v6, 7, [b"x", b"y" * 1000]),
            (v6, 13, [b""]), (v4, 19, [b""]), (v4, 37, [b""]), (v6, 37, [b"t"])]:
        with app.socket(fam, socket.SOCK_DGRAM) as s:
            for p in payloads:
                udp_exchange(s, (addr, port), p)
    with app.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.sendto(b"gone", (APP_IP4, 9))
        s.sendto(b"", (APP_IP4, 9))
        s.connect((APP_IP4, 40000))
        s.send(b"closed?")
        s.settimeout(2.0)
        try:
            s.recv(100)
            raise AssertionError("closed port answered")
        except ConnectionRefusedError:
            pass
    for addr, fam in (v4, v6):
        with app.socket(fam, socket.SOCK_STREAM) as s:
            s.settimeout(2.0)
            try:
                s.connect((addr, 7))
                raise AssertionError("TCP connect succeeded")
            except ConnectionRefusedError:
                pass
    with app.l2() as l2:
        l2.send(Ether(src=PEER_MAC, dst=app.mac) / IP(src=PEER_IP4, dst=APP_IP4) /
                UDP(sport=19, dport=7) / b"loop")
        assert l2.barrier() == []  # its marker is one more echo request and reply

    s = app.stop()
    check_invariants(s)
    svc = s["services"]
    assert svc[("echo", "udp", "ipv4")] == (3 + 1 + 1, 3 + 1)  # + loop guard, + marker
    assert svc[("echo", "udp", "ipv6")] == (2, 2)
    assert svc[("discard", "udp", "ipv4")] == (2, 0)
    assert svc[("daytime", "udp", "ipv6")] == (1, 1)
    assert svc[("chargen", "udp", "ipv4")] == (1, 1)
    assert svc[("time", "udp", "ipv4")] == (1, 1)
    assert svc[("time", "udp", "ipv6")] == (1, 1)
    assert svc[("qotd", "udp", "ipv4")] == (0, 0)
    rep = s["replies"]
    assert rep["icmp4_echo_reply"] == 2 and rep["icmp6_echo_reply"] == 1
    assert rep["icmp4_port_unreachable"] == 1
    assert rep["tcp4_rst"] == 1 and rep["tcp6_rst"] == 1
    assert rep["arp_reply"] >= 1 and rep["nd_advert"] >= 1
    assert s["drops"].get("udp_discard_service") == 2
    assert s["drops"].get("udp_loop_guard") == 1


def test_two_workers(appliance):
    """Two workers, two queues: everything is still answered, and the
    summary still adds up."""
    app = appliance(lcores="0-1")
    assert " 2 workers" in app.ready_line and "queues 2" in app.ready_line, app.ready_line
    n = 64
    socks = [app.socket(fam, socket.SOCK_DGRAM)
             for fam in (socket.AF_INET, socket.AF_INET6) for _ in range(n // 2)]
    try:
        for i, s in enumerate(socks):
            addr = APP_IP4 if s.family == socket.AF_INET else APP_IP6
            payload = b"flow %d" % i
            assert udp_exchange(s, (addr, 7), payload) == payload
    finally:
        for s in socks:
            s.close()
    workers = app.telemetry("/smallsrv/workers")
    s = app.stop()
    check_invariants(s)
    assert s["services"][("echo", "udp", "ipv4")] == (n // 2, n // 2)
    assert s["services"][("echo", "udp", "ipv6")] == (n // 2, n // 2)
    assert len([k for k in workers if k.endswith("_rx_pkts")]) == 2, workers
