"""The command line: --help, --version, --check and every way to get an option
wrong. A usage error is one line on stderr, exit status 2, before EAL starts."""
import glob
import os
import re
import subprocess

import pytest

from common import BIN
from clilib import (ADDR4, ROOT, assert_check_ok, assert_usage_error, smallsrv)

OPTIONS = ("--config", "--ipv4", "--ipv6", "--set", "--check", "--packets", "--help",
           "--version")


@pytest.mark.parametrize("args", [["--help"], ["--help", "--check"], ["--ipv4", "x", "--help"]],
                         ids=["alone", "with-check", "after-bad-ipv4"])
def test_help(args):
    """--help prints the usage on stdout and exits 0, whatever else is given."""
    r = smallsrv(args)
    assert r.rc == 0, r
    assert r.out.startswith("Usage: "), r
    for opt in OPTIONS:
        assert opt in r.out, "--help does not mention " + opt
    assert r.err == "", r
    assert not r.eal_started


@pytest.mark.parametrize("opt,want", [("--help", "Usage: "), ("--version", "smallsrv ")])
def test_without_separator(opt, want):
    """`smallsrv --help` (no "--"), the first thing anyone types, is ours, not a
    configuration error."""
    p = subprocess.run([BIN, opt], capture_output=True, text=True, timeout=20)
    assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
    assert p.stdout.startswith(want), p.stdout


def test_version():
    r = smallsrv(["--version"])
    assert r.rc == 0, r
    assert r.err == "", r
    assert re.fullmatch(r"smallsrv \d+\.\d+\.\d+\S* \(DPDK \d+\.\d+\.\d+\S*\)\n", r.out), r
    assert not r.eal_started


def test_check_ok():
    assert_check_ok(smallsrv(ADDR4 + ["--check"]))


def test_check_ok_both_families_several_addresses():
    assert_check_ok(smallsrv(["--ipv4", "192.0.2.1/24,198.51.100.1/25", "--ipv6",
                              "2001:db8::1/64 2001:db8:1::1/48", "--check"]))


def test_check_ok_ipv6_only():
    assert_check_ok(smallsrv(["--ipv6", "2001:db8::1/64", "--check"]))


SHIPPED = sorted(glob.glob(os.path.join(ROOT, "config", "*.ini")))


@pytest.mark.parametrize("path", SHIPPED, ids=[os.path.basename(p) for p in SHIPPED])
def test_shipped_config_checks(path):
    """Every example configuration under config/ is valid (port 0's address given)."""
    assert_check_ok(smallsrv(["--config", path] + ADDR4 + ["--check"]))


def test_shipped_configs_exist():
    """The three documented profiles are there for the test above to check."""
    names = {os.path.basename(p) for p in SHIPPED}
    assert {"smallsrv.ini", "lab.ini", "hardened.ini"} <= names, names


@pytest.mark.parametrize("args,names", [
    (["--bogus"], ["--bogus"]),
    (["-x"], ["-x"]),
    (["--ipv4=192.0.2.1/24", "--chek"], ["--chek"]),
    (ADDR4 + ["--ipv", "198.51.100.1/24"], ["--ipv"]),
], ids=["long", "short", "typo", "ambiguous-prefix"])
def test_unknown_option(args, names):
    assert_usage_error(smallsrv(args), *names)


@pytest.mark.parametrize("opt", ["--config", "--ipv4", "--ipv6", "--set", "--packets"])
def test_missing_value(opt):
    line = assert_usage_error(smallsrv(ADDR4 + [opt]), opt)
    assert "value" in line


@pytest.mark.parametrize("args,stray", [
    (ADDR4 + ["foo"], "foo"),
    (["bar"] + ADDR4, "bar"),
    (ADDR4 + ["--check", "192.0.2.2/24"], "192.0.2.2/24"),
], ids=["after", "before", "after-flag"])
def test_stray_argument(args, stray):
    assert_usage_error(smallsrv(args), stray)


@pytest.mark.parametrize("value", ["0", "abc", "-1", "1x", "", " 5", "+5", "0x10",
                                   "18446744073709551616"])
def test_bad_packets(value):
    assert_usage_error(smallsrv(ADDR4 + ["--packets", value]), "--packets", '"%s"' % value)


BAD_IPV4 = ["192.0.2.1", "192.0.2.1/", "192.0.2.1/33", "192.0.2.1/0", "192.0.2.1/x",
            "300.0.0.1/24", "192.0.2/24", "192.0.2.0/24", "192.0.2.255/24", "127.0.0.1/8",
            "0.0.0.0/8", "224.0.0.1/4", "255.255.255.255/32", "2001:db8::1/64",
            "192.0.2.1/24,nonsense", "192.0.2.1/24,192.0.2.1/24"]


