"""SIGHUP re-reads the configuration (app/reload.c), with connections open.

The appliance runs from a file in the test's directory, which a test
rewrites before `kill -HUP`; the line "reload: FILE applied (generation N)"
on its stdout says that every worker runs on the new one (it comes once the
old one is freed). A refused file says so on stderr, and in telemetry
/smallsrv/reload's `failed`, which the tests wait on.
"""
import calendar
import re
import signal
import socket
import time

import pytest

from livelib import (CHARGEN_CYCLE, CLOCK_SLACK, FAMILY, chargen_expected, monotonic,
                     parse_bsd_daytime, recv_exact, tcp_connect, udp_exchange, wait_until)

RELOAD_TIMEOUT = 10.0
ECHO_MOVED = 7007

# What a test starts from: the defaults, spelled out where the tests change them.
BASE = """\
[general]
rx_desc = 1024

[echo]
udp = on
tcp_port = 7

[daytime]
format = bsd
timezone = UTC

[qotd]
udp = on
file = {quotes}

[abuse]
loop_guard = on
amplify_rate_per_source = 100
amplify_burst_per_source = 100
"""

# A zone no test host has set: a POSIX TZ string, UTC + 5 h, named XST.
CHANGED = """\
[general]
rx_desc = 512

[echo]
udp = off
tcp_port = {echo_port}

[daytime]
format = xinetd
timezone = XST-5

[qotd]
udp = on
file = {quotes}

[abuse]
loop_guard = off
amplify_rate_per_source = {rate}
amplify_burst_per_source = {rate}
"""


def write(path, text):
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    tmp.rename(path)  # the appliance never reads half a file


def hup(app):
    """kill -HUP, and the lines it printed up to its "applied" line."""
    start = len(app.stdout)
    app.proc.send_signal(signal.SIGHUP)
    app._read_until(lambda line: line.startswith("reload: ") and " applied (generation " in line,
                    RELOAD_TIMEOUT)
    return app.stdout[start:].splitlines()


def stderr_lines(app):
    return app._stderr().splitlines()


def hup_refused(app):
    """kill -HUP with a file it must refuse: the stderr lines it added."""
    before = app.telemetry("/smallsrv/reload")["failed"]
    lines = len(stderr_lines(app))
    app.proc.send_signal(signal.SIGHUP)
    wait_until(lambda: app.telemetry("/smallsrv/reload")["failed"] > before, RELOAD_TIMEOUT,
               "the reload refused")
    return stderr_lines(app)[lines:]


def udp_ask(app, v, port, payload=b"", sport=0, timeout=2.0):
    fam, addr, _ = FAMILY[v]
    with app.socket(fam, socket.SOCK_DGRAM) as s:
        if sport:
            s.bind(("", sport))
        return udp_exchange(s, (addr, port), payload, timeout)


def udp_refused(app, v, port):
    """No service there: ICMP port unreachable, which a connected socket reads as refused."""
    fam, addr, _ = FAMILY[v]
    with app.socket(fam, socket.SOCK_DGRAM) as s:
        s.settimeout(2.0)
        s.connect((addr, port))
        s.send(b"anyone?")
        with pytest.raises(ConnectionRefusedError):
            s.recv(100)


def parse_xinetd_daytime(text, offset_h):
    """ "04 DEC 2026 23:59:58 XST\\r\\n" in a zone offset_h hours east: Unix time."""
    m = re.match(r"^(\d\d) ([A-Z]{3}) (\d{4}) (\d\d:\d\d:\d\d) XST\r\n$", text)
    assert m, "not an xinetd daytime line in XST: %r" % text
    tm = time.strptime("%s %s %s %s" % (m.group(1), m.group(2).title(), m.group(3),
                                        m.group(4)), "%d %b %Y %H:%M:%S")
    return calendar.timegm(tm) - offset_h * 3600


class Echo:
    """An open TCP echo connection, checked byte for byte at each exchange."""

    def __init__(self, app, v, port=7):
        self.sock = tcp_connect(app, v, port)
        self.n = 0

    def check(self, size=20000):
        data = bytes((self.n + i) * 7 % 251 for i in range(size))
        self.sock.sendall(data)
        assert recv_exact(self.sock, size) == data
        self.n += size


