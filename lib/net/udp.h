/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_UDP_H
#define SS_UDP_H

#include "cksum.h"
#include "pkt.h"
#include "service.h"
#include "tx_cksum.h"

/*
 * UDP: check length and checksum, hand the datagram to the service on its
 * port, or answer ICMP port unreachable. The abuse guards sit here: the
 * source-port loop guard and the rate limits on amplifying replies.
 */
enum ss_verdict ss_udp_input(struct ss_pkt *p);

/*
 * The fast path's way in (fastpath.c): a datagram already checked as
 * ss_udp_input() would, to svc, not from a guarded port, its lengths in p:
 * counted and answered (or refused) as ss_udp_input() would.
 */
enum ss_verdict ss_udp_answer(struct ss_pkt *p, enum ss_svc svc);

/*
 * The checksum field of a reply whose whole sum (pseudo header, header
 * with the field zero, payload) is sum. RFC 768: a computed zero goes as
 * all ones (zero means "none").
 */
static inline rte_be16_t
ss_udp_cksum_field(uint64_t sum)
{
	uint16_t cksum = ~ss_cksum_fold(sum);

	return cksum != 0 ? cksum : 0xffff;
}

/*
 * The checksum field of a reply in m (l2_len bytes of link header, a bare
 * IP header of family af) from the sums in hand: its pseudo header's, its
 * ports, its length field and its payload's. Where the port sums (hw), the
 * field is what the port wants and the mbuf asks for it (tx_cksum.h); the
 * payload's sum is then not needed.
 */
static inline rte_be16_t
ss_udp_reply_cksum(struct rte_mbuf *m, uint8_t af, uint16_t l2_len, bool hw, uint64_t phdr_sum,
		uint32_t ports, rte_be16_t ulen, uint64_t payload_sum)
{
	if (hw)
		return ss_tx_l4_ask(m, af, l2_len, IPPROTO_UDP, phdr_sum);
	return ss_udp_cksum_field(phdr_sum + ports + ulen + payload_sum);
}

#endif /* SS_UDP_H */
