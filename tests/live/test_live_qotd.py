"""qotd over UDP once it is switched on (it is off by default: an amplifier)."""
import socket

import pytest

from common import APP_IP4, APP_IP6
from livelib import check_quote, delta, udp_exchange

ADDRS = [(socket.AF_INET, APP_IP4, "ipv4"), (socket.AF_INET6, APP_IP6, "ipv6")]


def test_qotd_builtin_quote(appliance):
    app = appliance(["--set", "qotd.udp=on"])
    before = app.counters()
    quotes = []
    for fam_id, addr, _ in ADDRS:
        with app.socket(fam_id, socket.SOCK_DGRAM) as s:
            for payload in (b"", b"quote please"):
                quotes.append(udp_exchange(s, (addr, 17), payload))
    for q in quotes:
        check_quote(q)
    assert b"Postel" in quotes[0], quotes[0]
    assert len(set(quotes)) == 1, "one built-in quote, always the same: %r" % quotes
    d = delta(before, app.counters(), "qotd_udp_ipv4_replies", "qotd_udp_ipv6_replies")
    assert d == {"qotd_udp_ipv4_replies": 2, "qotd_udp_ipv6_replies": 2}


def test_qotd_quotes_from_file(appliance, tmp_path):
    f = tmp_path / "quotes"
    f.write_text("First quote,\non two lines.\n%\nSecond quote.\n%\nThird quote.\n")
    app = appliance(["--set", "qotd.udp=on", "--set", "qotd.file=%s" % f])
    got = []
    for fam_id, addr, _ in ADDRS:
        with app.socket(fam_id, socket.SOCK_DGRAM) as s:
            for _ in range(3):
                got.append(udp_exchange(s, (addr, 17), b""))
    for q in got:
        check_quote(q)
    expected = [b"First quote,\r\non two lines.\r\n", b"Second quote.\r\n", b"Third quote.\r\n"]
    # One worker serves them in turn: six requests, each quote twice, in order.
    start = expected.index(got[0])
    assert got == [expected[(start + i) % 3] for i in range(6)], got


def test_qotd_moved_port(appliance):
    """A service moved to another port answers there, and its old port is closed."""
    app = appliance(["--set", "qotd.udp=on", "--set", "qotd.udp_port=1017"])
    for fam_id, addr, _ in ADDRS:
        with app.socket(fam_id, socket.SOCK_DGRAM) as s:
            check_quote(udp_exchange(s, (addr, 1017), b""))
        with app.socket(fam_id, socket.SOCK_DGRAM) as s:
            s.settimeout(2.0)
            s.connect((addr, 17))
            s.send(b"")
            with pytest.raises(ConnectionRefusedError):
                s.recv(100)
