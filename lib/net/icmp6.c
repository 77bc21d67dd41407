/* SPDX-License-Identifier: BSD-3-Clause */
#include <stddef.h>
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
#define ICMP6_PARAM_PROB 4
#define ICMP6_PARAMPROB_NEXTHEADER 1 /* unrecognized next header type */
#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY 129
#define ND_NEIGHBOR_SOLICIT 135
#define ND_NEIGHBOR_ADVERT 136
#define ND_OPT_SOURCE_LINKADDR 1
#define ND_OPT_TARGET_LINKADDR 2
#define ND_HOP_LIMIT 255
#define ND_NA_FLAG_SOLICITED 0x40
#define ND_NA_FLAG_OVERRIDE 0x20

#define ICMP6_ERROR_HDR (sizeof(struct rte_ipv6_hdr) + 8)

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
	if (unlikely(p->l4_len > ss_pkt_mirror_room(p)))
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

	/* RFC 6980: neighbour discovery never comes in fragments. */
	if (p->reassembled || ip->hop_limits != ND_HOP_LIMIT || ns[1] != 0 ||
			p->l4_len < ND_NS_MIN_LEN)
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
	struct rte_icmp_hdr *icmp = ss_pkt_l4(p);

	if (unlikely(p->l4_len < sizeof(*icmp)))
		return SS_DROP_ICMP6_TRUNCATED;
	if (unlikely(!ss_pkt_own_l4_cksum_ok(p, IPPROTO_ICMPV6, icmp, p->l4_len)))
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

/*
 * Turn the packet into an ICMPv6 error of type and code, param in the
 * word behind the checksum (unused: 0), quoting the packet from its IPv6
 * header on, as much as fits in 1280 bytes (RFC 4443 2.4), unless the
 * error rate limit says no.
 */
static enum ss_verdict
icmp6_error(struct ss_pkt *p, uint8_t type, uint8_t code, uint32_t param, enum ss_reply kind)
{
	struct rte_ipv6_hdr *ip, *orig;
	uint8_t *icmp;
	uint16_t quoted;

	if (!ss_gcra_allow(&p->w->icmp_error, &p->w->icmp_error_tat, p->w->now))
		return SS_DROP_ICMP6_RATELIMIT;
	quoted = RTE_MIN(ss_pkt_ip_in_head(p), (uint32_t)(RTE_IPV6_MIN_MTU - ICMP6_ERROR_HDR));

	ip = ss_pkt_push_l3(p, ICMP6_ERROR_HDR);
	if (ip == NULL)
		return SS_DROP_REPLY_TOO_BIG;
	icmp = (uint8_t *)(ip + 1);
	orig = (struct rte_ipv6_hdr *)(icmp + 8);

	/* The reply swaps the addresses and fills in the rest of the header. */
	memcpy(ip->src_addr, orig->src_addr, 16);
	memcpy(ip->dst_addr, orig->dst_addr, 16);
	p->l3_len = sizeof(*ip);
	ss_ipv6_reply(p, IPPROTO_ICMPV6, 8 + quoted);

	icmp[0] = type;
	icmp[1] = code;
	*(uint16_t *)(icmp + 2) = 0;
	param = rte_cpu_to_be_32(param);
	memcpy(icmp + 4, &param, sizeof(param)); /* not 4-byte aligned behind Ethernet */
	*(uint16_t *)(icmp + 2) = ss_ip6_l4_cksum(ip, IPPROTO_ICMPV6, icmp, 8 + quoted);
	p->stats->reply[kind]++;
	return SS_VERDICT_TX;
}

/* Out of line, as ss_icmp4_port_unreachable() is. */
__rte_noinline enum ss_verdict
ss_icmp6_port_unreachable(struct ss_pkt *p)
{
	return icmp6_error(p, ICMP6_DST_UNREACH, ICMP6_PORT_UNREACH, 0, SS_REPLY_ICMP6_UNREACH);
}

/*
 * Where the next header field that named the header at p->l3_len is, from
 * the start of the IPv6 header: the header's own, or the first byte of the
 * last extension header. ipv6_walk_ext() checked the chain but kept no
 * record of where each header began, so it is walked again; every step
 * moves at least 8 bytes on towards l3_len. -1 if it does not end there.
 */
static int
icmp6_next_header_at(const struct ss_pkt *p)
{
	const uint8_t *ip = ss_pkt_l3(p);
	uint16_t at = offsetof(struct rte_ipv6_hdr, proto);
	uint16_t off = sizeof(struct rte_ipv6_hdr);
	uint8_t nh;

	while (off < p->l3_len) {
		nh = ip[at];
		at = off;
		/* A fragment header's second byte is reserved, not a length. */
		off += nh == IPPROTO_FRAGMENT ? 8 : (ip[off + 1] + 1) * 8;
	}
	return off == p->l3_len ? at : -1;
}

/* Out of line likewise, off ss_ipv6_input()'s path. */
__rte_noinline enum ss_verdict
ss_icmp6_unknown_next_header(struct ss_pkt *p)
{
	int at = icmp6_next_header_at(p);

	/* RFC 8200 4.7: "no next header" ends the chain; it names nothing unknown. */
	if (at < 0 || ((const uint8_t *)ss_pkt_l3(p))[at] == IPPROTO_NONE)
		return SS_DROP_IP6_PROTO;
	/*
	 * RFC 4443 2.4 (e): no error to a group, and none to :: (it goes
	 * nowhere). ss_ipv6_input() lets neither through but for ICMPv6.
	 */
	if (p->dst_multicast)
		return SS_DROP_IP6_DST_MULTICAST;
	if (p->src_unspecified)
		return SS_DROP_IP6_SRC_INVALID;
	return icmp6_error(p, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_NEXTHEADER, at,
			SS_REPLY_ICMP6_PARAM_PROBLEM);
}
