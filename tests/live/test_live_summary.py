"""The exit summary: every received packet is either answered or counted
under a reason, and the counters say exactly what the traffic was."""
import re
import socket
import time

from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Ether

from common import APP_IP4, APP_IP6, PEER_IP4, PEER_MAC, READY_RE
from livelib import udp_exchange


def check_invariants(s):
    """rx = answered (in the request's own mbuf) + taken by TCP connections +
    not answered; each drop under one reason; and what was answered in place
    is a reply of the machinery, a UDP service reply, or a SYN-ACK."""
    for label, t in list(s["ports"].items()) + [("total", s["total"])]:
        assert t["rx_pkts"] == t["answered"] + t["rx_tcp"] + t["rx_held"] + t["not_answered"], (label, t)
        assert t["tx_pkts"] >= t["answered"], (label, t)
    t = s["total"]
    assert t["not_answered"] == sum(s["drops"].values()), s
    udp_replies = sum(rep for (_, transport, _), (_, rep) in s["services"].items()
                      if transport == "udp")
    ev = s["tcp_events"]
    in_place = (sum(s["replies"].values()) + udp_replies + ev.get("synack_stateful", 0) +
                ev.get("synack_cookie", 0))
    # A SYN-ACK sent again is in place when the SYN came again, from a timer when not.
    assert in_place <= t["answered"] <= in_place + ev.get("synack_retransmit", 0), s


def tcp_exchange(app, addr, fam, port, payload):
    """One kernel TCP connection: send payload, half-close, read to EOF."""
    with app.socket(fam, socket.SOCK_STREAM) as s:
        s.settimeout(5.0)
        s.connect((addr, port))
        if payload:
            s.sendall(payload)
        s.shutdown(socket.SHUT_WR)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return data
            data += chunk


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
                s.connect((addr, 4444))
                raise AssertionError("TCP connect to a closed port succeeded")
            except ConnectionRefusedError:
                pass
    assert tcp_exchange(app, *v6, 7, b"tcp echo") == b"tcp echo"
    assert tcp_exchange(app, *v4, 13, b"").endswith(b"\r\n")
    assert len(tcp_exchange(app, *v6, 37, b"")) == 4
    # The appliance closes once its FIN is acknowledged: the kernel sent that
    # ACK before it reported EOF, but the appliance may not have taken it yet.
    deadline = time.monotonic() + 5
    while True:
        tcp = app.telemetry("/smallsrv/tcp")
        if (tcp["echo_ipv6_closed"], tcp["daytime_ipv4_closed"], tcp["time_ipv6_closed"]) \
                == (1, 1, 1) or time.monotonic() > deadline:
            break
        time.sleep(0.01)
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
    assert svc[("echo", "tcp", "ipv6")] == (1, 1)  # one connection, one segment back
    assert svc[("daytime", "tcp", "ipv4")] == (1, 1)
    assert svc[("time", "tcp", "ipv6")] == (1, 1)
    assert svc[("echo", "tcp", "ipv4")] == (0, 0)
    for name in ("echo", "daytime", "time"):
        assert s["tcp"][name] == {"accepted": 1, "active": 0, "closed": 1, "refused": 0,
                                  "reset": 0, "timed_out": 0, "retransmits": 0}, s["tcp"]
    assert s["tcp"]["chargen"]["accepted"] == 0
    assert s["tcp_events"].get("synack_stateful") == 3, s["tcp_events"]
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


def test_ready_line_link(app):
    """The link as the ready line gives it is what DPDK's own telemetry says of
    the port (/ethdev/link_status): net_tap's, up once started, at the speed
    and duplex it always says."""
    assert re.match(READY_RE, app.ready_line), app.ready_line
    m = re.search(r"; port 0 \S+ mtu 1500 queues 1 link up (\d+) Gbps (\S+)-duplex ",
                  app.ready_line)
    assert m, app.ready_line
    link = app.telemetry("/ethdev/link_status,0")
    assert link == {"status": "UP", "speed": int(m.group(1)) * 1000,
                    "duplex": m.group(2) + "-duplex"}, (link, app.ready_line)
    assert (m.group(1), m.group(2)) == ("10", "full"), app.ready_line
