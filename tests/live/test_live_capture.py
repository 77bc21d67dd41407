"""Live capture with DPDK's own dpdk-dumpcap (README, "Capture").

dpdk-dumpcap is a secondary process: it attaches to the appliance's shared
memory, and the appliance's rte_pdump copies what its port receives and sends
into a ring that dumpcap writes out as pcapng. That needs the appliance on
hugepages with its shared files (not the suites' --no-huge --no-shconf): it runs
here on 2 MiB pages of a hugetlbfs mount of its own (livelib.hugepages), on its
own --file-prefix, which dumpcap is given.

The exchange: UDP echo over IPv4 and IPv6, and a TCP echo connection over
IPv4 from open to close, from the kernel's sockets; tshark reads the capture
back, and every request must be there as received and every reply as sent,
with its payload.
"""
import os
import select
import signal
import socket
import subprocess
import time

import pytest

from common import APP_IP4, APP_IP6, PEER_IP4, PEER_IP6, stderr_tail, unique
from livelib import hugepages, monotonic, recv_exact, recv_to_eof, udp_exchange

DUMPCAP = "/usr/bin/dpdk-dumpcap"
TSHARK = "/usr/bin/tshark"
# The appliance takes some 54 pages (one worker, the default configuration;
# 47 under ASan), dumpcap's ring and mbufs a few more in the same memory.
PAGES = 128
START_TIMEOUT = 30.0
CAPTURE_TIMEOUT = 10.0
FIELDS = ["frame.packet_flags_direction", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
          "udp.srcport", "udp.dstport", "tcp.srcport", "tcp.dstport", "tcp.flags",
          "udp.payload", "tcp.payload"]
IN, OUT = 1, 2  # pcapng's epb_flags direction: inbound, outbound


@pytest.fixture(scope="module")
def huge():
    with hugepages(PAGES) as mount:
        yield mount


@pytest.fixture(scope="module")
def app(huge, module_appliance):
    """The appliance on hugepages; stopped (module_appliance) before they go."""
    return module_appliance(huge_dir=huge)


