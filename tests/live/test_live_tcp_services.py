"""The services over TCP with the Linux kernel as the peer, IPv4 and IPv6:
the clients people use (rdate, Perl Net::Time, nc, socat, nmap), bulk
transfers checked byte for byte (echo by hash, chargen against its pattern,
discard to a clean FIN), flow control when the client stops reading, who
closes and how, and hundreds of connections at once."""
import calendar
import hashlib
import os
import re
import selectors
import socket
import struct
import subprocess
import time
import xml.etree.ElementTree as ET

import pytest

from common import APP_IP4, APP_IP6
from livelib import (CLOCK_SLACK, FAM, FAMILY, MB, TIME_OFFSET, chargen_expected, delta,
                     monotonic, parse_bsd_daytime, recv_exact, recv_to_eof, sender, tcp_connect,
                     tcp_stats, wait_closed, wait_until)

V = [pytest.param(4, id="ipv4"), pytest.param(6, id="ipv6")]
ENV = dict(os.environ, TZ="UTC", LC_ALL="C")


# -- clients ------------------------------------------------------------------

@pytest.mark.parametrize("v", V)
def test_rdate(app, v):
    """rdate -p over TCP: RFC 868 time, the 4 bytes in one segment, then FIN."""
    before = tcp_stats(app)
    args = ["rdate", "-p"] + (["-6", APP_IP6] if v == 6 else [APP_IP4])
    r = app.exec(args, timeout=20, env=ENV)
    assert re.match(r"^\w{3} \w{3} +\d+ \d\d:\d\d:\d\d UTC \d{4}$", r.stdout.strip()), \
        "rdate printed %r" % r.stdout
    t = calendar.timegm(time.strptime(r.stdout.strip(), "%a %b %d %H:%M:%S UTC %Y"))
    assert abs(t - time.time()) <= CLOCK_SLACK, r.stdout
    after = wait_closed(app, "time", v, before)
    key = "time_%s_" % FAM[v]
    assert delta(before, after, key + "accepted", key + "reset", "time_tcp_%s_replies" % FAM[v],
                 "time_tcp_%s_bytes_out" % FAM[v]) == {
        key + "accepted": 1, key + "reset": 0, "time_tcp_%s_replies" % FAM[v]: 1,
        "time_tcp_%s_bytes_out" % FAM[v]: 4}


def test_perl_net_time(app):
    """Net::Time's inet_time and inet_daytime over TCP (IPv4 only: it uses
    IO::Socket::INET). inet_daytime does a single read: the line must come in
    one segment."""
    r = app.exec(["perl", "-MNet::Time=inet_time,inet_daytime", "-e",
                  'my $t = inet_time("%s", "tcp"); my $d = inet_daytime("%s", "tcp");'
                  'defined $t && defined $d or die "undef\\n"; print "$t\\n$d";'
                  % (APP_IP4, APP_IP4)], timeout=20)
    t, line = r.stdout.split("\n", 1)
    assert abs(int(t) - time.time()) <= CLOCK_SLACK, r.stdout
    assert abs(parse_bsd_daytime(line) - time.time()) <= CLOCK_SLACK


@pytest.mark.parametrize("v", V)
def test_nc_sessions(app, v):
    """OpenBSD nc: an echo session closed with -N (shutdown on stdin's EOF),
    daytime with nothing sent (-d)."""
    addr = APP_IP6 if v == 6 else APP_IP4
    lines = "".join("line %d of an nc session\n" % i for i in range(50))
    r = app.exec(["sh", "-c", "printf '%s' | nc -%d -N -w 5 %s 7" % (lines, v, addr)],
                 timeout=20)
    assert r.stdout == lines
    r = app.exec(["nc", "-%d" % v, "-d", "-w", "5", addr, "13"], timeout=20)
    assert abs(parse_bsd_daytime(r.stdout) - time.time()) <= CLOCK_SLACK


