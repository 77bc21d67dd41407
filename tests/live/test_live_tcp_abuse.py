"""TCP under abuse, with scapy (through a packet socket on the kernel side of
the TAP) as the attacker and the Linux kernel as the honest client: a SYN
flood from spoofed sources, a client that keeps its window shut, one that
opens more connections than its share, blind RSTs and SYNs, idle
connections; and a peer that sends its segments out of order."""
import os
import socket
import threading
import time

import pytest

from common import APP_IP4, APP_IP6, PEER_IP4, PEER_IP6, PEER_MAC
from livelib import (CLOCK_SLACK, FAM, RawPeer, chargen_expected, delta, monotonic,
                     parse_bsd_daytime, payload, payload_len, recv_exact, recv_to_eof,
                     syn_frames, tcp_connect, tcp_stats, wait_closed, wait_until)

V = [pytest.param(4, id="ipv4"), pytest.param(6, id="ipv6")]


# -- SYN flood -----------------------------------------------------------------

@pytest.mark.parametrize("v", V)
def test_syn_flood(appliance, v):
    """Thousands of SYNs from spoofed sources: past max_half_open they cost
    no state (cookies alone), the SYN table stays within its bound and
    empties itself, and a kernel client keeps getting its daytime all along."""
    half_open = 32
    app = appliance(["--set", "tcp.max_half_open=%d" % half_open, "--set",
                     "tcp.rto_initial_ms=200", "--set", "tcp.syn_retries=1"])
    n = 4000
    frames = syn_frames(app, v, 13, n)
    before, tap_before = tcp_stats(app), app.tap_stats()["tx"]["dropped"]
    done = threading.Event()
    errors = []

    def flood():
        try:
            with app.l2() as l2:
                for f in frames:
                    while True:
                        try:
                            l2.sock.send(f)
                            break
                        except BlockingIOError:
                            time.sleep(0.0005)
                        except OSError as e:  # ENOBUFS: the TAP queue is full
                            if e.errno != 105:
                                raise
                            time.sleep(0.0005)
        except Exception as e:
            errors.append(e)
        finally:
            done.set()

    t = threading.Thread(target=flood)
    t.start()
    lines, peak = 0, 0
    try:
        while not done.is_set() or lines < 3:
            with tcp_connect(app, v, 13) as s:
                line = recv_to_eof(s, limit=100)
            assert abs(parse_bsd_daytime(line.decode()) - time.time()) <= CLOCK_SLACK
            lines += 1
            peak = max(peak, tcp_stats(app)["table_half_open"])
    finally:
        t.join(30)
    assert not errors, errors
    # Every SYN that reached the appliance is answered (the kernel's queue
    # to the TAP may overflow on a busy machine: those never get there), all
    # but a SYN table's worth without state. The queue may still hold some.
    tap_dropped = app.tap_stats()["tx"]["dropped"] - tap_before
    assert tap_dropped < n // 2, "the flood mostly did not reach the appliance"
    arrived = n - tap_dropped

    def answered():
        c = tcp_stats(app)
        return c if c["synack_stateful"] + c["synack_cookie"] - before["synack_stateful"] - \
            before["synack_cookie"] >= arrived else None
    after = wait_until(answered, 10, "a SYN-ACK for each of the %d SYNs" % arrived)
    synacks = delta(before, after, "synack_stateful", "synack_cookie")
    assert synacks["synack_cookie"] >= arrived - synacks["synack_stateful"], synacks
    assert peak <= half_open and after["table_half_open"] <= half_open, (peak, after)
    # The entries the flood did get time out (200 + 400 ms), or go when a
    # random SYN happens to hit their tuple again: nothing stays.
    after = wait_until(lambda: (lambda c: c if c["table_half_open"] == 0 else None)(
        tcp_stats(app)), 5, "the SYN table to empty")
    gone = delta(before, after, "handshake_timeout", "syn_in_syn_received")
    assert sum(gone.values()) >= synacks["synack_stateful"] - lines, (gone, synacks, lines)
    assert after["table_used"] == after["table_time_wait"], after
    assert after["daytime_%s_accepted" % FAM[v]] - before["daytime_%s_accepted" % FAM[v]] \
        == lines


