"""scripts/smallsrv-exporter against a running appliance: the Prometheus text
format it serves, a counter the test's own traffic moved, 503 when there is no
appliance, and Debian's real `prometheus` scraping it (queried through its
HTTP API). Everything listens on 127.0.0.1: the exporter reads the telemetry
unix socket, which no network namespace hides."""
import importlib.machinery
import importlib.util
import json
import math
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from common import APP_IP4, APP_IP6
from livelib import monotonic, udp_exchange

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXPORTER = os.path.join(ROOT, "scripts", "smallsrv-exporter")
PYTHON = "/usr/bin/python3"  # what the systemd unit runs it with
PROMETHEUS = shutil.which("prometheus") or "/usr/bin/prometheus"
START_TIMEOUT = 15.0
PROM_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0

NAME_RE = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
LABEL_NAME_RE = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
SAMPLE_RE = re.compile(r"^([^\s{]+)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$")
LABEL_RE = re.compile(r'([^=,\s]+)="((?:[^"\\\n]|\\.)*)"(,|$)')
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def unescape(v):
    out, i = [], 0
    while i < len(v):
        if v[i] == "\\":
            nxt = v[i + 1]
            assert nxt in '\\"n', "bad escape \\%s in label value %r" % (nxt, v)
            out.append("\n" if nxt == "n" else nxt)
            i += 2
        else:
            out.append(v[i])
            i += 1
    return "".join(out)


def parse_exposition(text):
    """Check text against the Prometheus text format (0.0.4) and return
    {(name, frozenset(labels.items())): value} and {family: type}."""
    assert text.endswith("\n"), "the exposition does not end with a newline"
    types, helps, samples, done = {}, {}, {}, set()
    current = None
    for n, line in enumerate(text.splitlines(), 1):
        where = "line %d: %r" % (n, line)
        assert line.strip(), "empty line: " + where
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                name = parts[2]
                assert NAME_RE.match(name), "bad metric name: " + where
                if parts[1] == "TYPE":
                    assert len(parts) == 4 and parts[3] in TYPES, "bad TYPE: " + where
                    assert name not in types, "second TYPE: " + where
                    assert name not in done, "TYPE after the family's samples: " + where
                    types[name] = parts[3]
                else:
                    assert name not in helps, "second HELP: " + where
                    assert len(parts) == 4 and parts[3], "empty HELP: " + where
                    helps[name] = parts[3]
                if current is not None and current != name:
                    done.add(current)
                current = name
            continue
        m = SAMPLE_RE.match(line)
        assert m, "not a sample: " + where
        name, labels_text, value = m.group(1), m.group(2), m.group(3)
        assert NAME_RE.match(name), "bad metric name: " + where
        assert name in types, "a sample with no TYPE before it: " + where
        assert name not in done, "the family's samples are not together: " + where
        if current != name:
            done.add(current)
            current = name
        labels = {}
        if labels_text:
            pos = 0
            while pos < len(labels_text):
                lm = LABEL_RE.match(labels_text, pos)
                assert lm, "bad labels at %d: %s" % (pos, where)
                assert LABEL_NAME_RE.match(lm.group(1)), "bad label name: " + where
                assert lm.group(1) not in labels, "label twice: " + where
                labels[lm.group(1)] = unescape(lm.group(2))
                pos = lm.end()
        v = float(value)
        assert not math.isnan(v), "NaN: " + where
        if types[name] == "counter":
            assert name.endswith("_total"), "a counter not named _total: " + where
            assert v >= 0, "a negative counter: " + where
        key = (name, frozenset(labels.items()))
        assert key not in samples, "the same series twice: " + where
        samples[key] = v
    for name in types:
        assert name in helps, "no HELP for " + name
    return samples, types


def value(samples, name, **labels):
    want = frozenset((k, str(v)) for k, v in labels.items())
    hits = [v for (n, ls), v in samples.items() if n == name and ls == want]
    assert len(hits) == 1, "no series %s%r in the exposition" % (name, labels)
    return hits[0]


