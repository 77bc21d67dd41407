"""DPDK telemetry: /smallsrv/stats, /drops, /services, /workers, /config, /pool over
the telemetry socket and through dpdk-telemetry.py itself, consistent with
what went through the port and with the exit summary."""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time

import pytest
from scapy.all import IP, UDP, Ether, IPv6, raw

from clilib import ADDR4, Running, summary_consistent
from common import APP_IP4, APP_IP6, PEER_IP4, PEER_IP6, PEER_MAC, write_pcap

PYTHON = "/usr/bin/python3"
APP_MAC = "02:70:63:61:70:00"  # net_pcap's; test_cli_run checks ready lines in general


def udp4(dport, payload, bad_cksum=False):
    p = Ether(src=PEER_MAC, dst=APP_MAC) / IP(src=PEER_IP4, dst=APP_IP4) / \
        UDP(sport=40000, dport=dport) / payload
    if bad_cksum:
        p[UDP].chksum = 0x1234 if raw(p)[40:42] != b"\x12\x34" else 0x4321
    return raw(p)


def udp6(dport, payload):
    return raw(Ether(src=PEER_MAC, dst=APP_MAC) / IPv6(src=PEER_IP6, dst=APP_IP6) /
               UDP(sport=40000, dport=dport) / payload)


ECHO = b"telemetry echo"
FRAMES = ([udp4(7, ECHO)] * 20 + [udp4(9, b"gone")] * 10 +
          [udp4(7, b"bad", bad_cksum=True)] * 5 + [udp6(7, ECHO)] * 6 +
          [udp6(37, b"")] * 4 + [udp4(4444, b"closed")] * 3)
N_RX, N_TX = len(FRAMES), 20 + 6 + 4 + 3


@pytest.fixture
def capture():
    d = tempfile.mkdtemp(prefix="smallsrv-tel-")
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


def telemetry_script(prefix, commands):
    """The replies of dpdk-telemetry.py -f PREFIX to commands, one per line."""
    tool = shutil.which("dpdk-telemetry.py")
    assert tool, "dpdk-telemetry.py is not installed (package dpdk)"
    p = subprocess.run([PYTHON, tool, "-f", prefix], input="\n".join(commands) + "\n",
                       capture_output=True, text=True, timeout=20)
    assert p.returncode == 0, (p.stdout, p.stderr)
    replies = [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]
    assert len(replies) == len(commands), p.stdout
    return replies


def wait_done(app, n, timeout=10):
    """Poll until the n packets of the capture are all received and accounted for."""
    deadline = time.monotonic() + timeout
    while True:
        s = app.telemetry("/smallsrv/stats")
        if s["rx_pkts"] >= n and s["tx_pkts"] + s["not_answered"] >= n:
            return s
        assert time.monotonic() < deadline, "capture not processed: %r" % s
        time.sleep(0.05)


def without_uptime(d):
    return {k: v for k, v in d.items() if k != "uptime_ms"}