def test_stateless_handshakes(appliance):
    """max_half_open = 0: every handshake completes from its cookie alone,
    and the services work as well as they do with a SYN table."""
    app = appliance(["--set", "tcp.max_half_open=0"])
    before = tcp_stats(app)
    for v in (4, 6):
        with tcp_connect(app, v, 13) as s:
            assert abs(parse_bsd_daytime(recv_to_eof(s, 100).decode()) - time.time()) <= \
                CLOCK_SLACK
        with tcp_connect(app, v, 37) as s:
            assert len(recv_to_eof(s, 100)) == 4
        data = os.urandom(1 << 20)
        with tcp_connect(app, v, 7, timeout=10) as s:
            t = threading.Thread(target=lambda: (s.sendall(data), s.shutdown(socket.SHUT_WR)))
            t.start()
            got = recv_to_eof(s, len(data))
            t.join(10)
        assert got == data
        with tcp_connect(app, v, 19) as s:
            assert recv_exact(s, 1 << 20) == chargen_expected(0, 1 << 20)
    after = tcp_stats(app)
    assert delta(before, after, "synack_stateful", "synack_cookie", "cookie_accepted",
                 "cookie_rejected") == {"synack_stateful": 0, "synack_cookie": 8,
                                    "cookie_accepted": 8, "cookie_rejected": 0}


# -- zero window -----------------------------------------------------------------

@pytest.mark.parametrize("v", V)
def test_zero_window_forever(appliance, v):
    """A chargen client takes a first segment, then shuts its window and
    keeps it shut, answering every probe with a zero window: the appliance
    probes (with back-off), then aborts with a RST at zero_window_timeout_ms.
    (A 2000-byte window lets one full segment out; the 540 bytes left would
    be a silly window, RFC 9293 3.8.6.2.1, so nothing more comes.)"""
    app = appliance(["--set", "tcp.zero_window_timeout_ms=1500", "--set",
                     "tcp.rto_initial_ms=200"])
    f = FAM[v]
    before = tcp_stats(app)
    with RawPeer(app, v, 19) as peer:
        peer.handshake(window=2000)
        first = peer.receive(lambda t: payload_len(t) > 0)[-1]
        mss = 1460 if v == 4 else 1440
        assert first.seq == peer.rcv_nxt
        assert payload(first) == chargen_expected(0, mss), "not chargen's first segment"
        peer.rcv_nxt = (peer.rcv_nxt + mss) % 2**32
        peer.send("A", window=0)
        shut = monotonic()
        probes, rst = 0, None
        while rst is None:
            for t in peer.receive(lambda t: True, timeout=5):
                if t.flags.R:
                    rst = t
                    break
                assert payload_len(t) <= 1, "data sent into a zero window"
                probes += 1
                peer.send("A", window=0)
        waited = monotonic() - shut
    assert rst.seq == peer.rcv_nxt, "RST at %d, not at the next byte %d" % (rst.seq, peer.rcv_nxt)
    assert 1.3 <= waited <= 5, "aborted %.2f s after the window shut" % waited
    assert probes >= 2, "%d probes" % probes
    after = tcp_stats(app)
    assert delta(before, after, "chargen_%s_timed_out" % f, "chargen_%s_closed" % f) == {
        "chargen_%s_timed_out" % f: 1, "chargen_%s_closed" % f: 1}
    assert after["window_probe"] - before["window_probe"] == probes


# -- per-source cap and table size ---------------------------------------------------

def echo_once(s, msg):
    s.sendall(msg)
    assert recv_exact(s, len(msg)) == msg


def test_per_source_cap_and_full_table(appliance):
    """max_per_source = 3, max_connections = 6: a source's first 3 echo
    connections work, its 4th is refused (a RST to its SYN: connect() fails
    with ECONNREFUSED, as on a closed port); a second source fills the
    table; a third one finds it full; freeing a connection lets its source
    in again."""
    app = appliance(["--set", "tcp.max_per_source=3", "--set", "tcp.max_connections=6"])
    app.exec(["ip", "addr", "add", "192.0.2.253/24", "dev", app.tap])
    held = []
    try:
        before = tcp_stats(app)
        for i in range(3):
            held.append(tcp_connect(app, 4, 7))
            echo_once(held[-1], b"v4 connection %d" % i)
        with pytest.raises(ConnectionRefusedError):
            tcp_connect(app, 4, 7).close()
        # Refused at the SYN: no SYN-ACK, no entry, one RST.
        after = tcp_stats(app)
        n = delta(before, after, "echo_ipv4_refused", "source_full", "echo_ipv4_accepted",
                  "synack_stateful", "synack_cookie", "table_full")
        assert n == {"echo_ipv4_refused": 1, "source_full": 1, "echo_ipv4_accepted": 3,
                     "synack_stateful": 3, "synack_cookie": 0, "table_full": 0}, n
        # Another source (the kernel's IPv6 address) has its own share.
        for i in range(3):
            held.append(tcp_connect(app, 6, 7))
            echo_once(held[-1], b"v6 connection %d" % i)
        assert tcp_stats(app)["table_used"] == 6
        # A third source: the table is full.
        before = tcp_stats(app)
        s = app.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.settimeout(5)
            s.bind(("192.0.2.253", 0))
            with pytest.raises(ConnectionRefusedError):
                s.connect((APP_IP4, 7))
        finally:
            s.close()
        after = tcp_stats(app)
        n = delta(before, after, "echo_ipv4_refused", "table_full", "source_full",
                  "synack_cookie")
        assert n == {"echo_ipv4_refused": 1, "table_full": 1, "source_full": 0,
                     "synack_cookie": 0}, n
        # One of the first source's connections ends: it may open another.
        held.pop(0).close()
        wait_until(lambda: tcp_stats(app)["table_used"] == 5, 5, "the closed echo freed")
        held.append(tcp_connect(app, 4, 7))
        echo_once(held[-1], b"room again")
    finally:
        for s in held:
            s.close()


