"""The live test bench: smallsrv on net_tap inside a network namespace, the
Linux kernel of that namespace as its peer.

The appliance runs under `ip netns exec NS`, so net_tap creates its TAP
device inside NS. Kernel-side sockets are made by switching this thread into
NS for the socket() call only (a socket stays in the namespace it was made
in): no process per client, no Python start-up per test. Command-line clients
(ping, rdate, perl, nmap) run under `ip netns exec NS`.

Waits are bounded by CLOCK_MONOTONIC deadlines. net_tap signals the DPDK
process (SIGIO) for every packet, not this one; and Python retries calls
interrupted by a signal itself (PEP 475), recomputing their timeouts.
"""
import calendar
import ctypes
import random
import json
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager

from common import (APP_IP4, APP_IP6, BIN, PEER_IP4, PEER_IP6, PEER_MAC, eal_args,
                    link_local, parse_summary, stderr_tail, telemetry_query, unique)

CLONE_NEWNET = 0x40000000
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
SO_RCVBUFFORCE = 33  # not in the socket module
READY_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0

_libc = ctypes.CDLL(None, use_errno=True)


def monotonic():
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def _setns(fd):
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, "setns: " + os.strerror(err))


@contextmanager
def netns(name):
    """Run the body with this thread in network namespace `name`."""
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    try:
        target = os.open("/run/netns/" + name, os.O_RDONLY)
        try:
            _setns(target)
        finally:
            os.close(target)
        try:
            yield
        finally:
            _setns(home)
    finally:
        os.close(home)


def _run(cmd, timeout=30, check=True):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError("%s: exit %d\n%s%s" % (" ".join(cmd), r.returncode,
                                                   r.stdout, r.stderr))
    return r


HUGEPAGES_2M = "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"


def _hugepages_add(n):
    """Add n to the 2 MiB pages reserved (the kernel may give fewer); the count
    added. By adding, not setting: others on the machine may hold some."""
    with open(HUGEPAGES_2M) as f:
        before = int(f.read())
    with open(HUGEPAGES_2M, "w") as f:
        f.write(str(before + n))
    with open(HUGEPAGES_2M) as f:
        return int(f.read()) - before


def _hugepages_remove(n):
    """Give back n pages: from the count as it is now, which others may have moved."""
    with open(HUGEPAGES_2M) as f:
        now = int(f.read())
    with open(HUGEPAGES_2M, "w") as f:
        f.write(str(max(now - n, 0)))


@contextmanager
def hugepages(pages):
    """A hugetlbfs mount of its own holding `pages` more 2 MiB pages, for the
    body: its directory. The pages are given back and the mount removed after,
    the files in it too; a reservation that the kernel cannot meet fails."""
    got = _hugepages_add(pages)
    mount = None
    try:
        assert got == pages, "only %d of %d 2 MiB hugepages could be reserved" % (got, pages)
        mount = tempfile.mkdtemp(prefix="sshuge")
        _run(["mount", "-t", "hugetlbfs", "-o", "pagesize=2M", "nodev", mount])
        try:
            yield mount
        finally:
            for name in os.listdir(mount):
                os.unlink(os.path.join(mount, name))
            _run(["umount", mount])
    finally:
        if mount is not None:
            os.rmdir(mount)
        _hugepages_remove(got)


