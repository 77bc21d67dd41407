#!/usr/bin/python3
"""The soak (scripts/soak.sh MINUTES): smallsrv on net_tap in a namespace of
its own, MINUTES of mixed traffic through 3 % loss each way, then
everything closed, and the checks that nothing was lost on the way:

  1. the mbuf pool's in-use count is back at its baseline;
  2. no connection is left (SYN table, TIME-WAIT and all);
  3. rx = answered + to TCP + not answered, per port and in total;
  4. the process' RSS is flat: its last samples within RSS_MARGIN of the
     post-warm-up baseline;
  5. the process lives, and exits 0 on SIGTERM with its summary;
  and every kernel client's answer was right, few UDP datagrams were lost,
  and each frame sent to be refused was counted under its drop reason.

The traffic (clients.py, hostile.py): the kernel's TCP and UDP clients of
every service over IPv4 and IPv6, a SYN flood, frames to refuse, blind RSTs
and SYNs into live connections, raw peers that abuse TCP. A warm-up of
WARM_UP seconds of the same traffic comes first; the baseline is taken
once it has drained.

Run as root with Debian's /usr/bin/python3; SMALLSRV_BIN picks the binary.
"""
import argparse
import json
import os
import random
import re
import resource
import signal
import socket
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "..", "live"), os.path.join(HERE, "..")]

import clients  # noqa: E402
import hostile  # noqa: E402
from common import APP_IP4, BIN  # noqa: E402
from livelib import (Appliance, Nft, lose, monotonic, one_segment_per_packet,  # noqa: E402
                     tcp_stats)
from tally import LiveConns, Tally, make_rng, start_thread  # noqa: E402

CONFIG = os.path.join(HERE, "soak.ini")
LOSS = 3  # percent, each way, TCP and UDP
WARM_UP = 10.0  # s
SAMPLE_EVERY = 2.0  # s between RSS and telemetry samples
STALL_SAMPLES = 3  # samples in a row without a packet received: is a worker stuck?
LAST_SAMPLES = 3  # the samples that must be flat: the run's last 6 s
DRAIN_TIMEOUT = 60.0  # s for every connection to go (the longest timer is ~10 s)
JOIN_TIMEOUT = clients.TCP_TIMEOUT + 10.0
UDP_LOST_MAX = 0.20  # of the UDP requests (3 % each way loses ~6 %)
RAW_LOST_MAX = 0.50  # of the raw peers' sessions
# RSS may grow by this much, no more: the pool, the connection table and
# the rest are allocated and touched at start, so what grows in steady
# state is what glibc keeps for the telemetry threads. A leak of one
# 64-byte allocation per connection would be 1 MiB after 16 000.
RSS_MARGIN = 1 << 20  # bytes

# Steps per second, each way of traffic: a budget for a 2-core machine of
# which the appliance polls one. TCP: this many connections a second from
# each of TCP_THREADS threads.
TCP_THREADS, TCP_RATE = 3, 8
UDP_RATE = 150
FLOOD_RATE = 300  # SYNs
REFUSED_RATE = 100  # frames
RAW_RATE = 2  # sessions
GROUPS = ("tcp", "udp", "flood", "refused", "raw", "loss")


def rss_bytes(pid):
    with open("/proc/%d/status" % pid) as f:
        m = re.search(r"^VmRSS:\s+(\d+) kB", f.read(), re.M)
    return int(m.group(1)) * 1024


def mib(n):
    return "%.1f MiB" % (n / 1048576)


def traffic_table(tally):
    """Steps by kind (done, lost, failed), and raw frames sent by kind."""
    kinds = sorted(set(tally.done) | set(tally.lost) | set(tally.failed))
    return ({k: {"done": tally.done[k], "lost": tally.lost[k], "failed": tally.failed[k]}
             for k in kinds}, dict(sorted(tally.sent.items())))


