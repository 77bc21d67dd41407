/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_IP_H
#define SS_IP_H

/*
 * IP as the layers above it see it: family-blind calls for what UDP and
 * TCP need of the header (a reply in place, a header for a fresh segment,
 * the pseudo-header sum, the addresses), so that no L4 file knows a field
 * of an IPv4 or IPv6 header. The headers themselves are ipv4.c's and
 * ipv6.c's; these only choose between them.
 */

#include <stdint.h>

#include <rte_ip.h>

#include "cksum.h"
#include "ipv4.h"
#include "ipv6.h"
#include "pkt.h"

/* Turn p into the reply: l4_len bytes of proto, back to where it came from (then L2's). */
static inline void
ss_ip_reply(struct ss_pkt *p, uint8_t proto, uint16_t l4_len)
{
	if (p->af == SS_AF4)
		ss_ipv4_reply(p, l4_len);
	else
		ss_ipv6_reply(p, proto, l4_len);
}

/* The pseudo-header sum of an IP header at l3 of family af, for l4_len bytes of proto. */
static inline uint64_t
ss_ip_hdr_phdr_sum(uint8_t af, const void *l3, uint8_t proto, uint16_t l4_len)
{
	return af == SS_AF4 ? ss_ip4_phdr_sum(l3, proto, l4_len) :
			      ss_ip6_phdr_sum(l3, proto, l4_len);
}

/* Likewise for p's own header (the request's or, once ss_ip_reply() ran, the reply's). */
static inline uint64_t
ss_ip_phdr_sum(const struct ss_pkt *p, uint8_t proto, uint16_t l4_len)
{
	return ss_ip_hdr_phdr_sum(p->af, ss_pkt_l3(p), proto, l4_len);
}

/* The checksum for an upper-layer header at l4 of p (its field zero). */
static inline uint16_t
ss_ip_l4_cksum(const struct ss_pkt *p, uint8_t proto, const void *l4, uint16_t len)
{
	return p->af == SS_AF4 ? ss_ip4_l4_cksum(ss_pkt_l3(p), proto, l4, len) :
				 ss_ip6_l4_cksum(ss_pkt_l3(p), proto, l4, len);
}

/*
 * The least of an upper-layer header that a first fragment must hold (RFC
 * 7112; RFC 1858's tiny fragments): the fixed part of TCP's, UDP's, ICMP's
 * (8) and ICMPv6's (type, code, checksum); 0 for a protocol we do not know.
 */
static inline uint16_t
ss_ip_upper_hdr_min(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return 20;
	case IPPROTO_UDP:
	case IPPROTO_ICMP:
		return 8;
	case IPPROTO_ICMPV6:
		return 4;
	default:
		return 0;
	}
}

/* Length of a fresh packet's IP header of family af (no options). */
static inline uint16_t
ss_ip_hdr_len(uint8_t af)
{
	return af == SS_AF4 ? sizeof(struct rte_ipv4_hdr) : sizeof(struct rte_ipv6_hdr);
}

/*
 * Write a fresh packet's IP header at at: from local to remote (16 bytes
 * each, IPv4 as ::ffff:a.b.c.d), l4_len bytes of proto to follow; an IPv4
 * header takes its identification from *ip_id, and its checksum is left
 * to the port when hw4 (tx_cksum.h). Returns its length.
 */
uint16_t ss_ip_push(uint8_t *at, uint8_t af, const uint8_t *local, const uint8_t *remote,
		uint8_t proto, uint16_t l4_len, uint16_t *ip_id, bool hw4);

/* p's source and destination addresses, 16 bytes each, IPv4 as ::ffff:a.b.c.d. */
void ss_ip_addrs(const struct ss_pkt *p, uint8_t *src, uint8_t *dst);

/* p's source as a per-source key (source.h): IPv6 by its first v6_prefix bits. */
uint64_t ss_ip_source_key(const struct ss_pkt *p, uint8_t v6_prefix);

#endif /* SS_IP_H */