class Appliance:
    """One smallsrv process on its own TAP, namespace and file prefix."""

    # Started and not cleaned up yet: conftest.py checks after every test that
    # none of them ended on its own (a crash, a sanitizer report).
    running = []

    def __init__(self, extra=(), lcores="0", huge_dir=None):
        self.ns = unique("sslv")
        self.tap = unique("sstap")
        self.prefix = unique("sslive")
        self.extra = list(extra)
        self.lcores = lcores
        # A hugetlbfs mount (hugepages()): memory a secondary process can attach to.
        self.huge_dir = huge_dir
        self.proc = None
        self.mac = None
        self.ready_line = None
        self.stdout = ""
        self.stderr_file = None
        self.rc = None
        self.died_in = None

    # -- life cycle ---------------------------------------------------------

    def start(self):
        _run(["ip", "netns", "add", self.ns])
        try:
            self._start_process()
            self._configure_kernel_side()
        except BaseException:
            self.cleanup()
            raise
        return self

    def _start_process(self):
        cmd = ["ip", "netns", "exec", self.ns, BIN]
        cmd += eal_args(self.prefix, ["net_tap0,iface=" + self.tap], self.lcores,
                        huge_dir=self.huge_dir)
        cmd += ["--", "--ipv4", APP_IP4 + "/24", "--ipv6", APP_IP6 + "/64"] + self.extra
        self.stderr_file = tempfile.TemporaryFile(mode="w+")
        # `ip netns exec` execs the binary: the pid is smallsrv's own.
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.stderr_file)
        Appliance.running.append(self)
        self.ready_line = self._read_until(lambda line: line.startswith("ready"),
                                           READY_TIMEOUT)
        m = re.search(r"port 0 ([0-9A-Fa-f:]{17}) mtu", self.ready_line)
        assert m, "no MAC address in the ready line: " + self.ready_line
        self.mac = m.group(1).lower()

    def _read_until(self, done, timeout):
        """Read stdout lines until done(line) is true; fail if the process dies."""
        fd = self.proc.stdout.fileno()
        deadline = monotonic() + timeout
        buf = b""
        while True:
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                text = line.decode(errors="replace")
                self.stdout += text + "\n"
                if done(text):
                    return text
            left = deadline - monotonic()
            if left <= 0:
                raise AssertionError("no ready line within %.0f s\nstdout: %s\nstderr: %s"
                                     % (timeout, self.stdout, stderr_tail(self._stderr())))
            r, _, _ = select.select([fd], [], [], left)
            if not r:
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                rc = self.proc.wait(timeout=STOP_TIMEOUT)
                raise AssertionError("smallsrv exited with %d before it was ready\n"
                                     "stdout: %s\nstderr: %s"
                                     % (rc, self.stdout + buf.decode(errors="replace"),
                                        stderr_tail(self._stderr())))
            buf += chunk

    def _configure_kernel_side(self):
        batch = "\n".join([
            "link set %s address %s" % (self.tap, PEER_MAC),
            # A deep queue towards the appliance: a burst from a Python loop
            # must not be dropped by the kernel before the appliance sees it.
            "link set %s txqueuelen 10000" % self.tap,
            "link set %s up" % self.tap,
            "addr add %s/24 dev %s" % (PEER_IP4, self.tap),
            "addr add %s/64 dev %s nodad" % (PEER_IP6, self.tap),
            # net_tap gave the TAP the port's MAC, and the kernel its link-local
            # address from it: the appliance's own (it defends it). The kernel's
            # follows the peer's MAC instead.
            "addr flush dev %s scope link" % self.tap,
            "addr add %s/64 dev %s nodad" % (link_local(PEER_MAC), self.tap),
            "link set lo up",
        ]) + "\n"
        r = subprocess.run(["ip", "-n", self.ns, "-batch", "-"], input=batch,
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, "configuring %s in %s: %s" % (self.tap, self.ns, r.stderr)

    def _stderr(self):
        if self.stderr_file is None:
            return ""
        self.stderr_file.seek(0)
        return self.stderr_file.read()

    def stop(self):
        """SIGTERM, wait, and return the summary it printed as a dict."""
        assert self.proc is not None
        if self.rc is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                out, _ = self.proc.communicate(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                out, _ = self.proc.communicate(timeout=STOP_TIMEOUT)
                raise AssertionError("smallsrv did not stop within %.0f s of SIGTERM"
                                     % STOP_TIMEOUT)
            self.stdout += out.decode(errors="replace")
            self.rc = self.proc.returncode
        # Under the sanitizers, a report ends the process with a status of its own:
        # at once (halt on error), or at exit for LeakSanitizer's.
        assert self.rc == 0, "smallsrv exited with %d\nstdout: %s\nstderr:\n%s" % (
            self.rc, self.stdout, stderr_tail(self._stderr()))
        assert "smallsrv: stopped after" in self.stdout, \
            "no summary on exit\nstdout: %s\nstderr:\n%s" % (self.stdout,
                                                             stderr_tail(self._stderr()))
        return parse_summary(self.stdout)

    def check_alive(self, test):
        """Fail if the process ended without stop(): the first time with its
        exit status and stderr (a sanitizer report shows there), naming test
        as the one it died in; after that, at once, naming that test."""
        if self.proc is None or self.rc is not None or self.proc.poll() is None:
            return
        if self.died_in is not None:
            raise AssertionError("smallsrv (%s) exited with %d during %s" % (
                self.ns, self.proc.returncode, self.died_in))
        self.died_in = test
        raise AssertionError("smallsrv (%s) exited with %d during this test\nstderr:\n%s" % (
            self.ns, self.proc.returncode, stderr_tail(self._stderr())))

    def cleanup(self):
        if self in Appliance.running:
            Appliance.running.remove(self)
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=STOP_TIMEOUT)
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()
        if self.stderr_file is not None:
            self.stderr_file.close()
            self.stderr_file = None
        _run(["ip", "netns", "del", self.ns], check=False)
        shutil.rmtree("/var/run/dpdk/" + self.prefix, ignore_errors=True)
        if self.huge_dir is not None:
            # EAL leaves its page files for the next run of the prefix to reuse.
            for name in os.listdir(self.huge_dir):
                if name.startswith(self.prefix + "map_"):
                    os.unlink(os.path.join(self.huge_dir, name))

    # -- observing -----------------------------------------------------------

    def telemetry(self, cmd):
        path = "/var/run/dpdk/%s/dpdk_telemetry.v2" % self.prefix
        return telemetry_query(path, cmd)

    def counters(self):
        """stats, drops and services merged in one flat dict."""
        c = {}
        for cmd in ("/smallsrv/stats", "/smallsrv/drops", "/smallsrv/services"):
            c.update(self.telemetry(cmd))
        return c

    # -- the kernel side -----------------------------------------------------

    def socket(self, family=socket.AF_INET, type=socket.SOCK_DGRAM, proto=0):
        with netns(self.ns):
            return socket.socket(family, type, proto)

    def exec(self, args, timeout=30, check=True, env=None):
        cmd = ["ip", "netns", "exec", self.ns] + list(args)
        r = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env)
        # Decoded by hand: text mode would turn CR LF into LF.
        r.stdout = r.stdout.decode(errors="replace")
        r.stderr = r.stderr.decode(errors="replace")
        if check and r.returncode != 0:
            raise AssertionError("%s: exit %d\nstdout: %s\nstderr: %s" % (
                " ".join(cmd), r.returncode, r.stdout, r.stderr))
        return r

    def neighbour(self, addr):
        r = self.exec(["ip", "-j", "neigh", "show", "to", addr, "dev", self.tap])
        entries = json.loads(r.stdout or "[]")
        return entries[0] if entries else None

    def l2(self):
        return L2Socket(self)

    def tap_stats(self):
        """The kernel's counters of its side of the TAP: {"rx": {...}, "tx": {...}}
        (tx: towards the appliance; tx dropped: its queue to the appliance was full)."""
        r = self.exec(["ip", "-s", "-j", "link", "show", "dev", self.tap])
        return json.loads(r.stdout)[0]["stats64"]


