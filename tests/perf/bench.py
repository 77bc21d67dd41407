#!/usr/bin/python3
"""smallsrv's benchmark: packet rates against testpmd 5tswap in the same run,
instructions per packet under callgrind (total, and own: inside the smallsrv
binary), the TCP figures in-process, the scaling over workers, and rates with
a DPDK peer (testpmd over net_memif) in place of pcap.

Run it through scripts/bench.sh, which builds and reserves hugepages.
"""
import argparse
import functools
import glob
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from common import BIN, parse_summary, telemetry_query, unique  # noqa: E402

TESTPMD = shutil.which("dpdk-testpmd") or "/usr/bin/dpdk-testpmd"
LAB_CONFIG = os.path.join(ROOT, "config", "lab.ini")
APP_ARGS = ["--config", LAB_CONFIG, "--ipv4", "192.0.2.1/24", "--ipv6", "2001:db8::1/64"]

# workload: (pcap, target ratio to testpmd 5tswap)
WORKLOADS = {
    "udp-echo4-64": 1.0,
    "udp-echo6-66": 1.0,
    "udp-echo4-1518": 1.0,
    "udp-echo6-1518": 1.0,
    "udp-daytime4-64": 0.8,
    "udp-time4-64": 0.8,
    "udp-chargen4-64": 0.8,
    "tcp-syn4": 0.8,
    "tcp-syn6": 0.8,
}

# Instructions only, per frame and per datagram: echo requests of 4000 bytes in
# fragments (frames a datagram), reassembled and echoed back in fragments.
FRAG_WORKLOADS = {
    "udp-echo4-4000-frag": 3,
    "udp-echo6-4000-frag": 3,
}

# The targets for own instructions per packet (inside the smallsrv
# binary, PMD and shared libraries left out); the other workloads have none.
OWN_TARGETS = {
    "udp-echo4-64": 200,
    "udp-echo6-66": 200,
    "udp-daytime4-64": 250,
    "tcp-syn4": 400,
}


def app_args(pcap):
    """The lab profile; SYNs measure the stateless path a flood takes (the
    capture's tuples come round again and again: with a SYN table they would
    all find their entry and measure a retransmission instead)."""
    args = list(APP_ARGS)
    if os.path.basename(pcap).startswith("tcp-syn"):
        args += ["--set", "tcp.max_half_open=0"]
    return args


# The hugetlbfs mount scripts/bench.sh made (--huge-dir); None: EAL finds one.
HUGE_DIR = None


def mem_args(huge, mem):
    """EAL's memory: mem MB of hugepages (from HUGE_DIR when given), or of the heap."""
    if huge:
        return ["-m", str(mem)] + (["--huge-dir", HUGE_DIR] if HUGE_DIR else [])
    return ["--no-huge", "-m", str(mem), "--no-shconf"]


def eal(prefix, lcores, vdevs, huge, mem=1024):
    args = ["-l", lcores, "--file-prefix", prefix, "--no-pci", "--log-level", "*:warning"]
    args += mem_args(huge, mem)
    for v in vdevs:
        args += ["--vdev", v]
    return args


def pcap_vdev(pcap, queues, infinite=True):
    """One net_pcap port with a queue per worker, all reading the same file."""
    spec = "net_pcap0" + "".join(",rx_pcap=" + pcap for _ in range(queues))
    return spec + (",infinite_rx=1" if infinite else "")


# The smallsrv binaries measured: this build, and a baseline build (--baseline)
# of an earlier commit for before/after ratios in the same run.
BINS = {"smallsrv": BIN}


