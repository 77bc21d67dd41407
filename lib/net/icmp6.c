/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_icmp.h>
#include <rte_ip.h>

#include "addr.h"
#include "cksum.h"
#include "icmp6.h"
#include "ipv6.h"
#include "worker.h"

#define ICMP6_DST_UNREACH 1
#define ICMP6_PORT_UNREACH 4
#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY 129
#define ND_NEIGHBOR_SOLICIT 135
#define ND_NEIGHBOR_ADVERT 136
#define ND_OPT_SOURCE_LINKADDR 1
#define ND_OPT_TARGET_LINKADDR 2
#define ND_HOP_LIMIT 255
#define ND_NA_FLAG_SOLICITED 0x40
#define ND_NA_FLAG_OVERRIDE 0x20

#define ICMP6_UNREACH_HDR (sizeof(struct rte_ipv6_hdr) + 8)

/* Neighbour solicitation and advertisement: header, target, one option. */
struct nd_msg {
	uint8_t type;
	uint8_t code;
	uint16_t cksum;
	uint8_t flags;
	uint8_t reserved[3];
	uint8_t target[16];
	uint8_t opt_type;
	uint8_t opt_len;
	struct rte_ether_addr opt_mac;
};

_Static_assert(sizeof(struct nd_msg) == 32, "struct nd_msg has no padding");

#define ND_NS_MIN_LEN 24 /* without options */

static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 0x01 };
static const struct rte_ether_addr all_nodes_mac = {
	.addr_bytes = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 },
};

static enum ss_verdict
icmp6_echo_reply(struct ss_pkt *p, struct rte_icmp_hdr *icmp)
{
	uint16_t old = *(uint16_t *)icmp;

	/* Echo requests to a group or from :: are not answered. */
	if (p->dst_multicast)
		return SS_DROP_IP6_DST_MULTICAST;
	if (p->src_unspecified)
		return SS_DROP_IP6_SRC_INVALID;
	if (unlikely(p->l4_len > ss_pkt_l4_room(p)))
		return SS_DROP_REPLY_TOO_BIG;
	/* Swapping the addresses leaves the pseudo-header sum as it was. */
	icmp->icmp_type = ICMP6_ECHO_REPLY;
	icmp->icmp_cksum = ss_cksum_adjust(icmp->icmp_cksum, old, *(uint16_t *)icmp);
	ss_ipv6_reply(p, IPPROTO_ICMPV6, p->l4_len);
	p->stats->reply[SS_REPLY_ICMP6_ECHO]++;
	return SS_VERDICT_TX;
}

/*
 * RFC 4861 7.1.1 checks past those on the header: options well formed, no
 * source link-layer address from ::, which must go to a solicited-node
 * group. Returns true when the solicitation is valid.
 */
static bool
nd_ns_valid(const struct ss_pkt *p, const struct rte_ipv6_hdr *ip, const uint8_t *ns)
{
	uint16_t off = ND_NS_MIN_LEN;

	if (ip->hop_limits != ND_HOP_LIMIT || ns[1] != 0 || p->l4_len < ND_NS_MIN_LEN)
		return false;
	if (ss_ip6_is_multicast(ns + 8))
		return false;
	while (off < p->l4_len) {
		if (off + 2 > p->l4_len || ns[off + 1] == 0 || off + ns[off + 1] * 8 > p->l4_len)
			return false;
		if (ns[off] == ND_OPT_SOURCE_LINKADDR && p->src_unspecified)
			return false;
		off += ns[off + 1] * 8;
	}
	return !p->src_unspecified || p->dst_multicast;
}

