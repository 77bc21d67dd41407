"""Transfers that must come out byte-exact although packets are lost both
ways, with the Linux kernel as the peer.

Losses are made with nftables on the kernel side of the TAP. Appliance to
kernel: a netdev ingress rule drops a random share of the segments. Kernel
to appliance, a netdev egress "drop" would not do: the kernel learns of a
drop on its own way out at once (dev_queue_xmit fails) and sends the segment
again as if nothing happened, so nothing is lost for its TCP. The egress
rule instead rewrites the destination MAC of a random share of segments:
they leave, and the appliance drops them as not its own (eth_not_ours),
a real loss, counted on both sides. GSO is capped at one segment a packet
on the TAP, or the rule would act on 64 KB bursts of segments at once."""
import hashlib
import os
import socket

import pytest

from livelib import (FAM, MB, NOT_OURS, Nft, chargen_expected, delta, lose,
                     one_segment_per_packet, recv_exact, recv_to_eof, sender, tcp_connect,
                     tcp_stats, wait_closed, wait_until)

V = [pytest.param(4, id="ipv4"), pytest.param(6, id="ipv6")]
LOSS = 5  # percent, each way
@pytest.fixture(scope="module")
def lossy(module_appliance):
    # The peer is a few microseconds away, so an RTO is rto_min_ms: at 50 ms
    # rather than 200 the timeouts that tail losses call for keep each
    # transfer to a few seconds.
    app = module_appliance(["--set", "tcp.rto_min_ms=50"])
    one_segment_per_packet(app)
    nft = Nft(app, "loss")
    egress, ingress = lose(LOSS)
    nft.load(egress=egress, ingress=ingress)
    yield app, nft
    nft.delete()


def lost(nft, before):
    now = nft.counters()
    return {k: now.get(k, 0) - before.get(k, 0) for k in ("egress", "ingress")}


def check_losses(app, nft, before, nft_before):
    """Both ways lost segments, and each one lost on the way in reached the
    appliance only to be dropped as not its own."""
    def settled():
        # Segments may still be on their way (a RST the kernel answers a
        # chargen segment with, say): compare once both counts agree.
        drops = lost(nft, nft_before)
        after = tcp_stats(app)
        return (drops, after) if after["eth_not_ours"] - before["eth_not_ours"] == \
            drops["egress"] else None
    drops, after = wait_until(settled, 5, "every segment lost on the way in to be "
                              "counted by the appliance as not its own")
    assert drops["egress"] > 0 and drops["ingress"] > 0, drops
    return after


@pytest.mark.parametrize("v", V)
def test_echo_with_loss(lossy, v):
    app, nft = lossy
    f = FAM[v]
    data = os.urandom(MB + MB // 2)
    before, nft_before = tcp_stats(app), nft.counters()
    with tcp_connect(app, v, 7, timeout=30) as s:
        t, err = sender(s, data, True)
        got = recv_to_eof(s, limit=len(data))
        t.join(30)
        assert not err, err
    assert hashlib.sha256(got).digest() == hashlib.sha256(data).digest()
    wait_closed(app, "echo", v, before)
    after = check_losses(app, nft, before, nft_before)
    assert after["echo_%s_retransmits" % f] > before["echo_%s_retransmits" % f]
    assert after["out_of_order"] > before["out_of_order"], "no hole seen in what came in"
    assert delta(before, after, "echo_tcp_%s_bytes_in" % f, "echo_tcp_%s_bytes_out" % f) == {
        "echo_tcp_%s_bytes_in" % f: len(data), "echo_tcp_%s_bytes_out" % f: len(data)}


@pytest.mark.parametrize("v", V)
def test_chargen_with_loss(lossy, v):
    app, nft = lossy
    f = FAM[v]
    n = MB + MB // 2
    before, nft_before = tcp_stats(app), nft.counters()
    with tcp_connect(app, v, 19, timeout=30) as s:
        got = recv_exact(s, n)
    assert got == chargen_expected(0, n), "the stream is not RFC 864's pattern from line 0"
    after = check_losses(app, nft, before, nft_before)
    assert after["chargen_%s_retransmits" % f] > before["chargen_%s_retransmits" % f]


@pytest.mark.parametrize("v", V)
def test_discard_with_loss(lossy, v):
    app, nft = lossy
    f = FAM[v]
    data = os.urandom(2 * MB)
    before, nft_before = tcp_stats(app), nft.counters()
    with tcp_connect(app, v, 9, timeout=30) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        assert s.recv(100) == b"", "discard sent data"
    wait_closed(app, "discard", v, before)
    after = check_losses(app, nft, before, nft_before)
    assert after["out_of_order"] > before["out_of_order"], "no hole seen in what came in"
    assert delta(before, after, "discard_tcp_%s_bytes_in" % f, "discard_%s_reset" % f) == {
        "discard_tcp_%s_bytes_in" % f: len(data), "discard_%s_reset" % f: 0}


@pytest.mark.parametrize("v", V)
def test_daytime_final_ack_lost(appliance, v):
    """Daytime speaks first. The client's final handshake ACK is lost: the
    client thinks it is connected and waits; the appliance's SYN-table entry
    sends the SYN-ACK again, the client ACKs again, and the line comes."""
    app = appliance(["--set", "tcp.rto_initial_ms=200"])
    nft = Nft(app, "lose_ack")
    # quota "until 100 bytes" matches while what it matched stays under 100
    # bytes: the first pure ACK (66 or 86 bytes) only.
    nft.load(egress=["tcp dport 13 tcp flags == ack quota until 100 bytes counter "
                     "ether daddr set " + NOT_OURS])
    before = tcp_stats(app)
    with tcp_connect(app, v, 13, timeout=10) as s:
        line = recv_to_eof(s, limit=100)
    assert line.endswith(b"\r\n") and len(line) == 26, line
    assert nft.counters() == {"egress": 1}
    after = tcp_stats(app)
    assert after["eth_not_ours"] - before["eth_not_ours"] == 1
    assert after["synack_retransmit"] - before["synack_retransmit"] >= 1
    assert after["daytime_%s_accepted" % FAM[v]] - before["daytime_%s_accepted" % FAM[v]] == 1
    wait_until(lambda: tcp_stats(app)["table_half_open"] == 0, 5, "no half-open entry left")
