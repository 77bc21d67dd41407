#!/usr/bin/python3
"""The benchmark's figures as PNG plots: reads the JSON bench.py wrote and
draws, beside it (or in --out), one picture per part that ran:

  NAME-rates.png         packet rates against testpmd 5tswap, per workload
  NAME-instructions.png  instructions per packet, own and in all, per workload
  NAME-scaling.png       UDP echo rate against the number of workers
  NAME-tcp.png           the in-process TCP figures
  NAME-peer.png          the DPDK peer (testpmd over memif, vhost)

NAME is the JSON's name without .json. A part that did not run (--parts,
--smoke) is said in one line and not drawn; so is one whose figures cannot be
drawn, and the others are still drawn. Prints "written: PATH" per picture.
Exit status 0 when every part there was is drawn, 1 otherwise.

  /usr/bin/python3 tests/perf/plot.py bench-results/bench.json [--out DIR]
"""
import argparse
import json
import math
import os
import sys
import traceback

import matplotlib

matplotlib.use("Agg")  # no display: files only
import matplotlib.pyplot as plt  # noqa: E402

DPI = 100

# Who is drawn in which colour, in every picture alike.
COLOURS = {"smallsrv": "#1f77b4", "testpmd": "#7f7f7f", "baseline": "#ff7f0e",
           "linear": "#2ca02c"}

# Short names for the workloads of tests/perf/bench.py; others keep their own.
LABELS = {
    "udp-echo4-64": "echo v4\n64 B",
    "udp-echo6-66": "echo v6\n66 B",
    "udp-echo4-1518": "echo v4\n1518 B",
    "udp-echo6-1518": "echo v6\n1518 B",
    "udp-daytime4-64": "daytime\nv4",
    "udp-time4-64": "time\nv4",
    "udp-chargen4-64": "chargen\nv4",
    "tcp-syn4": "SYN v4",
    "tcp-syn6": "SYN v6",
    "udp-echo4-4000-frag": "echo v4\n4000 B",
    "udp-echo6-4000-frag": "echo v6\n4000 B",
}


class Missing(Exception):
    """A part that is not in the JSON: said, not an error."""


def label(name):
    return LABELS.get(name, name)


def number(v):
    """A figure from the JSON, or None where it is absent or not a number
    (bench.py writes NaN for a testpmd count it could not take)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)) or math.isnan(v):
        return None
    return float(v)


def machine_line(data):
    m = data.get("machine", {})
    parts = [m.get("cpu", ""), "%s cores" % m["cores"] if "cores" in m else "",
             data.get("memory", ""), "smoke run" if data.get("smoke") else ""]
    return ", ".join(p for p in parts if p)


def new_figure(data, title, width=10.0, height=5.0, ncols=1, **kw):
    """A figure of ncols panels side by side: (figure, [panel, ...])."""
    fig, axes = plt.subplots(1, ncols, figsize=(width, height), squeeze=False, **kw)
    fig.suptitle(title, fontsize=12)
    fig.text(0.99, 0.005, machine_line(data), ha="right", va="bottom", fontsize=7,
             color="#555555")
    return fig, list(axes[0])


def note(ax, text):
    """What a picture leaves out, said inside it (and on stdout: draw())."""
    ax.text(0.01, 0.98, text, transform=ax.transAxes, ha="left", va="top", fontsize=8,
            color="#555555", gid="note")


def notes(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts if t.get_gid() == "note"]


def bars(ax, groups, series, width=0.8):
    """Grouped bars: series is [(who, [value or None per group], errors or None)].
    A None value leaves its slot empty. Returns {who: [bar or None per group]}."""
    n = len(series)
    w = width / n
    drawn = {}
    for i, (who, values, errors) in enumerate(series):
        xs = [g + (i - (n - 1) / 2) * w for g in range(len(groups))]
        drawn[who] = []
        for g, (x, v) in enumerate(zip(xs, values)):
            if v is None:
                drawn[who].append(None)
                continue
            err = errors[g] if errors else None
            # The legend names a series once, at its first bar.
            first = all(d is None for d in drawn[who])
            b = ax.bar(x, v, w, color=COLOURS.get(who), label=who if first else None,
                       yerr=None if err is None else [[err[0]], [err[1]]],
                       capsize=2, error_kw={"elinewidth": 0.8})
            drawn[who].append(b[0])
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels([label(g) for g in groups], fontsize=8)
    pad_groups(ax, len(groups))
    return drawn


def pad_groups(ax, n):
    """Room beside one or two groups, so that their bars are not a wall."""
    ax.set_xlim(-0.6, max(n, 2) - 0.4)


def bar_label(ax, bar, text, fontsize=7):
    """Text over a bar (a stacked one's top is its bottom plus its height)."""
    ax.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height()),
                xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                fontsize=fontsize)


