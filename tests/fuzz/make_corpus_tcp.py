#!/usr/bin/python3
"""Write a seed corpus for fuzz_tcp: op sequences (fuzz_tcp_ops.py) that take
connections through every state and every mechanism the stack has, so that
mutation starts from conversations rather than from bytes; and the request
frames of the pcap suite (tests/pcap/test_pcap_*.py) as RAW ops.

  make_corpus_tcp.py DIR

Nothing here may hang or fail the harness on the code as it should be: the
reproducers of known defects live in tests/fuzz/regressions/ instead."""
import os
import sys

from fuzz_tcp_ops import (ACK, ACK_ALL, ACK_HIGHEST, ACK_POINT, ACK_SAME, CHARGEN, CLOSED,
                          DAYTIME, DISCARD, ECHO, FIN, PSH, QOTD, RST_ANY, RST_EXACT, RST_NEAR,
                          SEQ_ANY, SEQ_EDGE, SEQ_NEAR, SYN, TIME, URG, VARIANT_COOKIES,
                          VARIANT_DEFAULTS, VARIANT_JUMBO, VARIANT_TIGHT, accept, ack, clock,
                          data, program, raw, rst, syn, window)

SERVICES = {"echo": ECHO, "discard": DISCARD, "daytime": DAYTIME, "qotd": QOTD,
            "chargen": CHARGEN, "time": TIME}
MSS = 1460
SEED_MAX = 4096  # bytes of RAW ops per seed


def handshakes():
    """A handshake per service and family, with and without options, and what the
    service then says, read to its end."""
    for name, svc in SERVICES.items():
        for v6 in (False, True):
            fam = "6" if v6 else "4"
            yield "handshake-%s-%s" % (name, fam), program(
                VARIANT_DEFAULTS, syn(0, svc, v6=v6), accept(0), clock(ms=1), ack(0),
                clock(ms=10), ack(0))
            yield "handshake-%s-%s-bare" % (name, fam), program(
                VARIANT_DEFAULTS, syn(1, svc, v6=v6, mss=None, ws=None, sack=False, vlan=True),
                accept(1), ack(1), data(1, 0, FIN), ack(1), clock(ms=100))
    yield "handshake-closed-port", program(VARIANT_DEFAULTS, syn(0, CLOSED), accept(0))
    yield "handshake-cookies", program(
        VARIANT_COOKIES, syn(0, ECHO), syn(1, DAYTIME, v6=True), accept(0), accept(1),
        data(0, 10), ack(1), clock(s=65), syn(2, CHARGEN), clock(s=70), accept(2))
    yield "handshake-table-full", program(
        VARIANT_COOKIES, *[x for i in range(8) for x in (syn(i, ECHO), accept(i))],
        clock(ms=10))
    yield "handshake-synack-lost", program(
        VARIANT_DEFAULTS, syn(0, DAYTIME), clock(ms=1000), syn(0, DAYTIME), clock(s=3),
        accept(0), ack(0), clock(s=70))


def echo():
    yield "echo-exchange", program(
        VARIANT_DEFAULTS, syn(0, ECHO), accept(0, length=5, seed=1), ack(0),
        data(0, 100, PSH, seed=2), ack(0), data(0, 1000, seed=3), data(0, 1000, PSH, seed=4),
        ack(0, ACK_POINT, 500), ack(0), data(0, 0, FIN), ack(0), clock(ms=300))
    yield "echo-out-of-order", program(
        VARIANT_DEFAULTS, syn(0, ECHO), accept(0),
        data(0, 100, mode=SEQ_NEAR, delta=200, seed=5),
        data(0, 100, mode=SEQ_NEAR, delta=400, seed=6),
        data(0, 100, mode=SEQ_NEAR, delta=100, seed=7),
        data(0, 100, seed=8), ack(0), data(0, 200, seed=9), ack(0), clock(ms=500))
    yield "echo-window-fills", program(
        VARIANT_TIGHT, syn(0, ECHO, mss=536), accept(0), window(0, 0),
        data(0, 500), data(0, 500), data(0, 500), data(0, 100, mode=SEQ_EDGE),
        clock(ms=200), clock(ms=400), window(0, 4096), ack(0), clock(ms=50), ack(0),
        data(0, 0, FIN), ack(0))
    yield "echo-fin-ahead", program(
        VARIANT_DEFAULTS, syn(0, ECHO), accept(0),
        data(0, 50, PSH | FIN, mode=SEQ_NEAR, delta=100, seed=3), data(0, 100, seed=4),
        ack(0), clock(ms=10), ack(0))
    yield "echo-burst", program(
        VARIANT_DEFAULTS, syn(0, ECHO), accept(0), data(0, 50), data(0, 50, burst=True),
        data(0, 50, burst=True), ack(0), data(0, 1460, PSH), ack(0, ACK_POINT, 100),
        clock(ms=250), ack(0))
    yield "echo-idle", program(
        VARIANT_TIGHT, syn(0, ECHO, mss=536), accept(0), data(0, 10), clock(s=3))