def test_counters_match_the_capture(capture):
    inp, outp = os.path.join(capture, "in.pcap"), os.path.join(capture, "out.pcap")
    write_pcap(inp, FRAMES)
    vdev = "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (inp, outp)
    with Running(ADDR4 + ["--ipv6", "2001:db8::1/64"], vdevs=[vdev]) as app:
        stats = wait_done(app, N_RX)
        assert stats["rx_pkts"] == N_RX
        assert stats["tx_pkts"] == N_TX
        assert stats["rx_pkts"] == stats["tx_pkts"] + stats["not_answered"]
        assert stats["rx_bytes"] == sum(len(f) for f in FRAMES)
        assert stats["icmp4_port_unreachable"] == 3
        assert all(stats[k] == 0 for k in ("arp_reply", "nd_advert", "icmp4_echo_reply",
                                           "icmp6_echo_reply", "icmp6_port_unreachable",
                                           "tcp4_rst", "tcp6_rst"))

        drops = app.telemetry("/smallsrv/drops")
        assert drops["udp_discard_service"] == 10 and drops["udp_bad_checksum"] == 5
        assert sum(drops.values()) == stats["not_answered"] == 15

        # What each counter means: every drop reason and TCP event, with its line.
        reasons = app.telemetry("/smallsrv/reasons")
        events = app.telemetry("/smallsrv/tcp")
        assert set(drops) <= set(reasons)
        assert {k for k in events if k in reasons} == set(reasons) - set(drops)
        assert "challenge_ack" in reasons and "pool_low" in reasons
        assert all(isinstance(v, str) and len(v) > 10 for v in reasons.values()), reasons
        assert app.telemetry("/smallsrv/reasons,0") is None

        svc = app.telemetry("/smallsrv/services")
        nonzero = {k: v for k, v in svc.items() if v}
        assert nonzero == {
            "echo_udp_ipv4_requests": 20, "echo_udp_ipv4_replies": 20,
            "echo_udp_ipv4_bytes_in": 20 * len(ECHO), "echo_udp_ipv4_bytes_out": 20 * len(ECHO),
            "discard_udp_ipv4_requests": 10, "discard_udp_ipv4_bytes_in": 10 * 4,
            "echo_udp_ipv6_requests": 6, "echo_udp_ipv6_replies": 6,
            "echo_udp_ipv6_bytes_in": 6 * len(ECHO), "echo_udp_ipv6_bytes_out": 6 * len(ECHO),
            "time_udp_ipv6_requests": 4, "time_udp_ipv6_replies": 4,
            "time_udp_ipv6_bytes_out": 16,
        }
        assert len(svc) == 6 * 2 * 2 * 4  # service x transport x family x counter

        workers = app.telemetry("/smallsrv/workers")
        assert workers == {
            "worker0_lcore0_rx_pkts": N_RX, "worker0_lcore0_tx_pkts": N_TX,
            "worker0_lcore0_rx_answered": N_TX, "worker0_lcore0_rx_tcp": 0,
            "worker0_lcore0_not_answered": 15, "worker0_lcore0_udp_requests": 20 + 10 + 6 + 4,
            "worker0_lcore0_tcp_accepted": 0, "worker0_lcore0_tcp_closed": 0,
            "worker0_lcore0_tcp_refused": 0, "worker0_lcore0_tcp_reset": 0,
            "worker0_lcore0_tcp_timed_out": 0, "worker0_lcore0_tcp_rst_sent": 0,
            "worker0_lcore0_tcp_cookie_accepted": 0}
        one = app.telemetry("/smallsrv/workers,0")
        assert one == dict({k[len("worker0_lcore0_"):]: v for k, v in workers.items()},
                           lcore=0)
        assert app.telemetry("/smallsrv/workers,1") is None

        # net_pcap holds no mbufs between bursts: once all is sent, all is back.
        pool = app.telemetry("/smallsrv/pool")
        assert pool["name"] == "ss_mbufs" and pool["size"] > 0, pool
        assert (pool["in_use"], pool["avail"]) == (0, pool["size"]), pool

        # Per port: port 0 is everything; there is no port 1.
        assert without_uptime(app.telemetry("/smallsrv/stats,0")) == without_uptime(stats)
        assert app.telemetry("/smallsrv/drops,0") == drops
        assert app.telemetry("/smallsrv/stats,1") is None
        assert app.telemetry("/smallsrv/stats,zero") is None

        cfg = app.telemetry("/smallsrv/config")
        assert cfg["port0_ipv4_0"] == "192.0.2.1/24"
        assert cfg["port0_ipv6_0"] == "2001:db8::1/64"
        assert cfg["port0_mtu"] == 1500 and cfg["workers"] == 1
        assert (cfg["echo_udp_port"], cfg["chargen_tcp_port"], cfg["qotd_udp_port"]) == (7, 19, 0)
        assert cfg["timezone"] == "UTC"
        assert cfg["daytime_pattern"] == "%a %b %e %H:%M:%S %Y"

        # The stock client sees the same.
        t_stats, t_drops, t_list = telemetry_script(
            app.prefix, ["/smallsrv/stats", "/smallsrv/drops", "/"])
        assert without_uptime(t_stats["/smallsrv/stats"]) == without_uptime(stats)
        assert t_drops["/smallsrv/drops"] == drops
        for cmd in ("stats", "drops", "services", "workers", "config", "pool", "ports"):
            assert "/smallsrv/" + cmd in t_list["/"]

        rc, out, err = app.stop()
    assert rc == 0, err
    s = summary_consistent(out)
    assert s["total"]["rx_pkts"] == N_RX and s["total"]["tx_pkts"] == N_TX
    assert s["total"]["tx_bytes"] == stats["tx_bytes"]
    assert s["drops"] == {k: v for k, v in drops.items() if v}
    from scapy.all import rdpcap
    assert sum(len(raw(p)) for p in rdpcap(outp)) == stats["tx_bytes"]


