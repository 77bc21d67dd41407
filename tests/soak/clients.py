"""The soak's honest traffic: the Linux kernel's own TCP and UDP clients of
every service, IPv4 and IPv6, every answer checked: echo byte for byte,
discard silent, chargen against RFC 864's pattern, daytime and time against
this host's clock, qotd against the quote the appliance first gave.

A TCP step that does not complete is a failure (the kernel recovers from
3 % loss in well under TCP_TIMEOUT); a UDP datagram that does not come back
within UDP_TIMEOUT is lost (Lost), and the soak bounds how many may be."""
import selectors
import socket
import struct
import threading
import time
from contextlib import contextmanager

from common import APP_IP4, APP_IP6
from livelib import (CHARGEN_CYCLE, CLOCK_SLACK, TIME_OFFSET, chargen_expected, check_quote,
                     parse_bsd_daytime, recv_exact, recv_to_eof, sender, tcp_connect)
from tally import paced

TCP_TIMEOUT = 30.0  # s, per socket call
UDP_TIMEOUT = 1.0  # s for a reply
UDP_IN_FLIGHT = 32
FAMILIES = {4: (socket.AF_INET, APP_IP4), 6: (socket.AF_INET6, APP_IP6)}
PORTS = {"echo": 7, "discard": 9, "daytime": 13, "qotd": 17, "chargen": 19, "time": 37}


class Quote:
    """The quote qotd gives (one built-in quote: always the same)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.text = None

    def check(self, q):
        check_quote(q)
        with self.lock:
            if self.text is None:
                self.text = q
        assert q == self.text, "another quote: %r, not %r" % (q, self.text)


def clock_check(t, t0, t1, what):
    """t (Unix seconds, from the appliance) within the time the exchange took."""
    assert t0 - CLOCK_SLACK <= t <= t1 + CLOCK_SLACK, \
        "%s says %d, the exchange ran from %.0f to %.0f" % (what, t, t0, t1)


def time_value_check(data, t0, t1):
    assert len(data) == 4, "time: %d bytes, not 4: %r" % (len(data), data)
    # RFC 868: seconds since 1900, modulo 2^32; brought next to t0 first.
    v = struct.unpack("!I", data)[0]
    base = int(t0) + TIME_OFFSET
    delta = (v - base + 2**31) % 2**32 - 2**31
    clock_check(int(t0) + delta, t0, t1, "time")


def first_difference(a, b):
    n = min(len(a), len(b))
    return next((i for i in range(n) if a[i] != b[i]), n)


def same_bytes(what, want, got):
    assert got == want, "%s: %d bytes back of %d, the first wrong one at offset %d" % (
        what, len(got), len(want), first_difference(want, got))


# -- TCP ------------------------------------------------------------------------

def echo_size(rng):
    """Mostly small, some segments' worth, a few large transfers."""
    r = rng.random()
    if r < 0.2:
        return rng.randint(1, 100)
    if r < 0.5:
        return rng.randint(101, 1460)
    if r < 0.92:
        return rng.randint(1461, 64 << 10)
    return rng.randint(64 << 10, 1 << 20)


class KernelTcp:
    """One step: one kernel connection to one service, its answer checked."""

    def __init__(self, app, live, quote):
        self.app, self.live, self.quote = app, live, quote

    @contextmanager
    def connection(self, v, port):
        s = tcp_connect(self.app, v, port, timeout=TCP_TIMEOUT)
        key = (v, s.getsockname()[1], port)
        self.live.add(key)
        try:
            yield s
        except BaseException:
            # Wakes a writer thread blocked on the socket.
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            raise
        finally:
            self.live.remove(key)
            s.close()

    def echo(self, v, rng):
        data = rng.randbytes(echo_size(rng))
        with self.connection(v, 7) as s:
            t, err = sender(s, data, True)
            try:
                got = recv_to_eof(s, limit=len(data))
            finally:
                t.join(TCP_TIMEOUT)
            assert not err, "echo: writing failed: %r" % err
            assert not t.is_alive(), "echo: the writer is stuck"
        same_bytes("echo", data, got)

    def echo_talk(self, v, rng):
        """Several writes, each read back before the next (segment for segment)."""
        with self.connection(v, 7) as s:
            for _ in range(rng.randint(2, 20)):
                msg = rng.randbytes(rng.randint(1, 2000))
                s.sendall(msg)
                same_bytes("echo", msg, recv_exact(s, len(msg)))
            s.shutdown(socket.SHUT_WR)
            assert s.recv(100) == b"", "echo: data after the last reply"

    def discard(self, v, rng):
        data = rng.randbytes(rng.randint(1, 256 << 10))
        with self.connection(v, 9) as s:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            assert s.recv(100) == b"", "discard sent data"

    def chargen(self, v, rng):
        n = rng.choice([rng.randint(1, 1460), rng.randint(1461, 256 << 10)])
        with self.connection(v, 19) as s:
            got = recv_exact(s, n)
        same_bytes("chargen", chargen_expected(0, n), got)

    def daytime(self, v, rng):
        t0 = time.time()
        with self.connection(v, 13) as s:
            line = recv_to_eof(s, limit=100)
        clock_check(parse_bsd_daytime(line.decode("ascii")), t0, time.time(), "daytime")

    def time(self, v, rng):
        t0 = time.time()
        with self.connection(v, 37) as s:
            data = recv_to_eof(s, limit=8)
        time_value_check(data, t0, time.time())

    def qotd(self, v, rng):
        with self.connection(v, 17) as s:
            self.quote.check(recv_to_eof(s, limit=600))

    def steps(self):
        """(kind, function) for every service and family."""
        out = []
        for name in ("echo", "echo_talk", "discard", "chargen", "daytime", "time", "qotd"):
            for v in (4, 6):
                kind = "tcp %s ipv%d" % (name.replace("_", " "), v)
                out.append((kind, getattr(self, name), v))
        return out