def spread(runs, median):
    """Error bar of a median: down to the slowest run, up to the fastest."""
    vals = [number(v) for v in runs or []]
    vals = [v for v in vals if v is not None]
    if median is None or not vals:
        return None
    return (max(median - min(vals), 0.0) / 1e6, max(max(vals) - median, 0.0) / 1e6)


def plot_rates(data):
    rates = data.get("rates")
    if not rates:
        raise Missing("no packet rates (part rates not run)")
    names = list(rates)
    series = []
    for who in ("smallsrv", "baseline", "testpmd"):
        pps = [number(rates[n].get(who + "_pps")) for n in names]
        if any(v is not None for v in pps):
            errs = [spread(rates[n].get("runs", {}).get(who), v) for n, v in zip(names, pps)]
            series.append((who, [None if v is None else v / 1e6 for v in pps], errs))
    if not series:
        raise ValueError("no workload has a rate that is a number")
    fig, (ax,) = new_figure(data, "Packet rates, one worker, against testpmd 5tswap "
                            "(medians; bars: slowest to fastest run)")
    drawn = bars(ax, names, series)
    # The ratio to testpmd, the figure the targets are set in, over each smallsrv bar.
    for n, b in zip(names, drawn["smallsrv"]):
        ratio = number(rates[n].get("ratio"))
        if b is not None and ratio is not None:
            bar_label(ax, b, "%.2f" % ratio)
    if "baseline" in drawn:
        for n, b in zip(names, drawn["baseline"]):
            vs = number(rates[n].get("vs_baseline"))
            if b is not None and vs is not None:
                bar_label(ax, b, "%.2fx" % vs, fontsize=6)
        ax.set_title("over smallsrv: its ratio to testpmd; over the baseline: smallsrv's "
                     "rate over the baseline's", fontsize=8)
    else:
        ax.set_title("over smallsrv: its ratio to testpmd", fontsize=8)
        note(ax, "no baseline in this run")
    ax.set_ylabel("Mpps")
    ax.set_ylim(0, ax.get_ylim()[1] * 1.08)
    ax.legend(fontsize=8, loc="upper right")
    ax.grid(axis="y", alpha=0.3)
    return fig


def stacked(ax, x, w, total, own, who, first):
    """A bar of `total` instructions, its `own` part dark and the rest light."""
    ax.bar(x, own, w, color=COLOURS[who], label=who + " own" if first else None)
    rest = ax.bar(x, total - own, w, bottom=own, color=COLOURS[who], alpha=0.35,
                  label=who + " libraries, PMD" if first else None)
    return rest[0]


def plot_ir_panel(ax, ir, names, per, contenders):
    """One panel of instruction counts: per workload a stacked bar per contender."""
    w = 0.8 / len(contenders)
    firsts = set()
    for g, n in enumerate(names):
        r = ir[n]
        k = number(r.get("frames_per_datagram")) if per == "datagram" else 1.0
        for i, (who, total_key, own_key) in enumerate(contenders):
            total, own = number(r.get(total_key)), number(r.get(own_key))
            if total is None or own is None:
                continue
            x = g + (i - (len(contenders) - 1) / 2) * w
            top = stacked(ax, x, w, total * k, own * k, who, who not in firsts)
            firsts.add(who)
            # Figures on smallsrv's bars (own inside, in all over) and testpmd's
            # total: the baseline's would crowd them, its bar beside says enough.
            if who == "smallsrv":
                ax.annotate("%.0f" % (own * k), (x, own * k), xytext=(0, -2),
                            textcoords="offset points", ha="center", va="top",
                            fontsize=6, color="white")
                target = number(r.get("own_target"))
                if target is not None:
                    ax.hlines(target * k, x - w / 2, x + w / 2, colors="red",
                              linestyles="dashed", linewidth=1.5, zorder=3,
                              label="own target" if "target" not in firsts else None)
                    firsts.add("target")
            if who in ("smallsrv", "testpmd"):
                bar_label(ax, top, "%.0f" % (total * k), fontsize=6)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels([label(n) for n in names], fontsize=8)
    pad_groups(ax, len(names))
    ax.grid(axis="y", alpha=0.3)