def test_counters_grow(capture):
    """On an endless capture every counter only grows, and the exit summary adds up."""
    inp = os.path.join(capture, "in.pcap")
    write_pcap(inp, [udp4(7, ECHO), udp4(9, b"x"), udp4(7, b"bad", bad_cksum=True),
                     udp6(7, ECHO)])
    vdev = "net_pcap0,rx_pcap=%s,tx_pcap=/dev/null,infinite_rx=1" % inp
    with Running(ADDR4 + ["--ipv6", "2001:db8::1/64"], vdevs=[vdev]) as app:
        app.wait_rx(1)
        a = (app.telemetry("/smallsrv/stats"), app.telemetry("/smallsrv/drops"),
             app.telemetry("/smallsrv/services"))
        app.wait_rx(a[0]["rx_pkts"] + 10000)
        (b_stats,) = telemetry_script(app.prefix, ["/smallsrv/stats"])
        b = (b_stats["/smallsrv/stats"], app.telemetry("/smallsrv/drops"),
             app.telemetry("/smallsrv/services"))
        rc, out, err = app.stop(signal.SIGINT)
    assert rc == 0, err
    for before, after in zip(a, b):
        assert before.keys() == after.keys()
        for k in before:
            assert after[k] >= before[k], k
    for k in ("rx_pkts", "rx_bytes", "tx_pkts", "tx_bytes", "not_answered", "uptime_ms"):
        assert b[0][k] > a[0][k], k
    for k in ("udp_discard_service", "udp_bad_checksum"):
        assert b[1][k] > a[1][k]
    assert {k for k, v in b[1].items() if v} == {"udp_discard_service", "udp_bad_checksum"}
    for k in ("echo_udp_ipv4_requests", "echo_udp_ipv6_replies"):
        assert b[2][k] > a[2][k]
    s = summary_consistent(out)
    assert s["total"]["rx_pkts"] >= b[0]["rx_pkts"]
    assert set(s["drops"]) == {"udp_discard_service", "udp_bad_checksum"}
    # Four frames in a loop: the drops are two quarters of it, give or take a burst.
    assert abs(s["drops"]["udp_discard_service"] - s["drops"]["udp_bad_checksum"]) <= 32
    svc = s["services"]
    assert svc[("echo", "udp", "ipv4")][0] == svc[("echo", "udp", "ipv4")][1] > 0


PORT_KEYS = {"port_id", "name", "driver", "mac", "mtu", "rx_queues", "tx_queues", "rss_hf",
             "rss_hf_offered", "rx_offloads", "rx_offloads_offered", "tx_offloads",
             "tx_offloads_offered"}