def udp_exchange(sock, addr, payload, timeout=2.0):
    """Send one datagram on a kernel socket and return the reply's bytes."""
    sock.settimeout(timeout)
    sock.sendto(payload, addr)
    data, peer = sock.recvfrom(65535)
    assert peer[0] == addr[0] and peer[1] == addr[1], "reply from %r" % (peer,)
    return data


class NoFrame(AssertionError):
    """The frame waited for did not come."""


class L2Socket:
    """A packet socket on the kernel side of the TAP: raw frames to and from
    the appliance, for what the kernel will not send (spoofed addresses and
    ports)."""

    def __init__(self, app, only_to=None, send_only=False):
        """only_to: receive only frames to this IP address (a filter in the
        kernel: a flow's peer need not wade through a busy link in Python).
        send_only: receive nothing at all."""
        self.app = app
        with netns(app.ns):
            # Protocol 0 receives nothing until bind names one: the filter
            # is in place before the first frame is queued.
            self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
        if send_only:
            self.sock.bind((app.tap, 0))
            return
        self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20)
        if only_to is not None:
            _attach_dst_filter(self.sock, only_to)
        self.sock.bind((app.tap, ETH_P_ALL))

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, frame):
        self.sock.send(bytes(frame))

    def drain(self):
        self.sock.setblocking(False)
        try:
            while True:
                self.sock.recvfrom(65535)
        except BlockingIOError:
            pass
        finally:
            self.sock.setblocking(True)

    def receive(self, until, timeout=3.0):
        """Frames from the appliance's MAC, as raw bytes, until until(frame) is
        true for one of them (that one is returned last). Raises on timeout."""
        mac = bytes.fromhex(self.app.mac.replace(":", ""))
        got = []
        deadline = monotonic() + timeout
        while True:
            left = deadline - monotonic()
            if left <= 0:
                raise NoFrame("no expected frame within %.1f s (%d other frames "
                              "from the appliance)" % (timeout, len(got)))
            self.sock.settimeout(left)
            try:
                data, addr = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            if addr[2] == PACKET_OUTGOING or data[6:12] != mac:
                continue
            got.append(data)
            if until(data):
                return got

    def barrier(self, timeout=3.0, neighbour=False):
        """Everything the appliance sent in reply to what was sent before.

        A single worker serves the TAP's one queue in order, so once the reply
        to a marker echo request is back, any reply to an earlier frame would
        be back too: "no reply" needs no waiting for a silence. ARP replies
        and neighbour advertisements answer the kernel's own resolution at
        any time: they are left out unless neighbour is true."""
        from scapy.layers.inet import IP, UDP
        from scapy.layers.l2 import Ether
        token = os.urandom(12)
        # A kernel socket on the marker's port takes the echo reply quietly.
        sink = self.app.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sink.bind((PEER_IP4, 0))
            port = sink.getsockname()[1]
            self.send(Ether(src=PEER_MAC, dst=self.app.mac) /
                      IP(src=PEER_IP4, dst=APP_IP4) / UDP(sport=port, dport=7) / token)
            got = self.receive(lambda f: f.endswith(token) and f[12:14] == b"\x08\x00",
                               timeout)
        finally:
            sink.close()
        return [f for f in got[:-1] if neighbour or not is_neighbour_reply(f)]