class Proc:
    """smallsrv (or its baseline) or testpmd on an infinite pcap port, with its
    telemetry socket."""

    def __init__(self, kind, pcap, workers, huge):
        self.prefix = unique("bench")
        self.kind = kind
        vdev = pcap_vdev(pcap, workers)
        if kind in BINS:
            # One worker per core, the main lcore being the first worker.
            lcores = "1" if workers == 1 else "0-%d" % (workers - 1)
            cmd = [BINS[kind]] + eal(self.prefix, lcores, [vdev], huge) + ["--"] + app_args(pcap)
        else:
            # testpmd keeps its main lcore for the console: workers + 1 lcores.
            cmd = ([TESTPMD] + eal(self.prefix, "0-%d" % workers, [vdev], huge) +
                   ["--", "--forward-mode=5tswap", "--auto-start", "--nb-cores=%d" % workers,
                    "--rxq=%d" % workers, "--txq=%d" % workers, "--total-num-mbufs=32768"])
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
        self.sock = "/var/run/dpdk/%s/dpdk_telemetry.v2" % self.prefix

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.p.poll() is not None:
                raise RuntimeError("%s exited: %s" % (self.kind, self.p.stdout.read()))
            if os.path.exists(self.sock):
                try:
                    if self.stats()["ipackets"] > 0:
                        return
                except (OSError, ValueError, KeyError):
                    pass
            time.sleep(0.05)
        raise RuntimeError("%s not forwarding within %d s" % (self.kind, timeout))

    def stats(self):
        return telemetry_query(self.sock, "/ethdev/stats,0")

    def stop(self):
        if self.kind in BINS:
            self.p.terminate()
        else:
            self.p.stdin.write("\n")
            self.p.stdin.flush()
        try:
            self.p.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.communicate()
        shutil.rmtree("/var/run/dpdk/" + self.prefix, ignore_errors=True)


def rate(kind, pcap, workers, huge, seconds):
    """Packets per second the port received and sent, from its own counters."""
    p = Proc(kind, pcap, workers, huge)
    try:
        p.wait_ready()
        time.sleep(0.3)  # let it settle past start-up
        s0, t0 = p.stats(), time.monotonic()
        time.sleep(seconds)
        s1, t1 = p.stats(), time.monotonic()
    finally:
        p.stop()
    dt = t1 - t0
    return {"rx_pps": (s1["ipackets"] - s0["ipackets"]) / dt,
            "tx_pps": (s1["opackets"] - s0["opackets"]) / dt}


@functools.lru_cache(maxsize=None)
def takes(kind, pcap):
    """Can this binary run the workload? (A baseline from before the TCP stack
    has no [tcp] section to configure its SYN workloads with.) Asked once per
    workload: the rates and the instructions both want to know."""
    if kind not in BINS or kind == "smallsrv":
        return True
    r = subprocess.run([BINS[kind], "--", "--check"] + app_args(pcap), capture_output=True)
    return r.returncode == 0


def bench_rates(pcaps, names, workers, huge, rounds, seconds):
    """Each workload: smallsrv, testpmd (and the baseline) alternated `rounds`
    times, medians."""
    out = {}
    for name in names:
        pcap = os.path.join(pcaps, name + ".pcap")
        kinds = [k for k in list(BINS) + ["testpmd"] if takes(k, pcap)]
        runs = {k: [] for k in kinds}
        for r in range(rounds):
            # The order turns each round: no contender always follows the same one.
            for k in kinds[r % len(kinds):] + kinds[:r % len(kinds)]:
                runs[k].append(rate(k, pcap, workers, huge, seconds)["rx_pps"])
        med = {k: statistics.median(v) for k, v in runs.items()}
        r = out[name] = {"smallsrv_pps": med["smallsrv"], "testpmd_pps": med["testpmd"],
                         "ratio": med["smallsrv"] / med["testpmd"] if med["testpmd"] else 0.0,
                         "target": WORKLOADS[name], "runs": runs}
        line = "  %-18s smallsrv %6.2f Mpps  testpmd %6.2f Mpps  ratio %.2f (target %.1f)" % (
            name, med["smallsrv"] / 1e6, med["testpmd"] / 1e6, r["ratio"], WORKLOADS[name])
        if "baseline" in med:
            r["baseline_pps"] = med["baseline"]
            r["vs_baseline"] = med["smallsrv"] / med["baseline"] if med["baseline"] else 0.0
            line += "  baseline %6.2f Mpps (now %.2fx)" % (med["baseline"] / 1e6,
                                                          r["vs_baseline"])
        print(line, flush=True)
    return out


