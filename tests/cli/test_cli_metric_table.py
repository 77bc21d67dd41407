"""README.md's table of telemetry fields and exporter metrics ("Operating it",
"Prometheus") against what runs: an appliance serves a capture, then
scripts/smallsrv-exporter's own collect() reads its telemetry socket, and
every metric it emits must be in exactly one row of the table, with that
row's labels and the value telemetry gives the row's field; every field of
every command the table names must be in a row, and every /smallsrv/
command telemetry lists must be named."""
import importlib.machinery
import importlib.util
import itertools
import os
import re
import time

import pytest
from scapy.all import IP, TCP, UDP, Ether, IPv6, raw

from clilib import ADDR4, ROOT, Running
from common import APP_IP4, APP_IP6, PEER_IP4, PEER_IP6, PEER_MAC, write_pcap

README = os.path.join(ROOT, "README.md")
EXPORTER = os.path.join(ROOT, "scripts", "smallsrv-exporter")
APP_MAC = "02:70:63:61:70:00"  # net_pcap's
HEADER = "| telemetry | field | metric | labels |"

# Upper-case names in a field stand for a label's value (or a port number).
PLACEHOLDERS = {"SVC": ("service", "[a-z0-9]+"), "TRANSPORT": ("transport", "udp|tcp"),
                "FAMILY": ("family", "ipv4|ipv6"), "N": (None, r"\d+")}
# Labels whose value the row does not take from its field.
FIXED_LABELS = {"port", "worker", "lcore", "pool"}
SAMPLE_RE = re.compile(r"^(\w+)(?:\{(.*)\})? (\S+)$")
LABEL_RE = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


class Row:
    """One row of the table: its commands, fields, metric names and labels."""

    def __init__(self, line):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert len(cells) == 4, "a row of four cells: %r" % line
        self.line = line
        self.commands = re.findall(r"`(/[^`]+)`", cells[0])
        assert self.commands, "a row without a command: %r" % line
        self.catch_all = re.match(r"(every|any)\b", cells[1]) is not None
        # Backquoted fields; paths and "..." are words for the reader.
        self.fields = [t for t in re.findall(r"`([^`]+)`", cells[1])
                       if "/" not in t and "." not in t]
        self.metrics = [n for t in re.findall(r"`(smallsrv_[^`]+)`", cells[2])
                        for n in expand(t)]
        self.scale = 1000.0 if "÷ 1000" in cells[2] else 1.0
        self.labels = {w.split()[0] for w in cells[3].split(",") if w.strip()}
        # The label a catch-all row's field goes into (kind, reason, event).
        free = self.labels - FIXED_LABELS - {p[0] for p in PLACEHOLDERS.values()}
        assert len(free) <= 1, line
        self.field_label = free.pop() if free else None

    def field_re(self, field):
        """A field with placeholders as a regex, its groups the labels."""
        out, pos = "", 0
        for m in re.finditer(r"(?<![A-Z])(%s)(?![A-Z])" % "|".join(PLACEHOLDERS), field):
            label, pattern = PLACEHOLDERS[m.group(1)]
            out += re.escape(field[pos:m.start()])
            out += "(?P<%s>%s)" % (label, pattern) if label else "(?:%s)" % pattern
            pos = m.end()
        return re.compile("^" + out + re.escape(field[pos:]) + "$")

    def metric_for(self, i, field):
        """The metric name of the row's i-th field (FIELD: the field itself)."""
        if len(self.metrics) == 1 and "FIELD" in self.metrics[0]:
            return self.metrics[0].replace("FIELD", field.replace("_pkts", "_packets"))
        return self.metrics[i] if len(self.metrics) > 1 else self.metrics[0]


def expand(pattern):
    """`a_{x,y}_{p,q}` -> a_x_p, a_x_q, a_y_p, a_y_q: in the order of the fields."""
    parts = re.split(r"\{([^}]*)\}", pattern)
    choices = [[p] if i % 2 == 0 else p.split(",") for i, p in enumerate(parts)]
    return ["".join(c) for c in itertools.product(*choices)]


def table_rows():
    with open(README, encoding="utf-8") as f:
        lines = f.read().splitlines()
    start = lines.index(HEADER)
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append(Row(line))
    return rows