@pytest.mark.parametrize("v", V)
def test_socat_sessions(app, v):
    """socat: echo (stdin's EOF half-closes, the appliance's FIN ends it),
    time as bytes, and the first 100 lines of chargen (then socat is cut off
    by head: a RST, which the appliance counts)."""
    target = "TCP6:[%s]" % APP_IP6 if v == 6 else "TCP4:%s" % APP_IP4
    r = app.exec(["sh", "-c", "printf 'hello over socat\\r\\n' | socat -t 5 - %s:7" % target],
                 timeout=20)
    assert r.stdout == "hello over socat\r\n"
    r = app.exec(["sh", "-c", "socat -u %s:37 - | od -An -tx1" % target], timeout=20)
    data = bytes.fromhex(r.stdout.replace(" ", "").replace("\n", ""))
    assert len(data) == 4
    assert abs(struct.unpack("!I", data)[0] - TIME_OFFSET - time.time()) <= CLOCK_SLACK
    before = tcp_stats(app)
    r = app.exec(["sh", "-c", "socat -u %s:19 - | head -c %d" % (target, 100 * 74)], timeout=20)
    assert r.stdout.encode() == chargen_expected(0, 100 * 74)
    key = "chargen_%s_reset" % FAM[v]
    wait_until(lambda: tcp_stats(app)[key] > before[key], 5, "chargen reset by socat's end")


def version_scan(app, target, ports):
    """Start nmap -sV; returns a function that waits and gives {port: (state,
    service name, how nmap found it)} and the XML."""
    cmd = ["ip", "netns", "exec", app.ns, "nmap", "-n", "-Pn", "-T4", "-sV",
           "--version-intensity", "0", "--max-retries", "1", "-oX", "-",
           "-p", ",".join(map(str, ports))] + target
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def result():
        try:
            out, err = p.communicate(timeout=90)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        assert p.returncode == 0, "nmap: exit %d\n%s" % (p.returncode, err)
        found = {}
        for port in ET.fromstring(out).iter("port"):
            svc = port.find("service")
            found[int(port.get("portid"))] = (port.find("state").get("state"),
                                              svc.get("name"), svc.get("method"))
        return found, out
    result.proc = p
    return result


def test_nmap_version_scan(app):
    """nmap -sV names the services from what they send (method "probed");
    discard sends nothing, so nmap can only guess it from its port (after
    the NULL probe's wait). Both families at once: each scan spends most of
    its 6 s waiting for echo and discard to speak first."""
    scans = [version_scan(app, [APP_IP4], [7, 9, 13, 19, 37]),
             version_scan(app, ["-6", APP_IP6], [7, 9, 13, 19, 37])]
    try:
        results = [scan() for scan in scans]
    finally:
        for scan in scans:
            if scan.proc.poll() is None:
                scan.proc.kill()
                scan.proc.wait()
    for found, xml in results:
        assert found == {7: ("open", "echo", "probed"), 9: ("open", "discard", "table"),
                         13: ("open", "daytime", "probed"), 19: ("open", "chargen", "probed"),
                         37: ("open", "time", "probed")}, xml


# -- bulk transfers -------------------------------------------------------------

@pytest.mark.parametrize("v", V)
def test_echo_megabytes_half_close(app, v):
    """Several megabytes of random bytes, then shutdown(SHUT_WR): every byte
    comes back in order, then the appliance's FIN (EOF, not a reset)."""
    data = os.urandom(6 * MB)
    before = tcp_stats(app)
    with tcp_connect(app, v, 7, timeout=20) as s:
        t, err = sender(s, data, True)
        got = recv_to_eof(s, limit=len(data))
        t.join(20)
        assert not err, err
    assert len(got) == len(data)
    assert hashlib.sha256(got).digest() == hashlib.sha256(data).digest()
    after = wait_closed(app, "echo", v, before)
    f = FAM[v]
    assert delta(before, after, "echo_tcp_%s_bytes_in" % f, "echo_tcp_%s_bytes_out" % f,
                 "echo_%s_reset" % f, "echo_%s_accepted" % f) == {
        "echo_tcp_%s_bytes_in" % f: len(data), "echo_tcp_%s_bytes_out" % f: len(data),
        "echo_%s_reset" % f: 0, "echo_%s_accepted" % f: 1}


