"""tests/perf/plot.py, the benchmark's pictures: drawn from the committed full
run (docs/bench/bench.json), from a smoke run's shape, and from JSONs with
parts missing or broken, which it must say in a line each rather than crash;
and the README's pictures are the committed ones."""
import copy
import json
import os
import re
import struct
import subprocess
import zlib

import pytest

from clilib import ROOT

PYTHON = "/usr/bin/python3"  # Debian's, with python3-matplotlib
PLOT = os.path.join(ROOT, "tests", "perf", "plot.py")
FULL = os.path.join(ROOT, "docs", "bench", "bench.json")
PARTS = ("rates", "instructions", "scaling", "tcp", "peer")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path):
    """(width, height) of a PNG whose signature, IHDR and IEND are sound."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == PNG_SIGNATURE, "%s: not a PNG" % path
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR"), "%s: no IHDR first" % path
    body = data[16:16 + 13]
    (crc,) = struct.unpack(">I", data[29:33])
    assert zlib.crc32(kind + body) == crc, "%s: IHDR's CRC is wrong" % path
    assert data[-12:] == b"\0\0\0\0IEND\xaeB`\x82", "%s: does not end in IEND" % path
    return struct.unpack(">II", body[:8])


def plot(json_path, out):
    p = subprocess.run([PYTHON, PLOT, json_path, "--out", str(out)], capture_output=True,
                       text=True, timeout=120)
    assert "Traceback" not in p.stderr, p.stderr
    return p


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


def full():
    with open(FULL) as f:
        return json.load(f)


def assert_drawn(p, out, name, parts):
    written = re.findall(r"^written: (.*)$", p.stdout, re.M)
    assert sorted(written) == sorted(str(out / ("%s-%s.png" % (name, part))) for part in parts), p
    for path in written:
        w, h = png_size(path)
        assert 400 <= w <= 1500 and 300 <= h <= 1000, (path, w, h)


def smoke_shape(data):
    """What scripts/bench.sh --smoke writes (tests/perf/bench.py, --smoke): two
    workloads, one round, no baseline, smallsrv's own instructions of one
    workload without testpmd's, the memif peer alone."""
    s = {"machine": data["machine"], "memory": "no hugepages (--no-huge)", "smoke": True}
    s["rates"] = {}
    for name in ("udp-echo4-64", "tcp-syn4"):
        r = {k: v for k, v in data["rates"][name].items()
             if not k.startswith(("baseline", "vs_"))}
        r["runs"] = {k: v[:1] for k, v in r["runs"].items() if k != "baseline"}
        s["rates"][name] = r
    s["instructions"] = {"udp-echo4-64": {
        k: v for k, v in data["instructions"]["udp-echo4-64"].items()
        if k.startswith(("smallsrv", "own_"))}}
    s["tcp"] = {m: {k: v for k, v in r.items() if k != "baseline"}
                for m, r in data["tcp"].items()}
    s["scaling"] = data["scaling"]
    s["peer"] = {"memif": data["peer"]["memif"]}
    return s


def test_full_run(tmp_path):
    p = plot(FULL, tmp_path)
    assert p.returncode == 0, p
    assert_drawn(p, tmp_path, "bench", PARTS)
    # The run's vhost pair did not come up: said, and the memif figures drawn.
    assert re.search(r"^plot\.py: peer: not measured: vhost: ", p.stdout, re.M), p.stdout


def test_smoke_shape(tmp_path):
    path = write(tmp_path, "smoke.json", smoke_shape(full()))
    p = plot(path, tmp_path)
    assert p.returncode == 0, p
    assert_drawn(p, tmp_path, "smoke", PARTS)
    assert "plot.py: instructions: not measured in this run: testpmd, baseline" in p.stdout, p
    assert "plot.py: rates: no baseline in this run" in p.stdout, p


def test_missing_parts_are_said(tmp_path):
    data = full()
    only_tcp = {"machine": data["machine"], "tcp": data["tcp"]}
    path = write(tmp_path, "part.json", only_tcp)
    # A picture of an earlier run beside the JSON is not left to pass for this one's.
    stale = tmp_path / "part-rates.png"
    stale.write_bytes(b"old")
    p = plot(path, tmp_path)
    assert p.returncode == 0, p
    assert_drawn(p, tmp_path, "part", ["tcp"])
    for part in ("rates", "instructions", "scaling", "peer"):
        assert re.search(r"^plot\.py: %s: .*not run.*: not drawn$" % part, p.stdout, re.M), p
        assert not (tmp_path / ("part-%s.png" % part)).exists()
    assert p.stderr == "", p


def test_broken_part_is_one_line(tmp_path):
    data = full()
    broken = copy.deepcopy(data)
    for r in broken["rates"].values():
        r["smallsrv_pps"] = r["testpmd_pps"] = "fast"
        r.pop("baseline_pps")
    broken["scaling"] = {"1": {"of_linear": 1.0}}  # no pps
    path = write(tmp_path, "broken.json", broken)
    p = plot(path, tmp_path)
    assert p.returncode == 1, p
    errors = p.stderr.splitlines()
    assert len(errors) == 2, p
    assert errors[0].startswith("plot.py: rates: not drawn: ValueError: "), errors
    assert errors[1].startswith("plot.py: scaling: not drawn: KeyError: "), errors
    assert all(re.search(r"\(plot\.py:\d+\)$", e) for e in errors), errors
    assert_drawn(p, tmp_path, "broken", ["instructions", "tcp", "peer"])


def test_unreadable_json(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text(json.dumps(full())[:1000])  # a run cut short
    p = plot(str(path), tmp_path)
    assert p.returncode == 1 and p.stdout == "", p
    assert len(p.stderr.splitlines()) == 1 and "cut.json: cannot read" in p.stderr, p


@pytest.mark.parametrize("part", PARTS)
def test_readme_shows_the_committed_picture(part):
    """docs/bench/ holds each picture of the committed run, small, and the README
    shows it."""
    rel = "docs/bench/bench-%s.png" % part
    path = os.path.join(ROOT, rel)
    w, h = png_size(path)
    assert 400 <= w <= 1500 and 300 <= h <= 1000, (w, h)
    assert os.path.getsize(path) < 100 * 1024
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        assert "](%s)" % rel in f.read(), "README.md does not show " + rel
