#!/usr/bin/python3
"""Write the inputs of tests/fuzz/regressions/fuzz_tcp/ (see the README.md there):
each reproduces a defect of lib/ that fuzz_tcp found or was shown to find.

  make_regressions.py DIR"""
import os
import sys

from fuzz_tcp_ops import (ACK_POINT, ACK_SAME, CHARGEN, DAYTIME, ECHO, PSH, UPTIME_WRAP,
                          VARIANT_DEFAULTS, accept, ack, clock, data, program, syn, window)


def regressions():
    # Issue 8, defect 1: in recovery on a chargen connection, one duplicate ACK whose
    # SACK blocks go round sequence space: sack_retransmit() loops for ever.
    # [U, U+0x7fffffff), [U+0x7fffffff, U+0xfffffffe), [U+0xfffffffe, U+0x7ffffffd)
    yield "sack-blocks-round-sequence-space", program(
        VARIANT_DEFAULTS, syn(0, CHARGEN), accept(0),
        ack(0, ACK_SAME, repeat=4, sacks=[(0, 0x7fffffff), (0x7fffffff, 0x7fffffff),
                                          (0xfffffffe, 0x7fffffff)]))
    # Issue 8, defect 2: spoofed SYNs to A from B:19 and to B from A:7; each SYN-RECEIVED
    # entry answers the other's SYN-ACK with a SYN-ACK (a challenge ACK), and so on.
    yield "synack-bounce-between-appliances", program(
        VARIANT_DEFAULTS, syn(0, ECHO, sport=19, spoof=True),
        syn(1, CHARGEN, sport=7, spoof=True, b=True, burst=True))
    # A past deadline armed at tick 2^32 - 1 (49.7 days up) is clamped to the next tick,
    # 0, which means "not armed": the connection stays on the wheel, is freed there, and
    # the wheel then reaches a closed (or reused) entry.
    yield "timer-at-tick-wrap", program(
        VARIANT_DEFAULTS + UPTIME_WRAP, syn(0, ECHO), accept(0), window(0, 0),
        clock(ms=65000), clock(ms=535), data(0, 10, PSH), clock(ms=10), data(0, 10),
        clock(s=5))


    # Issue 8, defect 10 (found by fuzz_tcp once defect 1 was out of its way): the send
    # window is taken from an ACK below SND.UNA, so data goes past the right edge of any
    # window the peer offered (daytime's line, here, into a window the client shut).
    yield "window-from-old-ack", program(
        VARIANT_DEFAULTS, syn(0, DAYTIME, ws=None, win=0), accept(0, win=0), data(0, 10, win=0),
        ack(0, ACK_POINT, -20000, win=536))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, blob in regressions():
        with open(os.path.join(out, name), "wb") as fh:
            fh.write(blob)


if __name__ == "__main__":
    main()
