/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_IPV4_H
#define SS_IPV4_H

#include "pkt.h"

#define SS_REPLY_TTL 64

/*
 * Check an IPv4 header (RFC 791, RFC 1122 3.2.1) and pass the packet to
 * ICMP, UDP or TCP. Trims link-layer padding past the total length.
 */
enum ss_verdict ss_ipv4_input(struct ss_pkt *p);

/*
 * Turn the header into the reply's: from the address the request was sent
 * to, back to its source, options removed, for an upper-layer packet of
 * l4_len bytes already written at ss_pkt_l4(). Also addresses the frame.
 * The upper-layer checksum is the caller's, after this.
 */
void ss_ipv4_reply(struct ss_pkt *p, uint16_t l4_len);

/*
 * Write a fresh packet's IPv4 header at at (no options, DF): from src to
 * dst (4 bytes each, network order), l4_len bytes of proto to follow,
 * identification id. Returns its length.
 */
uint16_t ss_ipv4_push(uint8_t *at, const uint8_t *src, const uint8_t *dst, uint8_t proto,
		uint16_t l4_len, uint16_t id);

#endif /* SS_IPV4_H */
