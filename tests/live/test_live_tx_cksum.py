"""Transmit checksum offload on net_tap (lib/net/tx_cksum.h): the port offers
IPV4_CKSUM, UDP_CKSUM and TCP_CKSUM on transmit; with [general]
tx_cksum_offload on (the default) they are in effect and every reply's sums are
the PMD's, off none is and every sum is ours. Either way the kernel, which
checks every checksum it receives, takes each reply: UDP generated and echoed,
a TCP connection's SYN-ACK, data and FIN, over both families, and counts no
checksum error. (net_tap sums the L4 data itself and ignores the pseudo header's
sum we leave in the field: that value is checked by tests/unit/core/test_worker.c,
test_tx_cksum_offload; here the flags and lengths the PMD goes by.)"""
import re
import socket
import time

import pytest

from livelib import CLOCK_SLACK, FAMILY, parse_bsd_daytime, recv_to_eof, tcp_connect, udp_exchange

SUMS = {"IPV4_CKSUM", "UDP_CKSUM", "TCP_CKSUM"}


def csum_errors(app):
    """The kernel's InCsumErrors for IP, UDP and TCP (IPv4's /proc/net/snmp and
    IPv6's snmp6) in the appliance's namespace."""
    out = app.exec(["cat", "/proc/net/snmp", "/proc/net/snmp6"]).stdout
    errors = {}
    lines = out.splitlines()
    for head, values in zip(lines, lines[1:]):
        if head.split(":")[0] == values.split(":")[0] and "InCsumErrors" in head:
            names, nums = head.split()[1:], values.split()[1:]
            errors[head.split(":")[0]] = int(nums[names.index("InCsumErrors")])
    for m in re.finditer(r"^(Udp6|Icmp6)InCsumErrors\s+(\d+)", out, re.M):
        errors[m.group(1)] = int(m.group(2))
    assert {"Udp", "Tcp", "Udp6"} <= set(errors), out
    return errors


@pytest.mark.parametrize("offload", ["on", "off"])
def test_replies_checksummed(appliance, offload):
    app = appliance(["--set", "general.tx_cksum_offload=" + offload])
    port = app.telemetry("/smallsrv/ports,0")
    assert port["driver"] == "net_tap", port
    assert SUMS <= set(port["tx_offloads_offered"]), port
    if offload == "on":
        assert SUMS <= set(port["tx_offloads"]), port
    else:
        assert not SUMS & set(port["tx_offloads"]), port
    before = csum_errors(app)
    for v in (4, 6):
        fam, addr, _ = FAMILY[v]
        s = app.socket(fam, socket.SOCK_DGRAM)
        try:
            line = udp_exchange(s, (addr, 13), b"").decode()
            assert abs(parse_bsd_daytime(line) - time.time()) <= CLOCK_SLACK, line
            assert udp_exchange(s, (addr, 7), b"checksum %d" % v) == b"checksum %d" % v
        finally:
            s.close()
        with tcp_connect(app, v, 13) as t:
            line = recv_to_eof(t, 100).decode()
        assert abs(parse_bsd_daytime(line) - time.time()) <= CLOCK_SLACK, line
        with tcp_connect(app, v, 7) as t:
            t.sendall(b"stream %d\r\n" % v)
            t.shutdown(socket.SHUT_WR)
            assert recv_to_eof(t, 100) == b"stream %d\r\n" % v
    assert csum_errors(app) == before