def cpu_seconds(pid=None):
    """User and system CPU time of a process (this one without pid)."""
    if pid is None:
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Traffic:
    """Every worker thread, started together and stopped together."""

    def __init__(self, soak, tally):
        self.soak, self.tally = soak, tally
        self.stop = None
        self.threads = []

    def start(self):
        s, t, skip = self.soak, self.tally, self.soak.skip
        self.stop = threading.Event()
        live, quote = LiveConns(), s.quote
        n = len(self.threads)

        def spawn(name, fn, *args):
            self.threads.append(start_thread(name, fn, t, self.stop, *args))
        if "tcp" not in skip:
            tcp = clients.KernelTcp(s.app, live, quote)
            for i in range(TCP_THREADS):
                spawn("tcp%d" % i, clients.run_tcp, TCP_RATE, tcp, t, s.rng("tcp%d" % i))
        if "udp" not in skip:
            udp = clients.KernelUdp(s.app, t, quote)
            spawn("udp", lambda stop, rng: udp.run(stop, UDP_RATE, rng), s.rng("udp"))
        if "flood" not in skip:
            spawn("flood", hostile.run_flood, FLOOD_RATE, s.app, t, s.rng("flood"))
        if "refused" not in skip:
            spawn("refused", hostile.run_refused, REFUSED_RATE, s.app, s.frames, live, t,
                  s.rng("refused"))
        if "raw" not in skip:
            spawn("raw", hostile.run_raw, RAW_RATE, hostile.RawSessions(s.app, skip), t,
                  s.rng("raw"))
        return len(self.threads) - n

    def join(self):
        """Stop every thread; the names of those that did not end in time."""
        self.stop.set()
        deadline = monotonic() + JOIN_TIMEOUT
        for th in self.threads:
            th.join(max(0.0, deadline - monotonic()))
        return [th.name for th in self.threads if th.is_alive()]