def chargen():
    # SACK blocks from the ACK: [U + 2 MSS, U + 4 MSS) and [U + 5 MSS, U + 6 MSS)
    blocks = [(2 * MSS, 2 * MSS), (5 * MSS, MSS)]
    yield "chargen-sack-recovery", program(
        VARIANT_DEFAULTS, syn(0, CHARGEN), accept(0), clock(ms=1),
        ack(0, ACK_SAME, sacks=blocks[:1], repeat=3),
        ack(0, ACK_SAME, sacks=blocks), ack(0, ACK_SAME, sacks=blocks, repeat=2),
        ack(0, ACK_POINT, MSS, sacks=blocks[1:]), ack(0, ACK_POINT, 3 * MSS),
        ack(0), clock(ms=5), ack(0))
    yield "chargen-newreno", program(
        VARIANT_DEFAULTS, syn(0, CHARGEN, sack=False), accept(0), clock(ms=1),
        ack(0, ACK_SAME, repeat=4), ack(0, ACK_POINT, MSS), ack(0, ACK_POINT, MSS),
        ack(0), clock(ms=5), ack(0))
    yield "chargen-rto", program(
        VARIANT_DEFAULTS, syn(0, CHARGEN, v6=True), accept(0), clock(ms=1), ack(0),
        clock(ms=1500), ack(0, ACK_POINT, 1220), clock(ms=3000), clock(s=10), ack(0))
    yield "chargen-zero-window", program(
        VARIANT_DEFAULTS, syn(0, CHARGEN), accept(0), ack(0, win=0), clock(ms=1200),
        clock(ms=2500), window(0, 65535), clock(ms=1), ack(0), window(0, 0), clock(s=61))
    yield "chargen-scaled", program(
        VARIANT_JUMBO, syn(0, CHARGEN, mss=8960, ws=5), accept(0, win=4096), clock(ms=1),
        ack(0), ack(0, win=65535), clock(ms=1), ack(0), ack(0, ACK_SAME, sacks=[(8960, 8960)],
                                                             repeat=4), ack(0))
    yield "chargen-client-fin", program(
        VARIANT_DEFAULTS, syn(0, CHARGEN), accept(0), data(0, 0, FIN), ack(0), clock(ms=200),
        ack(0))


def closes():
    yield "fin-server-first", program(
        VARIANT_DEFAULTS, syn(0, DAYTIME), accept(0), ack(0), data(0, 0, FIN), clock(ms=10),
        data(0, 0, FIN, mode=SEQ_NEAR, delta=-1), clock(s=61))
    yield "fin-client-first", program(
        VARIANT_DEFAULTS, syn(0, ECHO), accept(0), data(0, 20, PSH | FIN), ack(0),
        clock(ms=10))
    yield "fin-simultaneous", program(
        VARIANT_DEFAULTS, syn(0, TIME), accept(0), data(0, 0, FIN, ack_mode=ACK_POINT),
        ack(0), clock(s=61))
    yield "fin-discard", program(
        VARIANT_DEFAULTS, syn(0, DISCARD, v6=True), accept(0), data(0, 1000), data(0, 0, FIN),
        ack(0), clock(ms=10))
    yield "fin-wait-2-timeout", program(
        VARIANT_TIGHT, syn(0, DAYTIME, mss=536), accept(0), ack(0), clock(s=2))
    yield "time-wait-reuse", program(
        VARIANT_DEFAULTS, syn(0, DAYTIME, iss=1000), accept(0), ack(0), data(0, 0, FIN),
        clock(ms=100), syn(0, DAYTIME, iss=500000), accept(0), ack(0), clock(s=61))
    yield "time-wait-two", program(
        VARIANT_DEFAULTS, syn(0, DAYTIME), syn(1, TIME, v6=True), syn(2, DAYTIME, vlan=True),
        accept(0), accept(1), accept(2), ack(0), ack(1), ack(2), data(0, 0, FIN),
        data(1, 0, FIN), data(2, 0, FIN), clock(ms=100), data(1, 0, FIN, mode=SEQ_NEAR,
                                                                delta=-1),
        clock(s=61))
    yield "time-wait-zero", program(
        VARIANT_TIGHT, syn(0, QOTD, mss=536), accept(0), ack(0), data(0, 0, FIN), ack(0))
    yield "qotd-read", program(VARIANT_JUMBO, syn(0, QOTD), accept(0), ack(0), clock(ms=5))