@pytest.mark.parametrize("v", V)
def test_refused_at_syn(appliance, v):
    """Issue 10: with max_per_source = 1, a second connection from one
    source was accepted, then reset (a cookie SYN-ACK, a RST to the final
    ACK): the client saw a connection made, then ECONNRESET. Its SYN now
    gets the RST of a closed port: connect() itself fails with
    ECONNREFUSED, and the first connection lives on."""
    app = appliance(["--set", "tcp.max_per_source=1"])
    f = "ipv%d" % v
    before = tcp_stats(app)
    with tcp_connect(app, v, 7) as first:
        echo_once(first, b"first")
        for _ in range(3):
            with pytest.raises(ConnectionRefusedError):
                tcp_connect(app, v, 7).close()
        echo_once(first, b"still there")
        after = tcp_stats(app)
    n = delta(before, after, "echo_%s_refused" % f, "echo_%s_accepted" % f, "source_full",
              "synack_stateful", "synack_cookie")
    assert n == {"echo_%s_refused" % f: 3, "echo_%s_accepted" % f: 1, "source_full": 3,
                 "synack_stateful": 1, "synack_cookie": 0}, n
    # The first gone, its source may connect again.
    wait_until(lambda: tcp_stats(app)["table_used"] == 0, 5, "the first connection freed")
    with tcp_connect(app, v, 7) as s:
        echo_once(s, b"again")


def test_time_wait_cannot_fill_the_table(appliance):
    """Daytime closes first, so the appliance holds each connection's
    TIME-WAIT (60 s by default). With room for 8 connections, 40 in a row
    all work: a new one takes the oldest TIME-WAIT entry."""
    app = appliance(["--set", "tcp.max_connections=8"])
    before = tcp_stats(app)
    for i in range(40):
        with tcp_connect(app, 4 if i % 2 == 0 else 6, 13) as s:
            line = recv_to_eof(s, 100).decode()
        assert abs(parse_bsd_daytime(line) - time.time()) <= CLOCK_SLACK
    after = wait_until(lambda: (lambda c: c if c["daytime_ipv4_closed"] +
                                c["daytime_ipv6_closed"] == 40 else None)(tcp_stats(app)),
                       5, "40 daytime connections closed")
    assert after["table_time_wait"] == after["table_used"] <= 8, after
    assert after["time_wait_reused"] - before["time_wait_reused"] >= 32
    assert after["table_full"] == before["table_full"]


# -- blind RSTs and SYNs ---------------------------------------------------------------

def _flow_frames(frames, port):
    """TCP segments of the appliance to the kernel's port, as scapy layers."""
    from scapy.layers.inet import TCP
    from scapy.layers.l2 import Ether
    out = []
    for f in frames:
        p = Ether(f)
        if TCP in p and p[TCP].dport == port:
            out.append(p[TCP])
    return out