class Soak:
    def __init__(self, args):
        self.args = args
        self.seed = args.seed if args.seed is not None else random.randrange(1 << 32)
        self.skip = set(args.skip)
        self.app = Appliance(["--config", CONFIG])
        self.nft = None
        self.quote = clients.Quote()
        self.frames = None
        self.checks = []  # (name, ok, detail)
        self.samples = []  # (phase, t, rss, pool in use)
        self.fig = {"minutes": args.minutes, "seed": self.seed, "loss_percent": LOSS,
                    "warm_up_s": WARM_UP, "skipped": sorted(self.skip)}
        self.traffic = None
        self.serving = True

    def rng(self, name):
        return make_rng(self.seed, name)

    def check(self, name, ok, detail=""):
        self.checks.append((name, bool(ok), detail))
        return ok

    # -- observing ---------------------------------------------------------------

    def pool(self):
        return self.app.telemetry("/smallsrv/pool")

    def sample(self, phase, t0):
        rss = rss_bytes(self.app.proc.pid)
        in_use = self.pool()["in_use"]
        rx = self.app.telemetry("/smallsrv/stats")["rx_pkts"]
        self.samples.append((phase, round(monotonic() - t0, 1), rss, in_use))
        return rx

    def watch(self, phase, seconds):
        """Sample every SAMPLE_EVERY s for seconds; False if the appliance
        died or stopped receiving."""
        t0 = monotonic()
        end, last_rx, still = t0 + seconds, None, 0
        while True:
            if self.app.proc.poll() is not None:
                self.fig["appliance_stderr"] = self.app._stderr()[-3000:]
                return self.check("%s: the appliance runs" % phase, False,
                                  "it exited with %d" % self.app.proc.returncode)
            rx = self.sample(phase, t0)
            still = still + 1 if rx == last_rx else 0
            last_rx = rx
            if still >= STALL_SAMPLES and not self.answers():
                return self.check("%s: the appliance serves" % phase, False,
                                  "rx_pkts stuck at %d for %.0f s, no answer to a UDP echo: "
                                  "a worker is stuck" % (rx, still * SAMPLE_EVERY))
            left = end - monotonic()
            if left <= 0:
                return True
            time.sleep(min(SAMPLE_EVERY, left))

    def answers(self):
        """A kernel's UDP echo comes back (three tries of a second each)."""
        with self.app.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(1.0)
            s.connect((APP_IP4, 7))
            for _ in range(3):
                token = os.urandom(8)
                s.send(token)
                try:
                    while s.recv(100) != token:
                        pass
                    return True
                except (socket.timeout, ConnectionError):
                    continue
        return False

    def quiet(self):
        """The TCP state once nothing is left, or None."""
        c = tcp_stats(self.app)
        active = {k: v for k, v in c.items() if k.endswith("_active") and v}
        if c["table_used"] or c["table_half_open"] or active:
            return None
        return c

    # -- phases --------------------------------------------------------------------

    def loss_on(self):
        if "loss" not in self.skip:
            egress, ingress = lose(LOSS, "meta l4proto { tcp, udp }")
            self.nft.load(egress=egress, ingress=ingress)

    def loss_off(self):
        """Remove the loss; what it lost, each way."""
        if "loss" in self.skip:
            return {}
        lost = self.nft.counters()
        self.nft.delete()
        return lost

    def run_traffic(self, phase, seconds, tally):
        self.loss_on()
        self.traffic = Traffic(self, tally)
        n = self.traffic.start()
        alive = self.serving = self.watch(phase, seconds)
        stuck = self.traffic.join()
        self.traffic = None
        self.check("%s: every worker stopped" % phase, not stuck,
                   "still running: %s" % ", ".join(stuck) if stuck else "all %d" % n)
        return alive and not stuck, self.loss_off()

    def drain(self, phase):
        """Wait until no connection is left; its TCP state, or None."""
        t0 = monotonic()
        deadline, probe = t0 + DRAIN_TIMEOUT, t0 + 5.0
        while True:
            c = self.quiet()
            if c is not None:
                self.check("%s: no connection left" % phase, True,
                           "after %.1f s" % (monotonic() - t0))
                return c
            why = None
            if self.app.proc.poll() is not None:
                why = "the appliance exited with %d" % self.app.proc.returncode
            elif monotonic() > probe:
                # Still busy? Or stuck: then waiting longer is no use.
                probe = monotonic() + 5.0
                if not self.answers():
                    why = "no answer to a UDP echo: a worker is stuck"
            if why is None and monotonic() > deadline:
                why = "timed out"
            if why is not None:
                c = tcp_stats(self.app)
                left = {k: v for k, v in c.items() if k.endswith("_active") and v}
                self.check("%s: no connection left" % phase, False,
                           "after %.0f s, %s: table_used %d, half_open %d, time_wait %d, %s"
                           % (monotonic() - t0, why, c["table_used"], c["table_half_open"],
                              c["table_time_wait"], left or "no service active"))
                return None
            time.sleep(0.2)

    def settled_pool(self, want=None, timeout=5.0):
        """The in-use count once it holds still (or equals want)."""
        deadline = monotonic() + timeout
        last = None
        while True:
            n = self.pool()["in_use"]
            if n == want or (want is None and n == last):
                return n
            if monotonic() > deadline:
                return n
            last = n
            time.sleep(0.2)

    def counters(self):
        c = tcp_stats(self.app)
        c["port0"] = self.app.telemetry("/smallsrv/stats,0")
        return c

    def run(self):
        a = self.args
        self.app.start()
        one_segment_per_packet(self.app)
        self.nft = Nft(self.app, "soak_loss")
        self.frames = hostile.refused_frames(self.app)
        pool = self.pool()
        self.fig["pool"] = {"name": pool["name"], "size": pool["size"],
                            "at_start": pool["in_use"]}

        # Warm-up: the same traffic, then drained; the baseline after it.
        warm = Tally()
        ok, _ = self.run_traffic("warm-up", WARM_UP, warm)
        self.check("warm-up: every client check passed", warm.failures() == 0,
                   "".join("\n        " + m for m in warm.messages))
        if not ok or self.drain("warm-up") is None:
            self.fig["traffic"], self.fig["frames_sent"] = traffic_table(warm)
            self.stop_check()
            return False
        base_pool = self.settled_pool()
        base_rss = max([s[2] for s in self.samples] + [rss_bytes(self.app.proc.pid)])
        before = self.counters()

        # The soak.
        tally = Tally()
        t0, cpu0, app_cpu0 = monotonic(), cpu_seconds(), cpu_seconds(self.app.proc.pid)
        ok, lost = self.run_traffic("soak", a.minutes * 60, tally)
        wall = monotonic() - t0
        self.fig["traffic_s"] = round(wall, 1)
        if self.app.proc.poll() is None:
            self.fig["cpu_share"] = {
                "driver": round((cpu_seconds() - cpu0) / wall, 2),
                "appliance": round((cpu_seconds(self.app.proc.pid) - app_cpu0) / wall, 2)}
        self.fig["loss_frames"] = lost
        if self.app.proc.poll() is not None:  # it died: nothing left to ask it
            self.fig["traffic"], self.fig["frames_sent"] = traffic_table(tally)
            self.stop_check()
            return False
        soak_samples = [s for s in self.samples if s[0] == "soak"]
        end = self.drain("soak") if ok else None
        after = self.counters()
        self.report_traffic(tally, before, after)
        if end is not None:
            end_pool = self.settled_pool(base_pool)
            self.check("mbuf pool in use back at its baseline", end_pool == base_pool,
                       "baseline %d, end %d (of %d)" % (base_pool, end_pool, pool["size"]))
            self.fig["pool"].update({"baseline": base_pool, "end": end_pool})
        if soak_samples:
            self.rss_check(base_rss, soak_samples)
        # A stuck worker has counted a burst's rx and not yet its verdicts.
        if self.serving:
            self.identity_check("telemetry", after["port0"], {
                "rx_pkts": after["rx_pkts"], "rx_answered": after["rx_answered"],
                "rx_tcp": after["rx_tcp"], "rx_held": after["rx_held"],
                "not_answered": after["not_answered"],
                "tx_pkts": after["tx_pkts"]})
        self.stop_check()
        return all(ok for _, ok, _ in self.checks)

    # -- checks --------------------------------------------------------------------

    def report_traffic(self, tally, before, after):
        self.fig["traffic"], self.fig["frames_sent"] = traffic_table(tally)
        self.fig["failures"] = tally.messages
        n = sum(tally.done.values()) + sum(tally.failed.values())
        self.check("every client check passed", tally.failures() == 0,
                   "%d failed of %d%s" % (tally.failures(), n,
                                         "".join("\n        " + m for m in tally.messages)))
        for group, limit in (("udp ", UDP_LOST_MAX), ("raw ", RAW_LOST_MAX)):
            done = sum(v for k, v in tally.done.items() if k.startswith(group))
            lost = sum(v for k, v in tally.lost.items() if k.startswith(group))
            if done + lost:
                self.check("%sexchanges lost: at most %d %%" % (group, limit * 100),
                           lost <= limit * (done + lost),
                           "%d of %d" % (lost, done + lost))
        if "tcp" not in self.skip:
            done = sum(v for k, v in tally.done.items() if k.startswith("tcp "))
            self.check("kernel TCP clients connected", done > 0, "%d connections" % done)
        # Each refused frame under its reason: all of them, less what the
        # loss may have taken (3 %, and four standard deviations more).
        refused = {}
        bad = []
        for reason, sent in sorted(tally.expected.items()):
            counted = after[reason] - before[reason]
            slack = LOSS / 100 * sent + 4 * (LOSS / 100 * sent) ** 0.5 + 2
            refused[reason] = {"sent": sent, "counted": counted}
            if not sent - slack <= counted <= sent:
                bad.append("%s %d of %d" % (reason, counted, sent))
        if tally.expected:
            self.check("frames to refuse counted under their reasons", not bad,
                       ", ".join(bad) or "%d reasons, %d frames" % (
                           len(refused), sum(tally.expected.values())))
        self.fig["refused"] = refused
        self.fig["tcp_events"] = {k: after[k] - before[k] for k in (
            "synack_stateful", "synack_cookie", "synack_retransmit", "cookie_accepted",
            "cookie_rejected", "handshake_timeout", "challenge_ack", "challenge_ack_limited",
            "out_of_window", "out_of_order", "ack_too_new", "ack_too_old", "fast_retransmit",
            "rto", "window_probe", "no_mbuf", "pool_low", "table_full", "source_full",
            "time_wait_reused")}
        tcp = {}
        for k in after:
            m = re.match(r"^(\w+)_(ipv[46])_(accepted|closed|reset|timed_out|refused)$", k)
            if m:
                tcp.setdefault(m.group(1), {}).setdefault(m.group(3), 0)
                tcp[m.group(1)][m.group(3)] += after[k] - before[k]
        self.fig["tcp"] = tcp
        self.fig["eth_not_ours"] = after["eth_not_ours"] - before["eth_not_ours"]

    def rss_check(self, base, soak_samples):
        rss = [s[2] for s in soak_samples]
        last = max(s[2] for s in soak_samples[-LAST_SAMPLES:])
        try:
            last = max(last, rss_bytes(self.app.proc.pid))
        except OSError:
            pass
        pools = [s[3] for s in soak_samples]
        self.fig["rss"] = {"baseline": base, "min": min(rss), "max": max(rss), "end": last,
                           "margin": RSS_MARGIN, "samples": len(rss)}
        self.fig["pool"].update({"min": min(pools), "max": max(pools)})
        self.check("RSS flat: the last samples within %s of the baseline" % mib(RSS_MARGIN),
                   last <= base + RSS_MARGIN,
                   "baseline %s, end %s (%+d kB)" % (mib(base), mib(last),
                                                     (last - base) // 1024))

    def identity_check(self, where, port0, total):
        self.fig.setdefault("counters", {})[where] = {"port 0": port0, "total": total}
        for label, t in (("port 0", port0), ("total", total)):
            rx, ans, tcp, held, na = (t[k] for k in ("rx_pkts", "rx_answered", "rx_tcp",
                                                     "rx_held", "not_answered"))
            self.check("%s %s: rx = answered + to TCP + held + not answered" % (where, label),
                       rx == ans + tcp + held + na and t["tx_pkts"] >= ans,
                       "%d = %d + %d + %d + %d" % (rx, ans, tcp, held, na))

    def stop_check(self):
        alive = self.app.proc.poll() is None
        if not self.check("the appliance still runs", alive,
                          "" if alive else "exited with %d" % self.app.proc.returncode):
            return
        try:
            s = self.app.stop()
        except AssertionError as e:
            self.fig["appliance_stderr"] = self.app._stderr()[-3000:]
            self.check("exit 0 on SIGTERM, with its summary", False, str(e).split("\n")[0])
            return
        self.check("exit 0 on SIGTERM, with its summary", True, "")
        self.fig["summary_total"] = s["total"]
        for label, t in list(s["ports"].items()) + [("total", s["total"])]:
            self.check("summary %s: rx = answered + to TCP + held + not answered" % label,
                       t["rx_pkts"] == (t["answered"] + t["rx_tcp"] + t["rx_held"] +
                                        t["not_answered"]),
                       "%d = %d + %d + %d + %d" % (t["rx_pkts"], t["answered"], t["rx_tcp"],
                                                   t["rx_held"], t["not_answered"]))

    # -- the end -------------------------------------------------------------------

    def cleanup(self):
        if self.traffic is not None:
            self.traffic.stop.set()
        self.app.cleanup()  # the namespace goes, and the TAP and nft table with it

    def report(self, passed):
        f = self.fig
        print("soak: %.4g min of traffic (%s s) after a %.0f s warm-up; seed %d; %s%s" % (
            f["minutes"], f.get("traffic_s", "-"), WARM_UP, self.seed,
            "no loss" if "loss" in self.skip else "%d %% loss each way" % LOSS,
            "; skipped: " + ", ".join(f["skipped"]) if f["skipped"] else ""))
        if "traffic" in f:
            print("  %-34s %8s %6s %6s" % ("traffic", "done", "lost", "failed"))
            for k, v in f["traffic"].items():
                print("  %-34s %8d %6d %6d" % (k, v["done"], v["lost"], v["failed"]))
            if f["frames_sent"]:
                print("  frames sent: " + ", ".join("%s %d" % kv
                                                    for kv in f["frames_sent"].items()))
        if f.get("cpu_share"):
            print("  CPU, cores' worth during the traffic: driver %.2f (with its threads), "
                  "appliance %.2f" % (f["cpu_share"]["driver"], f["cpu_share"]["appliance"]))
        if f.get("loss_frames"):
            print("  lost by nftables: %d to the appliance%s, %d from it" % (
                f["loss_frames"].get("egress", 0),
                " (it counted eth_not_ours +%d)" % f["eth_not_ours"] if "eth_not_ours" in f
                else "", f["loss_frames"].get("ingress", 0)))
        if f.get("refused"):
            print("  refused, counted/sent: " + ", ".join(
                "%s %d/%d" % (k, v["counted"], v["sent"]) for k, v in f["refused"].items()))
        if "tcp" in f:
            print("  tcp connections: " + "; ".join(
                "%s %s" % (svc, " ".join("%s %d" % kv for kv in sorted(v.items())))
                for svc, v in f["tcp"].items()))
            print("  tcp events: " + " ".join("%s %d" % kv for kv in f["tcp_events"].items()
                                              if kv[1]))
        p = f.get("pool", {})
        if "baseline" in p:
            print("  mbuf pool %s: %d mbufs; in use: baseline %d, during %d..%d, end %d"
                  % (p["name"], p["size"], p["baseline"], p.get("min", -1), p.get("max", -1),
                     p["end"]))
        r = f.get("rss")
        if r:
            print("  RSS: baseline %s, during %s..%s, end %s (allowed: baseline + %s)"
                  % (mib(r["baseline"]), mib(r["min"]), mib(r["max"]), mib(r["end"]),
                     mib(r["margin"])))
        t = f.get("summary_total")
        if t:
            print("  exit summary: rx %d = answered %d + to TCP %d + not answered %d; tx %d"
                  % (t["rx_pkts"], t["answered"], t["rx_tcp"], t["not_answered"],
                     t["tx_pkts"]))
        if f.get("appliance_stderr"):
            print("  the appliance's stderr, its end:\n    " +
                  f["appliance_stderr"].rstrip().replace("\n", "\n    "))
        print("  checks:")
        for name, ok, detail in self.checks:
            print("    %s  %s%s" % ("PASS" if ok else "FAIL", name,
                                    ": " + detail if detail else ""))
        print("PASS" if passed else "FAIL")
        f["checks"] = [{"name": n, "pass": ok, "detail": d} for n, ok, d in self.checks]
        f["samples"] = [{"phase": p, "t": t, "rss": r, "pool_in_use": u}
                        for p, t, r, u in self.samples]
        f["result"] = "PASS" if passed else "FAIL"
        if self.args.json:
            with open(self.args.json, "w") as out:
                json.dump(f, out, indent=1)


def parse_args():
    p = argparse.ArgumentParser(prog="scripts/soak.sh",
                                description="Soak smallsrv with mixed hostile and normal "
                                "traffic, then check that everything came back.")
    p.add_argument("minutes", type=float, help="minutes of traffic after the warm-up")
    p.add_argument("--json", help="write the figures to this file")
    p.add_argument("--seed", type=int, help="the traffic's random seed (default: random)")
    names = GROUPS + tuple(hostile.session_names())
    p.add_argument("--skip", default="", type=lambda s: [x.strip() for x in s.split(",")
                                                         if x.strip()],
                   help="comma-separated, what to leave out: traffic groups (%s) or raw "
                   "peers' sessions (%s)" % (", ".join(GROUPS),
                                             ", ".join(hostile.session_names())))
    a = p.parse_args()
    if a.minutes <= 0:
        p.error("MINUTES must be positive")
    unknown = [x for x in a.skip if x not in names]
    if unknown:
        p.error("--skip: no such traffic: %s" % ", ".join(unknown))
    return a


def main():
    args = parse_args()
    if os.geteuid() != 0:
        sys.exit("soak: needs root (network namespaces, TAP devices)")
    if not os.access(BIN, os.X_OK):
        sys.exit("soak: no smallsrv binary at %s" % BIN)
    # SIGTERM (timeout, CI) unwinds like Ctrl-C: the finally below cleans up.
    # SIGINT too when started in the background, where it comes ignored.
    signal.signal(signal.SIGTERM, lambda sig, frame: sys.exit(128 + sig))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    soak = Soak(args)
    passed = False
    try:
        passed = soak.run()
    except Exception as e:  # the appliance did not start, a telemetry read failed
        soak.check("the soak ran to its end", False, "%s: %s" % (type(e).__name__,
                                                                str(e)[:1000]))
    except (KeyboardInterrupt, SystemExit):
        soak.cleanup()
        print("soak: interrupted; the appliance, its namespace and TAP are gone",
              file=sys.stderr)
        return 130
    finally:
        soak.cleanup()
    soak.report(passed)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