class Dumpcap:
    """dpdk-dumpcap on the appliance's port 0, writing a pcapng file."""

    def __init__(self, app, path):
        self.path = path
        cmd = [DUMPCAP, "--file-prefix=" + app.prefix, "-i", "net_tap0",
               # Leave the port's promiscuous mode as the appliance set it.
               "-p", "-w", path]
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.err = b""

    def wait_capturing(self):
        """Until it counts what it captures: "Packets captured: " on stderr comes
        once the appliance has pdump's callbacks on the port. ("Capturing on
        'net_tap0'", on stdout, comes before it asks for them.)"""
        deadline = monotonic() + START_TIMEOUT
        fd = self.p.stderr.fileno()
        while b"Packets captured: " not in self.err:
            left = deadline - monotonic()
            assert left > 0, "dpdk-dumpcap not capturing within %.0f s: %s" % (
                START_TIMEOUT, self.err.decode(errors="replace"))
            r, _, _ = select.select([fd], [], [], left)
            if r:
                chunk = os.read(fd, 4096)
                assert chunk, "dpdk-dumpcap exited with %s before capturing: %s" % (
                    self.p.wait(timeout=10), self.err.decode(errors="replace"))
                self.err += chunk

    def stop(self):
        """SIGINT, as Ctrl-C: it writes its statistics and closes the file. The
        exit status, stdout and stderr."""
        self.p.send_signal(signal.SIGINT)
        out, err = self.p.communicate(timeout=START_TIMEOUT)
        self.err += err
        return self.p.returncode, out.decode(errors="replace"), self.err.decode(
            errors="replace")

    def close(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.communicate(timeout=START_TIMEOUT)
        if os.path.exists(self.path):
            os.unlink(self.path)


def read_back(path):
    """The capture as tshark reads it: a dict of FIELDS per frame. rc: tshark's
    exit status (a file still being written may end in half a block)."""
    r = subprocess.run([TSHARK, "-r", path, "-T", "fields", "-E", "separator=\t",
                        "-E", "occurrence=f"] + sum([["-e", f] for f in FIELDS], []),
                       capture_output=True, text=True, timeout=30)
    frames = []
    for line in r.stdout.splitlines():
        f = dict(zip(FIELDS, line.split("\t")))
        f["dir"] = int(f["frame.packet_flags_direction"] or "0", 16) & 3
        frames.append(f)
    return r.returncode, frames, r.stderr


def udp(frames, direction, src, dst, sport, dport, payload):
    key = "ipv6" if ":" in src else "ip"
    return [f for f in frames if f["dir"] == direction and f[key + ".src"] == src and
            f[key + ".dst"] == dst and f["udp.srcport"] == str(sport) and
            f["udp.dstport"] == str(dport) and f["udp.payload"] == payload.hex()]


def tcp(frames, direction, sport, dport, flags=None, payload=None):
    """flags: (mask, value) on tcp.flags."""
    out = []
    for f in frames:
        if f["dir"] != direction or f["tcp.srcport"] != str(sport) or \
                f["tcp.dstport"] != str(dport):
            continue
        if flags is not None and int(f["tcp.flags"], 16) & flags[0] != flags[1]:
            continue
        if payload is not None and f["tcp.payload"] != payload.hex():
            continue
        out.append(f)
    return out


SYN, ACK, FIN = 0x02, 0x10, 0x01


def expected(frames, ex):
    """What the exchange must have left in the capture, each as (what, frames found)."""
    v4, v6, t = ex["udp4"], ex["udp6"], ex["tcp"]
    return [
        ("UDP echo request, IPv4, in", udp(frames, IN, PEER_IP4, APP_IP4, v4[0], 7, v4[1])),
        ("UDP echo reply, IPv4, out", udp(frames, OUT, APP_IP4, PEER_IP4, 7, v4[0], v4[1])),
        ("UDP echo request, IPv6, in", udp(frames, IN, PEER_IP6, APP_IP6, v6[0], 7, v6[1])),
        ("UDP echo reply, IPv6, out", udp(frames, OUT, APP_IP6, PEER_IP6, 7, v6[0], v6[1])),
        ("TCP SYN, in", tcp(frames, IN, t[0], 7, (SYN | ACK, SYN))),
        ("TCP SYN-ACK, out", tcp(frames, OUT, 7, t[0], (SYN | ACK, SYN | ACK))),
        ("TCP data, in", tcp(frames, IN, t[0], 7, payload=t[1])),
        ("TCP data echoed, out", tcp(frames, OUT, 7, t[0], payload=t[1])),
        ("TCP FIN, in", tcp(frames, IN, t[0], 7, (FIN, FIN))),
        ("TCP FIN, out", tcp(frames, OUT, 7, t[0], (FIN, FIN))),
    ]


def missing(path, ex):
    _, frames, _ = read_back(path)
    return [what for what, found in expected(frames, ex) if not found]


def exchange(app):
    """UDP echo over IPv4 and IPv6, one TCP echo connection; what each sent."""
    token = unique("", 8).encode()
    ex = {}
    for name, fam, addr in (("udp4", socket.AF_INET, APP_IP4),
                            ("udp6", socket.AF_INET6, APP_IP6)):
        payload = b"capture " + name.encode() + b" " + token
        with app.socket(fam, socket.SOCK_DGRAM) as s:
            assert udp_exchange(s, (addr, 7), payload) == payload
            ex[name] = (s.getsockname()[1], payload)
    payload = b"capture tcp " + token
    with app.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect((APP_IP4, 7))
        s.sendall(payload)
        assert recv_exact(s, len(payload)) == payload
        s.shutdown(socket.SHUT_WR)
        assert recv_to_eof(s) == b""
        ex["tcp"] = (s.getsockname()[1], payload)
    return ex


def test_dumpcap_captures_requests_and_replies(app, tmp_path):
    path = str(tmp_path / ("%s.pcapng" % app.prefix))
    dc = Dumpcap(app, path)
    try:
        dc.wait_capturing()
        ex = exchange(app)
        # pdump queues each frame into dumpcap's ring as the appliance receives
        # or sends it, but dumpcap stops at SIGINT without emptying the ring:
        # wait until the file holds it all (dumpcap writes each burst through).
        deadline = monotonic() + CAPTURE_TIMEOUT
        while True:
            left = missing(path, ex)
            if not left:
                break
            assert monotonic() < deadline, "not in the capture within %.0f s: %s" % (
                CAPTURE_TIMEOUT, left)
            time.sleep(0.1)
        rc, out, err = dc.stop()
        assert rc == 0, err
        assert "Capturing on 'net_tap0'" in out, out
        # "Packets received/dropped on interface 'net_tap0': 14/0 (100.0)"
        stats = [line for line in err.splitlines() if "received/dropped" in line]
        assert stats, err
        received, dropped = stats[-1].split(": ")[1].split()[0].split("/")
        assert dropped == "0", err

        rc, frames, terr = read_back(path)
        assert rc == 0, terr
        for what, found in expected(frames, ex):
            assert found, "%s not in the capture:\n%s" % (what, "\n".join(map(str, frames)))
        # Each UDP request and its reply once. What pdump took is at least what
        # was written: a frame the kernel sent since (IPv6 multicast listener
        # reports, neighbour discovery) may have been in the ring at SIGINT.
        for what, found in expected(frames, ex)[:4]:
            assert len(found) == 1, (what, found)
        assert int(received) >= len(frames), (received, len(frames))
    finally:
        dc.close()
    # The port serves on once dumpcap has gone.
    with app.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        assert udp_exchange(s, (APP_IP4, 7), b"after") == b"after"


def test_dumpcap_lists_the_port(app):
    """-D: the appliance's ports, as dumpcap sees them from its side."""
    r = subprocess.run([DUMPCAP, "--file-prefix=" + app.prefix, "-D"], capture_output=True,
                       text=True, timeout=START_TIMEOUT)
    assert r.returncode == 0, stderr_tail(r.stderr)
    assert r.stdout.splitlines() == ["0. net_tap0"], r.stdout