def plot_instructions(data):
    ir = data.get("instructions")
    if not ir:
        raise Missing("no instruction counts (part instructions not run)")
    # Fragmented datagrams cost ten times a frame: their own panel, per datagram.
    frames = [n for n in ir if "frames_per_datagram" not in ir[n]]
    frags = [n for n in ir if "frames_per_datagram" in ir[n]]
    contenders = [("smallsrv", "smallsrv_instr_per_pkt", "smallsrv_own_instr_per_pkt")]
    for who in ("baseline", "testpmd"):
        if any(number(ir[n].get(who + "_instr_per_pkt")) is not None for n in frames):
            contenders.append((who, who + "_instr_per_pkt", who + "_own_instr_per_pkt"))
    ratios = {"width_ratios": [max(len(frames), 1), len(frags)]} if frags and frames else {}
    fig, axes = new_figure(data, "Instructions per packet (callgrind): own, inside the "
                           "binary, dark; the libraries and the PMD light",
                           ncols=len([x for x in (frames, frags) if x]), gridspec_kw=ratios)
    if frames:
        ax = axes.pop(0)
        plot_ir_panel(ax, ir, frames, "frame", contenders)
        ax.set_ylabel("instructions per packet")
        missing = [who for who in ("testpmd", "baseline")
                   if who not in [c[0] for c in contenders]]
        if missing:
            note(ax, "not measured in this run: " + ", ".join(missing))
        ax.set_ylim(0, ax.get_ylim()[1] * 1.25)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(0, 0.94), ncol=3)
    if frags:
        ax = axes.pop(0)
        # A baseline from before reassembly dropped these fragments: its count
        # would be a drop's, not a datagram's, so it is not drawn.
        plot_ir_panel(ax, ir, frags, "datagram", contenders[:1])
        ax.set_title("in fragments, a datagram\n(%d frames)"
                     % ir[frags[0]]["frames_per_datagram"], fontsize=9)
        ax.set_ylim(0, ax.get_ylim()[1] * 1.1)
    return fig


def plot_scaling(data):
    sc = data.get("scaling")
    if not sc:
        raise Missing("no scaling (part scaling not run)")
    workers = sorted(int(w) for w in sc)
    mpps = [number(sc[str(w)]["pps"]) / 1e6 for w in workers]
    fig, (ax,) = new_figure(data, "Scaling: UDP echo IPv4, 64-byte frames", width=6.0,
                            height=4.5)
    one = mpps[0] / workers[0]  # what one worker does, bench.py's reference
    ax.plot([0] + workers, [0] + [one * w for w in workers], "--", color=COLOURS["linear"],
            label="linear (one worker's rate times workers)")
    ax.plot(workers, mpps, "o-", color=COLOURS["smallsrv"], label="smallsrv")
    for w in workers:
        lin = number(sc[str(w)].get("of_linear"))
        if lin is not None:
            ax.annotate("%.2f of linear" % lin, (w, number(sc[str(w)]["pps"]) / 1e6),
                        xytext=(6, -12), textcoords="offset points", fontsize=8)
    ax.set_xticks(workers)
    ax.set_xlim(0, workers[-1] + 0.5)
    ax.set_ylim(0, max(mpps + [one * workers[-1]]) * 1.15)
    ax.set_xlabel("workers (one core each)")
    ax.set_ylabel("Mpps")
    if len(workers) == 1:
        note(ax, "one worker count measured: no curve")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    return fig


# The panels of the TCP picture: (title, [(mode, bar name)], unit, scale,
# a target that is a ceiling rather than a floor).
TCP_PANELS = [
    ("daytime connections a second", [("conn", "")], "M connections/s", 1e-6, False),
    ("memory per connection held", [("hold", "")], "bytes", 1.0, True),
    ("payload a second", [("chargen", "chargen"), ("echo", "echo")], "Gbit/s", 1.0, False),
]


def plot_tcp(data):
    tcp = data.get("tcp")
    if not tcp:
        raise Missing("no TCP figures (part tcp not run)")
    panels = [p for p in TCP_PANELS if any(m in tcp for m, _ in p[1])]
    if not panels:
        raise Missing("no TCP figure bench.py knows (%s)" % ", ".join(tcp))
    fig, axes = new_figure(data, "TCP in-process, one worker", height=4.0, ncols=len(panels))
    base_seen = False
    for ax, (title, modes, unit, scale, ceiling) in zip(axes, panels):
        modes = [(m, n) for m, n in modes if m in tcp]
        series = [("smallsrv", [number(tcp[m].get("figure")) for m, _ in modes], None)]
        if any(number(tcp[m].get("baseline")) is not None for m, _ in modes):
            series.append(("baseline", [number(tcp[m].get("baseline")) for m, _ in modes],
                           None))
            base_seen = True
        series = [(who, [None if v is None else v * scale for v in vals], e)
                  for who, vals, e in series]
        drawn = bars(ax, [n for _, n in modes], series, width=0.6)
        ax.set_xticklabels([n for _, n in modes], fontsize=8)
        ax.set_xlim(-0.6, len(modes) - 0.4)  # a panel of one bar is not crowded
        for who, bs in drawn.items():
            for b in bs:
                if b is not None:
                    bar_label(ax, b, "%.3g" % b.get_height())
        for g, (m, _) in enumerate(modes):
            target = number(tcp[m].get("target"))
            if target is not None:
                ax.hlines(target * scale, g - 0.4, g + 0.4, colors="red",
                          linestyles="dashed", linewidth=1.2)
                ax.annotate(("target ≤ %.3g" if ceiling else "target %.3g") % (target * scale),
                            (g + 0.4, target * scale), xytext=(0, 2),
                            textcoords="offset points", ha="right", fontsize=7, color="red")
        ax.set_title(title, fontsize=9)
        ax.set_ylabel(unit, fontsize=8)
        ax.set_ylim(0, ax.get_ylim()[1] * 1.12)
        ax.grid(axis="y", alpha=0.3)
    axes[0].legend(fontsize=7, loc="lower left")
    if not base_seen:
        note(axes[0], "no baseline in this run")
    return fig