def resets():
    yield "rst-exact", program(VARIANT_DEFAULTS, syn(0, ECHO), accept(0), rst(0, RST_EXACT))
    yield "rst-in-window", program(
        VARIANT_DEFAULTS, syn(0, CHARGEN), accept(0), rst(0, RST_NEAR, delta=100),
        rst(0, RST_NEAR, True, 1), clock(ms=1), ack(0))
    yield "rst-out-of-window", program(
        VARIANT_DEFAULTS, syn(0, ECHO), accept(0), rst(0, RST_ANY, delta=0x40000000))
    yield "rst-syn-received", program(
        VARIANT_DEFAULTS, syn(0, DAYTIME), rst(0, RST_EXACT), syn(1, ECHO), rst(1, RST_NEAR,
                                                                                 delta=5))
    yield "syn-in-window", program(
        VARIANT_TIGHT, syn(0, ECHO, mss=536), accept(0),
        data(0, 0, SYN ^ ACK), data(0, 0, SYN ^ ACK), data(0, 0, SYN ^ ACK), clock(ms=100))
    yield "bad-acks", program(
        VARIANT_DEFAULTS, syn(0, CHARGEN), accept(0), ack(0, ACK_ALL, 100000),
        ack(0, ACK_POINT, -200000), data(0, 10, URG, ack_mode=ACK_ALL, ack_delta=5),
        data(0, 10, mode=SEQ_ANY, delta=0x7fffffff), ack(0))


def two_appliances():
    yield "spoof-daytime", program(
        VARIANT_DEFAULTS, syn(0, DAYTIME, sport=40000, spoof=True), clock(ms=10))
    yield "appliance-b", program(
        VARIANT_DEFAULTS, syn(0, ECHO, b=True), accept(0), data(0, 10), ack(0),
        syn(1, CHARGEN, b=True, v6=True), accept(1), ack(1), clock(ms=10))


def pcap_frames():
    """The request frames of the golden capture suite, as RAW ops, a topic at a time."""
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(here, "..", "pcap"))
    sys.path.insert(0, os.path.join(here, ".."))
    import importlib
    import pcaplib
    from scapy.all import raw as scapy_raw
    for mod_name in sorted(f[:-3] for f in os.listdir(os.path.join(here, "..", "pcap"))
                           if f.startswith("test_pcap_") and f.endswith(".py")):
        mod = importlib.import_module(mod_name)
        for attr in sorted(vars(mod)):
            topic = getattr(mod, attr)
            if not isinstance(topic, pcaplib.Topic):
                continue
            ops = []
            for i, case in enumerate(topic.cases):
                ctx = pcaplib.Ctx("02:00:00:00:00:01", pcaplib.case_mac(i + 1), i)
                frame = case.build(ctx)
                frame = frame if isinstance(frame, bytes) else scapy_raw(frame)
                ops.append(raw(frame))
            # inputs stay well under fuzz.sh's -max_len
            chunk, size, part = [], 0, 0
            for o in ops + [None]:
                if o is None or (chunk and size + len(o) > SEED_MAX):
                    yield "pcap-%s-%s-%d" % (mod_name[10:], attr.lower(), part), program(
                        VARIANT_DEFAULTS, *chunk, clock(ms=1))
                    chunk, size, part = [], 0, part + 1
                if o is not None:
                    chunk.append(o)
                    size += len(o)


def seeds():
    for gen in (handshakes, echo, chargen, closes, resets, two_appliances, pcap_frames):
        yield from gen()


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, blob in seeds():
        with open(os.path.join(out, name), "wb") as fh:
            fh.write(blob)


if __name__ == "__main__":
    main()
