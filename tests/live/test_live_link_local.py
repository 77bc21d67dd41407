"""The port's own IPv6 link-local address (fe80::/64 and the modified EUI-64
of its MAC), with the Linux kernel as the link-local peer: neighbour
discovery, ping and UDP echo at fe80::...%tap, duplicate address detection."""
import ipaddress
import json
import re
import socket

from common import link_local
from livelib import delta, netns, wait_until

DAD_TIMEOUT = 10.0  # the kernel's DAD: a random delay up to 1 s, then 1 s per probe


def kernel_link_local(app):
    """The kernel's own link-local addresses on the TAP: {address: flags}."""
    r = app.exec(["ip", "-6", "-j", "addr", "show", "dev", app.tap, "scope", "link"])
    out = {}
    for link in json.loads(r.stdout or "[]"):
        # Addresses the filter leaves out are empty objects.
        for a in (a for a in link.get("addr_info", []) if "local" in a):
            out[a["local"]] = {k for k in ("tentative", "dadfailed") if a.get(k)}
    return out


def kernel_ready(app):
    """Wait until the kernel's own link-local address has passed its DAD: only
    then is it the source of what the kernel sends to ours."""
    def ready():
        return any(not flags for flags in kernel_link_local(app).values())
    wait_until(ready, DAD_TIMEOUT, "the kernel's link-local address out of DAD")


def ours(app):
    return link_local(app.mac)


def scope_id(app):
    with netns(app.ns):
        return socket.if_nametoindex(app.tap)


def test_ready_line_lists_it(app):
    assert re.search(r" %s/64(;|$)" % re.escape(ours(app)), app.ready_line), app.ready_line


def test_ping_link_local(app):
    kernel_ready(app)
    before = app.counters()
    app.exec(["ip", "neigh", "flush", "dev", app.tap])
    r = app.exec(["ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", "%s%%%s" % (ours(app), app.tap)],
                 check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"3 packets transmitted, 3 received", r.stdout), r.stdout
    # The kernel resolved the address: our advertisement, our MAC.
    n = app.neighbour(ours(app))
    assert n is not None and n.get("lladdr", "").lower() == app.mac, n
    d = delta(before, app.counters(), "icmp6_echo_reply", "nd_advert")
    assert d["icmp6_echo_reply"] == 3 and d["nd_advert"] >= 1, d


def test_udp_echo_link_local(app):
    kernel_ready(app)
    s = app.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    try:
        s.settimeout(2.0)
        s.sendto(b"link-local echo", (ours(app), 7, 0, scope_id(app)))
        data, peer = s.recvfrom(2048)
    finally:
        s.close()
    assert data == b"link-local echo"
    # From the address asked, to the kernel's link-local one (its source).
    assert ipaddress.IPv6Address(peer[0].split("%")[0]) == ipaddress.IPv6Address(ours(app))
    assert peer[1] == 7 and peer[3] == scope_id(app), peer


def test_dad_defended(app):
    """The kernel trying our address for itself hears that it is taken."""
    kernel_ready(app)
    before = app.counters()
    app.exec(["ip", "-6", "addr", "add", ours(app) + "/64", "dev", app.tap])
    try:
        wait_until(lambda: "dadfailed" in kernel_link_local(app).get(ours(app), set()),
                   DAD_TIMEOUT, "the kernel's DAD of %s failing" % ours(app))
    finally:
        app.exec(["ip", "-6", "addr", "del", ours(app) + "/64", "dev", app.tap], check=False)
    assert delta(before, app.counters(), "nd_advert")["nd_advert"] >= 1
