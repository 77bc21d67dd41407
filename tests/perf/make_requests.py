#!/usr/bin/python3
"""Request captures for the benchmark: one pcap per workload, written to DIR.

Each holds `count` requests from varied sources (198.51.100.0/24, 2001:db8:100::/64,
varied ports) so that RSS spreads them over queues and no two are alike; frames
are addressed to net_pcap's MAC. Sizes are frame sizes on the wire, FCS included:
64-byte IPv4 frames, 66-byte IPv6 frames (IPv6 UDP cannot be smaller), 1518;
and 4000-byte UDP echo requests cut into fragments of a 1500-byte MTU (three frames
a datagram), whose echo leaves in fragments too.
"""
import argparse
import os

from scapy.all import IP, TCP, UDP, Ether, IPv6, fragment, fragment6, IPv6ExtHdrFragment, wrpcap

PCAP_MAC = "02:70:63:61:70:00"
PEER_MAC = "02:00:00:00:00:fe"
APP4, APP6 = "192.0.2.1", "2001:db8::1"
FCS = 4


def src4(i):
    return "198.51.100.%d" % (1 + i % 250)


def src6(i):
    return "2001:db8:100::%x" % (1 + i % 250)


def udp(i, v6, dport, frame):
    """A UDP request whose frame (with FCS) is `frame` bytes."""
    ip = IPv6(src=src6(i), dst=APP6) if v6 else IP(src=src4(i), dst=APP4)
    hdr = 14 + (40 if v6 else 20) + 8
    payload = b"x" * max(0, frame - FCS - hdr)
    return Ether(dst=PCAP_MAC, src=PEER_MAC) / ip / UDP(sport=1024 + i, dport=dport) / payload


def udp_fragments(i, v6, payload_len):
    """A UDP echo request of payload_len bytes, as the fragments a 1500-byte MTU takes."""
    e = Ether(dst=PCAP_MAC, src=PEER_MAC)
    dgram = UDP(sport=1024 + i, dport=7) / (b"x" * payload_len)
    if v6:
        pkt = IPv6(src=src6(i), dst=APP6) / IPv6ExtHdrFragment(id=i) / dgram
        return [e / f for f in fragment6(pkt, 1500)]
    return [e / f for f in fragment(IP(src=src4(i), dst=APP4, id=i) / dgram, fragsize=1480)]


def syn(i, v6):
    ip = IPv6(src=src6(i), dst=APP6) if v6 else IP(src=src4(i), dst=APP4)
    return (Ether(dst=PCAP_MAC, src=PEER_MAC) / ip /
            TCP(sport=1024 + i, dport=13, flags="S", seq=1000 * i, window=65535,
                options=[("MSS", 1460), ("SAckOK", b""), ("WScale", 7)]))


WORKLOADS = {
    "udp-echo4-64": lambda i: udp(i, False, 7, 64),
    "udp-echo6-66": lambda i: udp(i, True, 7, 66),
    "udp-echo4-1518": lambda i: udp(i, False, 7, 1518),
    "udp-echo6-1518": lambda i: udp(i, True, 7, 1518),
    "udp-daytime4-64": lambda i: udp(i, False, 13, 64),
    "udp-time4-64": lambda i: udp(i, False, 37, 64),
    "udp-chargen4-64": lambda i: udp(i, False, 19, 64),
    "tcp-syn4": lambda i: syn(i, False),
    "tcp-syn6": lambda i: syn(i, True),
    "udp-echo4-4000-frag": lambda i: udp_fragments(i, False, 4000),
    "udp-echo6-4000-frag": lambda i: udp_fragments(i, True, 4000),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dir")
    ap.add_argument("--count", type=int, default=1024)
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    for name, make in WORKLOADS.items():
        frames = []
        for i in range(args.count):
            f = make(i)
            frames += f if isinstance(f, list) else [f]
        wrpcap(os.path.join(args.dir, name + ".pcap"), frames)


if __name__ == "__main__":
    main()
