"""Running smallsrv from the command line, and what a usage error must look like."""
import os
import re
import shutil
import signal
import subprocess
import time

import common
from common import BIN, eal_args, parse_summary, telemetry_query, unique

RUNTIME = "/var/run/dpdk"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ADDR4 = ["--ipv4", "192.0.2.1/24"]
READY_RE = re.compile(common.READY_RE)
# A port of the ready line: id, MAC, MTU, queues, link, addresses.
PORT_RE = re.compile(r"; port (\d+) ([0-9A-Fa-f:]{17}) mtu (\d+) queues (\d+) (" +
                     common.LINK_RE + r")((?: \S+/\d+)*)")


def verbose_eal(prefix, vdevs=("net_null0",), lcores="0"):
    """EAL options as for a real run, at EAL's default log level: if EAL
    starts, it says so ("EAL: ..." lines) and makes its runtime directory."""
    args = eal_args(prefix, vdevs, lcores)
    i = args.index("--log-level")
    return args[:i] + args[i + 2:]


class Result:
    def __init__(self, cmd, rc, out, err, prefix):
        self.cmd, self.rc, self.out, self.err, self.prefix = cmd, rc, out, err, prefix

    def __repr__(self):
        return "%s\nexit %s\nstdout:\n%s\nstderr:\n%s" % (" ".join(self.cmd), self.rc,
                                                         self.out, self.err)


def smallsrv(app_args, eal=None, timeout=20, prefix=None):
    """Run smallsrv to completion. eal: EAL options (default: verbose ones on
    net_null), or [] for none at all. Cleans up the runtime directory."""
    prefix = prefix or unique("sscli")
    if eal is None:
        eal = verbose_eal(prefix)
    cmd = [BIN] + list(eal) + ["--"] + list(app_args)
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        r = Result(cmd, p.returncode, p.stdout, p.stderr, prefix)
        r.eal_started = os.path.exists(os.path.join(RUNTIME, prefix))
        return r
    finally:
        shutil.rmtree(os.path.join(RUNTIME, prefix), ignore_errors=True)


def assert_usage_error(r, *names):
    """Exit status 2, one line on stderr that names every one of names, nothing on
    stdout, and EAL never started."""
    assert r.rc == 2, r
    lines = r.err.splitlines()
    assert len(lines) == 1, "want exactly one line on stderr: %r" % r
    line = lines[0]
    assert line.startswith("smallsrv: error: "), r
    for n in names:
        assert n in line, "the error does not name %r: %s" % (n, line)
    assert r.out == "", r
    assert "EAL:" not in r.out + r.err, "EAL started before the error: %r" % r
    assert not r.eal_started, "EAL made its runtime directory before the error"
    return line


def assert_check_ok(r):
    assert r.rc == 0, r
    assert r.out == "configuration ok\n", r
    assert r.err == "", r
    assert not r.eal_started, "--check started EAL"


class Running:
    """A smallsrv process that serves until stopped, with its ready line."""

    def __init__(self, app_args, vdevs=("net_null0",), lcores="0", ready_timeout=20):
        self.prefix = unique("sscli")
        self.cmd = ([BIN] + eal_args(self.prefix, vdevs, lcores) + ["--"] + list(app_args))
        self.ready_timeout = ready_timeout
        self.before_ready = ""

    def __enter__(self):
        self.p = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
        try:
            self.ready = self._wait_ready()
        except BaseException:
            self._kill()
            raise
        return self

    def _wait_ready(self):
        """Read stdout up to the ready line: raw reads, not readline, since the
        offload lines and the ready line come in one write, and select() would
        not see what a text reader had buffered already."""
        import select
        fd = self.p.stdout.fileno()
        deadline = time.monotonic() + self.ready_timeout
        buf = b""
        while time.monotonic() < deadline:
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                text = line.decode(errors="replace")
                if text.startswith("ready"):
                    # Nothing follows it before the summary: buf is empty.
                    return text
                self.before_ready += text + "\n"  # the offload lines
            r, _, _ = select.select([fd], [], [], 0.5)
            if r:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                buf += chunk
            elif self.p.poll() is not None:
                break
        self._kill()
        raise AssertionError("no ready line within %.0f s: exit %s\nstdout: %s\nstderr: %s" % (
            self.ready_timeout, self.p.returncode, self.before_ready + buf.decode(
                errors="replace"), self.p.stderr.read()))

    @property
    def socket_path(self):
        return os.path.join(RUNTIME, self.prefix, "dpdk_telemetry.v2")

    def telemetry(self, cmd):
        return telemetry_query(self.socket_path, cmd)

    def wait_rx(self, n, timeout=10):
        """Poll /smallsrv/stats until at least n packets were received; their number."""
        deadline = time.monotonic() + timeout
        while True:
            rx = self.telemetry("/smallsrv/stats")["rx_pkts"]
            if rx >= n:
                return rx
            assert time.monotonic() < deadline, "only %d of %d packets within %d s" % (
                rx, n, timeout)
            time.sleep(0.05)

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Signal it and wait: (exit status, rest of stdout, stderr)."""
        self.p.send_signal(sig)
        try:
            out, err = self.p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._kill()
            raise AssertionError("smallsrv did not stop within %d s of %s" % (timeout, sig))
        return self.p.returncode, out, err

    def _kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.communicate()

    def __exit__(self, *exc):
        self._kill()
        shutil.rmtree(os.path.join(RUNTIME, self.prefix), ignore_errors=True)


def summary_consistent(out):
    """The exit summary, checked: rx = tx + not answered, per port and in total."""
    s = parse_summary(out)
    for label, t in list(s["ports"].items()) + [("total", s["total"])]:
        assert t["rx_pkts"] == t["tx_pkts"] + t["not_answered"], (label, t)
    assert sum(s["drops"].values()) == s["total"]["not_answered"]
    return s