@pytest.mark.parametrize("value", BAD_IPV4)
def test_bad_ipv4(value):
    line = assert_usage_error(smallsrv(["--ipv4", value, "--check"]))
    # The value, or the config section it went into for the duplicate.
    assert value in line or "[port0]" in line, line


BAD_IPV6 = ["2001:db8::1", "2001:db8::1/129", "2001:db8::1/0", "2001:db8::g/64", "::/0",
            "::/128", "::1/128", "ff02::1/64", "::ffff:192.0.2.1/96", "192.0.2.1/24",
            "2001:db8::1/64,2001:db8::1/64"]


@pytest.mark.parametrize("value", BAD_IPV6)
def test_bad_ipv6(value):
    line = assert_usage_error(smallsrv(["--ipv6", value, "--check"]))
    assert value in line or "[port0]" in line, line


@pytest.mark.parametrize("arg", ["echo", "echo.udp", "echo=on", ".udp=on", "echo.=on",
                                 "=on", "echoudp=on", "x" * 40 + ".udp=on"])
def test_bad_set_syntax(arg):
    line = assert_usage_error(smallsrv(ADDR4 + ["--set", arg]), "--set", arg)
    assert "SECTION.KEY=VALUE" in line


@pytest.mark.parametrize("arg,section,key", [
    ("bogus.key=1", "bogus", "key"),
    ("echo.bogus=1", "echo", "bogus"),
    ("daytime.udp_mode=line", "daytime", "udp_mode"),  # chargen's key
    ("chargen.format=bsd", "chargen", "format"),         # daytime's key
    ("port8.ipv4=198.51.100.1/24", "port8", "ipv4"),     # 8 ports at most
    ("port.ipv4=198.51.100.1/24", "port", "ipv4"),
    ("general.ipv4=198.51.100.1/24", "general", "ipv4"),
    ("abuse.burst=1", "abuse", "burst"),
    ("Echo.udp=on", "Echo", "udp"),
])
def test_set_unknown(arg, section, key):
    line = assert_usage_error(smallsrv(ADDR4 + ["--set", arg]), "[%s]" % section, key)
    assert "unknown" in line


def test_set_is_applied_in_order():
    """A later --set wins; daytime's pattern needs format=custom first."""
    assert_check_ok(smallsrv(ADDR4 + ["--set", "daytime.format=custom", "--set",
                                      "daytime.pattern=%H:%M", "--check"]))
    assert_usage_error(smallsrv(ADDR4 + ["--set", "daytime.pattern=%H:%M", "--set",
                                         "daytime.format=custom"]), "pattern", "custom")


def test_ipv4_override_replaces_config(tmp_path):
    """--ipv4 replaces [port0] ipv4 from the file, so a bad file value is not reached
    and a bad --ipv4 is."""
    ini = tmp_path / "a.ini"
    ini.write_text("[port0]\nipv4 = 192.0.2.1/24\n")
    assert_check_ok(smallsrv(["--config", str(ini), "--ipv4", "198.51.100.1/24", "--check"]))
    assert_usage_error(smallsrv(["--config", str(ini), "--ipv4", "198.51.100.0/24",
                                 "--check"]), "--ipv4", "198.51.100.0/24")


def test_no_address_at_all():
    line = assert_usage_error(smallsrv(["--check"]))
    assert "--ipv4" in line and "port" in line


@pytest.mark.parametrize("args,names", [
    (["--set", "echo.udp_port=13"], ["echo", "daytime", "udp", "13"]),
    (["--set", "chargen.tcp_port=7"], ["chargen", "echo", "tcp", "7"]),
    (["--set", "qotd.udp=on", "--set", "qotd.udp_port=37"], ["qotd", "time", "udp", "37"]),
], ids=["udp", "tcp", "qotd-on"])
def test_two_services_on_one_port(args, names):
    assert_usage_error(smallsrv(ADDR4 + args), *names)


def test_same_port_when_one_is_off():
    """A port clash with a service that is off, or on the other transport, is fine."""
    assert_check_ok(smallsrv(ADDR4 + ["--set", "echo.udp_port=13", "--set", "daytime.udp=off",
                                      "--set", "qotd.tcp_port=9", "--check"]))
    assert_check_ok(smallsrv(ADDR4 + ["--set", "echo.tcp_port=13", "--set", "daytime.tcp=off",
                                      "--set", "echo.udp_port=19", "--set", "chargen.udp=off",
                                      "--check"]))
