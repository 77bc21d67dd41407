"""Configuration files: every key with a bad value, INI syntax errors, missing
files. Each error is one line on stderr naming the file, the section, the key
and the value (or file:line for syntax), exit status 2, before EAL starts."""
import pytest

from clilib import ADDR4, assert_check_ok, assert_usage_error, smallsrv

SERVICES = ("echo", "discard", "daytime", "qotd", "chargen", "time")
PORT0 = "[port0]\nipv4 = 192.0.2.1/24\n"


def bad_values():
    """(section, key, value, lines before the key in its section)."""
    out = []
    for key in ("rx_desc", "tx_desc"):
        out += [("general", key, v) for v in ("63", "16385", "abc", "-64", "1e3", "0x100")]
    out += [("general", "burst", v) for v in ("0", "257", "lots")]
    for port in ("port0", "port3"):
        out += [(port, "ipv4", v) for v in (
            "192.0.2.1", "192.0.2.1/33", "192.0.2.1/0", "300.0.0.1/24", "192.0.2.0/24",
            "192.0.2.255/24", "127.0.0.1/8", "224.0.0.1/4", "2001:db8::1/64",
            "192.0.2.1/24 bogus", ",".join("198.51.100.%d/24" % i for i in range(1, 10)))]
        out += [(port, "ipv6", v) for v in (
            "2001:db8::1", "2001:db8::1/129", "2001:db8::zz/64", "::/64", "::1/128",
            "ff02::1/64", "::ffff:192.0.2.1/96", "192.0.2.1/24")]
        out += [(port, "mtu", v) for v in ("1279", "9001", "jumbo", "1500.0")]
    for svc in SERVICES:
        out += [(svc, key, v) for key in ("udp", "tcp") for v in ("maybe", "2", "onn")]
        out += [(svc, key, v) for key in ("udp_port", "tcp_port")
                for v in ("0", "65536", "seven", "-7")]
    out += [("daytime", "format", v) for v in ("iso8601", "bsd cisco")]
    out += [("daytime", "pattern", "%Y")]  # without format = custom first
    out += [("daytime", "timezone", v) for v in ("Mars/Olympus_Mons", "Europe", "../../etc/passwd",
                                                "/etc/localtime", "zone.tab", "UTC+")]
    out += [("chargen", "udp_mode", v) for v in ("lines", "rand", "LINE")]
    out += [("qotd", "file", v) for v in ("/nonexistent/quotes.txt",)]
    out += [("abuse", k, v) for k in ("loop_guard", "source_check") for v in ("maybe", "2")]
    out += [("abuse", "loop_guard_ports", v) for v in ("7 x", "65536", "-1", "7,,0x13")]
    for k in ("amplify_rate_per_source", "icmp_error_rate"):
        out += [("abuse", k, v) for v in ("-1", "fast", "100000001")]
    out += [("abuse", "amplify_rate_global", v) for v in ("-1", "1000000001")]
    for k in ("amplify_burst_per_source", "amplify_burst_global", "icmp_error_burst"):
        out += [("abuse", k, v) for v in ("0", "x")]
    out += [("abuse", "ratelimit_sources", v) for v in ("15", "100", "33554432", "many")]
    out += [("abuse", "clock_min_year", v) for v in ("1969", "10000", "y2k")]
    out += [("abuse", "ipv6_source_prefix", v) for v in ("0", "129", "/64")]
    return out


BAD = bad_values()


