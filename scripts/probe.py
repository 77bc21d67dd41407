#!/usr/bin/python3
"""Check a smallsrv (or any small-services host) from the lab: every service over
UDP and TCP, with the kernel's own sockets, and a line per check.

    scripts/probe.py 192.0.2.1              # IPv4
    scripts/probe.py 2001:db8::1 --qotd     # IPv6, and qotd (off by default)
    scripts/probe.py 192.0.2.1 --pcaps DIR  # also write request captures for TRex,
                                            # pktgen or tcpreplay (tests/perf/make_requests.py)

Exit status 0 when every check passed.
"""
import argparse
import os
import re
import socket
import struct
import subprocess
import sys
import time

CTIME = re.compile(rb"^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d \d{4}\r\n$")
EPOCH_1900 = 2208988800


def chargen_line(n):
    """Line n of the RFC 864 ring, as BSD sends it."""
    return bytes(0x20 + (n + c) % 95 for c in range(72)) + b"\r\n"


def udp(family, host, port, payload, timeout):
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.connect((host, port))
        s.send(payload)
        try:
            return s.recv(65535)
        except socket.timeout:
            return None


def tcp(host, port, send, timeout, limit=1 << 20):
    """Connect, send, half-close, read to EOF (or limit bytes)."""
    data = b""
    with socket.create_connection((host, port), timeout=timeout) as s:
        if send:
            s.sendall(send)
        s.shutdown(socket.SHUT_WR)
        while len(data) < limit:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return data


def time_ok(data):
    if data is None or len(data) != 4:
        return False
    value = struct.unpack("!I", data)[0]
    return abs(value - (int(time.time()) + EPOCH_1900) % 2**32) < 5


def checks(qotd):
    """(name, transport, port, function of (family, host, timeout) -> bool)."""
    yield "echo", "udp", 7, lambda f, h, t: udp(f, h, 7, b"probe\r\n", t) == b"probe\r\n"
    yield "echo", "tcp", 7, lambda _, h, t: tcp(h, 7, b"x" * 100000, t) == b"x" * 100000
    yield "discard", "udp", 9, lambda f, h, t: udp(f, h, 9, b"gone", t) is None
    yield "discard", "tcp", 9, lambda _, h, t: tcp(h, 9, b"y" * 100000, t) == b""
    yield "daytime", "udp", 13, lambda f, h, t: bool(CTIME.match(udp(f, h, 13, b"", t) or b""))
    yield "daytime", "tcp", 13, lambda _, h, t: tcp(h, 13, b"", t).endswith(b"\r\n")
    yield "chargen", "udp", 19, lambda f, h, t: udp(f, h, 19, b"", t) in {
        chargen_line(n) for n in range(95)}
    yield "chargen", "tcp", 19, lambda _, h, t: tcp(h, 19, b"", t, 7400)[:7400] == b"".join(
        chargen_line(n) for n in range(100))
    yield "time", "udp", 37, lambda f, h, t: time_ok(udp(f, h, 37, b"", t))
    yield "time", "tcp", 37, lambda _, h, t: time_ok(tcp(h, 37, b"", t))
    if qotd:
        yield "qotd", "udp", 17, lambda f, h, t: (udp(f, h, 17, b"", t) or b"").endswith(b"\r\n")
        yield "qotd", "tcp", 17, lambda _, h, t: tcp(h, 17, b"", t).endswith(b"\r\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("host")
    ap.add_argument("--qotd", action="store_true", help="check qotd too")
    ap.add_argument("--timeout", type=float, default=2.0)
    ap.add_argument("--pcaps", help="write request captures to this folder")
    args = ap.parse_args()
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    failed = 0
    for name, transport, port, check in checks(args.qotd):
        try:
            ok = check(family, args.host, args.timeout)
            why = "" if ok else "unexpected answer"
        except OSError as e:
            ok, why = False, e.strerror or str(e)
        failed += not ok
        print("%-8s %s/%-3d %s %s" % (name, transport, port, "ok  " if ok else "FAIL", why))
    if args.pcaps:
        maker = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "perf",
                             "make_requests.py")
        subprocess.run([sys.executable, maker, args.pcaps], check=True)
        print("request captures written to " + args.pcaps)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
