/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_icmp.h>
#include <rte_ip.h>

#include "cksum.h"
#include "icmp4.h"
#include "ipv4.h"
#include "worker.h"

#define ICMP4_DEST_UNREACH 3
#define ICMP4_PROTO_UNREACH 2
#define ICMP4_PORT_UNREACH 3
#define ICMP4_ERROR_MAX 576u /* RFC 1812 4.3.2.3 */
#define ICMP4_UNREACH_HDR (sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_icmp_hdr))

static enum ss_verdict
icmp4_echo_reply(struct ss_pkt *p, struct rte_icmp_hdr *icmp)
{
	uint16_t old = *(uint16_t *)icmp;

	if (unlikely(p->l4_len > ss_pkt_mirror_room(p)))
		return SS_DROP_REPLY_TOO_BIG;
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	icmp->icmp_cksum = ss_cksum_adjust(icmp->icmp_cksum, old, *(uint16_t *)icmp);
	ss_ipv4_reply(p, p->l4_len);
	p->stats->reply[SS_REPLY_ICMP4_ECHO]++;
	return SS_VERDICT_TX;
}

enum ss_verdict
ss_icmp4_input(struct ss_pkt *p)
{
	struct rte_icmp_hdr *icmp = ss_pkt_l4(p);

	if (unlikely(p->l4_len < sizeof(*icmp)))
		return SS_DROP_ICMP4_TRUNCATED;
	if (unlikely(!ss_pkt_own_l4_cksum_ok(p, IPPROTO_ICMP, icmp, p->l4_len)))
		return SS_DROP_ICMP4_CKSUM;
	if (icmp->icmp_type != RTE_IP_ICMP_ECHO_REQUEST)
		return SS_DROP_ICMP4_IGNORED;
	return icmp4_echo_reply(p, icmp);
}

/*
 * Turn the datagram into a destination unreachable with code (RFC 792),
 * quoting it from its IP header on, as much as fits in 576 bytes (RFC 1812
 * 4.3.2.3), unless the error rate limit says no.
 */
static enum ss_verdict
icmp4_unreachable(struct ss_pkt *p, uint8_t code, enum ss_reply kind)
{
	struct rte_ipv4_hdr *ip, *orig;
	struct rte_icmp_hdr *icmp;
	uint16_t quoted;

	if (!ss_gcra_allow(&p->w->icmp_error, &p->w->icmp_error_tat, p->w->now))
		return SS_DROP_ICMP4_RATELIMIT;
	quoted = RTE_MIN(ss_pkt_ip_in_head(p), (uint32_t)(ICMP4_ERROR_MAX - ICMP4_UNREACH_HDR));

	/* New IP and ICMP headers go in front of the datagram, in the headroom. */
	ip = ss_pkt_push_l3(p, ICMP4_UNREACH_HDR);
	if (ip == NULL)
		return SS_DROP_REPLY_TOO_BIG;
	icmp = (struct rte_icmp_hdr *)(ip + 1);
	orig = (struct rte_ipv4_hdr *)(icmp + 1);

	icmp->icmp_type = ICMP4_DEST_UNREACH;
	icmp->icmp_code = code;
	icmp->icmp_ident = 0;
	icmp->icmp_seq_nb = 0;
	icmp->icmp_cksum = 0;
	icmp->icmp_cksum = ~ss_cksum(icmp, sizeof(*icmp) + quoted);

	/* The reply swaps the addresses and fills in the rest of the header. */
	ip->src_addr = orig->src_addr;
	ip->dst_addr = orig->dst_addr;
	ip->next_proto_id = IPPROTO_ICMP;
	p->l3_len = sizeof(*ip);
	ss_ipv4_reply(p, sizeof(*icmp) + quoted);
	p->stats->reply[kind]++;
	return SS_VERDICT_TX;
}

/*
 * Out of line: inlined into ss_udp_input(), this cold path made LTO turn
 * the hot checksum loop into a call (callgrind, UDP echo: 726 instructions
 * a packet against 711).
 */
__rte_noinline enum ss_verdict
ss_icmp4_port_unreachable(struct ss_pkt *p)
{
	return icmp4_unreachable(p, ICMP4_PORT_UNREACH, SS_REPLY_ICMP4_UNREACH);
}

/* Out of line likewise, off ss_ipv4_input()'s path. */
__rte_noinline enum ss_verdict
ss_icmp4_proto_unreachable(struct ss_pkt *p)
{
	return icmp4_unreachable(p, ICMP4_PROTO_UNREACH, SS_REPLY_ICMP4_PROTO_UNREACH);
}