SO_ATTACH_FILTER = 26


def _attach_dst_filter(sock, addr):
    """A classic BPF program on sock: accept Ethernet frames whose IPv4 or
    IPv6 destination is addr, nothing else."""
    def ins(code, jt, jf, k):
        return struct.pack("=HBBI", code, jt, jf, k)
    ld_h, ld_w, jeq, ret = 0x28, 0x20, 0x15, 0x06
    if ":" in addr:
        words = struct.unpack("!4I", socket.inet_pton(socket.AF_INET6, addr))
        prog = [ins(ld_h, 0, 0, 12), ins(jeq, 0, 9, 0x86dd)]
        for i, w in enumerate(words):
            prog += [ins(ld_w, 0, 0, 38 + 4 * i), ins(jeq, 0, 7 - 2 * i, w)]
    else:
        word = struct.unpack("!I", socket.inet_pton(socket.AF_INET, addr))[0]
        prog = [ins(ld_h, 0, 0, 12), ins(jeq, 0, 3, 0x0800), ins(ld_w, 0, 0, 30),
                ins(jeq, 0, 1, word)]
    prog += [ins(ret, 0, 0, 0x40000), ins(ret, 0, 0, 0)]
    buf = ctypes.create_string_buffer(b"".join(prog))
    fprog = struct.pack("HxxxxxxQ", len(prog), ctypes.addressof(buf))
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)


