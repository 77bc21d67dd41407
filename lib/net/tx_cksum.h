/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_TX_CKSUM_H
#define SS_TX_CKSUM_H

/*
 * Checksums on transmit. Where the port computes them (struct ss_iface's
 * tx_cksum: what port.c got of RTE_ETH_TX_OFFLOAD_IPV4_CKSUM, _UDP_CKSUM
 * and _TCP_CKSUM, unless [general] tx_cksum_offload is off), a reply only
 * says so in its mbuf, as rte_mbuf_core.h has it for RTE_MBUF_F_TX_*_CKSUM:
 * l2_len and l3_len set, the IPv4 checksum field zero, the L4 checksum
 * field holding the pseudo header's sum. Where it does not, the layers sum
 * in software as before. ICMP and ICMPv6 have no offload: always ours.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "cksum.h"
#include "ip.h"
#include "pkt.h"

#define SS_TX_CKSUM_OFFLOADS                                            \
	(RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM | \
			RTE_ETH_TX_OFFLOAD_TCP_CKSUM)

/* Does iface compute the IPv4 header checksum? */
static inline bool
ss_tx_ip4_hw(const struct ss_iface *iface)
{
	return (iface->tx_cksum & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) != 0;
}

/* Does iface compute proto's (IPPROTO_UDP or IPPROTO_TCP) checksum? */
static inline bool
ss_tx_l4_hw(const struct ss_iface *iface, uint8_t proto)
{
	return (iface->tx_cksum &
			       (proto == IPPROTO_UDP ? RTE_ETH_TX_OFFLOAD_UDP_CKSUM :
						       RTE_ETH_TX_OFFLOAD_TCP_CKSUM)) != 0;
}

/* Ask for the IPv4 header checksum of m (its field zero), behind l2_len bytes. */
static inline void
ss_tx_ip4_ask(struct rte_mbuf *m, uint16_t l2_len)
{
	m->l2_len = l2_len;
	m->l3_len = sizeof(struct rte_ipv4_hdr);
	m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
}

/*
 * Ask for the checksum of proto behind a bare IP header of family af,
 * behind l2_len bytes. Returns what its checksum field is to hold: the
 * pseudo header's sum phdr_sum.
 */
static inline rte_be16_t
ss_tx_l4_ask(struct rte_mbuf *m, uint8_t af, uint16_t l2_len, uint8_t proto, uint64_t phdr_sum)
{
	m->l2_len = l2_len;
	m->l3_len = ss_ip_hdr_len(af);
	m->ol_flags |= (af == SS_AF4 ? RTE_MBUF_F_TX_IPV4 : RTE_MBUF_F_TX_IPV6) |
			(proto == IPPROTO_UDP ? RTE_MBUF_F_TX_UDP_CKSUM : RTE_MBUF_F_TX_TCP_CKSUM);
	return ss_cksum_fold(phdr_sum);
}

#endif /* SS_TX_CKSUM_H */