# Own instructions: those executed inside a binary's own object, the PMD and
# the shared libraries (librte_*, libc, ld.so) left out. smallsrv links DPDK
# dynamically (meson's dependency('libdpdk') takes the shared libraries, and the
# PMDs are plugins loaded from DPDK's pmds directory), so callgrind's object of
# each cost (its "ob=" lines) tells ours from DPDK's exactly. The release build
# has no debug information, so the source file ("fl=") would not tell, and a
# function's name would miss the static ones LTO inlines. What DPDK's headers
# inline into our code (rte_eth_rx_burst's wrapper, rte_pktmbuf_* helpers) is
# compiled into the binary and counts as own. own_object() refuses a binary
# with DPDK linked in statically, where the object would take the PMD in too.
@functools.lru_cache(maxsize=None)
def own_object(binary):
    """The object name callgrind gives a binary's own code."""
    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    if "librte_ethdev" not in ldd:
        raise RuntimeError("%s has DPDK linked in statically: its object would hold "
                           "the PMD too, and own instructions cannot be told "
                           "from it" % binary)
    return os.path.realpath(binary)


def callgrind_objects(path):
    """Self cost (the first event, Ir) per object of a callgrind output file,
    and the file's total. Names may be compressed: "ob=(N) name" defines N,
    "ob=(N)" refers to it; "cob=" shares the numbering. A cost line right after
    "calls=" is the inclusive cost of that call, counted in the callee's own
    lines already, so it is skipped."""
    names, costs, total = {}, {}, None
    ob, after_call = None, False
    with open(path) as f:
        for line in f:
            c = line[:1]
            if c.isdigit() or c in "+-*":
                if after_call:
                    after_call = False
                    continue
                parts = line.split()
                if len(parts) > 1:
                    costs[ob] = costs.get(ob, 0) + int(parts[1])
            elif line.startswith(("ob=", "cob=")):
                m = re.match(r"c?ob=(?:\((\d+)\))?\s*(.*)", line.rstrip("\n"))
                ident, name = m.group(1), m.group(2)
                if ident is not None:
                    if name:
                        names[ident] = name
                    name = names[ident]
                if line[0] == "o":
                    ob = name
            elif line.startswith("calls="):
                after_call = True
            elif line.startswith("totals:"):
                total = int(line.split()[1])
    if total is None:
        total = sum(costs.values())
    return costs, total