def run_tcp(stop, rate, tcp, tally, rng):
    """Kernel TCP clients, one connection at a time, rate a second at most."""
    steps = tcp.steps()

    def body():
        kind, fn, v = rng.choice(steps)
        tally.step(kind, fn, v, rng)
    paced(stop, rate, body)


# -- UDP ------------------------------------------------------------------------

def chargen_line_check(data):
    """One 74-byte line of RFC 864's ring, whichever."""
    assert len(data) == 74, "chargen: a %d-byte datagram" % len(data)
    n = data[0] - 0x20
    assert 0 <= n < 95 and data == CHARGEN_CYCLE[74 * n:74 * n + 74], \
        "chargen: not a line of the ring: %r" % data


class KernelUdp:
    """Requests to every UDP service, v4 and v6, each from a socket of its
    own (a late reply cannot be taken for the next request's), up to
    UDP_IN_FLIGHT at once so that a lost datagram does not stall the rest."""

    def __init__(self, app, tally, quote):
        self.app, self.tally, self.quote = app, tally, quote
        self.sel = selectors.DefaultSelector()
        self.pending = {}  # socket -> (kind, check(data), deadline, expect_reply)

    def request(self, svc, v, rng):
        fam, addr = FAMILIES[v]
        kind = "udp %s ipv%d" % (svc, v)
        if svc == "echo":
            payload = b"" if rng.random() < 0.05 else rng.randbytes(rng.randint(1, 1400))

            def check(data):
                same_bytes("udp echo", payload, data)
        elif svc == "daytime":
            payload = rng.choice([b"", b"\n"])
            t0 = time.time()

            def check(data):
                clock_check(parse_bsd_daytime(data.decode("ascii")), t0, time.time(),
                            "daytime")
        elif svc == "time":
            payload = b""
            t0 = time.time()

            def check(data):
                time_value_check(data, t0, time.time())
        elif svc == "chargen":
            payload, check = b"", chargen_line_check
        elif svc == "qotd":
            payload, check = b"", self.quote.check
        else:  # discard: any answer is wrong
            payload = rng.randbytes(rng.randint(0, 1400))

            def check(data):
                raise AssertionError("discard answered %d bytes" % len(data))
        s = self.app.socket(fam, socket.SOCK_DGRAM)
        s.setblocking(False)
        s.connect((addr, PORTS[svc]))
        s.send(payload)
        # Discard's silence is awaited for a moment: an answer is a failure.
        wait = 0.2 if svc == "discard" else UDP_TIMEOUT
        self.pending[s] = (kind, check, time.monotonic() + wait, svc != "discard")
        self.sel.register(s, selectors.EVENT_READ)

    def _finish(self, s):
        self.sel.unregister(s)
        del self.pending[s]
        s.close()

    def _answer(self, s):
        kind, check, _, _ = self.pending[s]
        try:
            data = s.recv(65535)
            check(data)
        except Exception as e:  # an ICMP error (refused), a wrong answer
            self.tally.fail(kind, e)
        else:
            self.tally.ok(kind)
        self._finish(s)

    def _expire(self, now):
        for s, (kind, _, deadline, expect_reply) in list(self.pending.items()):
            if now >= deadline:
                if expect_reply:
                    self.tally.lose(kind)
                else:
                    self.tally.ok(kind)
                self._finish(s)

    def run(self, stop, rate, rng):
        services = [(svc, v) for svc in PORTS for v in (4, 6)]
        period, due = 1.0 / rate, time.monotonic()
        try:
            while not stop.is_set():
                now = time.monotonic()
                while now >= due and len(self.pending) < UDP_IN_FLIGHT:
                    svc, v = rng.choice(services)
                    try:
                        self.request(svc, v, rng)
                    except Exception as e:  # the socket could not send
                        self.tally.fail("udp %s ipv%d" % (svc, v), e)
                    due += period
                due = max(due, now - 1.0)  # late: no burst to catch up
                timeout = max(0.0, min(due - now, 0.05))
                for key, _ in self.sel.select(timeout):
                    self._answer(key.fileobj)
                self._expire(time.monotonic())
        finally:
            # Requests still out when the soak stops are not counted.
            for s in list(self.pending):
                self._finish(s)
