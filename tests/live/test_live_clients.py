"""The clients people point at the small services: rdate, Perl's Net::Time, nmap
(UDP and protocol scans)."""
import calendar
import os
import re
import time
import xml.etree.ElementTree as ET

import pytest

from common import APP_IP4, APP_IP6
from livelib import CLOCK_SLACK, delta, parse_bsd_daytime

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
UTC_ENV = dict(os.environ, TZ="UTC", LC_ALL="C")


def parse_date_utc(text):
    """`date`-style output in UTC: "Thu Nov 26 11:27:05 UTC 2026"."""
    m = re.search(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) +(%s) +(\d{1,2}) (\d\d):(\d\d):(\d\d) "
                  r"UTC (\d{4})" % "|".join(MONTHS), text)
    assert m, "no date in %r" % text
    _, mon, day, hh, mi, ss, year = m.groups()
    return calendar.timegm((int(year), MONTHS.index(mon) + 1, int(day), int(hh), int(mi),
                            int(ss), 0, 0, 0))


@pytest.mark.parametrize("args", [["-4", APP_IP4], [APP_IP4], ["-6", APP_IP6]],
                         ids=["ipv4", "ipv4-default", "ipv6"])
def test_rdate_udp(app, args):
    before = app.counters()
    r = app.exec(["rdate", "-p", "-u"] + args, env=UTC_ENV, timeout=20)
    t = parse_date_utc(r.stdout)
    now = time.time()
    assert abs(t - now) <= CLOCK_SLACK, "rdate printed %r, %+.0f s off" % (r.stdout, t - now)
    fam = "ipv6" if "-6" in args else "ipv4"
    name = "time_udp_%s_replies" % fam
    assert app.counters()[name] - before[name] >= 1


def test_perl_net_time_inet_time_udp(app):
    r = app.exec(["perl", "-MNet::Time=inet_time", "-e",
                  'my $t = inet_time("%s", "udp", 3); print defined $t ? $t : "undef"'
                  % APP_IP4], timeout=20)
    assert r.stdout.isdigit(), "inet_time returned %r (stderr %r)" % (r.stdout, r.stderr)
    off = int(r.stdout) - time.time()
    assert abs(off) <= CLOCK_SLACK, "inet_time %s is %+.0f s off" % (r.stdout, off)


def test_perl_net_time_inet_daytime_udp(app):
    r = app.exec(["perl", "-MNet::Time=inet_daytime", "-e",
                  'my $t = inet_daytime("%s", "udp", 3); print defined $t ? $t : "undef"'
                  % APP_IP4], timeout=20)
    t = parse_bsd_daytime(r.stdout)
    off = t - time.time()
    assert abs(off) <= CLOCK_SLACK, "inet_daytime %r is %+.0f s off" % (r.stdout, off)


def nmap(app, args):
    r = app.exec(["nmap", "-n", "-Pn", "-T4", "--max-retries", "1", "-oX", "-"] + args,
                 timeout=60)
    root = ET.fromstring(r.stdout)
    states = {}
    for port in root.iter("port"):
        states[(port.get("protocol"), int(port.get("portid")))] = \
            port.find("state").get("state")
    return states


@pytest.mark.parametrize("target", [["192.0.2.1"], ["-6", "2001:db8::1"]],
                         ids=["ipv4", "ipv6"])
def test_nmap_udp_scan(app, target):
    states = nmap(app, ["-sU", "-p", "7,9,13,19,37,40000"] + target)
    assert states == {
        ("udp", 7): "open",
        ("udp", 9): "open|filtered",
        ("udp", 13): "open",
        ("udp", 19): "open",
        ("udp", 37): "open",
        ("udp", 40000): "closed",
    }


# nmap -sO: a protocol that answers (an echo reply, a RST, a port unreachable)
# is open; one answered with a protocol unreachable, over IPv6 a parameter
# problem (unrecognized next header), closed.
@pytest.mark.parametrize("target,opened,closed,reply", [
    (["192.0.2.1"], (1, 6, 17), (58, 253), "icmp4_proto_unreachable"),
    (["-6", "2001:db8::1"], (58, 6, 17), (1, 253), "icmp6_param_problem"),
], ids=["ipv4", "ipv6"])
def test_nmap_protocol_scan(app, target, opened, closed, reply):
    before = app.counters()
    states = nmap(app, ["-sO", "-p", "1,6,17,58,253"] + target)
    want = {("ip", p): "open" for p in opened}
    want.update({("ip", p): "closed" for p in closed})
    assert states == want
    assert delta(before, app.counters(), reply)[reply] >= len(closed)


@pytest.mark.parametrize("host", [APP_IP4, APP_IP6], ids=["ipv4", "ipv6"])
def test_lab_probe(app, host):
    """scripts/probe.py, the lab's own check, passes every service over both transports."""
    probe = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "probe.py")
    r = app.exec(["/usr/bin/python3", probe, host], timeout=60, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 10 and all(" ok" in line for line in lines), r.stdout
