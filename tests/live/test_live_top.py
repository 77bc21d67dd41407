"""scripts/smallsrv-top against a running appliance under UDP echo load: its
--lines output, and its screen in a real terminal (tmux: send-keys, capture-pane)."""
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager

import pytest

from common import APP_IP4, ROOT, unique
from livelib import monotonic, wait_until

TOP = os.path.join(ROOT, "scripts", "smallsrv-top")
PYTHON = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else sys.executable
TRAFFIC_MAX_S = 60.0  # the load thread ends by itself after this, whatever happens
LOGFMT = re.compile(r"^[a-z0-9_]+=\S+$")


@contextmanager
def echo_load(app):
    """UDP echo from a kernel socket in a thread, a few hundred a second, until
    the body ends (or TRAFFIC_MAX_S); yields a list holding the replies seen."""
    sock = app.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(0.5)
    stop = threading.Event()
    replies = [0]

    def run():
        end = monotonic() + TRAFFIC_MAX_S
        while not stop.is_set() and monotonic() < end:
            try:
                sock.sendto(b"smallsrv-top load", (APP_IP4, 7))
                sock.recvfrom(2048)
                replies[0] += 1
            except OSError:
                pass
            stop.wait(0.003)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    try:
        yield replies
    finally:
        stop.set()
        t.join(timeout=5)
        sock.close()


def parse_line(line):
    """A --lines line as a dict of its fields (every field NAME=VALUE)."""
    fields = line.split()
    assert fields and all(LOGFMT.match(f) for f in fields), "not logfmt: %r" % line
    d = dict(f.split("=", 1) for f in fields)
    for k, v in d.items():
        if k != "ts":
            float(v)
    return d


def test_lines_under_load(app):
    # No appliance on the prefix: one line on stderr, status 1.
    r = subprocess.run([PYTHON, TOP, "--lines", "--file-prefix", unique("ssnone")],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 1 and r.stdout == "", r
    assert len(r.stderr.splitlines()) == 1 and "no appliance running" in r.stderr, r.stderr

    proc = subprocess.Popen([PYTHON, TOP, "--lines", "--interval", "0.2",
                             "--file-prefix", app.prefix],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines = []
    try:
        with echo_load(app) as replies:
            wait_until(lambda: replies[0] > 0, 10, "a first echo reply")
            fd = proc.stdout.fileno()
            deadline = monotonic() + 20
            buf = b""
            found = None
            while found is None:
                left = deadline - monotonic()
                assert left > 0, "no line with an echo rate > 0 within 20 s: %r" % lines
                r, _, _ = select.select([fd], [], [], left)
                if not r:
                    continue
                chunk = os.read(fd, 65536)
                assert chunk, "smallsrv-top ended: %r %r" % (lines, proc.stderr.read())
                buf += chunk
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    lines.append(line.decode())
                    d = parse_line(lines[-1])
                    assert float(d["dt"]) > 0
                    for k in ("port0_rx_pkts", "port0_tx_bytes", "port0_imissed",
                              "tcp_accepted", "tcp_active", "tcp_retransmits"):
                        assert k in d, "%s missing: %r" % (k, lines[-1])
                    if float(d.get("echo_udp_requests", 0)) > 0:
                        found = d
        assert float(found["echo_udp_replies"]) > 0, found
        assert float(found["echo_udp_bytes_in"]) > 0, found
        assert float(found["port0_rx_pkts"]) > 0, found
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
            raise
        finally:
            proc.stdout.close()
            proc.stderr.close()
    assert rc == 0, rc


class Tmux:
    """A tmux server of its own (private socket, no configuration file)."""

    def __init__(self):
        self.socket = unique("sstop")
        self.env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
        self.env.setdefault("TERM", "xterm")

    def __call__(self, *args, check=True):
        r = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null"] + list(args),
                           capture_output=True, text=True, timeout=10, env=self.env)
        if check:
            assert r.returncode == 0, "tmux %s: %s" % (" ".join(args), r.stderr)
        return r

    def kill(self):
        self("kill-server", check=False)
        # The server leaves its socket file behind.
        path = os.path.join(self.env.get("TMUX_TMPDIR", "/tmp"), "tmux-%d" % os.getuid(),
                            self.socket)
        if os.path.exists(path):
            os.unlink(path)


def test_screen_in_tmux(app, tmp_path):
    if shutil.which("tmux") is None:
        pytest.fail("no tmux (scripts/setup.sh installs it)")
    tmux = Tmux()
    status_file = tmp_path / "status"
    try:
        # remain-on-exit: the pane stays after the command, to be read once more.
        tmux("start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";",
             "new-session", "-d", "-s", "top", "-x", "120", "-y", "40",
             "%s %s --interval 0.2 --file-prefix %s; echo $? > %s"
             % (PYTHON, TOP, app.prefix, status_file))

        def pane():
            return tmux("capture-pane", "-p", "-t", "top").stdout

        def dead():
            return tmux("display-message", "-p", "-t", "top", "#{pane_dead}").stdout.strip() == "1"

        screens = []

        def echo_rate_shown():
            s = pane()
            screens.append(s)
            assert not dead(), "smallsrv-top ended:\n" + s
            for heading in ("PORT", "SERVICE", "TCP", "DROPS", "requests", "imissed"):
                if heading not in s:
                    return False
            m = re.search(r"^echo\s+udp\s+(\S+)\s+(\S+)", s, re.M)
            return m is not None and m.group(1) != "0" and m.group(2) != "0"

        with echo_load(app):
            try:
                wait_until(echo_rate_shown, 20, "an echo rate > 0 on the screen")
            except AssertionError:
                raise AssertionError("no echo rate on screen; last:\n%s"
                                     % (screens[-1] if screens else ""))
        tmux("send-keys", "-t", "top", "q")
        wait_until(dead, 10, "smallsrv-top ending on q")
        s = pane()
        assert status_file.read_text().strip() == "0", s
        # The alternate screen was left: the screen shows no table any more.
        assert "SERVICE" not in s, s
    finally:
        tmux.kill()