def is_neighbour_reply(f):
    """An ARP reply, or an ICMPv6 neighbour advertisement without extension headers."""
    if f[12:14] == b"\x08\x06":
        return True
    return f[12:14] == b"\x86\xdd" and len(f) > 54 and f[20] == 58 and f[54] == 136


TIME_OFFSET = 2208988800  # 1900-01-01 to 1970-01-01 in seconds
CLOCK_SLACK = 3  # seconds: the appliance refreshes its clock once a second
BSD_DAYTIME = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) "
                         r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                         r"([ 12]\d|3[01]) (\d\d):(\d\d):(\d\d) (\d{4})\r\n$")
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def parse_bsd_daytime(text):
    m = BSD_DAYTIME.match(text)
    assert m, "not a bsd daytime line: %r" % text
    wday, mon, day, hh, mi, ss, year = m.groups()
    t = calendar.timegm((int(year), MONTHS.index(mon) + 1, int(day), int(hh), int(mi),
                         int(ss), 0, 0, 0))
    assert time.strftime("%a", time.gmtime(t)) == wday, "wrong weekday in %r" % text
    return t


def delta(before, after, *names):
    return {n: after[n] - before[n] for n in names}




# -- TCP ---------------------------------------------------------------------

FAMILY = {4: (socket.AF_INET, APP_IP4, PEER_IP4), 6: (socket.AF_INET6, APP_IP6, PEER_IP6)}

