"""Two workers on one multi-queue net_tap port: flows spread over both, and each
flow, every TCP connection's segments included, stays with one worker.

app/port.c gives a port one RX and one TX queue per worker and asks for RSS over
them; net_tap opens its TAP with IFF_MULTI_QUEUE, one file descriptor per queue.
net_tap's own RSS (flow rules, eBPF) is not used: the steering is the kernel's.
The tun driver picks the queue of a frame the kernel sends into the TAP by the
flow's symmetric hash (tun_automq_select_queue: its flow table, else the hash
scaled to the number of queues), so a flow's frames, both ways, always land on
one queue, and different flows on either.

Which worker saw which packet comes from the packet trace (`general.trace`: the
first 256 packets of each worker, with the worker's number and the ports); the
per-worker TCP counters of /smallsrv/workers say that no connection was split
(a connection whose final ACK reached the worker that never saw its SYN would
complete from a cookie there, and leave a half-open entry to time out on the
other).
"""
import re
import socket
import time

from livelib import (APP_IP4, APP_IP6, CLOCK_SLACK, parse_bsd_daytime, recv_to_eof,
                     tcp_connect, tcp_stats, wait_until)

UDP_FLOWS = 32     # kernel sockets, each its own source port
UDP_PER_FLOW = 2   # datagrams per flow
TCP_CONNS = 40     # half echo, half daytime, IPv4 and IPv6 alternating
FLOW_RE = re.compile(r"^(\d+)>(\d+) ")


def flows_by_worker(app):
    """{("udp"|"tcp", 4|6, client port): {worker, ...}} from every trace entry."""
    seen, cmd = {}, "/smallsrv/trace"
    for _ in range(100):
        page = app.telemetry(cmd)
        for e in page.values():
            if not isinstance(e, dict):
                continue
            for proto in ("udp", "tcp"):
                m = FLOW_RE.match(e.get(proto, ""))
                if m:
                    v = 6 if "ipv6" in e else 4
                    seen.setdefault((proto, v, int(m.group(1))), set()).add(e["worker"])
        if page["more"] == "":
            return seen, page
        cmd = page["more"]
    raise AssertionError("no end to the trace's pages")


def udp_flows(app):
    """UDP_FLOWS sockets, all sending at once, each datagram's echo checked; the
    flows, (family, client port)."""
    socks = []
    try:
        for i in range(UDP_FLOWS):
            fam, addr = (socket.AF_INET, APP_IP4) if i % 2 == 0 else (socket.AF_INET6, APP_IP6)
            s = app.socket(fam, socket.SOCK_DGRAM)
            socks.append(s)
            s.connect((addr, 7))
            s.settimeout(3)
        ports = [(4 if s.family == socket.AF_INET else 6, s.getsockname()[1]) for s in socks]
        for k in range(UDP_PER_FLOW):
            for i, s in enumerate(socks):
                s.send(b"flow %d datagram %d" % (i, k))
            for i, s in enumerate(socks):
                assert s.recv(2048) == b"flow %d datagram %d" % (i, k), "flow %d" % i
        return ports
    finally:
        for s in socks:
            s.close()


def tcp_conns(app):
    """TCP_CONNS connections one after another: echo gets a few bytes back, daytime
    a line; the flows, (family, client port)."""
    ports = []
    for i in range(TCP_CONNS):
        v = 4 if i % 2 == 0 else 6
        if i % 4 < 2:
            data = b"connection %d\r\n" % i
            with tcp_connect(app, v, 7) as s:
                ports.append((v, s.getsockname()[1]))
                s.sendall(data)
                s.shutdown(socket.SHUT_WR)
                assert recv_to_eof(s, limit=len(data)) == data
        else:
            with tcp_connect(app, v, 13) as s:
                ports.append((v, s.getsockname()[1]))
                line = recv_to_eof(s, 100).decode()
            assert abs(parse_bsd_daytime(line) - time.time()) <= CLOCK_SLACK
    return ports


def test_flows_spread_and_stay(appliance):
    app = appliance(["--set", "general.trace=256"], lcores="0-1")
    assert " 2 workers" in app.ready_line and "queues 2" in app.ready_line, app.ready_line
    port = app.telemetry("/smallsrv/ports,0")
    assert port["driver"] == "net_tap" and (port["rx_queues"], port["tx_queues"]) == (2, 2), port
    assert set(port["rx_offloads"]) <= set(port["rx_offloads_offered"]), port

    udp_ports = udp_flows(app)
    tcp_ports = tcp_conns(app)
    keys = ["%s_%s_" % (svc, f) for svc in ("echo", "daytime") for f in ("ipv4", "ipv6")]
    c = wait_until(lambda: (lambda c: c if sum(c[k + "closed"] for k in keys) == TCP_CONNS
                            else None)(tcp_stats(app)), 5, "every connection closed")
    w = [app.telemetry("/smallsrv/workers,%d" % i) for i in (0, 1)]
    seen, last = flows_by_worker(app)

    # Every packet of the test was traced: each worker still had packets to trace.
    assert last["missed"] == 0, last
    for i in (0, 1):
        t = app.telemetry("/smallsrv/trace,%d" % i)
        assert t["left"] > 0 and t["missed"] == 0, (i, t["recorded"], t["left"])
    # Each flow on one worker, and both workers with flows of either kind.
    for proto, ports in (("udp", udp_ports), ("tcp", tcp_ports)):
        assert len(set(ports)) == len(ports), ports
        where = {p: seen.get((proto,) + p, set()) for p in ports}
        assert all(len(ws) == 1 for ws in where.values()), (proto, where)
        per_worker = [sum(1 for ws in where.values() if ws == {i}) for i in (0, 1)]
        assert min(per_worker) > 0, (proto, per_worker)
        print("%s flows per worker: %r" % (proto, per_worker))

    # The workers' own counters: both received, every datagram answered, every
    # connection accepted and closed where it began, nothing refused, reset,
    # timed out, completed from a cookie, or answered with a RST.
    assert min(x["rx_pkts"] for x in w) > 0, w
    assert sum(x["udp_requests"] for x in w) == UDP_FLOWS * UDP_PER_FLOW, w
    assert sum(x["tcp_accepted"] for x in w) == TCP_CONNS == sum(
        c[k + "accepted"] for k in keys), (w, c)
    for x in w:
        assert x["tcp_closed"] == x["tcp_accepted"] > 0, w
        assert (x["tcp_refused"], x["tcp_reset"], x["tcp_timed_out"], x["tcp_rst_sent"],
                x["tcp_cookie_accepted"]) == (0, 0, 0, 0, 0), w
    assert c["cookie_rejected"] == 0 and c["handshake_timeout"] == 0, c
    s = app.telemetry("/smallsrv/stats")
    assert s["tcp4_rst"] == 0 and s["tcp6_rst"] == 0, s
