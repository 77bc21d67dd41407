/* SPDX-License-Identifier: BSD-3-Clause */
#include <stddef.h>
#include <string.h>

#include <rte_ip.h>

#include "addr.h"
#include "eth.h"
#include "icmp6.h"
#include "ip.h"
#include "ip_frag.h"
#include "ip_reasm.h"
#include "ipv6.h"
#include "tcp.h"
#include "udp.h"
#include "worker.h"

#define IP6_MAX_EXT_HEADERS 8 /* more than any honest packet carries */

/*
 * The options of a hop-by-hop or destination options header. RFC 8200
 * 4.2: an unknown option whose type's two high bits are not 00 means the
 * packet must not be processed.
 */
static bool
ipv6_options_ok(const uint8_t *opt, uint16_t len)
{
	uint16_t i = 2;

	while (i < len) {
		uint8_t type = opt[i];

		if (type == 0) { /* Pad1 */
			i++;
			continue;
		}
		if (i + 2 > len || i + 2 + opt[i + 1] > len)
			return false;
		/* PadN and Router Alert (MLD carries it) are all we know. */
		if (type != 1 && type != 5 && (type & 0xc0) != 0)
			return false;
		i += 2 + opt[i + 1];
	}
	return true;
}

/*
 * Walk the extension headers up to the upper-layer header. Sets l3_len
 * and l4_len and returns the upper-layer protocol, or -(verdict). A
 * fragment to reassemble returns IPPROTO_FRAGMENT, l3_len where its
 * fragment header is and *nh_at where the byte naming that header is.
 */
static int
ipv6_walk_ext(struct ss_pkt *p, const struct rte_ipv6_hdr *ip, uint32_t total, uint16_t *nh_at)
{
	const uint8_t *base = (const uint8_t *)ip;
	uint8_t nh = ip->proto;
	uint32_t off = sizeof(*ip), len;
	unsigned int i;

	*nh_at = offsetof(struct rte_ipv6_hdr, proto);
	/* Up to IP6_MAX_EXT_HEADERS extension headers, then the upper layer. */
	for (i = 0;; i++) {
		const uint8_t *h = base + off;

		switch (nh) {
		case IPPROTO_HOPOPTS:
			if (i != 0) /* only right after the IPv6 header */
				return -SS_DROP_IP6_EXTHDR;
			/* fall through */
		case IPPROTO_DSTOPTS:
		case IPPROTO_ROUTING:
			if (i == IP6_MAX_EXT_HEADERS || off + 8 > total)
				return -SS_DROP_IP6_EXTHDR;
			len = (h[1] + 1) * 8;
			if (off + len > total)
				return -SS_DROP_IP6_EXTHDR;
			/* A routing header with segments left would have us forward it. */
			if (nh == IPPROTO_ROUTING && h[3] != 0)
				return -SS_DROP_IP6_EXTHDR;
			if (nh != IPPROTO_ROUTING && !ipv6_options_ok(h, len))
				return -SS_DROP_IP6_EXTHDR;
			break;
		case IPPROTO_FRAGMENT:
			if (i == IP6_MAX_EXT_HEADERS || off + 8 > total)
				return -SS_DROP_IP6_EXTHDR;
			/* RFC 6946: an atomic fragment (offset 0, M clear) is a whole packet. */
			if ((h[2] << 8 | h[3]) != 0) {
				/* Once reassembled, a datagram holds no fragment of another. */
				if (p->reassembled || p->w->cfg->ip.reasm_datagrams == 0)
					return -SS_DROP_IP6_FRAGMENT;
				p->l3_len = off;
				return IPPROTO_FRAGMENT;
			}
			len = 8;
			break;
		default:
			p->l3_len = off;
			p->l4_len = total - off;
			return nh;
		}
		*nh_at = off;
		nh = h[0];
		off += len;
	}
}

/*
 * RFC 7112: a first fragment holds the whole header chain, the upper-layer
 * header included: walk the len bytes at h behind its fragment header, nh
 * first. Returns the upper-layer protocol, or -1.
 */
static int
ipv6_first_fragment_upper(const uint8_t *h, uint16_t len, uint8_t nh)
{
	uint16_t off = 0, hl;
	unsigned int i;

	for (i = 0; i < IP6_MAX_EXT_HEADERS; i++) {
		/* Hop-by-hop options only right after the IPv6 header; one fragment header. */
		if (nh == IPPROTO_HOPOPTS || nh == IPPROTO_FRAGMENT)
			return -1;
		if (nh != IPPROTO_DSTOPTS && nh != IPPROTO_ROUTING)
			return off + ss_ip_upper_hdr_min(nh) <= len ? nh : -1;
		if (off + 8 > len)
			return -1;
		hl = (h[off + 1] + 1) * 8;
		if (off + hl > len)
			return -1;
		nh = h[off];
		off += hl;
	}
	return -1;
}

static enum ss_verdict
ipv6_check_addresses(struct ss_pkt *p, const struct rte_ipv6_hdr *ip, int proto)
{
	const struct ss_port_cfg *port = p->iface->cfg;

	switch (ss_ip6_match(port, ip->dst_addr)) {
	case SS_ADDR_LOCAL:
		if (unlikely(p->l2_multicast))
			return SS_DROP_IP6_L2_MULTICAST;
		break;
	case SS_ADDR_NONE:
		return SS_DROP_IP6_DST_NOT_OURS;
	default:
		/* Groups are ICMPv6's business: neighbour discovery, MLD. */
		if (proto != IPPROTO_ICMPV6)
			return SS_DROP_IP6_DST_MULTICAST;
		p->dst_multicast = true;
		break;
	}
	/*
	 * Duplicate address detection solicits from ::, and only it may; nothing
	 * else from :: is answered, with the source check on or off: a reply to
	 * :: goes nowhere.
	 */
	if (unlikely(ss_ip6_is_unspecified(ip->src_addr))) {
		if (proto != IPPROTO_ICMPV6)
			return SS_DROP_IP6_SRC_INVALID;
		p->src_unspecified = true;
		return SS_VERDICT_TX;
	}
	if (p->w->cfg->abuse.source_check && unlikely(ss_ip6_src_invalid(port, ip->src_addr)))
		return SS_DROP_IP6_SRC_INVALID;
	return SS_VERDICT_TX;
}