# RFC 864's stream repeats every 95 lines of 74 bytes: byte k of it is a pure
# function of k (docs/protocols.md, "chargen (RFC 864)"), so one cycle checks
# a stream of any length.
CHARGEN_CYCLE = bytes(13 if k % 74 == 72 else 10 if k % 74 == 73 else
                      0x20 + ((k // 74) % 95 + k % 74) % 95 for k in range(95 * 74))


def chargen_expected(offset, length):
    """length bytes of the chargen stream from stream offset `offset`."""
    start = offset % len(CHARGEN_CYCLE)
    reps = (start + length) // len(CHARGEN_CYCLE) + 1
    return (CHARGEN_CYCLE * reps)[start:start + length]


def wait_until(cond, timeout, what):
    """Poll cond() (e.g. a telemetry reading) until it is true; its last value."""
    deadline = monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        if monotonic() > deadline:
            raise AssertionError("not within %.1f s: %s" % (timeout, what))
        time.sleep(0.01)


FAM = {4: "ipv4", 6: "ipv6"}
MB = 1 << 20


def tcp_stats(app):
    """/smallsrv/tcp, /smallsrv/services, /smallsrv/drops and /smallsrv/stats in one dict."""
    c = app.telemetry("/smallsrv/tcp")
    c.update(app.telemetry("/smallsrv/services"))
    c.update(app.telemetry("/smallsrv/drops"))
    c.update(app.telemetry("/smallsrv/stats"))
    return c


def wait_closed(app, svc, v, before, n=1):
    """The appliance counted n more of svc's connections as closed."""
    key = "%s_%s_closed" % (svc, FAM[v])
    return wait_until(lambda: (lambda c: c if c[key] - before[key] >= n else None)(
        tcp_stats(app)), 5, "%d more %s" % (n, key))


def sender(sock, data, half_close):
    """Write data from a thread (the echo comes back while we write); errors kept."""
    err = []

    def run():
        try:
            sock.sendall(data)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except Exception as e:  # reported by the test
            err.append(e)
    t = threading.Thread(target=run)
    t.start()
    return t, err


def tcp_connect(app, v, port, timeout=5.0, rcvbuf=None, sndbuf=None):
    """A kernel TCP socket in the appliance's namespace, connected to port."""
    fam, addr, _ = FAMILY[v]
    s = app.socket(fam, socket.SOCK_STREAM)
    try:
        s.settimeout(timeout)
        if rcvbuf is not None:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        if sndbuf is not None:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, sndbuf)
        s.connect((addr, port))
    except BaseException:
        s.close()
        raise
    return s


def recv_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(min(n - len(buf), 1 << 20))
        if not chunk:
            raise AssertionError("EOF after %d of %d bytes" % (len(buf), n))
        buf += chunk
    return bytes(buf)


def recv_to_eof(sock, limit=1 << 30):
    """Everything until the peer's FIN. A RST raises ConnectionResetError."""
    buf = bytearray()
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            return bytes(buf)
        buf += chunk
        assert len(buf) <= limit, "more than %d bytes and no EOF" % limit


class Nft:
    """nftables rules in the appliance's namespace: netdev hooks on the
    kernel side of the TAP. Egress is what the kernel sends to the appliance,
    ingress what the appliance sends to the kernel."""

    def __init__(self, app, table="smallsrv_test"):
        self.app, self.table = app, table

    def load(self, egress=(), ingress=()):
        chains = []
        for hook, rules in (("egress", egress), ("ingress", ingress)):
            if rules:
                chains.append("  chain %s { type filter hook %s device %s priority 0;\n%s\n  }"
                              % (hook, hook, self.app.tap,
                                 "\n".join("    %s;" % r for r in rules)))
        text = "table netdev %s {\n%s\n}\n" % (self.table, "\n".join(chains))
        r = subprocess.run(["ip", "netns", "exec", self.app.ns, "nft", "-f", "-"], input=text,
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, "nft: %s\n%s" % (r.stderr, text)

    def delete(self):
        self.app.exec(["nft", "delete", "table", "netdev", self.table], check=False)

    def counters(self):
        """{"egress"|"ingress": packets} counted by the rules' counter statements."""
        r = self.app.exec(["nft", "-j", "list", "table", "netdev", self.table])
        out = {}
        for item in json.loads(r.stdout)["nftables"]:
            rule = item.get("rule")
            if rule is None:
                continue
            for e in rule.get("expr", []):
                if "counter" in e:
                    out[rule["chain"]] = out.get(rule["chain"], 0) + e["counter"]["packets"]
        return out


class RawPeer:
    """A TCP peer played with scapy through a packet socket, for what a
    kernel socket will not do (zero windows forever, segments out of order,
    forged RSTs). Its address is one the kernel does not own: the kernel
    drops the appliance's answers to it (not for it, no forwarding) instead
    of resetting a connection it knows nothing of, while the packet socket
    still sees them."""

    def __init__(self, app, v, dport, src=None, sport=None):
        import random
        self.app, self.v, self.dport = app, v, dport
        self.src = src or (("203.0.113.%d" % random.randint(1, 254)) if v == 4 else
                           "2001:db8:1::%x" % random.randint(1, 0xfffe))
        self.dst = APP_IP4 if v == 4 else APP_IP6
        self.sport = sport or random.randint(20000, 60000)
        self.iss = random.getrandbits(32)
        self.snd_nxt = self.iss
        self.rcv_nxt = None
        self.irs = None
        self.l2 = L2Socket(app, only_to=self.src)

    def close(self):
        self.l2.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, flags, payload=b"", seq=None, ack=None, window=65535, options=()):
        from scapy.layers.inet import IP, TCP
        from scapy.layers.inet6 import IPv6
        from scapy.layers.l2 import Ether
        ip = IP(src=self.src, dst=self.dst) if self.v == 4 else IPv6(src=self.src, dst=self.dst)
        seq = self.snd_nxt if seq is None else seq
        if ack is None:
            ack = self.rcv_nxt or 0
        self.l2.send(Ether(src=PEER_MAC, dst=self.app.mac) / ip /
                     TCP(sport=self.sport, dport=self.dport, flags=flags, seq=seq % 2**32,
                         ack=ack % 2**32, window=window, options=list(options)) / payload)

    def mine(self, frame):
        """The frame as a scapy packet if it is a TCP segment of this flow."""
        from scapy.layers.inet import TCP
        from scapy.layers.l2 import Ether
        p = Ether(frame)
        if TCP not in p or p[TCP].sport != self.dport or p[TCP].dport != self.sport:
            return None
        return p

    def receive(self, until, timeout=3.0):
        """This flow's segments from the appliance (scapy TCP layers) until
        until(tcp) is true for one, which is the last of the list."""
        from scapy.layers.inet import TCP
        got = []

        def done(frame):
            p = self.mine(frame)
            if p is None:
                return False
            got.append(p[TCP])
            return until(p[TCP])
        self.l2.receive(done, timeout)
        return got

    def handshake(self, window=65535, ack_window=None, options=(("MSS", 1460),)):
        """SYN, SYN-ACK, ACK; returns the SYN-ACK."""
        self.send("S", window=window, options=options)
        synack = self.receive(lambda t: t.flags.S and t.flags.A)[-1]
        assert synack.ack == (self.iss + 1) % 2**32, "SYN-ACK acks %d" % synack.ack
        self.snd_nxt = self.iss + 1
        self.irs = synack.seq
        self.rcv_nxt = (synack.seq + 1) % 2**32
        self.send("A", window=window if ack_window is None else ack_window)
        return synack


def payload_len(t):
    """Payload bytes of a scapy TCP layer (Ethernet padding left out)."""
    from scapy.layers.inet import IP
    ip = t.underlayer
    if isinstance(ip, IP):
        return ip.len - ip.ihl * 4 - t.dataofs * 4
    return ip.plen - t.dataofs * 4


def payload(t):
    return bytes(t.payload)[:payload_len(t)]


# -- raw frames for abuse ------------------------------------------------------

# The default loop-guard ports (config.c, LOOP_GUARD_DEFAULT).
LOOP_PORTS = [0, 7, 9, 11, 13, 17, 19, 37, 53, 69, 123, 161]
BCAST_MAC = "ff:ff:ff:ff:ff:ff"


def udp_frame(app, v6, sport, dport, payload=b"", src=None, dst=None, mac=None):
    """A UDP request as a scapy frame, from the kernel's side unless told."""
    from scapy.layers.inet import IP, UDP
    from scapy.layers.inet6 import IPv6
    from scapy.layers.l2 import Ether
    ip = (IPv6(src=src or PEER_IP6, dst=dst or APP_IP6) if v6 else
          IP(src=src or PEER_IP4, dst=dst or APP_IP4))
    return Ether(src=PEER_MAC, dst=mac or app.mac) / ip / UDP(sport=sport, dport=dport) / payload


BCAST4 = [
    ("192.0.2.255", BCAST_MAC, "ipv4_dst_broadcast"),   # directed broadcast (Fraggle)
    ("192.0.2.255", None, "ipv4_dst_broadcast"),        # ... in a unicast frame
    ("255.255.255.255", BCAST_MAC, "ipv4_dst_broadcast"),
    ("224.0.0.1", "01:00:5e:00:00:01", "ipv4_dst_multicast"),
    ("239.1.2.3", "01:00:5e:01:02:03", "ipv4_dst_multicast"),
    (APP_IP4, BCAST_MAC, "ipv4_l2_broadcast"),          # unicast IP, broadcast frame
]
BCAST6 = [
    ("ff02::1", "33:33:00:00:00:01", "ipv6_dst_multicast"),
    ("ff02::1:ff00:1", "33:33:ff:00:00:01", "ipv6_dst_multicast"),  # our solicited-node group
    ("ff05::2", "33:33:00:00:00:02", "ipv6_dst_multicast"),
    (APP_IP6, "33:33:00:00:00:01", "ipv6_l2_multicast"),
]

MARTIANS4 = ["127.0.0.1", "0.0.0.0", "0.1.2.3", "224.0.0.1", "240.0.0.1",
             "255.255.255.255", "192.0.2.255", APP_IP4]
MARTIANS6 = ["::1", "::", "::ffff:192.0.2.254", "ff02::1", APP_IP6]


def inet_csum(data):
    """The Internet checksum (RFC 1071) of data."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def syn_frames(app, v, dport, n):
    """n SYNs from random spoofed sources (198.51.100.0/24 or 2001:db8:f::/48),
    built by hand: scapy would take seconds for thousands."""
    dst_mac = bytes.fromhex(app.mac.replace(":", ""))
    src_mac = bytes.fromhex(PEER_MAC.replace(":", ""))
    frames = []
    for _ in range(n):
        sport, seq = random.randint(1024, 65535), random.getrandbits(32)
        tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 6 << 4, 0x02, 64240, 0, 0) + \
            b"\x02\x04\x05\xb4"
        if v == 4:
            src = bytes([198, 51, 100, random.randint(1, 254)])
            dst = socket.inet_pton(socket.AF_INET, APP_IP4)
            ck = inet_csum(src + dst + struct.pack("!BBH", 0, 6, len(tcp)) + tcp)
            tcp = tcp[:16] + struct.pack("!H", ck) + tcp[18:]
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0,
                             src, dst)
            ip = ip[:10] + struct.pack("!H", inet_csum(ip)) + ip[12:]
            frames.append(dst_mac + src_mac + b"\x08\x00" + ip + tcp)
        else:
            src = socket.inet_pton(socket.AF_INET6, "2001:db8:f:%x:%x::%x" % (
                random.getrandbits(16), random.getrandbits(16), random.randint(1, 0xffff)))
            dst = socket.inet_pton(socket.AF_INET6, APP_IP6)
            ck = inet_csum(src + dst + struct.pack("!IxxxB", len(tcp), 6) + tcp)
            tcp = tcp[:16] + struct.pack("!H", ck) + tcp[18:]
            ip = struct.pack("!IHBB16s16s", 6 << 28, len(tcp), 6, 64, src, dst)
            frames.append(dst_mac + src_mac + b"\x86\xdd" + ip + tcp)
    return frames


def check_quote(q):
    """A qotd reply: printable ASCII under 512 bytes, every line ending CR LF."""
    assert 0 < len(q) < 512, q
    assert q.endswith(b"\r\n"), q
    assert all(0x20 <= c <= 0x7e or c in b"\r\n" for c in q), q
    # Every line ends CR LF: no bare LF, no bare CR.
    assert q.count(b"\n") == q.count(b"\r\n") == q.count(b"\r"), q


# -- loss --------------------------------------------------------------------------

NOT_OURS = "02:00:00:00:00:01"  # a MAC that is not the appliance's


def lose(percent, match="meta l4proto tcp"):
    """The egress and ingress rules (for Nft.load) that lose percent % of
    what match matches. Ingress (appliance to kernel) drops. Egress cannot:
    the kernel learns of a drop on its own way out at once and sends the
    segment again, so nothing is lost; the rule rewrites the destination
    MAC instead, and the appliance drops the frame as not its own
    (eth_not_ours), a real loss."""
    pick = "%s numgen random mod 100 < %d counter" % (match, percent)
    return ["%s ether daddr set %s" % (pick, NOT_OURS)], ["%s drop" % pick]


def one_segment_per_packet(app):
    """No GSO on the TAP: a loss rule acts on segments, not 64 KB bursts of them."""
    app.exec(["ip", "link", "set", "dev", app.tap, "gso_max_segs", "1"])
