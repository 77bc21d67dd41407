/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_IPV6_H
#define SS_IPV6_H

#include <string.h>

#include <rte_ip.h>

#include "pkt.h"

#define SS_REPLY_HOP_LIMIT 64

/*
 * The reply's header in place of a bare (40-byte) request header at ip:
 * addresses swapped, l4_len bytes of proto to follow, traffic class and
 * flow label zero, our hop limit. What ss_ipv6_reply() and the fast path
 * both write.
 */
static __rte_always_inline void
ss_ipv6_reply_hdr(struct rte_ipv6_hdr *ip, uint8_t proto, uint16_t l4_len)
{
	uint8_t addr[16];

	memcpy(addr, ip->src_addr, 16);
	memcpy(ip->src_addr, ip->dst_addr, 16);
	memcpy(ip->dst_addr, addr, 16);
	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16(l4_len);
	ip->proto = proto;
	ip->hop_limits = SS_REPLY_HOP_LIMIT;
}

/*
 * Check an IPv6 header, walk its extension headers (RFC 8200 4) and pass
 * the packet to ICMPv6, UDP or TCP. Trims link-layer padding.
 */
enum ss_verdict ss_ipv6_input(struct ss_pkt *p);

/*
 * Turn the header into the reply's: source and destination swapped,
 * extension headers removed, next header proto, for an upper-layer packet
 * of l4_len bytes already at ss_pkt_l4(). Also addresses the frame.
 */
void ss_ipv6_reply(struct ss_pkt *p, uint8_t proto, uint16_t l4_len);

/*
 * Write a fresh packet's IPv6 header at at (no extension header): from src
 * to dst, l4_len bytes of proto to follow. Returns its length.
 */
uint16_t ss_ipv6_push(uint8_t *at, const uint8_t *src, const uint8_t *dst, uint8_t proto,
		uint16_t l4_len);

#endif /* SS_IPV6_H */
