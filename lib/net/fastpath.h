/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_FASTPATH_H
#define SS_FASTPATH_H

/*
 * The fast path: the frames a load test is made of, answered in straight
 * line. It takes a frame that is
 *   - one segment, from a unicast MAC, to our own MAC, untagged;
 *   - IPv4 with a bare 20-byte header, not a fragment, or IPv6 with no
 *     extension header; to one of our unicast addresses, from a source the
 *     general path would accept; checksums right (or flagged good);
 *   - UDP to a port a service of ours listens on, whole, from a port the
 *     loop guard does not cover;
 * and nothing else: every other frame, and every frame that fails a check,
 * goes to the general path (ss_eth_input()) as it came, since the fast
 * path writes nothing before it has decided to answer. What it answers, it
 * answers through the general path's own service call (ss_udp_answer():
 * the limits, the service, the reply), so that the reply and the counters
 * are those the general path would give
 * (tests/unit/net/test_fastpath.c, tests/pcap/test_pcap_fastpath.py).
 */

#include "pkt.h"
#include "stats.h"

/* Not taken: the general path decides. Not a verdict of its own. */
#define SS_FAST_MISS SS_VERDICT_MAX

/* The fast path's verdict on p (p->m, w, iface, stats set), or SS_FAST_MISS. */
enum ss_verdict ss_fast_input(struct ss_pkt *p);

#endif /* SS_FASTPATH_H */
