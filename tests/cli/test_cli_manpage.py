"""smallsrv(8), which the build makes from the parser's own tables (app/manpage.c):
it is well-formed roff, it names every key config/smallsrv.ini has and no other,
with the defaults that file spells out, the parser accepts every key it names (and
the documented default as a value), and it lists every option."""
import os
import re
import subprocess

import pytest

from common import BIN
from clilib import ADDR4, ROOT, smallsrv
from test_cli_options import OPTIONS

SERVICES = ("echo", "discard", "daytime", "qotd", "chargen", "time")


def manpage_path():
    """Beside the binary tested, else in build/ (an ASan binary is built alone)."""
    for d in (os.path.dirname(BIN), os.path.join(ROOT, "build", "app")):
        path = os.path.join(d, "smallsrv.8")
        if os.path.exists(path):
            return path
    pytest.fail("no smallsrv.8 beside %s nor in build/app (ninja -C build)" % BIN)


def unescape(roff):
    return roff.replace("\\-", "-").replace("\\e", "\\").replace("\\&", "")


def page_keys():
    """{(section, key): default or None} from CONFIGURATION: a ".SS "[section]""
    heading, then a ".TP" tag per key: \\fBkey\\fR [= \\fIdefault\\fR] [(lo..hi)]."""
    with open(manpage_path()) as f:
        lines = f.read().splitlines()
    start = lines.index(".SH CONFIGURATION")
    keys, section = {}, None
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line.startswith(".SH"):
            break
        m = re.match(r'\.SS "\[(\w+)\]"$', line)
        if m:
            section = m.group(1)
        elif line == ".TP":
            m = re.match(r"\\fB(\w+)\\fR(?: = \\fI(.*?)\\fR)?(?: \((\d+)\.\.(\d+)\))?$",
                         lines[i + 1])
            assert m and section, "a key tag the test cannot read: %r" % lines[i + 1]
            assert (section, m.group(1)) not in keys, "twice: %s %s" % (section, m.group(1))
            keys[(section, m.group(1))] = unescape(m.group(2)) if m.group(2) else None
    assert len(keys) > 40, keys
    return keys


def concrete(section):
    """The sections of the file a page section stands for."""
    if section == "SERVICE":
        return SERVICES
    return ("port0",) if section == "portN" else (section,)


def example_keys():
    """{(section, key): value or None} of config/smallsrv.ini, the commented-out
    keys (no default: "; ipv4 = 192.0.2.1/24") with None."""
    keys, section = {}, None
    with open(os.path.join(ROOT, "config", "smallsrv.ini")) as f:
        for line in f:
            m = re.match(r"\[(\w+)\]", line)
            if m:
                section = m.group(1)
                continue
            m = re.match(r"(;\s*)?(\w+)\s*=\s*(.*?)\s*$", line)
            if m and section:
                keys[(section, m.group(2))] = None if m.group(1) else m.group(3)
    return keys


def test_roff_has_no_warnings():
    """groff with every warning on, and man(1) as a reader runs it: nothing said."""
    r = subprocess.run(["groff", "-man", "-ww", "-z", manpage_path()], capture_output=True,
                       text=True, timeout=30)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    r = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", manpage_path()],
                       capture_output=True, text=True, timeout=30,
                       env=dict(os.environ, MANWIDTH="80", MANPAGER="cat", PAGER="cat"))
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert "max_connections" in r.stdout and "SIGHUP" in r.stdout


def test_page_and_example_config_name_the_same_keys():
    page = {(s, k) for (sec, k) in page_keys() for s in concrete(sec)}
    example = set(example_keys())
    assert page - example == set(), "in smallsrv(8), not in config/smallsrv.ini"
    assert example - page == set(), "in config/smallsrv.ini, not in smallsrv(8)"


def test_page_defaults_are_the_example_configs():
    example = example_keys()
    for (sec, key), default in page_keys().items():
        for s in concrete(sec):
            if default is not None:
                assert example[(s, key)] == default, (s, key)
            elif sec not in ("SERVICE",):
                # No default in the page: none in the file either (commented out).
                assert example[(s, key)] is None, (s, key)


def check_key(section, key, value):
    return smallsrv(ADDR4 + ["--set", "%s.%s=%s" % (section, key, value), "--check"], eal=[])


@pytest.mark.parametrize("sec,key", sorted(page_keys()))
def test_parser_accepts_every_key_of_the_page(sec, key):
    """Every key the page names is one the parser knows, in each section it stands
    for; a documented default is a value it takes."""
    default = page_keys()[(sec, key)]
    for s in concrete(sec):
        r = check_key(s, key, default if default is not None else "x")
        assert "unknown key" not in r.err and "unknown section" not in r.err, r
        if default is not None:
            assert r.rc == 0 and r.out == "configuration ok\n", r


@pytest.mark.parametrize("section,key", [("general", "no_such_key"), ("echo", "format"),
                                         ("tcp", "reassembly_held"), ("port0", "udp")])
def test_parser_refuses_a_key_the_page_does_not_give_there(section, key):
    """What the test above relies on: a key out of its place is refused as unknown."""
    assert (section, key) not in {(s, k) for (sec, k) in page_keys() for s in concrete(sec)}
    r = check_key(section, key, "1")
    assert r.rc == 2 and "unknown key" in r.err, r


def test_page_lists_every_option():
    with open(manpage_path()) as f:
        text = f.read()
    body = text[text.index(".SH OPTIONS"):text.index(".SH CONFIGURATION")]
    listed = re.findall(r"^\\fB\\-\\-([a-z0-9-]+)\\fR", body, re.M)
    assert ["--" + o for o in listed] == list(OPTIONS)
    usage = smallsrv(["--help"], eal=[]).out
    assert re.findall(r"^  (--[a-z0-9-]+)", usage, re.M) == list(OPTIONS), usage
