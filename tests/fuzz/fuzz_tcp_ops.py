"""The input language of fuzz_tcp (tests/fuzz/fuzz_tcp_grammar.h), in Python:
each function returns the bytes of one op; an input is variant(v) followed by
ops. make_corpus_tcp.py writes the seed corpus with it, and the regression
inputs under tests/fuzz/regressions/ were written with it."""
import struct

OP_SYN, OP_ACCEPT, OP_DATA, OP_ACK, OP_WINDOW, OP_RST, OP_CLOCK, OP_RAW = range(8)
BURST = 0x80

# FZ_OP_SYN flags
SYN_B, SYN_V6, SYN_VLAN, SYN_MSS, SYN_WS, SYN_SACK, SYN_SHARED, SYN_SPOOF = (
    1 << i for i in range(8))

# services, as FZ_OP_SYN's service field names them
ECHO, DISCARD, DAYTIME, QOTD, CHARGEN, TIME, CLOSED, SAME_AS_SPORT = range(8)

# sequence modes of FZ_OP_DATA
SEQ_NEXT, SEQ_NEAR, SEQ_ANY, SEQ_EDGE, SEQ_ACKED = range(5)
# ACK modes
ACK_POINT, ACK_ALL, ACK_SAME, ACK_HIGHEST = range(4)
# RST modes
RST_EXACT, RST_NEAR, RST_ANY, RST_ACKED = range(4)
RST_WITH_ACK = 4
# clock modes
CLOCK_MS, CLOCK_10MS, CLOCK_S, CLOCK_WALL = range(4)
# FZ_OP_RAW flags
RAW_B, RAW_GOOD, RAW_FIX = 1, 2, 4

# TCP flags, XORed into ACK where an op says so
FIN, SYN, RST, PSH, ACK, URG = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20

VARIANT_DEFAULTS, VARIANT_COOKIES, VARIANT_TIGHT, VARIANT_JUMBO = range(4)
UPTIME_WRAP = 4  # added to a variant: the appliances' ms clock wraps a minute in

# Addresses the harness gives the appliances and the slots.
MAC_A, MAC_B = "02:00:00:00:00:01", "02:00:00:00:00:02"
IP4_A, IP6_A = "192.0.2.1", "2001:db8::1"


def u32(v):
    return v & 0xffffffff


def op(code, fields, burst=False):
    return bytes([code | (BURST if burst else 0)]) + fields


def syn(slot, svc, sport=None, iss=1000, mss=1460, ws=7, sack=True, v6=False, vlan=False,
        b=False, shared=False, spoof=False, win=65535, extra=0, burst=False):
    flags = ((SYN_B if b else 0) | (SYN_V6 if v6 else 0) | (SYN_VLAN if vlan else 0) |
             (SYN_MSS if mss is not None else 0) | (SYN_WS if ws is not None else 0) |
             (SYN_SACK if sack else 0) | (SYN_SHARED if shared else 0) |
             (SYN_SPOOF if spoof else 0))
    sport = 40000 + slot if sport is None else sport
    return op(OP_SYN, struct.pack("!BBBHHBIHB", slot, flags, svc, sport, mss or 0, ws or 0,
                                  u32(iss), win, extra), burst)


def accept(slot, win=65535, flags=0, length=0, seed=0, burst=False):
    return op(OP_ACCEPT, struct.pack("!BHBHB", slot, win, flags, length, seed), burst)


def data(slot, length, flags=0, mode=SEQ_NEXT, delta=0, ack_mode=ACK_HIGHEST, ack_delta=0,
         seed=0, win=None, burst=False):
    return op(OP_DATA, struct.pack("!BBBIHBbBHB", slot, flags, mode, u32(delta), length,
                                   ack_mode, ack_delta, seed, win or 0,
                                   1 if win is not None else 0), burst)


def ack(slot, mode=ACK_HIGHEST, delta=0, win=65535, sacks=(), repeat=1, flags=0, high=0,
        burst=False):
    """sacks: (left offset, length) pairs, from the ACK (or, for the blocks whose bit is
    set in high, from the highest sequence number seen)."""
    assert len(sacks) <= 4 and 1 <= repeat <= 8
    blocks = list(sacks) + [(0, 0)] * (4 - len(sacks))
    body = struct.pack("!BBIHBBB", slot, mode, u32(delta), win, len(sacks) | (repeat - 1) << 4,
                       flags, high)
    body += b"".join(struct.pack("!II", u32(o), u32(n)) for o, n in blocks)
    return op(OP_ACK, body, burst)


def window(slot, win, burst=False):
    return op(OP_WINDOW, struct.pack("!BH", slot, win), burst)


def rst(slot, mode=RST_EXACT, with_ack=False, delta=0, burst=False):
    return op(OP_RST, struct.pack("!BBI", slot, mode | (RST_WITH_ACK if with_ack else 0),
                                  u32(delta)), burst)


def clock(ms=None, s=None, wall=None):
    if s is not None:
        return op(OP_CLOCK, struct.pack("!BH", CLOCK_S, s))
    if wall is not None:
        return op(OP_CLOCK, struct.pack("!BH", CLOCK_WALL, wall & 0xffff))
    if ms > 65535:
        return op(OP_CLOCK, struct.pack("!BH", CLOCK_10MS, ms // 10))
    return op(OP_CLOCK, struct.pack("!BH", CLOCK_MS, ms))


def raw(frame, b=False, good=False, fix=False, burst=False):
    flags = (RAW_B if b else 0) | (RAW_GOOD if good else 0) | (RAW_FIX if fix else 0)
    return op(OP_RAW, struct.pack("!BH", flags, len(frame)), burst) + bytes(frame)


def program(variant, *ops):
    return bytes([variant]) + b"".join(ops)