@pytest.mark.parametrize("v", V)
def test_blind_rst_and_syn(appliance, v):
    """RFC 5961 on an established echo connection of the kernel's: a RST in
    the window but not at its edge, and a SYN whatever its sequence number
    (4.2), draw a challenge ACK and the connection lives on; a RST outside
    the window is dropped unanswered; a RST right at the edge resets it.
    (Each challenge ACK here, one after the other: the per-connection limit
    is off, test_blind_rst_burst has it on.)"""
    from scapy.layers.inet import IP, TCP
    from scapy.layers.inet6 import IPv6
    from scapy.layers.l2 import Ether
    app = appliance(["--set", "tcp.invalid_ack_interval_ms=0"])
    f = FAM[v]
    ip = IP(src=PEER_IP4, dst=APP_IP4) if v == 4 else IPv6(src=PEER_IP6, dst=APP_IP6)
    with app.l2() as l2, tcp_connect(app, v, 7) as s:
        port = s.getsockname()[1]

        def forge(flags, seq):
            l2.send(Ether(src=PEER_MAC, dst=app.mac) / ip /
                    TCP(sport=port, dport=7, flags=flags, seq=seq % 2**32, window=0))

        def answer():
            # A connection's segments leave after the burst's in-place
            # replies, so after the first marker's: a second marker is
            # answered only once they are out.
            return _flow_frames(l2.barrier() + l2.barrier(), port)

        echo_once(s, b"before")
        last = answer()[-1]
        # What the appliance expects next from us, and its own next byte.
        rcv_nxt, snd_nxt = last.ack, last.seq + payload_len(last)

        before = tcp_stats(app)
        forge("R", rcv_nxt + 1000)
        got = answer()
        assert len(got) == 1 and str(got[0].flags) == "A", [str(t.flags) for t in got]
        assert (got[0].seq, got[0].ack) == (snd_nxt, rcv_nxt), "not a challenge ACK"
        forge("R", rcv_nxt + 0x40000000)
        assert answer() == [], "a RST out of the window was answered"
        for seq in (rcv_nxt + 500, rcv_nxt + 0x40000000):
            forge("S", seq)
            got = answer()
            assert len(got) == 1 and str(got[0].flags) == "A", [str(t.flags) for t in got]
            assert (got[0].seq, got[0].ack) == (snd_nxt, rcv_nxt), "not a challenge ACK"
        after = tcp_stats(app)
        assert delta(before, after, "challenge_ack", "out_of_window", "echo_%s_reset" % f) == {
            "challenge_ack": 3, "out_of_window": 1, "echo_%s_reset" % f: 0}
        echo_once(s, b"still there")
        last = answer()[-1]
        forge("R", last.ack)
        assert answer() == []
        assert tcp_stats(app)["echo_%s_reset" % f] - before["echo_%s_reset" % f] == 1
        # The kernel's next segment finds no connection: a RST comes back.
        with pytest.raises((ConnectionResetError, BrokenPipeError)):
            echo_once(s, b"gone?")


@pytest.mark.parametrize("v", V)
def test_blind_rst_burst(app, v):
    """A blind attacker's burst of RSTs into the window of a live echo
    connection draws one challenge ACK (one per connection per 500 ms, as
    Linux's tcp_invalid_ratelimit), the rest are counted, and the
    connection lives on."""
    from scapy.layers.inet import IP, TCP
    from scapy.layers.inet6 import IPv6
    from scapy.layers.l2 import Ether
    f = FAM[v]
    ip = IP(src=PEER_IP4, dst=APP_IP4) if v == 4 else IPv6(src=PEER_IP6, dst=APP_IP6)
    with app.l2() as l2, tcp_connect(app, v, 7) as s:
        port = s.getsockname()[1]
        echo_once(s, b"before")
        last = _flow_frames(l2.barrier() + l2.barrier(), port)[-1]
        rcv_nxt = last.ack
        before = tcp_stats(app)
        for i in range(50):
            l2.send(Ether(src=PEER_MAC, dst=app.mac) / ip /
                    TCP(sport=port, dport=7, flags="R", seq=(rcv_nxt + 100 + i) % 2**32,
                        window=0))
        got = _flow_frames(l2.barrier() + l2.barrier(), port)
        assert len(got) == 1 and str(got[0].flags) == "A", [str(t.flags) for t in got]
        after = tcp_stats(app)
        assert delta(before, after, "challenge_ack", "invalid_ack_limited",
                     "echo_%s_reset" % f) == {
            "challenge_ack": 1, "invalid_ack_limited": 49, "echo_%s_reset" % f: 0}
        echo_once(s, b"still there")


# -- idle connections -------------------------------------------------------------------

