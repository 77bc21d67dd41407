/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_PKT_H
#define SS_PKT_H

/*
 * A received packet on its way through the data path. Each layer fills in
 * what it parsed and hands the packet to the next; the answer is built in
 * the same mbuf. Header positions are kept as lengths, not pointers,
 * because a reply may move the headers in front of the payload.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "cksum.h"
#include "config.h"
#include "stats.h"

struct ss_worker;
struct ss_pkt;

/* Chains (a reassembled datagram, ip_reasm.c): the frame cut at len; p's L4 sum. */
void ss_pkt_chain_set_len(struct rte_mbuf *m, uint32_t len);
bool ss_pkt_chain_l4_cksum_ok(const struct ss_pkt *p, uint8_t proto, uint32_t len);

/* A port as the data path sees it. */
struct ss_iface {
	uint16_t port_id;
	uint16_t mtu;
	uint16_t nb_queues; /* workers 0 .. nb_queues-1 each poll one queue */
	uint64_t tx_cksum;  /* checksum offloads the port does on transmit (tx_cksum.h) */
	struct rte_ether_addr mac;
	const struct ss_port_cfg *cfg;
};

struct ss_pkt {
	struct rte_mbuf *m;
	struct ss_worker *w;
	const struct ss_iface *iface;
	struct ss_stats *stats;
	uint16_t l2_len;      /* Ethernet header and VLAN tag */
	uint16_t l3_len;      /* IP header with options or extension headers */
	uint16_t l4_len;      /* upper-layer header and payload */
	uint8_t af;           /* enum ss_family */
	bool l2_multicast;    /* frame sent to a broadcast or multicast MAC */
	bool dst_multicast;   /* IPv6: sent to a multicast group */
	bool src_unspecified; /* IPv6: sent from :: (duplicate address detection) */
	bool reassembled;     /* put together from fragments (ip_reasm.h): m may be a chain */
};

static inline void *
ss_pkt_l3(const struct ss_pkt *p)
{
	return rte_pktmbuf_mtod_offset(p->m, void *, p->l2_len);
}

static inline void *
ss_pkt_l4(const struct ss_pkt *p)
{
	return rte_pktmbuf_mtod_offset(p->m, void *, p->l2_len + p->l3_len);
}

/*
 * Largest upper-layer reply (header included) this packet can carry: it
 * must fit the port's MTU behind a bare IP header and fit the mbuf.
 */
static inline uint32_t
ss_pkt_l4_room(const struct ss_pkt *p)
{
	uint32_t ip_hdr = p->af == SS_AF4 ? 20 : 40;
	uint32_t used = p->m->data_off + p->l2_len + p->l3_len;
	uint32_t buf = p->m->buf_len > used ? p->m->buf_len - used : 0;
	uint32_t mtu = p->iface->mtu - ip_hdr;

	return buf < mtu ? buf : mtu;
}

/*
 * The bytes of p from its IP header on, as far as its first mbuf holds
 * them: all of it but for a reassembled chain (what an ICMP error quotes).
 */
static inline uint32_t
ss_pkt_ip_in_head(const struct ss_pkt *p)
{
	return RTE_MIN((uint32_t)(p->l3_len + p->l4_len), (uint32_t)(p->m->data_len - p->l2_len));
}

/*
 * Largest reply that mirrors its request (echo): the request's own size
 * fits it as it came, except that a reassembled request's echo may be as
 * large as IP allows, and leaves in fragments (ip_frag.h).
 */
static inline uint32_t
ss_pkt_mirror_room(const struct ss_pkt *p)
{
	if (unlikely(p->reassembled))
		return p->af == SS_AF4 ? UINT16_MAX - 20 : UINT16_MAX;
	return ss_pkt_l4_room(p);
}

/*
 * Set the length of p's frame, head to tail; a chain (a reassembled
 * datagram) is cut where it ends and what is past it freed.
 */
static inline void
ss_pkt_set_len(struct ss_pkt *p, uint32_t len)
{
	if (likely(p->m->nb_segs == 1))
		p->m->data_len = p->m->pkt_len = len;
	else
		ss_pkt_chain_set_len(p->m, len);
}