def valgrind_ir(cmd, own, stop_after=None):
    """Instructions a command executes, from callgrind's totals, those inside
    the object `own` (own_object), and its output. With stop_after, a newline
    goes to its stdin that many seconds after start (testpmd's way to stop)."""
    fd, out = tempfile.mkstemp(prefix="callgrind.")
    os.close(fd)
    # Fair scheduling: a forwarding lcore spinning must not starve the thread
    # that reads the newline telling testpmd to stop. Costs per object only:
    # --dump-instr=no keeps the file small.
    p = subprocess.Popen(["valgrind", "--tool=callgrind", "--fair-sched=yes", "--dump-instr=no",
                          "--callgrind-out-file=" + out] + cmd,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    if stop_after is not None:
        # Its output fits the pipe meanwhile: testpmd says little until it stops.
        time.sleep(stop_after)
    try:
        text, _ = p.communicate(input="\n", timeout=900)
        costs, total = callgrind_objects(out)
    finally:
        if p.poll() is None:
            p.kill()
            p.communicate()
        os.unlink(out)
    return total, costs.get(own, 0), text


def ir_smallsrv(pcap, packets, kind="smallsrv"):
    prefix = unique("cg")
    cmd = ([BINS[kind]] + eal(prefix, "0", [pcap_vdev(pcap, 1)], False) + ["--"] +
           app_args(pcap) + ["--packets", str(packets)])
    try:
        ir, own, text = valgrind_ir(cmd, own_object(BINS[kind]))
    finally:
        shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
    m = re.search(r"^  total\s+rx (\d+) pkts", text, re.M)
    return ir, own, int(m.group(1))


def ir_per_packet(pcap, packets, kind="smallsrv"):
    """Instructions per packet, total and own, start-up cancelled out: the
    difference between a short and a long run over the infinite capture (which
    never leaves a poll empty), divided by the difference in packets."""
    i1, o1, n1 = ir_smallsrv(pcap, packets, kind)
    i2, o2, n2 = ir_smallsrv(pcap, packets * 4, kind)
    return (i2 - i1) / (n2 - n1), (o2 - o1) / (n2 - n1)


def ir_testpmd(pcap, seconds):
    prefix = unique("cg")
    cmd = ([TESTPMD] + eal(prefix, "0-1", [pcap_vdev(pcap, 1)], False) +
           ["--", "--forward-mode=5tswap", "--auto-start", "--total-num-mbufs=16384"])
    try:
        ir, own, text = valgrind_ir(cmd, own_object(TESTPMD), stop_after=seconds)
    finally:
        shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
    m = re.findall(r"RX-packets:\s+(\d+)", text)
    return ir, own, int(m[-1])


def fmt_target(t):
    return "%4d" % t if t is not None else "   -"


def bench_instructions(pcaps, names, packets, testpmd=True):
    """Instructions per packet of smallsrv (and the baseline) and testpmd: the
    total, and smallsrv's own (inside its binary) against the issue's target.
    Without testpmd (the smoke: it needs tens of seconds under valgrind),
    smallsrv's figures only."""
    out = {}
    for name in names:
        pcap = os.path.join(pcaps, name + ".pcap")
        ss, own = ir_per_packet(pcap, packets)
        base = None
        if "baseline" in BINS and takes("baseline", pcap):
            base = ir_per_packet(pcap, packets, "baseline")
        # testpmd stops on a newline, not a count: its own totals say how many.
        # Both runs must outlast its start-up under valgrind (which cancels
        # out); on a busy machine that takes longer: try again, longer.
        # Its start-up time varies by seconds from run to run: the two runs
        # are 20 s apart, and are taken again if the difference is too thin.
        tp = tp_own = float("nan")
        with_testpmd = testpmd and name not in FRAG_WORKLOADS
        for first in (15, 30, 45) if with_testpmd else ():
            j1, p1, m1 = ir_testpmd(pcap, first)
            j2, p2, m2 = ir_testpmd(pcap, first + 20)
            if m1 > 0 and m2 - m1 >= 100000:
                tp, tp_own = (j2 - j1) / (m2 - m1), (p2 - p1) / (m2 - m1)
                break
        target = OWN_TARGETS.get(name)
        r = out[name] = {"smallsrv_instr_per_pkt": ss, "smallsrv_own_instr_per_pkt": own,
                         "own_target": target,
                         "own_target_met": None if target is None else own <= target}
        line = "  %-18s smallsrv own %5.0f (target %s) total %5.0f instr/pkt" % (
            name, own, fmt_target(target), ss)
        if name in FRAG_WORKLOADS:
            k = FRAG_WORKLOADS[name]
            r.update({"frames_per_datagram": k, "own_instr_per_datagram": own * k,
                      "instr_per_datagram": ss * k})
            line += "; a datagram (%d frames): own %6.0f total %6.0f" % (k, own * k, ss * k)
        elif testpmd:
            r.update({"testpmd_instr_per_pkt": tp, "testpmd_own_instr_per_pkt": tp_own,
                      "ratio": ss / tp if tp else 0.0})
            line += "  testpmd total %5.0f (own %3.0f)  ratio %.2f" % (tp, tp_own, ss / tp)
        if base is not None:
            r["baseline_instr_per_pkt"], r["baseline_own_instr_per_pkt"] = base
            line += "  baseline own %5.0f total %5.0f" % (base[1], base[0])
        print(line, flush=True)
    # The same as a table, for the README.
    base = any("baseline_instr_per_pkt" in r for r in out.values())
    print("  | workload | own | own target | total | testpmd total |%s" % (
        " baseline own | baseline total |" if base else ""))
    print("  |---|---|---|---|---|%s" % ("---|---|" if base else ""))
    for name, r in out.items():
        t = r["own_target"]
        print("  | %s | %.0f | %s | %.0f | %s |%s" % (
            name, r["smallsrv_own_instr_per_pkt"], "≤ %d" % t if t else "",
            r["smallsrv_instr_per_pkt"],
            "%.0f" % r["testpmd_instr_per_pkt"] if "testpmd_instr_per_pkt" in r else "",
            " %.0f | %.0f |" % (r["baseline_own_instr_per_pkt"], r["baseline_instr_per_pkt"])
            if "baseline_instr_per_pkt" in r else (" | |" if base else "")), flush=True)
    return out


def tcp_bench_of(smallsrv):
    """tcp_bench of the build a smallsrv binary comes from."""
    return os.path.join(os.path.dirname(os.path.dirname(smallsrv)), "tests", "perf",
                        "tcp_bench")

TCP_TARGETS = {
    "conn": ("connections_per_second", 1e6, "full daytime connections/s per core"),
    "hold": ("bytes_per_connection", 268.4, "bytes per held connection (1M in 256 MB)"),
    "chargen": ("gbit_per_second", 40.0, "chargen payload Gbit/s per core"),
    "echo": ("gbit_per_second", None, "echo Gbit/s per core"),
}


def tcp_run(bench, mode, count, huge):
    prefix = unique("tcpb")
    mem = mem_args(huge, 2048)
    cmd = [bench, "-l", "1", "--no-pci", "--file-prefix", prefix, "--log-level",
           "*:warning", "--vdev", "net_null0"] + mem + ["--", mode, str(count)]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    finally:
        shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
    line = [l for l in r.stdout.splitlines() if l.startswith("{")]
    if r.returncode != 0 or not line:
        raise RuntimeError("tcp_bench %s failed: %s %s" % (mode, r.stdout, r.stderr))
    return json.loads(line[0])


def bench_tcp(huge, sizes, rounds):
    """The in-process TCP figures (tests/perf/tcp_bench.c), one worker;
    medians of `rounds`, alternated with the baseline's when there is one."""
    out = {}
    for mode, count in sizes.items():
        key, target, what = TCP_TARGETS[mode]
        # A baseline from before the TCP stack has no tcp_bench: this build only.
        kinds = [k for k in BINS if os.path.exists(tcp_bench_of(BINS[k]))]
        runs = {k: [] for k in kinds}
        res = None
        for _ in range(rounds):
            for k in kinds:
                r = tcp_run(tcp_bench_of(BINS[k]), mode, count, huge)
                runs[k].append(r[key])
                if k == "smallsrv":
                    res = r
        res["figure"] = statistics.median(runs["smallsrv"])
        res["target"], res["what"] = target, what
        line = "  %-8s %12.1f %s%s" % (mode, res["figure"], what,
                                       "" if target is None else " (target %s)" % target)
        if "baseline" in runs:
            res["baseline"] = statistics.median(runs["baseline"])
            line += "  baseline %.1f" % res["baseline"]
        out[mode] = res
        print(line, flush=True)
    return out


def bench_scaling(pcaps, workers, huge, seconds):
    """UDP echo packet rate with 1, 2, ... workers, against linear growth."""
    pcap = os.path.join(pcaps, "udp-echo4-64.pcap")
    out, base = {}, None
    for n in workers:
        r = rate("smallsrv", pcap, n, huge, seconds)["rx_pps"]
        if base is None:
            base = r / n
        lin = r / (base * n)
        out[str(n)] = {"pps": r, "of_linear": lin}
        print("  %2d worker%s %6.2f Mpps  %.2f of linear" % (
            n, "" if n == 1 else "s", r / 1e6, lin), flush=True)
    return out


# The closed-loop peer: dpdk-testpmd drives smallsrv over a net_memif pair, no
# pcap in between. smallsrv is the memif server (it starts first and stays),
# testpmd the client. memif in its default copy mode keeps its rings and buffers
# in memfd shared memory of its own, so it runs without hugepages too.
# Two ways to drive it:
#   txonly: testpmd's --forward-mode=txonly sends UDP echo requests (--tx-ip,
#     --tx-udp, --txpkts) as fast as it can: the offered load, open loop. txonly
#     never polls its RX queue, so no reply is counted there; once the ring
#     towards testpmd is full, smallsrv's replies are refused (tx_queue_full).
#   loop: testpmd seeds PEER_BURSTS bursts of those requests ("start tx_first N"
#     builds them as txonly does) and then reflects every reply it receives with
#     5tswap, which turns an echo reply into the same request again: a closed
#     loop with a fixed number of requests in flight, the replies counted by
#     testpmd's RX.
PEER_APP_MAC, PEER_GEN_MAC = "02:00:00:00:00:01", "02:00:00:00:00:fe"
PEER_BURSTS = 16


def wait_for(path, pattern, proc, timeout):
    """Poll a process's output file until pattern appears; its match."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(path) as f:
            m = re.search(pattern, f.read(), re.M)
        if m:
            return m
        if proc.poll() is not None:
            with open(path) as f:
                raise RuntimeError("exited (%s): %s" % (proc.returncode, f.read()[-3000:]))
        time.sleep(0.05)
    raise RuntimeError("no %r within %d s" % (pattern, timeout))


def stop_proc(p, timeout=20):
    try:
        p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


# The pair of ports: smallsrv's vdev and testpmd's, on one socket. With vhost,
# smallsrv has the virtio port (the offloads a virtio NIC offers) as the
# virtio-user server, and its probe waits until testpmd's vhost connects.
PEER_LINKS = {
    "memif": ("net_memif0,role=server,socket={sock},mac={mac}",
              "net_memif1,role=client,socket={sock},mac={peer}"),
    "vhost": ("net_virtio_user0,path={sock},server=1,queues=1,mac={mac}",
              "net_vhost0,iface={sock},client=1"),
}


def peer_run(link, mode, huge, seconds, length=64):
    """One run of the peer; rates from both ports' own counters."""
    work = tempfile.mkdtemp(prefix="smallsrv-peer.")
    sock = os.path.join(work, link + ".sock")
    app_vdev, gen_vdev = (v.format(sock=sock, mac=PEER_APP_MAC, peer=PEER_GEN_MAC)
                          for v in PEER_LINKS[link])
    app_prefix, gen_prefix = unique("peera"), unique("peerg")
    # smallsrv's worker on lcore 1, testpmd's forwarding lcore on 0; testpmd's
    # main lcore only reads its console, and shares a core on a 2-core machine.
    main = "2" if (os.cpu_count() or 1) > 2 else "1"
    app_cmd = [BIN] + eal(app_prefix, "1", [app_vdev], huge, mem=512) + ["--"] + APP_ARGS
    # Line-buffered: its console output is waited on while it runs.
    gen_cmd = (["stdbuf", "-oL", TESTPMD] + eal(gen_prefix, "0," + main, [gen_vdev], huge,
                                                mem=512) +
               ["--main-lcore", main, "--", "-i", "--nb-cores=1", "--total-num-mbufs=16384",
                "--eth-peer=0," + PEER_APP_MAC, "--tx-ip=192.0.2.254,192.0.2.1",
                "--tx-udp=5000,7", "--txpkts=%d" % length])
    app_out, gen_out = os.path.join(work, "app.out"), os.path.join(work, "gen.out")
    app_sock = "/var/run/dpdk/%s/dpdk_telemetry.v2" % app_prefix
    gen_sock = "/var/run/dpdk/%s/dpdk_telemetry.v2" % gen_prefix
    app = gen = None
    try:
        with open(app_out, "w") as f:
            app = subprocess.Popen(app_cmd, stdout=f, stderr=subprocess.STDOUT)
        if link == "memif":
            wait_for(app_out, r"^ready: .*", app, 30)  # the memif server is listening
        with open(gen_out, "w") as f:
            gen = subprocess.Popen(gen_cmd, stdin=subprocess.PIPE, stdout=f,
                                   stderr=subprocess.STDOUT, text=True)
        wait_for(app_out, r"^ready: .*", app, 30)
        # Requests seeded before testpmd's link is up would be lost.
        deadline = time.monotonic() + 30
        while True:
            try:
                if telemetry_query(gen_sock, "/ethdev/link_status,0").get("status") == "UP":
                    break
            except (OSError, ValueError, KeyError, AttributeError):
                pass
            if time.monotonic() > deadline or gen.poll() is not None:
                with open(gen_out) as f:
                    raise RuntimeError("testpmd's link not up: " + f.read()[-3000:])
            time.sleep(0.05)

        def say(*cmds):
            gen.stdin.write("".join(c + "\n" for c in cmds))
            gen.stdin.flush()

        say("show port info 0", "show port 0 rx_offload capabilities",
            "show port 0 tx_offload capabilities")
        if mode == "txonly":
            say("set fwd txonly", "start")
        else:
            say("set fwd 5tswap", "start tx_first %d" % PEER_BURSTS)
        deadline = time.monotonic() + 30
        while True:
            try:
                if telemetry_query(app_sock, "/ethdev/stats,0")["ipackets"] > 0:
                    break
            except (OSError, ValueError, KeyError):
                pass
            if time.monotonic() > deadline or gen.poll() is not None:
                with open(gen_out) as f:
                    raise RuntimeError("no traffic from testpmd: " + f.read()[-3000:])
            time.sleep(0.05)
        time.sleep(0.3)  # past start-up
        a0, g0, t0 = (telemetry_query(app_sock, "/ethdev/stats,0"),
                      telemetry_query(gen_sock, "/ethdev/stats,0"), time.monotonic())
        time.sleep(seconds)
        a1, g1, t1 = (telemetry_query(app_sock, "/ethdev/stats,0"),
                      telemetry_query(gen_sock, "/ethdev/stats,0"), time.monotonic())
        # testpmd stops forwarding first, then smallsrv goes (and with it the
        # memif server), and testpmd quits last: a memif peer that disconnects
        # while the other side is still polling crashes that side in
        # librte_net_memif (seen with DPDK 22.11 when testpmd quit first).
        say("stop")
        wait_for(gen_out, r"Accumulated forward statistics", gen, 20)
        app.terminate()
        stop_proc(app)
        say("quit")
        stop_proc(gen)
    finally:
        for p in (gen, app):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait()
        with open(app_out) as f:
            app_text = f.read()
        with open(gen_out) as f:
            gen_text = f.read()
        for prefix in (app_prefix, gen_prefix):
            shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    if app.returncode != 0:
        raise RuntimeError("smallsrv exited %d: %s" % (app.returncode, app_text[-3000:]))
    dt = t1 - t0
    out = {"link": link, "mode": mode, "frame_bytes": length, "seconds": dt,
           "generator_tx_pps": (g1["opackets"] - g0["opackets"]) / dt,
           "generator_rx_pps": (g1["ipackets"] - g0["ipackets"]) / dt,
           "app_rx_pps": (a1["ipackets"] - a0["ipackets"]) / dt,
           "app_tx_pps": (a1["opackets"] - a0["opackets"]) / dt,
           "replies_received": g1["ipackets"] - g0["ipackets"]}
    try:
        summ = parse_summary(app_text)
        out["app_not_answered"] = summ["drops"]
    except ValueError:
        pass
    if mode != "txonly":
        out["in_flight"] = PEER_BURSTS * 32
    out["generator_port"] = testpmd_port_info(gen_text)
    m = re.search(r"^ready: .*", app_text, re.M)
    out["app_ready"] = m.group(0) if m else None
    return out


def testpmd_port_info(text):
    """What testpmd says of its port: driver, link, offload capabilities."""
    info = {}
    m = re.search(r"^Driver name:\s*(\S+)", text, re.M)
    if m:
        info["driver"] = m.group(1)
    for what in ("Rx", "Tx"):
        m = re.search(r"^%s Offloading Capabilities of port 0 :\n\s*Per Queue :(.*)\n"
                      r"\s*Per Port\s*:(.*)" % what, text, re.M)
        if m:
            info[what.lower() + "_offload_capabilities"] = {
                "per_queue": m.group(1).split(), "per_port": m.group(2).split()}
    return info


def bench_peer(huge, seconds, links):
    out = {}
    for link in links:
        try:
            out[link] = bench_peer_link(link, huge, seconds)
        except RuntimeError as e:
            # One pair that cannot be set up here leaves the others' figures standing.
            out[link] = {"error": str(e).splitlines()[0]}
            print("  %-5s not measured: %s" % (link, out[link]["error"]), flush=True)
    return out


def bench_peer_link(link, huge, seconds):
    res = {}
    for mode in ("txonly", "loop"):
        r = res[mode] = peer_run(link, mode, huge, seconds)
        print("  %-5s %-6s generator tx %5.2f Mpps, replies received %5.2f Mpps (%d); "
              "smallsrv rx %5.2f Mpps tx %5.2f Mpps%s" % (
                  link, mode, r["generator_tx_pps"] / 1e6, r["generator_rx_pps"] / 1e6,
                  r["replies_received"], r["app_rx_pps"] / 1e6, r["app_tx_pps"] / 1e6,
                  "" if mode == "txonly" else "; %d in flight" % r["in_flight"]),
              flush=True)
        if r.get("app_not_answered"):
            print("               smallsrv not answered: " + ", ".join(
                "%s %d" % kv for kv in r["app_not_answered"].items()), flush=True)
    port = res["loop"]["generator_port"]
    print("  %-5s testpmd's port (%s) offers:" % (link, port.get("driver", "?")))
    for what in ("rx", "tx"):
        caps = port.get(what + "_offload_capabilities", {})
        print("               %s offloads: per queue %s; per port %s" % (
            what, " ".join(caps.get("per_queue", [])) or "none",
            " ".join(caps.get("per_port", [])) or "none"), flush=True)
    return res


def machine():
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(),
            "dpdk": subprocess.run([BIN, "--version"], capture_output=True,
                                   text=True).stdout.strip()}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pcaps", required=True, help="request captures (make_requests.py)")
    ap.add_argument("--huge", action="store_true", help="hugepages are reserved")
    ap.add_argument("--huge-dir", help="the hugetlbfs mount that holds them")
    ap.add_argument("--workers", default="1,2", help="worker counts for the scaling run")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--packets", type=int, default=200000, help="callgrind's short run")
    ap.add_argument("--smoke", action="store_true", help="a few thousand packets of each")
    ap.add_argument("--json", required=True)
    ap.add_argument("--baseline", help="build directory of an earlier commit, measured alongside")
    ap.add_argument("--parts", default="rates,instructions,tcp,scaling,peer",
                    help="which parts to run, comma-separated")
    args = ap.parse_args()
    global HUGE_DIR
    HUGE_DIR = args.huge_dir
    if args.baseline:
        BINS["baseline"] = os.path.join(os.path.abspath(args.baseline), "app", "smallsrv")

    names = list(WORKLOADS)
    tcp_sizes = {"conn": 500000, "hold": 1000000, "chargen": 2000000000, "echo": 1000000000}
    workers = [int(w) for w in args.workers.split(",")]
    if args.smoke:
        names = ["udp-echo4-64", "tcp-syn4"]
        args.rounds, args.seconds, args.packets = 1, 0.2, 2000
        tcp_sizes = {"conn": 2000, "hold": 2000, "chargen": 2000000, "echo": 2000000}
        workers = workers[:2]
    mode = "hugepages" if args.huge else "no hugepages (--no-huge)"
    result = {"machine": machine(), "memory": mode, "smoke": args.smoke}
    print("memory: %s; machine: %s, %d cores" % (mode, result["machine"]["cpu"],
                                                 result["machine"]["cores"]), flush=True)
    parts = args.parts.split(",")
    if "rates" in parts:
        print("packet rates, one worker, against testpmd 5tswap (medians of %d)" % args.rounds,
              flush=True)
        result["rates"] = bench_rates(args.pcaps, names, 1, args.huge, args.rounds,
                                      args.seconds)
    if "instructions" in parts:
        # testpmd under valgrind needs tens of seconds: the smoke counts smallsrv only.
        print("instructions per packet (callgrind; memory: no hugepages; own: inside the "
              "binary, PMD and shared libraries left out)", flush=True)
        result["instructions"] = bench_instructions(
            args.pcaps, names[:1] if args.smoke else names + list(FRAG_WORKLOADS),
            args.packets, testpmd=not args.smoke)
    if "tcp" in parts:
        print("TCP in-process, one worker", flush=True)
        result["tcp"] = bench_tcp(args.huge, tcp_sizes, 1 if args.smoke else args.rounds)
    if "scaling" in parts:
        print("scaling, UDP echo IPv4 64-byte frames (%d cores here)" % os.cpu_count(),
              flush=True)
        result["scaling"] = bench_scaling(args.pcaps, workers, args.huge, args.seconds)
    if "peer" in parts:
        # The smoke: memif only (the quickest to come up), 0.2 s.
        links = ["memif"] if args.smoke else list(PEER_LINKS)
        print("DPDK peer: testpmd over %s, one worker, UDP echo IPv4 64-byte frames "
              "(memory: %s)" % (" and ".join(links), mode), flush=True)
        result["peer"] = bench_peer(args.huge, args.seconds if args.smoke else 3.0, links)
    with open(args.json, "w") as f:
        json.dump(result, f, indent=1)
    print("written: " + args.json)


if __name__ == "__main__":
    main()
