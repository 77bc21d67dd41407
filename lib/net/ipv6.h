/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_IPV6_H
#define SS_IPV6_H

#include "pkt.h"

#define SS_REPLY_HOP_LIMIT 64

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