@pytest.mark.parametrize("v", V)
def test_idle_timeout(appliance, v):
    """Echo and discard connections that go quiet are reset after
    idle_timeout_ms; one that keeps talking is not."""
    app = appliance(["--set", "tcp.idle_timeout_ms=400"])
    f = FAM[v]
    before = tcp_stats(app)
    with tcp_connect(app, v, 7) as busy, tcp_connect(app, v, 7) as quiet, \
            tcp_connect(app, v, 9) as quiet9:
        echo_once(quiet, b"then nothing")
        quiet9.sendall(b"then nothing")
        start = monotonic()
        while monotonic() - start < 1.0:
            echo_once(busy, b"keep-alive")
            time.sleep(0.1)
        for s in (quiet, quiet9):
            s.settimeout(2)
            with pytest.raises(ConnectionResetError):
                s.recv(100)
        echo_once(busy, b"still here")
    wait_closed(app, "echo", v, before, 2)
    after = tcp_stats(app)
    assert delta(before, after, "echo_%s_timed_out" % f, "discard_%s_timed_out" % f) == {
        "echo_%s_timed_out" % f: 1, "discard_%s_timed_out" % f: 1}


@pytest.mark.parametrize("v", V)
def test_fin_wait_2_timeout(appliance, v):
    """A daytime client that reads its line (and ACKs the FIN) but never
    closes: the appliance waits in FIN-WAIT-2 for fin_wait2_timeout_ms, then
    lets the connection go without a word."""
    app = appliance(["--set", "tcp.fin_wait2_timeout_ms=300"])
    f = FAM[v]
    before = tcp_stats(app)
    with tcp_connect(app, v, 13) as s:
        assert recv_to_eof(s, 100).endswith(b"\r\n")
        start = monotonic()
        after = wait_until(lambda: (lambda c: c if c["table_used"] == 0 else None)(
            tcp_stats(app)), 5, "the FIN-WAIT-2 connection to go")
        waited = monotonic() - start
    assert 0.2 <= waited, "gone after %.2f s" % waited
    assert delta(before, after, "daytime_%s_timed_out" % f, "daytime_%s_closed" % f,
                 "daytime_%s_reset" % f) == {"daytime_%s_timed_out" % f: 1,
                                             "daytime_%s_closed" % f: 1,
                                             "daytime_%s_reset" % f: 0}


# -- a peer that reorders -----------------------------------------------------------------

@pytest.mark.parametrize("v", V)
def test_reordered_segments(app, v):
    """Segments 2 and 3 before 1, a duplicate, an overlap: the appliance
    holds what is ahead of the hole (each out-of-order arrival answered at
    once with a duplicate ACK and its SACK block), then echoes it all in
    order, once; then FIN for FIN."""
    f = FAM[v]
    before = tcp_stats(app)
    parts = [os.urandom(300) for _ in range(4)]
    with RawPeer(app, v, 7) as peer:
        peer.handshake(options=[("MSS", 1460), ("SAckOK", b"")])
        base = peer.snd_nxt
        peer.send("PA", parts[1], seq=base + 300)
        dup1 = peer.receive(lambda t: True)[-1]
        peer.send("PA", parts[2], seq=base + 600)
        dup2 = peer.receive(lambda t: True)[-1]
        for dup in (dup1, dup2):
            assert dup.ack == base % 2**32 and payload_len(dup) == 0
        sack = [o for o in dup2.options if o[0] == "SAck"]
        assert sack and tuple(sack[0][1]) == ((base + 300) % 2**32, (base + 900) % 2**32), \
            dup2.options
        peer.send("PA", parts[0], seq=base)
        # A duplicate of the first, and the third overlapped by the fourth.
        peer.send("PA", parts[0], seq=base)
        peer.send("PA", parts[2][100:] + parts[3], seq=base + 700)
        want = b"".join(parts)
        got = b""

        def echoed(t):
            nonlocal got
            if payload_len(t) and t.seq == (peer.rcv_nxt + len(got)) % 2**32:
                got += payload(t)
            return len(got) >= len(want)
        peer.receive(echoed, timeout=5)
        assert got == want
        peer.snd_nxt = base + 1200
        peer.rcv_nxt = (peer.rcv_nxt + len(got)) % 2**32
        peer.send("FA")
        fin = peer.receive(lambda t: t.flags.F)[-1]
        assert fin.seq == peer.rcv_nxt and fin.ack == (base + 1201) % 2**32
        peer.snd_nxt += 1
        peer.rcv_nxt = (peer.rcv_nxt + 1) % 2**32
        peer.send("A")
    after = wait_closed(app, "echo", v, before)
    assert after["out_of_order"] - before["out_of_order"] >= 2
    assert after["echo_tcp_%s_bytes_in" % f] - before["echo_tcp_%s_bytes_in" % f] == 1200
    assert after["echo_tcp_%s_bytes_out" % f] - before["echo_tcp_%s_bytes_out" % f] == 1200
