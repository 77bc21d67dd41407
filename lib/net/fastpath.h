/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_FASTPATH_H
#define SS_FASTPATH_H

/*
 * The fast path: the frames a load test is made of, a burst at a time, in
 * straight line. It takes a frame that is
 *   - one segment, from a unicast MAC, to our own MAC, untagged;
 *   - IPv4 with a bare 20-byte header, not a fragment, its header checksum
 *     right (flagged GOOD or NONE, or summed), or IPv6 with no extension
 *     header; to one of our unicast addresses, from a source the general
 *     path would accept;
 *   - UDP to a port a service of ours listens on, whole, its checksum right
 *     (GOOD, NONE, summed, or over IPv4 none), from a port the loop guard
 *     does not cover; or TCP, whatever the segment;
 * and nothing else: every other frame, and every frame that fails a check,
 * goes to the general path (ss_eth_input()) as it came, since the fast
 * path writes nothing before it has decided to take it. A mirroring
 * service's datagram (echo) it answers itself, from the same header
 * writers (ss_eth_reply_hdr(), ss_ipv4_reply_hdr(), ss_ipv6_reply_hdr())
 * and to the same counters; a generated reply goes through the general
 * path's own service call (ss_udp_answer(): the limits, the service, the
 * reply); a TCP segment straight to the TCP layer (ss_tcp_input()), as the
 * IP layer would have handed it on. Either way the reply or the refusal
 * and the counters are those the general path would give
 * (tests/unit/net/test_fastpath.c; scripts/test.sh's pcap-general runs the
 * golden captures with it off).
 *
 * The burst is the unit: ss_fast_burst() goes over it with what a burst
 * shares (our MAC and address, the port map, the counters, the offloads)
 * loaded once and the frames ahead prefetched, and hands a frame it does
 * not take to the general path in its turn: state the two share (the IPv4
 * identification, the amplification limits, chargen's line, TCP's tables)
 * is used in arrival order, so that a mixed burst comes out as it would
 * without the fast path.
 */

#include <stdint.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "pkt.h"
#include "stats.h"

/* Not taken by the fast path: the general path decides. Never a verdict returned. */
#define SS_FAST_MISS SS_VERDICT_MAX

/*
 * Every frame of pkts[0..n), received on iface (w's counters st), through
 * the fast path or the general one: each one's verdict into v[i], its
 * bytes into st->rx_bytes. The caller counts the verdicts.
 */
void ss_fast_burst(struct ss_worker *w, const struct ss_iface *iface, struct ss_stats *st,
		struct rte_mbuf **pkts, uint16_t n, uint8_t *v);

#endif /* SS_FASTPATH_H */
