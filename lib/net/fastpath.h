/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_FASTPATH_H
#define SS_FASTPATH_H

/*
 * The fast path: the frames a load test is made of, answered in straight
 * line. It takes a frame that is
 *   - one segment, from a unicast MAC, to our own MAC, untagged;
 *   - IPv4 with a bare 20-byte header, not a fragment, or IPv6 with no
 *     extension header; to one of our unicast addresses, from a source the
 *     general path would accept; checksums right, flagged GOOD or NONE, or
 *     (UDP over IPv4) none;
 *   - UDP to a port a service of ours listens on, whole, from a port the
 *     loop guard does not cover;
 * and nothing else: every other frame, and every frame that fails a check,
 * goes to the general path (ss_eth_input()) as it came, since the fast
 * path writes nothing before it has decided to take it. What it takes goes
 * through the general path's own service call (ss_udp_answer(): the limits,
 * the service, the reply), so that the reply or the refusal and the
 * counters are those the general path would give (tests/unit/net/
 * test_fastpath.c; scripts/test.sh's pcap-general runs the golden captures
 * with it off).
 */

#include <stddef.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "pkt.h"
#include "stats.h"

/* Not taken: the general path decides. Not a verdict of its own. */
#define SS_FAST_MISS SS_VERDICT_MAX

#define SS_FAST_MIN_LEN \
	(sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_udp_hdr))

/*
 * The first look, in the worker's loop: is the frame IPv4 or IPv6 with UDP
 * right behind the IP header? Returns its family, or -1. What the fast path
 * does not take (TCP above all) is not even called for.
 */
static inline int
ss_fast_class(const struct rte_mbuf *m)
{
	const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
	rte_be16_t type;

	if (unlikely(m->data_len < SS_FAST_MIN_LEN))
		return -1;
	memcpy(&type, f + offsetof(struct rte_ether_hdr, ether_type), sizeof(type));
	if (type == RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
			f[sizeof(struct rte_ether_hdr) +
					offsetof(struct rte_ipv4_hdr, next_proto_id)] ==
					IPPROTO_UDP)
		return SS_AF4;
	if (type == RTE_BE16(RTE_ETHER_TYPE_IPV6) &&
			f[sizeof(struct rte_ether_hdr) + offsetof(struct rte_ipv6_hdr, proto)] ==
					IPPROTO_UDP)
		return SS_AF6;
	return -1;
}

/*
 * The fast path's verdict on p (p->m, w, iface, stats set), a frame
 * ss_fast_class() said was UDP over af, or SS_FAST_MISS.
 */
enum ss_verdict ss_fast_input(struct ss_pkt *p, int af);

#endif /* SS_FASTPATH_H */