static enum ss_verdict
nd_advertise(struct ss_pkt *p, struct nd_msg *nd)
{
	struct rte_ether_hdr *eh;
	struct rte_ipv6_hdr *ip;
	bool dad = p->src_unspecified;

	if (sizeof(*nd) > ss_pkt_l4_room(p))
		return SS_DROP_REPLY_TOO_BIG;
	/* nd stays put: stripping extension headers moves only what is in front of it. */
	ss_ipv6_reply(p, IPPROTO_ICMPV6, sizeof(*nd));
	ip = ss_pkt_l3(p);
	/* RFC 4861 7.2.4: from the target, to the solicitor or, for DAD, to all nodes. */
	memcpy(ip->src_addr, nd->target, 16);
	if (dad)
		memcpy(ip->dst_addr, all_nodes, 16);
	ip->hop_limits = ND_HOP_LIMIT;

	nd->type = ND_NEIGHBOR_ADVERT;
	nd->code = 0;
	nd->flags = ND_NA_FLAG_OVERRIDE | (dad ? 0 : ND_NA_FLAG_SOLICITED);
	memset(nd->reserved, 0, sizeof(nd->reserved));
	nd->opt_type = ND_OPT_TARGET_LINKADDR;
	nd->opt_len = 1;
	rte_ether_addr_copy(&p->iface->mac, &nd->opt_mac);
	nd->cksum = 0;
	nd->cksum = ss_ip6_l4_cksum(ip, IPPROTO_ICMPV6, nd, sizeof(*nd));
	if (dad) {
		eh = rte_pktmbuf_mtod(p->m, struct rte_ether_hdr *);
		rte_ether_addr_copy(&all_nodes_mac, &eh->dst_addr);
	}
	p->stats->reply[SS_REPLY_ND_ADVERT]++;
	return SS_VERDICT_TX;
}

static enum ss_verdict
nd_solicit_input(struct ss_pkt *p)
{
	struct rte_ipv6_hdr *ip = ss_pkt_l3(p);
	struct nd_msg *nd = ss_pkt_l4(p);

	if (!nd_ns_valid(p, ip, (const uint8_t *)nd))
		return SS_DROP_ND_INVALID;
	if (ss_ip6_find(p->iface->cfg, nd->target) == NULL)
		return SS_DROP_ND_NOT_OURS;
	return nd_advertise(p, nd);
}

enum ss_verdict
ss_icmp6_input(struct ss_pkt *p)
{
	struct rte_ipv6_hdr *ip = ss_pkt_l3(p);
	struct rte_icmp_hdr *icmp = ss_pkt_l4(p);

	if (unlikely(p->l4_len < sizeof(*icmp)))
		return SS_DROP_ICMP6_TRUNCATED;
	if (unlikely(!ss_ip6_l4_cksum_ok(ip, IPPROTO_ICMPV6, icmp, p->l4_len)))
		return SS_DROP_ICMP6_CKSUM;
	switch (icmp->icmp_type) {
	case ICMP6_ECHO_REQUEST:
		return icmp6_echo_reply(p, icmp);
	case ND_NEIGHBOR_SOLICIT:
		return nd_solicit_input(p);
	default:
		return SS_DROP_ICMP6_IGNORED;
	}
}

/* Out of line, as ss_icmp4_port_unreachable() is. */
__rte_noinline enum ss_verdict
ss_icmp6_port_unreachable(struct ss_pkt *p)
{
	struct rte_ipv6_hdr *ip, *orig;
	uint8_t *icmp;
	uint16_t quoted;

	if (!ss_gcra_allow(&p->w->icmp_error, &p->w->icmp_error_tat, p->w->now))
		return SS_DROP_ICMP6_RATELIMIT;
	quoted = RTE_MIN((uint32_t)(p->l3_len + p->l4_len),
			(uint32_t)(RTE_IPV6_MIN_MTU - ICMP6_UNREACH_HDR));

	ip = ss_pkt_push_l3(p, ICMP6_UNREACH_HDR);
	if (ip == NULL)
		return SS_DROP_REPLY_TOO_BIG;
	icmp = (uint8_t *)(ip + 1);
	orig = (struct rte_ipv6_hdr *)(icmp + 8);

	/* The reply swaps the addresses and fills in the rest of the header. */
	memcpy(ip->src_addr, orig->src_addr, 16);
	memcpy(ip->dst_addr, orig->dst_addr, 16);
	p->l3_len = sizeof(*ip);
	ss_ipv6_reply(p, IPPROTO_ICMPV6, 8 + quoted);

	memset(icmp, 0, 8);
	icmp[0] = ICMP6_DST_UNREACH;
	icmp[1] = ICMP6_PORT_UNREACH;
	*(uint16_t *)(icmp + 2) = ss_ip6_l4_cksum(ip, IPPROTO_ICMPV6, icmp, 8 + quoted);
	p->stats->reply[SS_REPLY_ICMP6_UNREACH]++;
	return SS_VERDICT_TX;
}