def base(cmd):
    return cmd.split(",")[0]


def ask(cmd):
    """A table command as asked of the appliance: port 0, worker 0."""
    return re.sub(r",[PW]$", ",0", cmd)


def load_exporter():
    loader = importlib.machinery.SourceFileLoader("smallsrv_exporter", EXPORTER)
    spec = importlib.util.spec_from_loader("smallsrv_exporter", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def parse_metrics(text):
    """{family: {frozenset(labels): value}} of the Prometheus text format."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE_RE.match(line)
        assert m, "not a sample: %r" % line
        labels = frozenset(LABEL_RE.findall(m.group(2) or ""))
        out.setdefault(m.group(1), {})[labels] = float(m.group(3))
    return out


def frames():
    """Traffic that moves many counters by different amounts, so that a field
    mapped to the wrong metric shows."""
    def u4(dport, payload):
        return raw(Ether(src=PEER_MAC, dst=APP_MAC) / IP(src=PEER_IP4, dst=APP_IP4) /
                   UDP(sport=40000, dport=dport) / payload)

    def u6(dport, payload):
        return raw(Ether(src=PEER_MAC, dst=APP_MAC) / IPv6(src=PEER_IP6, dst=APP_IP6) /
                   UDP(sport=40000, dport=dport) / payload)
    bad = bytearray(u4(7, b"bad sum"))
    bad[40] ^= 0xff  # the UDP checksum
    syn = raw(Ether(src=PEER_MAC, dst=APP_MAC) / IP(src=PEER_IP4, dst=APP_IP4) /
              TCP(sport=40001, dport=4444, flags="S", seq=1000))
    return ([u4(7, b"table echo")] * 7 + [u4(9, b"gone")] * 3 + [bytes(bad)] * 2 +
            [u6(7, b"table echo six")] * 5 + [u6(37, b"")] * 4 + [u4(4444, b"shut")] * 6 +
            [syn] * 1)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(table rows, telemetry replies by command, exporter metrics, command list),
    read once every frame of the capture is accounted for."""
    d = tmp_path_factory.mktemp("table")
    inp, outp = str(d / "in.pcap"), str(d / "out.pcap")
    sent = frames()
    write_pcap(inp, sent)
    vdev = "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (inp, outp)
    rows = table_rows()
    with Running(ADDR4 + ["--ipv6", APP_IP6 + "/64"], vdevs=[vdev]) as app:
        deadline = time.monotonic() + 10
        while True:
            s = app.telemetry("/smallsrv/stats")
            if s["rx_pkts"] >= len(sent) and s["tx_pkts"] + s["not_answered"] >= len(sent):
                break
            assert time.monotonic() < deadline, "capture not processed: %r" % s
            time.sleep(0.05)
        text = load_exporter().collect(app.socket_path, 5.0)
        replies = {ask(c): app.telemetry(ask(c)) for r in rows for c in r.commands}
        listed = app.telemetry("/")
        app.stop()
    return rows, replies, parse_metrics(text), listed


def test_the_table_is_read():
    """The parse is not vacuous: the rows and the patterns are what the page says."""
    rows = table_rows()
    assert len(rows) >= 20
    r = next(r for r in rows if "smallsrv_service_{" in r.line)
    assert r.metrics[1] == "smallsrv_service_replies_total"
    assert r.labels == {"port", "service", "transport", "family"}
    m = r.field_re(r.fields[0]).match("echo_udp_ipv4_requests")
    assert m and m.groupdict() == {"service": "echo", "transport": "udp", "family": "ipv4"}
    assert expand("a_{x,y}_{p,q}") == ["a_x_p", "a_x_q", "a_y_p", "a_y_q"]
    drops = next(r for r in rows if r.commands == ["/smallsrv/drops,P"])
    assert drops.catch_all and drops.field_label == "reason"


def test_every_smallsrv_command_is_named(served):
    rows, _, _, listed = served
    named = {base(c) for r in rows for c in r.commands}
    mine = {c for c in listed if c.startswith("/smallsrv/")}
    assert len(mine) >= 10, listed
    assert mine <= named, "not in the table: %s" % sorted(mine - named)


def test_every_metric_has_its_row_and_labels(served):
    rows, _, metrics, _ = served
    patterns = [(r, re.compile("^" + re.escape(m).replace("FIELD", r"\w+") + "$"))
                for r in rows for m in r.metrics]
    for family, samples in metrics.items():
        hits = {id(r): r for r, p in patterns if p.match(family)}
        assert len(hits) == 1, "%s: %d rows of the table" % (family, len(hits))
        row = next(iter(hits.values()))
        for labels in samples:
            assert {k for k, _ in labels} == row.labels, (family, labels, row.line)
    for r, p in patterns:
        assert any(p.match(f) for f in metrics), "the exporter emits no %s" % p.pattern


def row_fields(row, reply, claimed):
    """(field, labels from its placeholders) for each field of the reply the
    row names; a catch-all row takes what the command's other rows do not."""
    if row.catch_all:
        return [(f, {}) for f in reply if f not in claimed]
    out = []
    for f in row.fields:
        rx = row.field_re(f)
        hits = [(k, rx.match(k).groupdict()) for k in reply if rx.match(k)]
        assert hits, "%s: no field %s in %s" % (row.line, f, sorted(reply))
        out += hits
    return out


def claimed_fields(rows, replies):
    """Per command, the fields its rows name outright (no catch-all)."""
    claimed = {}
    for r in rows:
        for c in r.commands:
            reply = replies[ask(c)]
            if not r.catch_all and isinstance(reply, dict):
                s = claimed.setdefault(base(c), set())
                s.update(f for f, _ in row_fields(r, reply, set()))
    return claimed


def test_every_field_is_in_a_row(served):
    rows, replies, _, _ = served
    claimed = claimed_fields(rows, replies)
    catch_all = {base(c) for r in rows if r.catch_all for c in r.commands}
    for r in (r for r in rows if r.fields or r.catch_all):
        for c in r.commands:
            reply = replies[ask(c)]
            assert isinstance(reply, dict), "%s: %r" % (c, reply)
            if r.catch_all:
                # Its examples are fields it covers.
                for f in r.fields:
                    assert f in reply and f not in claimed.get(base(c), set()), (f, r.line)
            elif base(c) not in catch_all and r.fields:
                left = set(reply) - claimed.get(base(c), set())
                assert not left, "%s: fields in no row: %s" % (c, sorted(left))


def fixed_labels(replies):
    return {"port": "0", "worker": "0", "lcore": str(replies["/smallsrv/workers,0"]["lcore"]),
            "pool": replies["/smallsrv/pool"]["name"]}


def test_every_value_is_its_field(served):
    """Each field's value is the value of its metric, with the row's labels."""
    rows, replies, metrics, _ = served
    claimed = claimed_fields(rows, replies)
    fixed = fixed_labels(replies)
    checked = 0
    for r in (r for r in rows if r.metrics):
        (c,) = r.commands
        reply = replies[ask(c)]
        if not r.catch_all and len(r.metrics) > 1:
            assert len(r.metrics) == len(r.fields), "one metric a field: " + r.line
        for i, (field, from_field) in enumerate(row_fields(r, reply, claimed.get(base(c), set()))):
            n = r.fields.index(next(f for f in r.fields if r.field_re(f).match(field))) \
                if not r.catch_all else 0
            name = r.metric_for(n, field)
            labels = dict(from_field)
            labels.update({k: v for k, v in fixed.items() if k in r.labels})
            if r.field_label:
                labels[r.field_label] = field
            want = frozenset(labels.items())
            assert name in metrics and want in metrics[name], \
                "%s=%s: no %s%s" % (c, field, name, dict(want))
            got = metrics[name][want]
            if r.scale != 1.0:  # uptime: it went on between the two readings
                assert abs(got * r.scale - reply[field]) < 10000, (name, got, reply[field])
            else:
                assert got == reply[field], "%s %s: %s, telemetry %s" % (
                    name, dict(want), got, reply[field])
            checked += 1
    assert checked > 200, checked
    # The capture moved these, by different amounts: a swap would show.
    svc = metrics["smallsrv_service_requests_total"]
    assert svc[frozenset({"port": "0", "service": "echo", "transport": "udp",
                          "family": "ipv4"}.items())] == 7
    assert metrics["smallsrv_replies_total"][frozenset(
        {"port": "0", "kind": "icmp4_port_unreachable"}.items())] == 6