@pytest.mark.parametrize("v", V)
def test_echo_megabytes_lockstep(app, v):
    """No half-close: write a block, read the same block back, again and
    again (as zgrab2 does), then close. The appliance then closes too."""
    block = 64 * 1024
    data = os.urandom(3 * MB)
    before = tcp_stats(app)
    h = hashlib.sha256()
    with tcp_connect(app, v, 7, timeout=10) as s:
        for off in range(0, len(data), block):
            s.sendall(data[off:off + block])
            h.update(recv_exact(s, len(data[off:off + block])))
    assert h.digest() == hashlib.sha256(data).digest()
    after = wait_closed(app, "echo", v, before)
    f = FAM[v]
    assert delta(before, after, "echo_%s_reset" % f, "tcp_rst_no_connection") == {
        "echo_%s_reset" % f: 0, "tcp_rst_no_connection": 0}


def frame_tcp_full(frame):
    """(dport, flags, window, payload length) of a TCP frame, or None."""
    if frame[12:14] == b"\x08\x00" and frame[23] == 6:
        off = 14 + (frame[14] & 0xf) * 4
        end = 14 + struct.unpack("!H", frame[16:18])[0]
    elif frame[12:14] == b"\x86\xdd" and frame[20] == 6:
        off = 54
        end = 54 + struct.unpack("!H", frame[18:20])[0]
    else:
        return None
    dport, = struct.unpack("!H", frame[off + 2:off + 4])
    win, = struct.unpack("!H", frame[off + 14:off + 16])
    return dport, frame[off + 13], win, end - off - (frame[off + 12] >> 4) * 4


def frame_tcp(frame):
    """(dport, flags, window) of a TCP frame from the appliance, or None."""
    t = frame_tcp_full(frame)
    return t[:3] if t is not None else None


@pytest.mark.parametrize("v", V)
def test_echo_client_stops_reading(app, v):
    """The client writes but does not read: its window closes, the appliance
    holds what it cannot send (and probes), stops taking more, and says so
    with a zero window; the client's writes block. Then the client reads
    again: nothing was lost."""
    data = os.urandom(3 * MB)
    f = FAM[v]
    before = tcp_stats(app)
    # Small socket buffers (the kernel doubles them): what can be on its way
    # is then theirs, the echo buffer (64 KB) and the windows, well under 1 MB.
    with app.l2() as l2, tcp_connect(app, v, 7, timeout=10, rcvbuf=16384, sndbuf=65536) as s:
        port = s.getsockname()[1]
        s.setblocking(False)
        sent, stalled_since = 0, None
        deadline = monotonic() + 15
        while True:
            try:
                sent += s.send(data[sent:sent + 65536])
                stalled_since = None
            except BlockingIOError:
                if stalled_since is None:
                    stalled_since = monotonic()
                elif monotonic() - stalled_since > 0.5:
                    break
                time.sleep(0.005)
            assert sent < len(data), "3 MB went out and the window never closed"
            assert monotonic() < deadline, "writes neither blocked nor finished"
        # Held back: what the appliance holds is bounded by its echo buffer.
        assert sent < MB, sent
        l2.receive(lambda fr: (frame_tcp(fr) or (0, 0, 1))[0] == port and
                   frame_tcp(fr)[2] == 0, timeout=5)
        wait_until(lambda: tcp_stats(app)["window_probe"] > before["window_probe"], 5,
                   "the appliance to probe the client's zero window")
        # Resume: read everything while the rest goes out.
        s.setblocking(True)
        s.settimeout(20)
        t, err = sender(s, data[sent:], True)
        got = recv_to_eof(s, limit=len(data))
        t.join(20)
        assert not err, err
    assert hashlib.sha256(got).digest() == hashlib.sha256(data).digest()
    after = wait_closed(app, "echo", v, before)
    assert after["echo_%s_reset" % f] == before["echo_%s_reset" % f]


@pytest.mark.parametrize("v", V)
def test_chargen_megabytes(app, v):
    """Chargen from line 0 at the window's pace; the client's FIN does not
    stop it (it only closes the client's direction); the client's close with
    unread data (a RST) does."""
    f = FAM[v]
    before = tcp_stats(app)
    with tcp_connect(app, v, 19, timeout=10) as s:
        n = 6 * MB
        got = recv_exact(s, n)
        assert got == chargen_expected(0, n), "the stream is not RFC 864's pattern from line 0"
        s.shutdown(socket.SHUT_WR)
        more = recv_exact(s, MB)
        assert more == chargen_expected(n, MB), "the stream changed after the client's FIN"
    after = wait_until(lambda: (lambda c: c if c["chargen_%s_reset" % f] >
                                before["chargen_%s_reset" % f] else None)(tcp_stats(app)), 5,
                       "the appliance to take the client's RST")
    assert after["chargen_tcp_%s_bytes_out" % f] - before["chargen_tcp_%s_bytes_out" % f] >= \
        n + MB


