"""The configuration as seen on the wire: qotd switched on (built-in quote and
a quote file), daytime formats, services moved or switched off, the loop
guard off or on other ports, chargen's random mode."""
import os
import re
import tempfile
import time

import pytest

from common import unique
from pcaplib import (Case, Topic, chargen_stream, check_icmp_unreach, check_udp, echo_check,
                     time_check, topic_tests, udp_payload, udp_req)

XINETD_RE = re.compile(rb"^(\d\d) (JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC) (\d{4}) "
                       rb"(\d\d):(\d\d):(\d\d) UTC\r\n$")


def printable_quote(ctx, req, rep):
    """A quote: printable ASCII lines ending CR LF, under 512 bytes."""
    data = udp_payload(rep)
    check_udp(ctx, req, rep, data)
    assert 0 < len(data) < 512
    assert data.endswith(b"\r\n")
    for line in data[:-2].split(b"\r\n"):
        assert all(0x20 <= c <= 0x7e for c in line), "not printable: %r" % line


def xinetd_daytime(run_of):
    def check(ctx, req, rep):
        import calendar
        data = udp_payload(rep)
        check_udp(ctx, req, rep, data)
        m = XINETD_RE.match(data)
        assert m, "not an xinetd daytime line: %r" % data
        months = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
        t = calendar.timegm((int(m.group(3)), months.index(m.group(2).decode()) + 1,
                             int(m.group(1)), int(m.group(4)), int(m.group(5)),
                             int(m.group(6))))
        run = run_of()
        assert run.started - 3 <= t <= run.ended + 3, "daytime %r is not now" % data
    return check


TOPIC_1 = Topic([
    Case("qotd-v4", udp_req(4, 17, b""), printable_quote),
    Case("qotd-v6", udp_req(6, 17, b"a quote, please"), printable_quote),
    Case("daytime-xinetd-v4", udp_req(4, 13, b""), xinetd_daytime(lambda: TOPIC_1.result.run)),
    Case("daytime-xinetd-v6", udp_req(6, 13, b""), xinetd_daytime(lambda: TOPIC_1.result.run)),
    Case("echo-moved-v4", udp_req(4, 7007, b"moved"), echo_check),
    Case("echo-moved-v6", udp_req(6, 7007, b"moved"), echo_check),
    Case("echo-old-port-v4", udp_req(4, 7, b"moved?"), check_icmp_unreach),
    Case("echo-old-port-v6", udp_req(6, 7, b"moved?"), check_icmp_unreach),
    Case("chargen-off-v4", udp_req(4, 19, b""), check_icmp_unreach),
    Case("discard-still-on-v4", udp_req(4, 9, b""), drop="udp_discard_service"),
    # Loop guard off: spoofed service ports are served.
    Case("no-loop-guard-sport-19-v4", udp_req(4, 7007, b"ping-pong", sport=19), echo_check),
    Case("no-loop-guard-sport-7-v6", udp_req(6, 37, b"", sport=7),
         time_check(lambda: TOPIC_1.result.run)),
], ["--set", "qotd.udp=on", "--set", "daytime.format=xinetd", "--set", "echo.udp_port=7007",
    "--set", "chargen.udp=off", "--set", "abuse.loop_guard=off"])
result_1, test_case_1, test_run_1 = topic_tests(TOPIC_1, "result_1")


def test_builtin_quote_repeats(result_1):
    """One built-in quote: every qotd reply is the same."""
    a, b = (udp_payload(result_1.by_case[n][0]) for n in ("qotd-v4", "qotd-v6"))
    assert a == b


QOTD_FILE = os.path.join(tempfile.gettempdir(), unique("smallsrv-qotd-") + ".txt")
QUOTES = [b"Quote one.\r\n", b"Quote two,\r\nsecond line.\r\n"]


@pytest.fixture(scope="module", autouse=True)
def qotd_file():
    with open(QOTD_FILE, "w") as f:
        f.write("Quote one.\n%\nQuote two,\nsecond line.\n")
    yield QOTD_FILE
    os.unlink(QOTD_FILE)


def quote(n):
    def check(ctx, req, rep):
        check_udp(ctx, req, rep, QUOTES[n])
    return check


def custom_daytime(ctx, req, rep):
    data = udp_payload(rep)
    check_udp(ctx, req, rep, data)
    run = TOPIC_2.result.run
    days = {time.strftime("%Y-%m-%d\r\n", time.gmtime(t)).encode()
            for t in (run.started, run.ended)}
    assert data in days


def chargen_random(ctx, req, rep):
    """0..512 bytes of the ring, from the start of a line."""
    data = udp_payload(rep)
    check_udp(ctx, req, rep, data)
    assert len(data) <= 512
    assert any(data == chargen_stream(74 * k, len(data)) for k in range(95)), \
        "not the chargen stream from a line start: %r" % data[:80]


TOPIC_2 = Topic([
    Case("qotd-file-1", udp_req(4, 17, b""), quote(0)),
    Case("qotd-file-2", udp_req(6, 17, b""), quote(1)),
    Case("qotd-file-3", udp_req(4, 17, b""), quote(0)),
    Case("daytime-custom", udp_req(4, 13, b""), custom_daytime),
    Case("loop-guard-port-5000", udp_req(4, 7, b"x", sport=5000), drop="udp_loop_guard"),
    Case("loop-guard-port-6000-v6", udp_req(6, 13, b"", sport=6000), drop="udp_loop_guard"),
    # The list replaces the defaults: 53 and 123 are no longer guarded...
    Case("loop-guard-not-port-53", udp_req(4, 7, b"x", sport=53), echo_check),
    Case("loop-guard-not-port-123", udp_req(6, 7, b"x", sport=123), echo_check),
    # ... but the ports of our own UDP services always are, moved ones too.
    Case("loop-guard-own-port-7", udp_req(4, 7, b"x", sport=7), drop="udp_loop_guard"),
    Case("loop-guard-own-port-19", udp_req(6, 7, b"x", sport=19), drop="udp_loop_guard"),
    Case("loop-guard-own-moved-3737", udp_req(4, 7, b"x", sport=3737), drop="udp_loop_guard"),
    Case("loop-guard-old-port-37", udp_req(6, 7, b"x", sport=37), echo_check),
    Case("time-moved", udp_req(4, 3737, b""), time_check(lambda: TOPIC_2.result.run)),
    Case("time-old-port", udp_req(4, 37, b""), check_icmp_unreach),
] + [Case("chargen-random-%d" % i, udp_req(4, 19, b""), chargen_random) for i in range(8)],
    ["--set", "qotd.udp=on", "--set", "qotd.file=" + QOTD_FILE,
     "--set", "daytime.format=custom", "--set", "daytime.pattern=%Y-%m-%d",
     "--set", "abuse.loop_guard_ports=5000,6000", "--set", "time.udp_port=3737",
     "--set", "chargen.udp_mode=random"])
result_2, test_case_2, test_run_2 = topic_tests(TOPIC_2, "result_2")


def test_random_chargen_lengths_vary(result_2):
    """Random mode: the lengths are not all one (8 draws from 0..512)."""
    lengths = {len(udp_payload(result_2.by_case["chargen-random-%d" % i][0])) for i in range(8)}
    assert len(lengths) > 1