def http_get(url, timeout=5.0):
    """(status, headers, body) of a GET, an error status included."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.headers, e.read().decode()


class Exporter:
    """scripts/smallsrv-exporter on 127.0.0.1, on a port it chose itself."""

    def __init__(self, prefix):
        self.proc = subprocess.Popen(
            [PYTHON, EXPORTER, "--file-prefix", prefix, "--listen", "127.0.0.1:0"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            line = self._first_line()
            m = re.search(r"serving http://127\.0\.0\.1:(\d+)/metrics", line)
            assert m, "unexpected first line from the exporter: %r" % line
            self.port = int(m.group(1))
        except BaseException:
            self.stop()
            raise

    def _first_line(self):
        fd = self.proc.stderr.fileno()
        deadline, buf = monotonic() + START_TIMEOUT, b""
        while b"\n" not in buf:
            left = deadline - monotonic()
            assert left > 0, "the exporter said nothing within %.0f s: %r" % (START_TIMEOUT, buf)
            r, _, _ = select.select([fd], [], [], left)
            if r:
                chunk = os.read(fd, 4096)
                assert chunk, "the exporter exited with %s: %r" % (self.proc.wait(5), buf)
                buf += chunk
        line, rest = buf.split(b"\n", 1)
        self.rest = rest
        return line.decode()

    def url(self, path="/metrics"):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def scrape(self):
        status, headers, body = http_get(self.url())
        assert status == 200, "GET /metrics: %d %s" % (status, body)
        assert headers["Content-Type"].startswith("text/plain; version=0.0.4"), headers
        return parse_exposition(body)

    def stop(self):
        """Stop it; what it wrote to stderr after its first line."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=STOP_TIMEOUT)
        rest = getattr(self, "rest", b"")
        rest += self.proc.stderr.read()
        self.proc.stderr.close()
        return rest.decode(errors="replace")


@pytest.fixture(scope="module")
def exporter(app):
    e = Exporter(app.prefix)
    yield e
    e.stop()


def echoes(app, family, addr, n):
    s = app.socket(family, socket.SOCK_DGRAM)
    try:
        for i in range(n):
            p = b"exporter %d" % i
            assert udp_exchange(s, (addr, 7), p) == p
    finally:
        s.close()


ECHO4 = dict(port=0, service="echo", transport="udp", family="ipv4")
ECHO6 = dict(port=0, service="echo", transport="udp", family="ipv6")


def test_format_and_families(app, exporter):
    drops_before = app.telemetry("/smallsrv/drops,0")
    samples, types = exporter.scrape()
    drops_after = app.telemetry("/smallsrv/drops,0")
    for name, mtype in [("smallsrv_rx_packets_total", "counter"),
                        ("smallsrv_tx_bytes_total", "counter"),
                        ("smallsrv_drops_total", "counter"),
                        ("smallsrv_replies_total", "counter"),
                        ("smallsrv_service_requests_total", "counter"),
                        ("smallsrv_service_replies_total", "counter"),
                        ("smallsrv_tcp_connections_accepted_total", "counter"),
                        ("smallsrv_tcp_connections_active", "gauge"),
                        ("smallsrv_tcp_retransmits_total", "counter"),
                        ("smallsrv_tcp_events_total", "counter"),
                        ("smallsrv_port_rx_missed_packets_total", "counter"),
                        ("smallsrv_worker_rx_packets_total", "counter"),
                        ("smallsrv_uptime_seconds", "gauge")]:
        assert types.get(name) == mtype, "%s: %r" % (name, types.get(name))
    # Every drop reason telemetry knows is a label value, with telemetry's own count
    # (the kernel's own IPv6 chatter may move one between the readings).
    for reason, n in drops_before.items():
        v = value(samples, "smallsrv_drops_total", port=0, reason=reason)
        assert n <= v <= drops_after[reason], reason
    assert value(samples, "smallsrv_port_rx_missed_packets_total", port=0) == \
        app.telemetry("/ethdev/stats,0")["imissed"]
    assert value(samples, "smallsrv_uptime_seconds") > 0
    status, _, body = http_get(exporter.url("/nothing"))
    assert status == 404