def plot_peer(data):
    peer = data.get("peer")
    if not peer:
        raise Missing("no DPDK peer (part peer not run)")
    links = [l for l in peer if "error" not in peer[l]]
    failed = ["%s: %s" % (l, peer[l]["error"]) for l in peer if "error" in peer[l]]
    if not links:
        raise Missing("no DPDK peer measured (%s)" % "; ".join(failed))
    what = [("offered, open loop (txonly)", "txonly", "generator_tx_pps"),
            ("smallsrv received, open loop", "txonly", "app_rx_pps"),
            ("replies, closed loop", "loop", "generator_rx_pps")]
    colours = ["#aec7e8", COLOURS["smallsrv"], "#17becf"]
    fig, (ax,) = new_figure(data, "A DPDK peer: testpmd drives smallsrv (one worker),\n"
                            "UDP echo IPv4, 64-byte frames", width=7.0, height=4.5)
    w = 0.8 / len(what)
    for i, ((name, mode, key), colour) in enumerate(zip(what, colours)):
        for g, l in enumerate(links):
            v = number(peer[l].get(mode, {}).get(key))
            if v is None:
                continue
            b = ax.bar(g + (i - 1) * w, v / 1e6, w, color=colour,
                       label=name if g == 0 else None)
            bar_label(ax, b[0], "%.1f" % (v / 1e6))
    ax.set_xticks(range(len(links)))
    ax.set_xticklabels(["net_" + l for l in links])
    ax.set_xlim(-0.7, len(links) - 0.3)
    ax.set_ylabel("Mpps")
    ax.set_ylim(0, ax.get_ylim()[1] * 1.3)
    ax.legend(fontsize=8, loc="upper right", bbox_to_anchor=(1, 0.93))
    ax.grid(axis="y", alpha=0.3)
    if failed:
        note(ax, "not measured: " + "; ".join(failed)[:110])
    return fig


PARTS = [("rates", plot_rates), ("instructions", plot_instructions),
         ("scaling", plot_scaling), ("tcp", plot_tcp), ("peer", plot_peer)]


def where(exc):
    """The line of this file an error came from, for its one line."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename == os.path.abspath(__file__) or f.filename == __file__]
    return " (plot.py:%d)" % frames[-1].lineno if frames else ""


def draw(data, name, out):
    """Every part's picture; (written paths, [(line, whether an error)])."""
    written, said = [], []
    for part, fn in PARTS:
        path = os.path.join(out, "%s-%s.png" % (name, part))
        try:
            fig = fn(data)
            fig.tight_layout(rect=(0, 0.02, 1, 1))
            fig.savefig(path, dpi=DPI, metadata={"Software": None})
            said += [("%s: %s" % (part, n), False) for n in notes(fig)]
            plt.close(fig)
            written.append(path)
        except Missing as e:
            said.append(("%s: %s: not drawn" % (part, e), False))
        except Exception as e:  # any figure that cannot be drawn: one line, go on
            plt.close("all")
            said.append(("%s: not drawn: %s: %s%s" % (part, type(e).__name__, e, where(e)),
                         True))
        if path not in written and os.path.exists(path):
            os.unlink(path)  # no stale picture of an earlier run beside this JSON
    return written, said


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("json", help="what bench.py wrote (--json)")
    ap.add_argument("--out", help="folder for the pictures (default: the JSON's)")
    a = ap.parse_args()
    try:
        with open(a.json) as f:
            data = json.load(f)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as e:
        print("plot.py: %s: cannot read: %s" % (a.json, e), file=sys.stderr)
        return 1
    out = a.out or os.path.dirname(os.path.abspath(a.json))
    os.makedirs(out, exist_ok=True)
    name = os.path.splitext(os.path.basename(a.json))[0]
    written, said = draw(data, name, out)
    for line, error in said:
        print("plot.py: " + line, file=sys.stderr if error else sys.stdout)
    for path in written:
        print("written: " + path)
    return 1 if any(error for _, error in said) else 0


if __name__ == "__main__":
    sys.exit(main())