@pytest.mark.parametrize("v", V)
def test_discard_megabytes_then_fin(app, v):
    """Megabytes into discard, then the client's FIN: the appliance's FIN
    comes back (EOF, no reset) and every byte was counted."""
    f = FAM[v]
    data = os.urandom(8 * MB)
    before = tcp_stats(app)
    with tcp_connect(app, v, 9, timeout=20) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        assert s.recv(100) == b"", "discard sent data"
    after = wait_closed(app, "discard", v, before)
    assert delta(before, after, "discard_tcp_%s_bytes_in" % f, "discard_tcp_%s_bytes_out" % f,
                 "discard_%s_reset" % f, "tcp_rst_no_connection") == {
        "discard_tcp_%s_bytes_in" % f: len(data), "discard_tcp_%s_bytes_out" % f: 0,
        "discard_%s_reset" % f: 0, "tcp_rst_no_connection": 0}


# -- who closes ----------------------------------------------------------------

@pytest.mark.parametrize("port", [13, 37], ids=["daytime", "time"])
@pytest.mark.parametrize("v", V)
def test_speaks_first_closes_with_fin(app, v, port):
    """Daytime and time: the whole reply in one segment and a FIN, even when
    the client sends something first (as nmap's daytime script does) and
    more after the reply: what it sends is ACKed and dropped, so the close
    is clean on both sides (no RST either way) and the appliance keeps the
    TIME-WAIT."""
    svc = "daytime" if port == 13 else "time"
    f = FAM[v]
    before = tcp_stats(app)
    with app.l2() as l2:
        with tcp_connect(app, v, port) as s:
            sport = s.getsockname()[1]
            s.sendall(b"dummy\r\n")
            got = recv_to_eof(s, limit=100)  # ECONNRESET would raise here
            s.sendall(b"more input after the reply\r\n")
        wait_closed(app, svc, v, before)
        # Its segments leave after the burst's in-place replies: two markers.
        segs = [t for t in map(frame_tcp_full, l2.barrier() + l2.barrier())
                if t is not None and t[0] == sport]
    data_segs = [t for t in segs if t[3] > 0]
    assert len(data_segs) == 1 and data_segs[0][3] == len(got), segs
    assert data_segs[0][1] & 0x01, "the reply's segment does not carry the FIN"
    assert not any(t[1] & 0x04 for t in segs), "the appliance sent a RST"
    if port == 13:
        assert abs(parse_bsd_daytime(got.decode()) - time.time()) <= CLOCK_SLACK
    else:
        assert len(got) == 4
    after = wait_closed(app, svc, v, before)
    rst = "tcp4_rst" if v == 4 else "tcp6_rst"
    assert delta(before, after, "%s_%s_reset" % (svc, f), "tcp_rst_no_connection", rst,
                 "%s_tcp_%s_replies" % (svc, f)) == {
        "%s_%s_reset" % (svc, f): 0, "tcp_rst_no_connection": 0, rst: 0,
        "%s_tcp_%s_replies" % (svc, f): 1}
    assert after["%s_tcp_%s_bytes_in" % (svc, f)] - before["%s_tcp_%s_bytes_in" % (svc, f)] \
        == len(b"dummy\r\nmore input after the reply\r\n")
    assert after["table_time_wait"] >= 1


@pytest.mark.parametrize("v", V)
def test_echo_prompt(app, v):
    """Each write comes back at once, whole, in one read (zgrab2 compares
    each write with one read): no holding back for more, no delayed echo."""
    with tcp_connect(app, v, 7) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        start = monotonic()
        for i in range(200):
            msg = b"probe %d " % i + b"x" * (i % 61)
            s.sendall(msg)
            assert s.recv(4096) == msg
        took = monotonic() - start
    # A 40 ms hold per exchange (a delayed ACK's) would take 8 s.
    assert took < 2.0, "200 round trips took %.2f s" % took