class Chargen:
    """An open TCP chargen connection, its stream checked from where it stands."""

    def __init__(self, app, v):
        self.sock = tcp_connect(app, v, 19)
        self.off = 0

    def check(self, size=len(CHARGEN_CYCLE) * 3):
        assert recv_exact(self.sock, size) == chargen_expected(self.off, size)
        self.off += size


def chargen_replies(app, v, n):
    """n UDP chargen requests from one socket, sent at once: how many were answered."""
    fam, addr, _ = FAMILY[v]
    got = 0
    with app.socket(fam, socket.SOCK_DGRAM) as s:
        for _ in range(n):
            s.sendto(b"", (addr, 19))
        s.settimeout(1.0)
        try:
            while True:
                s.recvfrom(1000)
                got += 1
        except socket.timeout:
            pass
    return got


@pytest.fixture
def quotes(tmp_path):
    a, b = tmp_path / "quotes-a", tmp_path / "quotes-b"
    a.write_text("Alpha, the quote before.\n")
    b.write_text("Beta, the quote after.\n")
    return a, b


@pytest.mark.parametrize("lcores", ["0", "0-1"], ids=["1worker", "2workers"])
def test_reload_applies_with_connections_open(appliance, tmp_path, quotes, lcores):
    """Everything the brief lists changes at once; what was open stays open."""
    conf = tmp_path / "smallsrv.ini"
    write(conf, BASE.format(quotes=quotes[0]))
    app = appliance(["--config", str(conf)], lcores=lcores)
    echoes = [Echo(app, 4), Echo(app, 6)]
    chargen = Chargen(app, 4)
    for c in echoes + [chargen]:
        c.check()
    assert udp_ask(app, 4, 7, b"ping") == b"ping"
    assert abs(parse_bsd_daytime(udp_ask(app, 6, 13).decode()) - time.time()) <= CLOCK_SLACK
    assert udp_ask(app, 4, 17) == b"Alpha, the quote before.\r\n"
    before = app.counters()
    with pytest.raises(socket.timeout):
        udp_ask(app, 4, 13, sport=123, timeout=0.5)  # the loop guard's
    assert app.counters()["udp_loop_guard"] == before["udp_loop_guard"] + 1
    assert chargen_replies(app, 4, 10) == 10

    write(conf, CHANGED.format(quotes=quotes[1], echo_port=ECHO_MOVED, rate=100))
    lines = hup(app)
    assert lines == [
        "reload: not changed while running (restart to change): general.rx_desc",
        "reload: %s applied (generation 2)" % conf,
    ]
    assert app.telemetry("/smallsrv/reload") == {"generation": 2, "applied": 1, "failed": 0}

    # What was open works on, byte for byte: echo on its old port, chargen's stream.
    for _ in range(3):
        for c in echoes + [chargen]:
            c.check()
    # UDP echo is off: a port unreachable, counted.
    before = app.counters()
    udp_refused(app, 4, 7)
    udp_refused(app, 6, 7)
    after = app.counters()
    assert after["icmp4_port_unreachable"] == before["icmp4_port_unreachable"] + 1
    assert after["icmp6_port_unreachable"] == before["icmp6_port_unreachable"] + 1
    assert after["echo_udp_ipv4_requests"] == before["echo_udp_ipv4_requests"]
    # The daytime format and zone.
    for v in (4, 6):
        t = parse_xinetd_daytime(udp_ask(app, v, 13).decode(), 5)
        assert abs(t - time.time()) <= CLOCK_SLACK
    # The quote file.
    assert udp_ask(app, 6, 17) == b"Beta, the quote after.\r\n"
    # TCP echo moved: new connections there, none on the old port.
    for v in (4, 6):
        Echo(app, v, ECHO_MOVED).check()
        with pytest.raises(ConnectionRefusedError):
            tcp_connect(app, v, 7)
    # The loop guard is off: a request from an always-reply port is answered.
    t = parse_xinetd_daytime(udp_ask(app, 4, 13, sport=123).decode(), 5)
    assert abs(t - time.time()) <= CLOCK_SLACK
    # The per-source rate (a reload of its own: the requests above would spend it).
    # Ten at once were all answered at 100/s; at 1/s, burst 1, one at most (none
    # if the source's last reply, its schedule kept, was less than 10 ms ago).
    write(conf, CHANGED.format(quotes=quotes[1], echo_port=ECHO_MOVED, rate=1))
    assert hup(app)[-1] == "reload: %s applied (generation 3)" % conf
    before = app.counters()
    got = chargen_replies(app, 6, 10)
    assert got <= 1, "%d of 10 answered at 1/s, burst 1" % got
    assert app.counters()["udp_ratelimit_source"] - before["udp_ratelimit_source"] == 10 - got
    # Telemetry shows what is in effect.
    cfg = app.telemetry("/smallsrv/config")
    assert (cfg["echo_udp_port"], cfg["echo_tcp_port"]) == (0, ECHO_MOVED)
    assert (cfg["daytime_pattern"], cfg["timezone"]) == ("%d %b %Y %H:%M:%S %Z", "XST-5")
    for c in echoes:
        c.sock.shutdown(socket.SHUT_WR)
        assert c.sock.recv(100) == b""
        c.sock.close()
    chargen.sock.close()


