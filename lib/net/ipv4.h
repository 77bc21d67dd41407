/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_IPV4_H
#define SS_IPV4_H

#include <string.h>

#include <rte_ip.h>

#include "cksum.h"
#include "pkt.h"

#define SS_REPLY_TTL 64

/*
 * The reply's header in place of a bare (20-byte) request header at ip:
 * addresses swapped, l4_len bytes to follow, identification id (network
 * order), no fragment flags, our TTL, its checksum (zero when hw: the port
 * sums it, tx_cksum.h). What ss_ipv4_reply() and the fast path both write.
 */
static __rte_always_inline void
ss_ipv4_reply_hdr(struct rte_ipv4_hdr *ip, uint16_t l4_len, rte_be16_t id, bool hw)
{
	rte_be16_t len = rte_cpu_to_be_16(sizeof(*ip) + l4_len);
	rte_be16_t ttl_proto = rte_cpu_to_be_16(SS_REPLY_TTL << 8 | ip->next_proto_id);
	uint64_t addrs;

	/* Source and destination swap places: one 64-bit rotation. */
	memcpy(&addrs, &ip->src_addr, sizeof(addrs));
	addrs = addrs >> 32 | addrs << 32;
	memcpy(&ip->src_addr, &addrs, sizeof(addrs));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = 0;
	ip->total_length = len;
	ip->packet_id = id;
	ip->fragment_offset = 0;
	ip->time_to_live = SS_REPLY_TTL;
	if (hw) {
		ip->hdr_checksum = 0;
		return;
	}
	/*
	 * The checksum from the values in hand, not by reading back the fields
	 * just written: narrow stores read back as wide loads stall the CPU
	 * (store forwarding fails), which cost a quarter of the echo path.
	 */
	ip->hdr_checksum = (uint16_t)~ss_cksum_fold((uint64_t)RTE_BE16(RTE_IPV4_VHL_DEF << 8) +
			len + id + ttl_proto + (addrs & 0xffffffff) + (addrs >> 32));
}

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
 * identification id; its checksum, or zero when hw (the port sums it,
 * tx_cksum.h). Returns its length.
 */
uint16_t ss_ipv4_push(uint8_t *at, const uint8_t *src, const uint8_t *dst, uint8_t proto,
		uint16_t l4_len, uint16_t id, bool hw);

#endif /* SS_IPV4_H */