# -- many at once --------------------------------------------------------------

def test_hundreds_of_connections(app):
    """300 connections open at once, half daytime and half echo, both
    families, driven from one selector: each gets its own answer."""
    n = 300
    sel = selectors.DefaultSelector()
    conns = []
    before = tcp_stats(app)
    try:
        for i in range(n):
            v = 4 if i % 2 == 0 else 6
            port = 13 if i % 4 < 2 else 7
            fam, addr, _ = FAMILY[v]
            s = app.socket(fam, socket.SOCK_STREAM)
            s.setblocking(False)
            st = {"sock": s, "v": v, "port": port, "out": b"connection %d\n" % i * (i % 7 + 1),
                  "in": bytearray(), "done": False}
            conns.append(st)
            err = s.connect_ex((addr, port))
            assert err in (0, 115), os.strerror(err)  # EINPROGRESS
            sel.register(s, selectors.EVENT_WRITE, st)
        left = n
        deadline = monotonic() + 30
        while left > 0:
            assert monotonic() < deadline, "%d connections unfinished" % left
            for key, ev in sel.select(timeout=1.0):
                st = key.data
                s = st["sock"]
                if ev & selectors.EVENT_WRITE:
                    e = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    assert e == 0, "connect: " + os.strerror(e)
                    if st["port"] == 7:
                        s.sendall(st["out"])  # small: fits the socket buffer
                    s.shutdown(socket.SHUT_WR)
                    sel.modify(s, selectors.EVENT_READ, st)
                    continue
                chunk = s.recv(65536)
                if chunk:
                    st["in"] += chunk
                else:
                    sel.unregister(s)
                    st["done"] = True
                    left -= 1
    finally:
        sel.close()
        for st in conns:
            st["sock"].close()
    for st in conns:
        if st["port"] == 7:
            assert bytes(st["in"]) == st["out"]
        else:
            assert abs(parse_bsd_daytime(st["in"].decode()) - time.time()) <= CLOCK_SLACK
    after = wait_until(lambda: (lambda c: c if sum(
        c["%s_%s_closed" % (svc, f)] - before["%s_%s_closed" % (svc, f)]
        for svc in ("echo", "daytime") for f in ("ipv4", "ipv6")) == n else None)(
            tcp_stats(app)), 10, "all 300 connections closed")
    for svc in ("echo", "daytime"):
        for f in ("ipv4", "ipv6"):
            assert delta(before, after, "%s_%s_accepted" % (svc, f), "%s_%s_reset" % (svc, f)) == {
                "%s_%s_accepted" % (svc, f): n // 4, "%s_%s_reset" % (svc, f): 0}


def test_two_workers(appliance):
    """Two workers, two queues: RSS spreads the connections over both, each
    connection's segments stay with its worker, and all of them work."""
    app = appliance(lcores="0-1")
    assert " 2 workers" in app.ready_line, app.ready_line
    n = 40
    for i in range(n):
        v = 4 if i % 2 == 0 else 6
        data = os.urandom(100 * 1024)
        with tcp_connect(app, v, 7, timeout=10) as s:
            t, err = sender(s, data, True)
            got = recv_to_eof(s, limit=len(data))
            t.join(10)
            assert not err, err
        assert got == data
        with tcp_connect(app, v, 13) as s:
            assert abs(parse_bsd_daytime(recv_to_eof(s, 100).decode()) - time.time()) <= \
                CLOCK_SLACK
    workers = app.telemetry("/smallsrv/workers")
    rx = [v for k, v in workers.items() if k.endswith("_rx_pkts")]
    assert len(rx) == 2 and min(rx) > 100, workers
    keys = ["%s_%s_" % (svc, f) for svc in ("echo", "daytime") for f in ("ipv4", "ipv6")]
    c = wait_until(lambda: (lambda c: c if sum(c[k + "closed"] for k in keys) == 2 * n
                            else None)(tcp_stats(app)), 5, "every connection closed")
    assert sum(c[k + "accepted"] for k in keys) == 2 * n
    assert sum(c[k + "reset"] for k in keys) == 0
