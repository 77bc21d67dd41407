"""Starting and stopping: errors that need EAL to count the ports, the ready
line, SIGTERM and SIGINT, --packets."""
import os
import re
import shutil
import signal
import subprocess
import time

import pytest

from clilib import (ADDR4, PORT_RE, READY_RE, RUNTIME, Running, smallsrv, summary_consistent)
from common import BIN, OFFLOAD_RE, eal_args, link_local, offload_lines, unique


def run_to_exit(app_args, vdevs, lcores="0"):
    prefix = unique("sscli")
    return smallsrv(app_args, eal=eal_args(prefix, vdevs, lcores), prefix=prefix)


def assert_runtime_error_line(r, status, *names):
    """After EAL: EAL may have logged, but our error is one line, the last one."""
    assert r.rc == status, r
    ours = [line for line in r.err.splitlines() if line.startswith("smallsrv:")]
    assert len(ours) == 1, r
    assert r.err.rstrip("\n").splitlines()[-1] == ours[0]
    assert ours[0].startswith("smallsrv: error: ")
    for n in names:
        assert n in ours[0], "%r not in %r" % (n, ours[0])
    assert "ready" not in r.out
    return ours[0]


def test_port1_configured_one_vdev():
    r = run_to_exit(ADDR4 + ["--set", "port1.ipv4=198.51.100.1/24"], ["net_null0"])
    assert_runtime_error_line(r, 2, "[port1]", "1 port")


def test_port_without_addresses():
    """Two ports, only port 0 configured."""
    r = run_to_exit(ADDR4, ["net_null0", "net_null1"])
    assert_runtime_error_line(r, 2, "port 1", "[port1]")


def test_no_port_at_all():
    r = run_to_exit(ADDR4, [])
    assert_runtime_error_line(r, 2, "no Ethernet port", "--vdev")


def test_bad_eal_option():
    """EAL refuses its own options with its usage; we still exit 2 with our line."""
    prefix = unique("sscli")
    r = smallsrv(ADDR4, eal=eal_args(prefix, ["net_null0"]) + ["--no-such-eal-option"],
                 prefix=prefix)
    assert_runtime_error_line(r, 2, "EAL")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_stops_cleanly(sig):
    with Running(ADDR4, vdevs=["net_null0"]) as app:
        seen = app.wait_rx(1)
        rc, out, err = app.stop(sig)
    assert rc == 0, (rc, out, err)
    assert out.startswith("smallsrv: stopped after "), out
    s = summary_consistent(out)
    # net_null delivers frames without end: every one seen before the signal counts.
    assert s["total"]["rx_pkts"] >= seen
    assert "smallsrv: error" not in err


def test_signal_on_two_workers():
    with Running(ADDR4, vdevs=["net_null0"], lcores="0-1") as app:
        assert app.ready.startswith("ready: 1 port, 2 workers;")
        rc, out, err = app.stop(signal.SIGTERM)
    assert rc == 0, (rc, out, err)
    summary_consistent(out)


def test_ready_line_one_port():
    with Running(["--ipv4", "192.0.2.1/24,198.51.100.1/24", "--ipv6", "2001:db8::1/64"],
                 vdevs=["net_null0"]) as app:
        line = app.ready
        app.stop()
    m = READY_RE.match(line)
    assert m, line
    assert (m.group(1), m.group(2)) == ("1", "1")
    ports = PORT_RE.findall(line)
    assert len(ports) == 1
    pid, mac, mtu, queues, link, addrs = ports[0]
    assert (pid, mtu, queues) == ("0", "1500", "1")
    # What net_null says of its link once started.
    assert link == "link up 10 Gbps full-duplex", line
    # Behind the configured addresses, the port's own link-local one.
    assert addrs.split() == ["192.0.2.1/24", "198.51.100.1/24", "2001:db8::1/64",
                             link_local(mac.lower()) + "/64"]
    assert line == line.strip() and "\n" not in line


@pytest.mark.parametrize("setting,want", [("off", []), ("fe80::53", ["fe80::53/64"]),
                                           ("auto", None)], ids=["off", "address", "auto"])
def test_ready_line_link_local(setting, want):
    """[portN] ipv6_link_local: none, the one given, or the one derived from the MAC."""
    args = ADDR4 + ["--set", "port0.ipv6_link_local=" + setting]
    with Running(args, vdevs=["net_null0"]) as app:
        line = app.ready
        app.stop()
    pid, mac, mtu, queues, link, addrs = PORT_RE.findall(line)[0]
    if want is None:
        want = [link_local(mac.lower()) + "/64"]
    assert addrs.split() == ["192.0.2.1/24"] + want, line


