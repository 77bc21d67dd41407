#!/usr/bin/python3
"""smallsrv's benchmark: packet rates against testpmd 5tswap in the same run,
instructions per packet under callgrind, and the TCP figures in-process.

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
from common import BIN, telemetry_query, unique  # noqa: E402

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


def app_args(pcap):
    """The lab profile; SYNs measure the stateless path a flood takes (the
    capture's tuples come round again and again: with a SYN table they would
    all find their entry and measure a retransmission instead)."""
    args = list(APP_ARGS)
    if os.path.basename(pcap).startswith("tcp-syn"):
        args += ["--set", "tcp.max_half_open=0"]
    return args


def eal(prefix, lcores, vdevs, huge):
    args = ["-l", lcores, "--file-prefix", prefix, "--no-pci", "--log-level", "*:warning"]
    if huge:
        args += ["-m", "1024"]
    else:
        args += ["--no-huge", "-m", "1024", "--no-shconf"]
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


def valgrind_ir(cmd, stop_after=None):
    """Instructions a command executes, from callgrind's totals, and its output.
    With stop_after, a newline goes to its stdin that many seconds after start
    (testpmd's way to stop)."""
    fd, out = tempfile.mkstemp(prefix="callgrind.")
    os.close(fd)
    # Fair scheduling: a forwarding lcore spinning must not starve the thread
    # that reads the newline telling testpmd to stop.
    p = subprocess.Popen(["valgrind", "--tool=callgrind", "--fair-sched=yes",
                          "--callgrind-out-file=" + out] + cmd,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    if stop_after is not None:
        # Its output fits the pipe meanwhile: testpmd says little until it stops.
        time.sleep(stop_after)
    text, _ = p.communicate(input="\n", timeout=900)
    with open(out) as f:
        totals = [int(line.split()[1]) for line in f if line.startswith("totals:")]
    os.unlink(out)
    return totals[0], text


def ir_smallsrv(pcap, packets, kind="smallsrv"):
    prefix = unique("cg")
    cmd = ([BINS[kind]] + eal(prefix, "0", [pcap_vdev(pcap, 1)], False) + ["--"] +
           app_args(pcap) + ["--packets", str(packets)])
    try:
        ir, text = valgrind_ir(cmd)
    finally:
        shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
    m = re.search(r"^  total\s+rx (\d+) pkts", text, re.M)
    return ir, int(m.group(1))


def ir_per_packet(pcap, packets, kind="smallsrv"):
    """Instructions per packet, start-up cancelled out: the difference between a
    short and a long run over the infinite capture (which never leaves a poll
    empty), divided by the difference in packets."""
    i1, n1 = ir_smallsrv(pcap, packets, kind)
    i2, n2 = ir_smallsrv(pcap, packets * 4, kind)
    return (i2 - i1) / (n2 - n1)


def ir_testpmd(pcap, seconds):
    prefix = unique("cg")
    cmd = ([TESTPMD] + eal(prefix, "0-1", [pcap_vdev(pcap, 1)], False) +
           ["--", "--forward-mode=5tswap", "--auto-start", "--total-num-mbufs=16384"])
    try:
        ir, text = valgrind_ir(cmd, stop_after=seconds)
    finally:
        shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
    m = re.findall(r"RX-packets:\s+(\d+)", text)
    return ir, int(m[-1])


def bench_instructions(pcaps, names, packets):
    """Instructions per packet of smallsrv (and the baseline) and testpmd."""
    out = {}
    for name in names:
        pcap = os.path.join(pcaps, name + ".pcap")
        ss = ir_per_packet(pcap, packets)
        base = None
        if "baseline" in BINS and takes("baseline", pcap):
            base = ir_per_packet(pcap, packets, "baseline")
        # testpmd stops on a newline, not a count: its own totals say how many.
        # Both runs must outlast its start-up under valgrind (which cancels
        # out); on a busy machine that takes longer: try again, longer.
        # Its start-up time varies by seconds from run to run: the two runs
        # are 20 s apart, and are taken again if the difference is too thin.
        tp = float("nan")
        for first in (15, 30, 45):
            j1, m1 = ir_testpmd(pcap, first)
            j2, m2 = ir_testpmd(pcap, first + 20)
            if m1 > 0 and m2 - m1 >= 100000:
                tp = (j2 - j1) / (m2 - m1)
                break
        out[name] = {"smallsrv_instr_per_pkt": ss, "testpmd_instr_per_pkt": tp,
                     "ratio": ss / tp if tp else 0.0}
        line = "  %-18s smallsrv %6.0f instr/pkt  testpmd %6.0f instr/pkt  ratio %.2f" % (
            name, ss, tp, ss / tp)
        if base is not None:
            out[name]["baseline_instr_per_pkt"] = base
            line += "  baseline %6.0f instr/pkt" % base
        print(line, flush=True)
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
    mem = ["-m", "2048"] if huge else ["--no-huge", "-m", "2048", "--no-shconf"]
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
    ap.add_argument("--workers", default="1,2", help="worker counts for the scaling run")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--packets", type=int, default=200000, help="callgrind's short run")
    ap.add_argument("--smoke", action="store_true", help="a few thousand packets of each")
    ap.add_argument("--json", required=True)
    ap.add_argument("--baseline", help="build directory of an earlier commit, measured alongside")
    ap.add_argument("--parts", default="rates,instructions,tcp,scaling",
                    help="which parts to run, comma-separated")
    args = ap.parse_args()
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
    if "instructions" not in parts:
        pass
    elif args.smoke:
        print("instructions per packet (callgrind; memory: no hugepages)", flush=True)
        # testpmd under valgrind needs tens of seconds: the smoke counts smallsrv only.
        ss = ir_per_packet(os.path.join(args.pcaps, names[0] + ".pcap"), args.packets)
        result["instructions"] = {names[0]: {"smallsrv_instr_per_pkt": ss}}
        print("  %-18s smallsrv %6.0f instr/pkt" % (names[0], ss))
    else:
        print("instructions per packet (callgrind; memory: no hugepages)", flush=True)
        result["instructions"] = bench_instructions(args.pcaps, names, args.packets)
    if "tcp" in parts:
        print("TCP in-process, one worker", flush=True)
        result["tcp"] = bench_tcp(args.huge, tcp_sizes, 1 if args.smoke else args.rounds)
    if "scaling" in parts:
        print("scaling, UDP echo IPv4 64-byte frames (%d cores here)" % os.cpu_count(),
              flush=True)
        result["scaling"] = bench_scaling(args.pcaps, workers, args.huge, args.seconds)
    with open(args.json, "w") as f:
        json.dump(result, f, indent=1)
    print("written: " + args.json)


if __name__ == "__main__":
    main()