def write_ini(tmp_path, text, name="bad.ini"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("section,key,value", BAD,
                         ids=["%s.%s=%s" % b for b in BAD])
def test_bad_value_in_file(tmp_path, section, key, value):
    head = "" if section == "port0" else PORT0
    body = "[%s]\n%s = %s\n" % (section, key, value)
    if section == "port3":  # ports 1 and 2 need addresses too, or that is the error
        head += "".join("[port%d]\nipv4 = 198.51.100.%d/24\n" % (i, i) for i in (1, 2))
    if section == "port0" and key != "ipv4":
        body += "ipv4 = 192.0.2.1/24\n"
    path = write_ini(tmp_path, "; a comment\n" + head + body)
    assert_usage_error(smallsrv(["--config", path, "--check"]), path, "[%s]" % section, key,
                       '"%s"' % value)


# The same through --set: one bad value a key.
SET_BAD = list({(s, k): (s, k, v) for s, k, v in BAD if s != "port3"}.values())


@pytest.mark.parametrize("section,key,value", SET_BAD,
                         ids=["%s.%s=%s" % b for b in SET_BAD])
def test_bad_value_in_set(section, key, value):
    arg = "%s.%s=%s" % (section, key, value)
    args = ADDR4 + ["--set", arg] if (section, key) != ("port0", "ipv4") else ["--set", arg]
    assert_usage_error(smallsrv(args + ["--check"]), "--set", "[%s]" % section, key,
                       '"%s"' % value)


def test_every_key_is_covered():
    """Each key of the configuration has a bad-value test above (keep in step with
    config.c's table)."""
    keys = {(s if not s.startswith("port") else "portN", k) for s, k, _ in BAD}
    want = {("general", k) for k in ("rx_desc", "tx_desc", "burst")}
    want |= {("portN", k) for k in ("ipv4", "ipv6", "mtu")}
    want |= {(s, k) for s in SERVICES for k in ("udp", "tcp", "udp_port", "tcp_port")}
    want |= {("daytime", k) for k in ("format", "pattern", "timezone")}
    want |= {("chargen", "udp_mode"), ("qotd", "file")}
    want |= {("abuse", k) for k in (
        "loop_guard", "loop_guard_ports", "source_check", "amplify_rate_per_source",
        "amplify_burst_per_source", "amplify_rate_global", "amplify_burst_global",
        "ratelimit_sources", "icmp_error_rate", "icmp_error_burst", "clock_min_year",
        "ipv6_source_prefix")}
    assert keys == want


GOOD = [
    ("general", "rx_desc", "64"), ("general", "tx_desc", "16384"), ("general", "burst", "256"),
    ("port0", "ipv4", "192.0.2.1/24, 198.51.100.1/31"), ("port0", "ipv4", "203.0.113.9/32"),
    ("port0", "ipv6", "2001:db8::1/64 2001:db8:1::1/128"), ("port0", "mtu", "1280"),
    ("port0", "mtu", "9000"),
    ("echo", "udp", "off"), ("echo", "tcp", "No"), ("discard", "udp", "TRUE"),
    ("qotd", "udp", "yes"), ("qotd", "tcp", "1"), ("chargen", "udp", "0"),
    ("time", "udp_port", "65535"), ("time", "tcp_port", "1"),
    ("daytime", "format", "bsd"), ("daytime", "format", "cisco"),
    ("daytime", "format", "xinetd"), ("daytime", "format", "rfc867"),
    ("daytime", "format", "custom"), ("daytime", "timezone", "Europe/Berlin"),
    ("daytime", "timezone", "CET-1CEST,M3.5.0,M10.5.0/3"), ("daytime", "timezone", "<+05>-5"),
    ("chargen", "udp_mode", "random"), ("chargen", "udp_mode", "line"),
    ("abuse", "loop_guard", "off"), ("abuse", "loop_guard_ports", "7, 19 5000"),
    ("abuse", "source_check", "on"), ("abuse", "amplify_rate_per_source", "0"),
    ("abuse", "amplify_burst_per_source", "1"), ("abuse", "amplify_rate_global", "0"),
    ("abuse", "amplify_burst_global", "1000000000"), ("abuse", "ratelimit_sources", "16"),
    ("abuse", "ratelimit_sources", "16777216"), ("abuse", "icmp_error_rate", "0"),
    ("abuse", "icmp_error_burst", "100000000"), ("abuse", "clock_min_year", "1970"),
    ("abuse", "ipv6_source_prefix", "128"), ("abuse", "ipv6_source_prefix", "48"),
    ("tcp", "invalid_ack_interval_ms", "0"), ("tcp", "challenge_ack_rate", "0"),
    ("tcp", "max_held_per_source", "65536"),
]


@pytest.mark.parametrize("section,key,value", GOOD, ids=["%s.%s=%s" % g for g in GOOD])
def test_good_value_in_file(tmp_path, section, key, value):
    text = PORT0 + "[%s]\n%s = %s\n" % (section, key, value)
    if section == "port0":
        text = "[port0]\n%s = %s\n" % (key, value)
        if key != "ipv4":
            text += "ipv4 = 192.0.2.1/24\n"
    assert_check_ok(smallsrv(["--config", write_ini(tmp_path, text), "--check"]))


def test_daytime_custom_pattern(tmp_path):
    ok = "[daytime]\nformat = custom\npattern = %Y-%m-%dT%H:%M:%SZ\n"
    assert_check_ok(smallsrv(["--config", write_ini(tmp_path, PORT0 + ok), "--check"]))
    for pattern in ("%n", "%t", "x" * 200):
        path = write_ini(tmp_path, PORT0 + "[daytime]\nformat = custom\npattern = %s\n" % pattern)
        assert_usage_error(smallsrv(["--config", path, "--check"]), path, "[daytime]",
                           "pattern")


QUOTE_FILES = [
    ("empty", ""),
    ("blank", "\n\n%\n\n"),
    ("control-character", "a bell \x07 rings\n"),
    ("latin1", "caf\xe9\n"),
    ("too-long", "x" * 600 + "\n"),
]


@pytest.mark.parametrize("name,text", QUOTE_FILES, ids=[q[0] for q in QUOTE_FILES])
def test_bad_quote_file(tmp_path, name, text):
    quotes = tmp_path / "quotes.txt"
    quotes.write_bytes(text.encode("latin-1"))
    path = write_ini(tmp_path, PORT0 + "[qotd]\nudp = on\nfile = %s\n" % quotes)
    assert_usage_error(smallsrv(["--config", path, "--check"]), path, "[qotd]", "file",
                       str(quotes))


def test_good_quote_file(tmp_path):
    quotes = tmp_path / "quotes.txt"
    quotes.write_text("One.\n%\nTwo,\r\non two lines.\n%\n")
    path = write_ini(tmp_path, PORT0 + "[qotd]\nudp = on\nfile = %s\n" % quotes)
    assert_check_ok(smallsrv(["--config", path, "--check"]))


SYNTAX = [
    ("unclosed-section", PORT0 + "[echo\nudp = on\n", 3),
    ("empty-section-name", PORT0 + "[]\nudp = on\n", 3),
    ("junk-after-section", PORT0 + "[echo] udp = on\n", 3),
    ("no-equals", PORT0 + "[echo]\nudp on\n", 4),
    ("hash-comment", PORT0 + "# not a comment here\n", 3),
    ("no-key", PORT0 + "[echo]\n= on\n", 4),
    ("empty-value", PORT0 + "[echo]\nudp =\n", 4),
    ("key-before-section", "udp = on\n" + PORT0, 1),
    ("line-too-long", PORT0 + "[qotd]\nfile = /" + "x" * 400 + "\n", 4),
]


@pytest.mark.parametrize("name,text,line", SYNTAX, ids=[s[0] for s in SYNTAX])
def test_syntax_error(tmp_path, name, text, line):
    path = write_ini(tmp_path, text)
    assert_usage_error(smallsrv(["--config", path, "--check"]), "%s:%d:" % (path, line))


def test_comments_and_blanks(tmp_path):
    text = "; leading comment\n\n[port0] ; trailing\n  ipv4 = 192.0.2.1/24   ; the address\n"
    assert_check_ok(smallsrv(["--config", write_ini(tmp_path, text), "--check"]))


def test_empty_file(tmp_path):
    """An empty file is the defaults; port 0's address can come from --ipv4."""
    assert_check_ok(smallsrv(["--config", write_ini(tmp_path, ""), "--check"] + ADDR4))


def test_missing_file(tmp_path):
    path = str(tmp_path / "nowhere.ini")
    line = assert_usage_error(smallsrv(["--config", path, "--check"] + ADDR4), path)
    assert "No such file" in line


def test_unreadable_file(tmp_path):
    """Root reads anything, so make it a directory: not a file one can read."""
    path = str(tmp_path)
    assert_usage_error(smallsrv(["--config", path, "--check"] + ADDR4), path)


def test_unknown_section_and_key(tmp_path):
    path = write_ini(tmp_path, PORT0 + "[bogus]\nkey = 1\n")
    assert_usage_error(smallsrv(["--config", path, "--check"]), path, "[bogus]", "key", '"1"')
    path = write_ini(tmp_path, PORT0 + "[echo]\nudp_prot = 7\n")
    assert_usage_error(smallsrv(["--config", path, "--check"]), path, "[echo]", "udp_prot")


def test_two_services_on_one_port_in_file(tmp_path):
    path = write_ini(tmp_path, PORT0 + "[chargen]\nudp_port = 7\n")
    assert_usage_error(smallsrv(["--config", path, "--check"]), path, "chargen", "echo", "7")


@pytest.mark.parametrize("text,port", [
    ("[port0]\nmtu = 1500\n", "[port0]"),
    (PORT0 + "[port1]\nmtu = 1500\n", "[port1]"),
    (PORT0 + "[port2]\nipv4 = 198.51.100.1/24\n", "[port1]"),  # port1 implied, empty
], ids=["port0-mtu-only", "port1-mtu-only", "gap-before-port2"])
def test_port_without_address(tmp_path, text, port):
    path = write_ini(tmp_path, text)
    line = assert_usage_error(smallsrv(["--config", path, "--check"]), path, port)
    assert "address" in line


def test_address_on_two_ports(tmp_path):
    path = write_ini(tmp_path, PORT0 + "[port1]\nipv4 = 192.0.2.1/24\n")
    line = assert_usage_error(smallsrv(["--config", path, "--check"]), path)
    assert "port0" in line and "port1" in line


def test_repeated_section_adds_up(tmp_path):
    """A section given twice is one section; no key of either is lost (the
    second sets a bad value, which must be found)."""
    path = write_ini(tmp_path, PORT0 + "[echo]\nudp = on\n[time]\nudp = on\n[echo]\n"
                     "udp_port = 0\n")
    assert_usage_error(smallsrv(["--config", path, "--check"]), path, "[echo]", "udp_port")