def test_ports(capture):
    """/smallsrv/ports: each port's driver, MAC, MTU and queues, and its offloads in
    effect (each one offered) and offered, by DPDK's names; net_pcap with two queues
    (two workers) beside net_null, at another MTU."""
    inp = os.path.join(capture, "in.pcap")
    write_pcap(inp, [])
    vdevs = ["net_pcap0,rx_pcap=%s,rx_pcap=%s,tx_pcap=/dev/null,tx_pcap=/dev/null" % (inp, inp),
             "net_null0"]
    args = ADDR4 + ["--set", "port1.ipv4=198.51.100.1/24", "--set", "port1.mtu=9000"]
    with Running(args, vdevs=vdevs, lcores="0-1") as app:
        ports = app.telemetry("/smallsrv/ports")
        one = [app.telemetry("/smallsrv/ports,%d" % i) for i in (0, 1)]
        bad = [app.telemetry(c) for c in ("/smallsrv/ports,2", "/smallsrv/ports,x",
                                          "/smallsrv/ports,-1")]
        ready = app.ready
        app.stop()
    assert sorted(ports) == ["0", "1"]
    assert one == [ports["0"], ports["1"]]
    assert bad == [None, None, None]
    p0, p1 = ports["0"], ports["1"]
    for p in (p0, p1):
        assert set(p) == PORT_KEYS, p
        for k in ("rx_offloads", "rx_offloads_offered", "tx_offloads", "tx_offloads_offered"):
            assert isinstance(p[k], list), p
            assert all(isinstance(n, str) and n.isupper() and n != "UNKNOWN" for n in p[k]), p
        assert set(p["rx_offloads"]) <= set(p["rx_offloads_offered"]), p
        assert set(p["tx_offloads"]) <= set(p["tx_offloads_offered"]), p
        # The checksum offloads port.c asks for wherever they are offered.
        for name in ("IPV4_CKSUM", "UDP_CKSUM", "TCP_CKSUM"):
            assert (name in p["rx_offloads"]) == (name in p["rx_offloads_offered"]), p
        assert ("MBUF_FAST_FREE" in p["tx_offloads"]) == (
            "MBUF_FAST_FREE" in p["tx_offloads_offered"]), p
    assert (p0["port_id"], p0["name"], p0["driver"]) == (0, "net_pcap0", "net_pcap")
    assert (p1["port_id"], p1["name"], p1["driver"]) == (1, "net_null0", "net_null")
    assert p0["mac"].lower() == APP_MAC
    assert (p0["mtu"], p1["mtu"]) == (1500, 9000)
    assert (p0["rx_queues"], p0["tx_queues"]) == (2, 2)  # one per worker
    assert (p1["rx_queues"], p1["tx_queues"]) == (2, 2)
    # RSS is asked for over two queues, of what the device offers; net_pcap offers none.
    assert p0["rss_hf"] == p0["rss_hf_offered"] == 0
    assert p1["rss_hf"] & ~p1["rss_hf_offered"] == 0
    for p in (p0, p1):
        assert " port %d %s mtu %d queues 2" % (p["port_id"], p["mac"], p["mtu"]) in ready


def test_config_file_in_effect(tmp_path):
    """What a configuration file sets is what runs (a repeated section included)."""
    ini = tmp_path / "run.ini"
    ini.write_text("[port0]\nipv4 = 192.0.2.1/24\nmtu = 1280\n[echo]\nudp_port = 7007\n"
                   "[daytime]\nformat = cisco\ntimezone = Europe/Berlin\n[qotd]\nudp = on\n"
                   "[echo]\ntcp = off\n")
    with Running(["--config", str(ini)], vdevs=["net_null0"]) as app:
        cfg = app.telemetry("/smallsrv/config")
        app.stop()
    assert cfg["port0_mtu"] == 1280
    assert cfg["echo_udp_port"] == 7007 and cfg["echo_tcp_port"] == 0
    assert cfg["qotd_udp_port"] == 17 and cfg["qotd_tcp_port"] == 0
    assert cfg["daytime_pattern"] == "%A, %B %-d, %Y %H:%M:%S-%Z"
    assert cfg["timezone"] == "Europe/Berlin"
    # No ipv6 in the file: the port's own link-local address alone.
    assert cfg["port0_ipv6_0"].startswith("fe80::") and "port0_ipv6_1" not in cfg


def trace_pages(app):
    """Every entry of /smallsrv/trace, page after page as its "more" says."""
    cmd, entries, pages = "/smallsrv/trace", {}, 0
    while True:
        page = app.telemetry(cmd)
        assert page is not None, cmd
        pages += 1
        entries.update({k: v for k, v in page.items() if isinstance(v, dict)})
        if page["more"] == "":
            return page, entries, pages
        assert pages < 100, "no end to the pages"
        cmd = page["more"]