def test_ready_line_two_ports():
    args = ADDR4 + ["--set", "port1.ipv6=2001:db8:1::1/64", "--set", "port1.mtu=9000"]
    with Running(args, vdevs=["net_null0", "net_null1"], lcores="0-1") as app:
        line = app.ready
        rc, out, err = app.stop()
    assert rc == 0
    m = READY_RE.match(line)
    assert m, line
    assert (m.group(1), m.group(2)) == ("2", "2")
    ports = PORT_RE.findall(line)
    assert [p[0] for p in ports] == ["0", "1"]
    assert ports[0][2] == "1500" and ports[1][2] == "9000"
    assert ports[0][4] == ports[1][4] == "link up 10 Gbps full-duplex", line
    assert ports[0][5].split() == ["192.0.2.1/24", link_local(ports[0][1].lower()) + "/64"]
    assert ports[1][5].split() == ["2001:db8:1::1/64", link_local(ports[1][1].lower()) + "/64"]
    assert ports[0][1].lower() != ports[1][1].lower(), "two ports, one MAC"
    s = summary_consistent(out)
    assert set(s["ports"]) == {"port 0", "port 1"}
    assert sum(p["rx_pkts"] for p in s["ports"].values()) == s["total"]["rx_pkts"]


def test_link_down_bounded_wait(tmp_path):
    """A link that stays down (net_vhost, no virtio-user ever connects): the wait
    for it is bounded, the appliance starts anyway, the ready line says "link
    down" and stderr says so in one warning line."""
    vdev = "net_vhost0,iface=%s,queues=1" % (tmp_path / "vhost.sock")
    start = time.monotonic()
    with Running(ADDR4, vdevs=[vdev], ready_timeout=40) as app:
        waited = time.monotonic() - start
        line = app.ready
        rc, out, err = app.stop()
    assert rc == 0, err
    assert PORT_RE.findall(line)[0][4] == "link down", line
    assert READY_RE.match(line), line
    # The whole bound (9 s: app/port.c LINK_WAIT_MS), and not much beyond it.
    assert 9 <= waited < 30, waited
    ours = [l for l in err.splitlines() if l.startswith("smallsrv:")]
    assert ours == ["smallsrv: warning: port 0 (net_vhost): link down after 9 s; starting "
                    "anyway, it serves once the link is up"], err
    summary_consistent(out)


def test_stop_during_link_wait(tmp_path):
    """SIGTERM while the appliance waits for a link that stays down: the wait
    ends at once, and the ports are stopped with the summary, exit 0. EAL's
    telemetry socket says that its start is over and the wait begun."""
    vdev = "net_vhost0,iface=%s,queues=1" % (tmp_path / "vhost.sock")
    prefix = unique("sscli")
    sock = os.path.join(RUNTIME, prefix, "dpdk_telemetry.v2")
    p = subprocess.Popen([BIN] + eal_args(prefix, [vdev], "0") + ["--"] + ADDR4,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while not os.path.exists(sock):
            assert p.poll() is None and time.monotonic() < deadline, p.communicate()
            time.sleep(0.02)
        start = time.monotonic()
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=15)
        stopped_in = time.monotonic() - start
    finally:
        if p.poll() is None:
            p.kill()
            p.communicate()
        shutil.rmtree(os.path.join(RUNTIME, prefix), ignore_errors=True)
    assert p.returncode == 0, err
    # Well inside the 9 s the wait would have taken (app/port.c LINK_WAIT_MS).
    assert stopped_in < 5, stopped_in
    summary_consistent(out)


def test_offload_lines(tmp_path):
    """One line per port before the ready line: the offloads in effect, each one
    offered, and what the device offers, as telemetry /smallsrv/ports says."""
    from common import write_pcap
    inp = tmp_path / "in.pcap"
    write_pcap(str(inp), [])
    vdevs = ["net_null0", "net_pcap0,rx_pcap=%s,tx_pcap=/dev/null" % inp]
    args = ADDR4 + ["--set", "port1.ipv4=198.51.100.1/24"]
    with Running(args, vdevs=vdevs) as app:
        ports = app.telemetry("/smallsrv/ports")
        rc, out, err = app.stop()
    assert rc == 0, err
    # What came before the ready line (Running keeps it), and nothing between the
    # ready line and the summary.
    assert out.startswith("smallsrv: stopped after "), out
    before = app.before_ready
    lines = offload_lines(before)
    assert len(before.splitlines()) == 2, before
    assert sorted(lines) == [0, 1]
    assert lines[0]["driver"] == "net_null" and lines[1]["driver"] == "net_pcap"
    for pid, o in lines.items():
        t = ports[str(pid)]
        assert o["driver"] == t["driver"]
        assert (o["rx"], o["rx_offered"], o["tx"], o["tx_offered"]) == (
            t["rx_offloads"], t["rx_offloads_offered"], t["tx_offloads"],
            t["tx_offloads_offered"])
        assert set(o["rx"]) <= set(o["rx_offered"]) and set(o["tx"]) <= set(o["tx_offered"])


def test_packets_limit_exits():
    """--packets N: stop by itself after N received packets, summary, exit 0."""
    r = run_to_exit(ADDR4 + ["--packets", "1000"], ["net_null0"])
    assert r.rc == 0, r
    # The offload line of the port, then the ready line.
    lines = r.out.splitlines()
    assert re.match(OFFLOAD_RE, lines[0]) and READY_RE.match(lines[1]), r
    s = summary_consistent(r.out)
    # Whole bursts are processed: at least N, less than N + one burst (32).
    assert 1000 <= s["total"]["rx_pkts"] < 1000 + 32