def test_reload_refused_changes_nothing(appliance, tmp_path, quotes):
    """A bad value, and a file whose check fails after its time zone was tried:
    one stderr line each, naming file, section, key and value; the old
    configuration still serves, in its own zone."""
    conf = tmp_path / "smallsrv.ini"
    write(conf, BASE.format(quotes=quotes[0]))
    app = appliance(["--config", str(conf)])
    echo = Echo(app, 4)
    echo.check()

    write(conf, BASE.format(quotes=quotes[1]) + "amplify_rate_per_source = fast\n")
    lines = hup_refused(app)
    assert len(lines) == 1, lines
    assert lines[0] == ('smallsrv: reload: %s: [abuse] amplify_rate_per_source = "fast": '
                        'not a number (nothing changed)' % conf), lines

    bad = BASE.format(quotes=quotes[1]).replace("timezone = UTC", "timezone = XST-5")
    write(conf, bad + "\n[tcp]\nrto_min_ms = 5000\nrto_max_ms = 1000\n")
    lines = hup_refused(app)
    assert len(lines) == 1, lines
    assert lines[0].startswith("smallsrv: reload: %s: [tcp] rto_min_ms = \"5000\": " % conf)
    assert lines[0].endswith(" (nothing changed)")

    assert app.telemetry("/smallsrv/reload") == {"generation": 1, "applied": 0, "failed": 2}
    echo.check()
    assert udp_ask(app, 4, 7, b"still here") == b"still here"
    assert udp_ask(app, 4, 17) == b"Alpha, the quote before.\r\n"
    # The zone the refused file tried is not the one in effect.
    line = udp_ask(app, 6, 13).decode()
    assert abs(parse_bsd_daytime(line) - time.time()) <= CLOCK_SLACK, line
    assert chargen_replies(app, 4, 10) == 10
    echo.sock.close()
    app.stop()
    assert "\n  reloads: applied 0 failed 2 generation 1\n" in app.stdout, app.stdout


def test_reload_restart_keys_named_rest_applied(appliance, tmp_path, quotes):
    """Keys that cannot change while running are named in one line, keep their
    values (telemetry and the ports say so), and the rest of the file applies."""
    conf = tmp_path / "smallsrv.ini"
    write(conf, BASE.format(quotes=quotes[0]))
    app = appliance(["--config", str(conf)])
    echo = Echo(app, 6)
    echo.check()
    mtu = app.telemetry("/smallsrv/config")["port0_mtu"]
    changed = BASE.format(quotes=quotes[0]).replace("format = bsd", "format = xinetd")
    changed = changed.replace("timezone = UTC", "timezone = XST-5")
    changed += ("\n[port0]\nmtu = 1400\n\n[tcp]\nmax_connections = 100\nwindow = 262144\n"
                "\n[ip]\nreassembly_datagrams = 8\n")
    write(conf, changed)
    lines = hup(app)
    assert lines == [
        "reload: not changed while running (restart to change): port0.mtu, "
        "tcp.max_connections, tcp.window, ip.reassembly_datagrams",
        "reload: %s applied (generation 2)" % conf,
    ]
    assert app.telemetry("/smallsrv/config")["port0_mtu"] == mtu
    assert app.telemetry("/smallsrv/tcp")["table_capacity"] > 100
    t = parse_xinetd_daytime(udp_ask(app, 4, 13).decode(), 5)
    assert abs(t - time.time()) <= CLOCK_SLACK
    echo.check()
    # The same file again: still not in effect, so named again; the running
    # values written back: nothing to name, and the rest still applies.
    assert hup(app) == [lines[0], "reload: %s applied (generation 3)" % conf]
    write(conf, BASE.format(quotes=quotes[0]).replace("format = bsd", "format = cisco"))
    assert hup(app) == ["reload: %s applied (generation 4)" % conf]
    assert app.telemetry("/smallsrv/config")["daytime_pattern"] == "%A, %B %-d, %Y %H:%M:%S-%Z"