def test_trace_armed_while_running(capture):
    """Armed over telemetry while a capture loops: the trace fills its 256 entries
    with the capture's frames in order, counts the rest as missed, pages through
    telemetry, and the exit summary prints the same entries."""
    inp = os.path.join(capture, "in.pcap")
    frames = [udp4(7, ECHO), udp4(9, b"x"), udp4(7, b"bad", bad_cksum=True), udp6(7, ECHO)]
    write_pcap(inp, frames)
    vdev = "net_pcap0,rx_pcap=%s,tx_pcap=/dev/null,infinite_rx=1" % inp
    with Running(ADDR4 + ["--ipv6", "2001:db8::1/64"], vdevs=[vdev]) as app:
        idle = app.telemetry("/smallsrv/trace")
        assert (idle["recorded"], idle["missed"], idle["left"], idle["more"]) == (0, 0, 0, "")
        for bad in ("/smallsrv/trace_arm,0", "/smallsrv/trace_arm,x", "/smallsrv/trace_arm",
                    "/smallsrv/trace_arm,65536", "/smallsrv/trace,1", "/smallsrv/trace,0,257",
                    "/smallsrv/trace,0,"):
            assert app.telemetry(bad) is None, bad
        armed = app.telemetry("/smallsrv/trace_arm,300")
        assert (armed["armed"], armed["worker0_left"], armed["worker0_room"]) == (300, 300, 256)
        deadline = time.monotonic() + 10
        while True:
            t = app.telemetry("/smallsrv/trace")
            if t["left"] == 0:
                break
            assert time.monotonic() < deadline, t
            time.sleep(0.05)
        page, entries, pages = trace_pages(app)
        rc, out, err = app.stop(signal.SIGINT)
    assert rc == 0, err
    assert (page["recorded"], page["missed"], page["left"]) == (256, 44, 0)
    assert pages > 1, "256 entries fit one 16 KiB reply?"
    assert sorted(entries) == sorted("w0_%d" % i for i in range(256))
    # In order, numbered from 1, cycling through the capture from where arming found it.
    seq = [entries["w0_%d" % i]["n"] for i in range(256)]
    assert seq == list(range(1, 257))
    outcomes = [entries["w0_%d" % i]["outcome"] for i in range(256)]
    kinds = ["answered", "dropped: ", "dropped: ", "answered"]
    first = next(k for k in range(4) if all(
        outcomes[i].startswith(kinds[(k + i) % 4]) for i in range(256)))
    e = entries["w0_%d" % ((4 - first) % 4)]  # an echo request
    assert e["len"] == len(frames[0]) and e["port"] == 0 and e["worker"] == 0
    assert e["udp"] == "40000>7 len %d: checked, echo" % (8 + len(ECHO))
    assert e["reply"].startswith("192.0.2.1>192.0.2.254 udp 7>40000")
    e = entries["w0_%d" % ((6 - first) % 4)]  # the bad checksum
    assert e["verdict"] == "udp_bad_checksum" and e["udp"].endswith("udp_bad_checksum")
    s = summary_consistent(out)
    assert (s["trace"]["recorded"], s["trace"]["missed"], s["trace"]["left"]) == (256, 44, 0)
    assert len(s["trace"]["lines"]) == 256
    assert s["trace"]["lines"][0].startswith("w0 #1 port 0 rx ")


def test_trace_pages_every_worker(capture):
    """Two workers on two queues, each tracing 256 packets: the pages of
    /smallsrv/trace, followed by their "more", bring every entry of both."""
    inp = os.path.join(capture, "in.pcap")
    write_pcap(inp, [udp4(7, ECHO), udp6(7, ECHO)])
    vdev = "net_pcap0,rx_pcap=%s,rx_pcap=%s,tx_pcap=/dev/null,tx_pcap=/dev/null,infinite_rx=1" % (
        inp, inp)
    with Running(ADDR4 + ["--ipv6", "2001:db8::1/64", "--set", "general.trace=256"],
                 vdevs=[vdev], lcores="0-1") as app:
        deadline = time.monotonic() + 20
        while app.telemetry("/smallsrv/trace")["left"] > 0:
            assert time.monotonic() < deadline, "the workers did not trace their packets"
            time.sleep(0.05)
        page, entries, pages = trace_pages(app)
        one = app.telemetry("/smallsrv/trace,1")
        assert app.telemetry("/smallsrv/trace,0,0,x") is None
        assert app.telemetry("/smallsrv/trace,0,0,+,1") is None
        app.stop(signal.SIGINT)
    assert pages >= 3
    assert sorted(entries) == sorted("w%d_%d" % (w, i) for w in (0, 1) for i in range(256))
    assert all(entries["w1_%d" % i]["worker"] == 1 for i in range(256))
    # A page for worker 1 alone counts worker 1 alone; the last page of all, from worker 1 on.
    assert (one["recorded"], one["missed"], one["left"]) == (256, 0, 0)
    assert page["recorded"] == 256 and page["more"] == ""
