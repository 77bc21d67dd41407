"""Helpers shared by the Python test suites (cli, pcap, live).

Use Debian's /usr/bin/python3: scapy and pytest are its packages.
"""
import os
import secrets

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("SMALLSRV_BIN", os.path.join(ROOT, "build", "app", "smallsrv"))

# The test port's addresses, from the documentation ranges only.
APP_IP4, PEER_IP4 = "192.0.2.1", "192.0.2.254"
APP_IP6, PEER_IP6 = "2001:db8::1", "2001:db8::fe"
PEER_MAC = "02:00:00:00:00:fe"


def link_local(mac):
    """The port's own IPv6 link-local address from its MAC ("02:00:00:00:00:01"):
    fe80::/64 and the modified EUI-64 (RFC 4291 appendix A), as smallsrv derives
    it (lib/core/addr.c, ss_ip6_link_local_eui64) and Linux does."""
    import ipaddress

    b = bytes.fromhex(mac.replace(":", ""))
    iid = bytes([b[0] ^ 0x02]) + b[1:3] + b"\xff\xfe" + b[3:6]
    return str(ipaddress.IPv6Address(b"\xfe\x80" + bytes(6) + iid))


def unique(prefix, length=6):
    """A short unique name: file prefixes, namespaces, interfaces (15 chars max)."""
    return prefix + secrets.token_hex(length // 2 + 1)[:length]


# Where an appliance on hugepages maps its memory (--base-virtaddr): a secondary process
# (dpdk-dumpcap) maps it at the same addresses, which must be free in both. EAL's own
# default lies in ASan's shadow, so an ASan build maps it near its libraries instead,
# where dpdk-dumpcap has its own and cannot attach. 32 TiB is free in either.
HUGE_BASE_VIRTADDR = "0x200000000000"


def eal_args(prefix, vdevs, lcores="0", huge_dir=None):
    """EAL options for a test run: no hugepages, no PCI, no shared files. With
    huge_dir (a hugetlbfs mount), hugepages from there and shared files instead,
    so that a secondary process (dpdk-dumpcap) can attach to the run."""
    if huge_dir is None:
        memory = ["--no-huge", "-m", "512", "--no-shconf"]
    else:
        memory = ["--huge-dir", huge_dir, "--base-virtaddr", HUGE_BASE_VIRTADDR]
    args = memory + ["--no-pci", "--file-prefix", prefix, "-l", lcores,
                     "--log-level", "*:warning"]
    for vdev in vdevs:
        args += ["--vdev", vdev]
    return args


# The first line of a sanitizer report: ASan's and LSan's "==PID==ERROR: ...Sanitizer",
# UBSan's "file.c:LINE:COL: runtime error: ...".
SANITIZER_RE = r"^(==\d+==ERROR: \w+Sanitizer|\S+:\d+:\d+: runtime error: )"


def stderr_tail(text, lines=40, report_lines=200):
    """What of the appliance's stderr a failure shows: a sanitizer report
    from its first line, else the last lines. Bytes are decoded (what
    subprocess.TimeoutExpired holds, text mode or not)."""
    import re

    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    all_lines = text.splitlines()
    for i, line in enumerate(all_lines):
        if re.match(SANITIZER_RE, line):
            return "\n".join(["(sanitizer report)"] + all_lines[i:i + report_lines])
    return "\n".join(all_lines[-lines:])


def telemetry_query(path, cmd, timeout=5.0):
    """Ask a DPDK telemetry socket (.../dpdk_telemetry.v2) one command and
    return the value under the command's name, e.g. telemetry_query(path,
    "/smallsrv/drops") -> {"eth_runt": 0, ...}."""
    import json
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as s:
        s.settimeout(timeout)
        s.connect(path)
        greeting = json.loads(s.recv(1 << 16).decode())
        s.send(cmd.encode())
        reply = json.loads(s.recv(greeting.get("max_output_len", 1 << 16) + 1).decode())
    return reply[cmd.split(",")[0]]


def parse_summary(text):
    """The exit summary of smallsrv (app/summary.c) as a dict:
    {"ports": {"port 0": traffic, ...}, "total": traffic, "replies": {name: n},
     "services": {(service, "udp"|"tcp", "ipv4"|"ipv6"): (requests, replies)},
     "tcp": {service: {accepted, active, closed, refused, reset, timed_out,
     retransmits}}, "tcp_events": {name: n}, "drops": {reason: n},
     "reasm": {datagrams, timeouts, fragments, released, fragments_out},
     "trace": None or {"recorded", "missed", "left": n, "lines": [line, ...]}}, traffic
    being {rx_pkts, rx_bytes, answered, rx_tcp, rx_held, not_answered, tx_pkts, tx_bytes,
    tx_unsent} (rx = answered + rx_tcp + rx_held + not_answered). Raises ValueError
    when there is no summary."""
    import re

    start = text.find("smallsrv: stopped after")
    if start < 0:
        raise ValueError("no summary in the output")
    traffic_re = re.compile(r"^  (port \d+|total)\s+rx (\d+) pkts (\d+) bytes "
                            r"\(answered (\d+), to TCP connections (\d+), "
                            r"held for reassembly (\d+), "
                            r"not answered (\d+)\), tx (\d+) pkts (\d+) bytes "
                            r"\(unsent (\d+)\)$")
    tcp_fields = ("accepted", "active", "closed", "refused", "reset", "timed_out",
                  "retransmits")
    out = {"ports": {}, "total": None, "replies": {}, "services": {}, "drops": {},
           "tcp": {}, "tcp_events": {}, "reasm": {}, "trace": None}
    columns = None
    in_tcp = in_events = in_drops = False
    for line in text[start:].splitlines()[1:]:
        # The trace comes last: its lines are no one else's.
        if line.startswith("  trace: "):
            n = re.findall(r"(\d+) (?:recorded|not recorded|still)", line)
            out["trace"] = dict(zip(("recorded", "missed", "left"), map(int, n)), lines=[])
            continue
        if out["trace"] is not None:
            if line.startswith("    "):
                out["trace"]["lines"].append(line.strip())
            continue
        m = traffic_re.match(line)
        if m:
            t = dict(zip(("rx_pkts", "rx_bytes", "answered", "rx_tcp", "rx_held",
                          "not_answered", "tx_pkts", "tx_bytes", "tx_unsent"),
                         map(int, m.groups()[1:])))
            if m.group(1) == "total":
                out["total"] = t
            else:
                out["ports"][m.group(1)] = t
        elif line.startswith("  reassembly: "):
            n = re.findall(r"(\w+) (\d+)", line.replace("(fragments", "fragments"))
            out["reasm"] = {k: int(v) for k, v in n}
        elif line.startswith("  replies:"):
            words = line.split()[1:]
            out["replies"] = {k: int(v) for k, v in zip(words[0::2], words[1::2])}
        elif line.startswith("  service "):
            columns = [c.split("/") for c in line.split()[1:5]]
        elif line.startswith("  tcp events:"):
            # Before the header test: "cookie_accepted" is an event's name.
            in_tcp, in_events = False, True
        elif in_events and line.startswith("    "):
            name, count = line.split()[:2]
            out["tcp_events"][name] = int(count)
        elif line.startswith("  tcp ") and "accepted" in line:
            in_tcp = True
        elif in_tcp and line.startswith("  "):
            fields = line.split()
            out["tcp"][fields[0]] = dict(zip(tcp_fields, map(int, fields[1:8])))
        elif line.startswith("  not answered, by reason:"):
            in_events, in_drops = False, True
        elif in_drops and line.startswith("    "):
            name, count = line.split()[:2]
            out["drops"][name] = int(count)
        elif columns is not None and not in_drops and line.startswith("  ") and "/" in line:
            fields = line.split()
            for (transport, family), cell in zip(columns, fields[1:5]):
                req, rep = cell.split("/")
                out["services"][(fields[0], transport, family)] = (int(req), int(rep))
    if out["total"] is None:
        raise ValueError("summary without a total line")
    return out


# A port's link in the ready line (app/port.c, ss_port_link_format): "link up 10 Gbps
# full-duplex" (rte_eth_link_speed_to_str's words, "2.5 Gbps" too), "link up speed unknown
# half-duplex", "link down", "link unknown" (the PMD cannot say).
LINK_RE = r"link (?:down|unknown|up (?:[\d.]+ [MG]bps|speed unknown) (?:full|half)-duplex)"

# The line smallsrv prints once it serves (app/summary.c, ss_summary_ready):
# "ready: 1 port, 1 worker; port 0 02:70:63:61:70:00 mtu 1500 queues 1 link up 10 Gbps
# full-duplex 192.0.2.1/24 ...".
READY_RE = r"^ready: (\d+) ports?, (\d+) workers?((?:; port \d+ [0-9A-Fa-f:]{17} " \
           r"mtu \d+ queues \d+ " + LINK_RE + r"(?: \S+/\d+)*)+)$"

# The line per port printed just before the ready line (app/summary.c, print_offloads):
# "port 0 offloads (net_tap): rx IPV4_CKSUM UDP_CKSUM TCP_CKSUM (offered: ...); tx none
# (offered: ...)": the offloads in effect, then those the device offers; "none" for none.
OFFLOAD_RE = r"^port (\d+) offloads \((\S+)\): rx (.+?) \(offered: (.+?)\); " \
             r"tx (.+?) \(offered: (.+?)\)$"


def offload_lines(stdout):
    """{port id: {"driver", "rx", "rx_offered", "tx", "tx_offered"}} from the offload
    lines of stdout, each a list of names (empty for "none")."""
    import re

    out = {}
    for line in stdout.splitlines():
        m = re.match(OFFLOAD_RE, line)
        if m:
            names = [[] if g == "none" else g.split() for g in m.groups()[2:]]
            out[int(m.group(1))] = dict(driver=m.group(2), **dict(zip(
                ("rx", "rx_offered", "tx", "tx_offered"), names)))
    return out


def write_pcap(path, frames):
    """A classic pcap file (Ethernet link type) of frames given as bytes; runts,
    empty frames and all, which scapy's writer will not take as they are."""
    import struct

    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, frame in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(frame), len(frame)))
            f.write(frame)