def test_reload_tcp_timeout_for_new_connections(appliance, tmp_path, quotes):
    """A shorter idle timeout: a connection opened after the reload and left idle
    is timed out; one opened before, idle as long, still works (its deadline was
    set under the old value, and its next segment sets it under the new)."""
    conf = tmp_path / "smallsrv.ini"
    write(conf, BASE.format(quotes=quotes[0]))
    app = appliance(["--config", str(conf)])
    old = Echo(app, 4)
    old.check()
    write(conf, BASE.format(quotes=quotes[0]) + "\n[tcp]\nidle_timeout_ms = 300\n")
    hup(app)
    before = app.telemetry("/smallsrv/tcp")
    new = Echo(app, 4)
    # Its last segment is after this, so its 300 ms run out after it too: a
    # bound that load can only lengthen (taken after the check, it could not).
    t0 = monotonic()
    new.check(100)
    wait_until(lambda: app.telemetry("/smallsrv/tcp")["echo_ipv4_timed_out"] >
               before["echo_ipv4_timed_out"], 5, "the new connection timed out")
    assert monotonic() - t0 >= 0.25  # 300 ms, less a timer tick or two
    with pytest.raises(ConnectionResetError):
        new.sock.recv(100)
    assert app.telemetry("/smallsrv/tcp")["echo_ipv4_timed_out"] == \
        before["echo_ipv4_timed_out"] + 1
    old.check(100)
    new.sock.close()
    old.sock.close()


def test_reload_burst_of_signals(appliance, tmp_path, quotes):
    """SIGHUPs in a burst, with traffic on an open connection and files
    changing under them: no crash, no connection lost, the last file wins,
    and each reload's line numbers its generation in turn."""
    conf = tmp_path / "smallsrv.ini"
    write(conf, BASE.format(quotes=quotes[0]))
    app = appliance(["--config", str(conf)], lcores="0-1")
    echo = Echo(app, 4)
    echo.check()
    for i in range(20):
        quote = quotes[i % 2]
        write(conf, BASE.format(quotes=quote))
        app.proc.send_signal(signal.SIGHUP)
        if i % 5 == 0:
            echo.check(2000)
    write(conf, BASE.format(quotes=quotes[1]).replace("format = bsd", "format = xinetd"))
    app.proc.send_signal(signal.SIGHUP)
    wait_until(lambda: app.telemetry("/smallsrv/config")["daytime_pattern"] ==
               "%d %b %Y %H:%M:%S %Z", RELOAD_TIMEOUT, "the last file in effect")
    n = app.telemetry("/smallsrv/reload")
    assert n["failed"] == 0 and n["generation"] == n["applied"] + 1 and n["applied"] >= 2, n
    # Read the lines of every reload counted (signals coalesce: not one each).
    want = "reload: %s applied (generation %d)" % (conf, n["generation"])
    app._read_until(lambda line: line == want, RELOAD_TIMEOUT)
    gens = [int(g) for g in re.findall(r"applied \(generation (\d+)\)", app.stdout)]
    assert gens == list(range(2, n["generation"] + 1)), gens
    echo.check()
    assert udp_ask(app, 4, 17) == b"Beta, the quote after.\r\n"
    assert udp_ask(app, 4, 7, b"alive") == b"alive"