def test_label_escaping():
    loader = importlib.machinery.SourceFileLoader("smallsrv_exporter", EXPORTER)
    spec = importlib.util.spec_from_loader("smallsrv_exporter", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    m = mod.Metrics()
    nasty = 'a"b\\c\nd'
    m.add("x", "counter", "help with \\ and\nnewline", (("reason", nasty), ("port", 0)), 3)
    text = m.render()
    assert 'reason="a\\"b\\\\c\\nd"' in text, text
    samples, _ = parse_exposition(text)
    assert value(samples, "smallsrv_x_total", reason=nasty, port=0) == 3


def test_udp_echo_counted(app, exporter):
    before, _ = exporter.scrape()
    echoes(app, socket.AF_INET, APP_IP4, 5)
    after, _ = exporter.scrape()
    for name in ("smallsrv_service_requests_total", "smallsrv_service_replies_total"):
        assert value(after, name, **ECHO4) - value(before, name, **ECHO4) == 5, name
    assert value(after, "smallsrv_service_requests_total", **ECHO4) == \
        app.telemetry("/smallsrv/services,0")["echo_udp_ipv4_requests"]
    assert value(after, "smallsrv_rx_packets_total", port=0) - \
        value(before, "smallsrv_rx_packets_total", port=0) >= 5


def test_no_appliance_503():
    e = Exporter("ssnoneXX")
    try:
        for _ in range(2):
            status, _, body = http_get(e.url())
            assert status == 503, (status, body)
            assert body.count("\n") == 1 and "ssnoneXX/dpdk_telemetry.v2" in body, body
    finally:
        err = e.stop()
    # One line for the outage, however many scrapes it lasted.
    assert err.count("no telemetry socket") == 1, err


def poll(cond, timeout, what, interval=0.2):
    """cond() until it is true (a server's HTTP API: not every 10 ms)."""
    deadline = monotonic() + timeout
    while not cond():
        if monotonic() > deadline:
            raise AssertionError("not within %.0f s: %s" % (timeout, what))
        time.sleep(interval)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prom_query(base, query):
    status, _, body = http_get(base + "/api/v1/query?" + urllib.parse.urlencode({"query": query}))
    if status != 200:
        return None
    r = json.loads(body)
    return r["data"]["result"] if r.get("status") == "success" else None


def test_real_prometheus(app, exporter):
    if not os.access(PROMETHEUS, os.X_OK):
        pytest.fail("no prometheus server (Debian package `prometheus`: scripts/setup.sh)")
    tmp = tempfile.mkdtemp(prefix="ss-prom-")
    cfg = os.path.join(tmp, "prometheus.yml")
    with open(cfg, "w") as f:
        f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                "scrape_configs:\n  - job_name: smallsrv\n"
                "    static_configs:\n      - targets: ['127.0.0.1:%d']\n" % exporter.port)
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    log = open(os.path.join(tmp, "prometheus.log"), "w+")
    proc = subprocess.Popen([PROMETHEUS, "--config.file=" + cfg,
                             "--storage.tsdb.path=" + os.path.join(tmp, "data"),
                             "--web.listen-address=127.0.0.1:%d" % port,
                             "--log.level=warn"],
                            stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=tmp)

    def diag():
        log.seek(0)
        targets = http_get(base + "/api/v1/targets")[2] if proc.poll() is None else ""
        return "prometheus exit %s\nlog: %s\ntargets: %s" % (proc.poll(), log.read()[-3000:],
                                                             targets[-2000:])

    try:
        def ready():
            assert proc.poll() is None, diag()
            try:
                return http_get(base + "/-/ready", timeout=2)[0] == 200
            except OSError:
                return False
        poll(ready, PROM_TIMEOUT, "prometheus ready on %s" % base)

        echoes(app, socket.AF_INET6, APP_IP6, 7)
        want = app.telemetry("/smallsrv/services,0")["echo_udp_ipv6_requests"]
        assert want >= 7
        sel = ('smallsrv_service_requests_total{job="smallsrv",port="0",service="echo",'
               'transport="udp",family="ipv6"}')

        def seen():
            assert proc.poll() is None, diag()
            r = prom_query(base, sel)
            return r is not None and len(r) == 1 and float(r[0]["value"][1]) == want
        try:
            poll(seen, PROM_TIMEOUT, "prometheus shows %s == %d" % (sel, want))
        except AssertionError as e:
            raise AssertionError("%s\nlast: %r\n%s" % (e, prom_query(base, sel), diag()))
        up = prom_query(base, 'up{job="smallsrv"}')
        assert up and float(up[0]["value"][1]) == 1, up
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=STOP_TIMEOUT)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
