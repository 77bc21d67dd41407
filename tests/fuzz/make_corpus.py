#!/usr/bin/python3
"""Write a seed corpus for fuzz_rx: one valid frame of each kind the data path
answers, so the fuzzer starts deep in every parser rather than at Ethernet."""
import os
import struct
import sys

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Dot1Q, Ether, ICMPv6EchoRequest,
                       ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr, IPOption_RR, IPv6,
                       IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                       IPv6ExtHdrRouting, raw)

US, PEER = "02:00:00:00:00:01", "02:00:00:00:00:fe"


def frames():
    e = Ether(dst=US, src=PEER)
    v4 = IP(src="192.0.2.254", dst="192.0.2.1")
    v6 = IPv6(src="2001:db8::fe", dst="2001:db8::1")
    for port in (7, 9, 13, 17, 19, 37, 4000):
        yield e / v4 / UDP(sport=40000, dport=port) / b"hello"
        yield e / v6 / UDP(sport=40000, dport=port) / b"hello"
        yield e / v4 / TCP(sport=40000, dport=port, flags="S")
        yield e / v6 / TCP(sport=40000, dport=port, flags="PA") / b"x"
    yield e / Dot1Q(vlan=5) / v4 / UDP(sport=40000, dport=7) / b"tagged"
    yield e / IP(src="192.0.2.254", dst="192.0.2.1", options=[IPOption_RR()]) / UDP(dport=7)
    yield e / v6 / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() / UDP(dport=7) / b"ext"
    yield e / v6 / IPv6ExtHdrRouting(segleft=0) / UDP(dport=13)
    yield e / v6 / IPv6ExtHdrFragment(offset=0, m=0) / UDP(dport=37)
    yield e / v4 / ICMP() / b"ping"
    yield e / v6 / ICMPv6EchoRequest(data=b"ping")
    yield (Ether(dst="33:33:ff:00:00:01", src=PEER) /
           IPv6(src="2001:db8::fe", dst="ff02::1:ff00:1", hlim=255) /
           ICMPv6ND_NS(tgt="2001:db8::1") / ICMPv6NDOptSrcLLAddr(lladdr=PEER))
    yield Ether(dst="ff:ff:ff:ff:ff:ff", src=PEER) / ARP(pdst="192.0.2.1", psrc="192.0.2.254",
                                                        hwsrc=PEER)


def fragment_sequences():
    """Inputs of fuzz_rx's fragment mode: b"FRAG", what the datagram is, then
    5-byte descriptors (offset in 8-byte units, length, flags: 1 more, 2-6 id,
    8 past the timeout, 16 a tenth of a second)."""
    def desc(off8, length, flags):
        return struct.pack(">HHB", off8, length, flags)

    for kind in (0, 1, 2, 4, 6):  # UDP echo / ICMP echo / TCP SYN, IPv4 and IPv6
        n = 4000
        head = b"FRAG" + struct.pack(">BH", kind, n)
        cut = [(i * 1400 // 8, min(1400, n + 8 - i * 1400), 1) for i in range(3)]
        cut[-1] = (cut[-1][0], cut[-1][1], 0)
        yield head + b"".join(desc(*c) for c in cut)                      # in order
        yield head + b"".join(desc(*c) for c in reversed(cut))            # reversed
        yield head + b"".join(desc(*c) for c in cut[:1] + cut)            # a duplicate
        yield head + desc(0, 1400, 1) + desc(100, 1400, 1) + desc(175, 1208, 0)  # overlap
        yield head + b"".join(desc(*c) for c in cut[:2]) + desc(0, 8, 8)  # timed out
    yield b"FRAG" + struct.pack(">BH", 0, 65000) + b"".join(
        desc(i * 1480 // 8, 1480, 1 if i < 43 else 0) for i in range(44))  # 44 fragments


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for i, f in enumerate(frames()):
        with open(os.path.join(out, f"seed{i:03d}"), "wb") as fh:
            fh.write(raw(f))
    for i, f in enumerate(fragment_sequences()):
        with open(os.path.join(out, f"frag{i:03d}"), "wb") as fh:
            fh.write(f)


if __name__ == "__main__":
    main()