/*
 * Is the upper-layer checksum of len bytes at l4 (behind the IP header at
 * l3 of family af) right? The port's word (ol_flags) when it looked, our
 * own sum when it did not (RX_L4_CKSUM_UNKNOWN). NONE: the port verified
 * the data; only the checksum field is not right.
 */
static inline bool
ss_l4_cksum_ok(uint64_t ol_flags, uint8_t af, const void *l3, uint8_t proto, const void *l4,
		uint16_t len)
{
	uint64_t ck = ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;

	if (ck == RTE_MBUF_F_RX_L4_CKSUM_GOOD || ck == RTE_MBUF_F_RX_L4_CKSUM_NONE)
		return true;
	if (ck == RTE_MBUF_F_RX_L4_CKSUM_BAD)
		return false;
	if (af == SS_AF4)
		return ss_ip4_l4_cksum_ok(l3, proto, l4, len);
	return ss_ip6_l4_cksum_ok(l3, proto, l4, len);
}

/* Likewise for p, its family and IP header as parsed (a chain: the sum over every segment). */
static inline bool
ss_pkt_l4_cksum_ok(const struct ss_pkt *p, uint8_t proto, const void *l4, uint16_t len)
{
	if (unlikely(p->m->nb_segs > 1))
		return ss_pkt_chain_l4_cksum_ok(p, proto, len);
	return ss_l4_cksum_ok(p->m->ol_flags, p->af, ss_pkt_l3(p), proto, l4, len);
}

/*
 * Is the sum of p's upper layer (len bytes at l4) right by our own count,
 * over every segment of a chain? For what no port sums: ICMP (no pseudo
 * header) and ICMPv6.
 */
static inline bool
ss_pkt_own_l4_cksum_ok(const struct ss_pkt *p, uint8_t proto, const void *l4, uint16_t len)
{
	if (unlikely(p->m->nb_segs > 1))
		return ss_pkt_chain_l4_cksum_ok(p, proto, len);
	if (proto == IPPROTO_ICMP)
		return ss_cksum(l4, len) == 0xffff;
	return p->af == SS_AF4 ? ss_ip4_l4_cksum_ok(ss_pkt_l3(p), proto, l4, len) :
				 ss_ip6_l4_cksum_ok(ss_pkt_l3(p), proto, l4, len);
}

/*
 * Is the IPv4 header of hlen bytes at ip right? UNKNOWN: our own sum. NONE
 * means the port verified the header but its checksum field is not right:
 * trusted like GOOD (a reply gets a checksum of its own anyway).
 */
static inline bool
ss_ip4_cksum_ok(uint64_t ol_flags, const struct rte_ipv4_hdr *ip, uint16_t hlen)
{
	uint64_t ck = ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;

	if (unlikely(ck == RTE_MBUF_F_RX_IP_CKSUM_BAD))
		return false;
	return ck != RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN || ss_ip4_hdr_cksum_ok(ip, hlen);
}

/*
 * Drop the IP options or extension headers behind a base_len-byte IP
 * header by moving the headers in front of them forward: the payload,
 * usually the larger part, stays where it is.
 */
static inline void
ss_pkt_strip_l3_ext(struct ss_pkt *p, uint16_t base_len)
{
	uint16_t ext = p->l3_len - base_len;
	uint8_t *start = rte_pktmbuf_mtod(p->m, uint8_t *);

	memmove(start + ext, start, p->l2_len + base_len);
	rte_pktmbuf_adj(p->m, ext);
	p->l3_len = base_len;
}

/*
 * The inverse: make n bytes of room in the headroom between the L2 header
 * and what follows it. Returns the room, or NULL when the headroom is short.
 */
static inline void *
ss_pkt_push_l3(struct ss_pkt *p, uint16_t n)
{
	uint8_t *start = (uint8_t *)rte_pktmbuf_prepend(p->m, n);

	if (start == NULL)
		return NULL;
	memmove(start, start + n, p->l2_len);
	return start + p->l2_len;
}

#endif /* SS_PKT_H */