static enum ss_verdict
ipv6_dispatch(struct ss_pkt *p, int proto)
{
	switch (proto) {
	case IPPROTO_UDP:
		return ss_udp_input(p);
	case IPPROTO_TCP:
		return ss_tcp_input(p);
	case IPPROTO_ICMPV6:
		return ss_icmp6_input(p);
	default:
		return ss_icmp6_unknown_next_header(p);
	}
}

/* The fragment whose fragment header is at p->l3_len of ip, as reassembly takes it. */
static enum ss_verdict
ipv6_fragment(struct ss_pkt *p, const struct rte_ipv6_hdr *ip, uint16_t total, uint16_t nh_at)
{
	const struct rte_ipv6_fragment_ext *fh =
			(const struct rte_ipv6_fragment_ext *)((const uint8_t *)ip + p->l3_len);
	uint16_t offm = rte_be_to_cpu_16(fh->frag_data);
	struct ss_frag f = {
		.id = rte_be_to_cpu_32(fh->id),
		.off = offm & ~7u,
		.hdr_len = p->l3_len,
		.nh_at = nh_at,
		.proto = fh->next_header,
		.more = (offm & 1) != 0,
	};
	int upper;

	p->l3_len += sizeof(*fh);
	p->l4_len = total - p->l3_len;
	f.len = p->l4_len;
	if (f.off == 0) {
		upper = ipv6_first_fragment_upper((const uint8_t *)(fh + 1), f.len, f.proto);
		if (upper < 0)
			return SS_DROP_FRAG_HEADER_CHAIN;
		f.upper = upper;
	}
	return ss_reasm_input(p, &f);
}

/* A fragment: held until its datagram is whole, which is then answered as any other. */
static __rte_noinline enum ss_verdict
ipv6_reassemble(struct ss_pkt *p, const struct rte_ipv6_hdr *ip, uint16_t total, uint16_t nh_at)
{
	enum ss_verdict v;
	int proto;

	v = ipv6_fragment(p, ip, total, nh_at);
	if (v != SS_VERDICT_TX)
		return v;
	ip = ss_pkt_l3(p);
	proto = ipv6_walk_ext(p, ip, sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len), &nh_at);
	if (proto < 0)
		return -proto;
	return ss_ip_frag_send(p, ipv6_dispatch(p, proto));
}

enum ss_verdict
ss_ipv6_input(struct ss_pkt *p)
{
	struct rte_ipv6_hdr *ip = ss_pkt_l3(p);
	uint32_t avail = p->m->data_len - p->l2_len;
	uint16_t nh_at = 0;
	enum ss_verdict v;
	uint32_t total;
	int proto;

	p->af = SS_AF6;
	if (unlikely(avail < sizeof(*ip)))
		return SS_DROP_IP6_TRUNCATED;
	if (unlikely((rte_be_to_cpu_32(ip->vtc_flow) >> 28) != 6))
		return SS_DROP_IP6_VERSION;
	total = sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len);
	if (unlikely(total > avail))
		return SS_DROP_IP6_TRUNCATED;
	if (likely(ip->proto == IPPROTO_UDP || ip->proto == IPPROTO_TCP ||
			    ip->proto == IPPROTO_ICMPV6)) {
		proto = ip->proto;
		p->l3_len = sizeof(*ip);
		p->l4_len = total - sizeof(*ip);
	} else {
		proto = ipv6_walk_ext(p, ip, total, &nh_at);
		if (proto < 0)
			return -proto;
	}
	/* A fragment is no ICMPv6 message yet: to a group or from ::, it is dropped. */
	v = ipv6_check_addresses(p, ip, proto);
	if (v != SS_VERDICT_TX)
		return v;
	p->m->data_len = p->m->pkt_len = p->l2_len + total;
	if (unlikely(proto == IPPROTO_FRAGMENT))
		return ipv6_reassemble(p, ip, total, nh_at);
	return ipv6_dispatch(p, proto);
}

void
ss_ipv6_reply(struct ss_pkt *p, uint8_t proto, uint16_t l4_len)
{
	if (unlikely(p->l3_len != sizeof(struct rte_ipv6_hdr)))
		ss_pkt_strip_l3_ext(p, sizeof(struct rte_ipv6_hdr));
	ss_ipv6_reply_hdr(ss_pkt_l3(p), proto, l4_len);
	p->l4_len = l4_len;
	ss_pkt_set_len(p, p->l2_len + sizeof(struct rte_ipv6_hdr) + l4_len);
	ss_eth_reply(p);
}

uint16_t
ss_ipv6_push(uint8_t *at, const uint8_t *src, const uint8_t *dst, uint8_t proto, uint16_t l4_len)
{
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)at;

	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16(l4_len);
	ip->proto = proto;
	ip->hop_limits = SS_REPLY_HOP_LIMIT;
	memcpy(ip->src_addr, src, 16);
	memcpy(ip->dst_addr, dst, 16);
	return sizeof(*ip);
}
