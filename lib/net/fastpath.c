/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fast path (fastpath.h says which frames it takes). Each check is the
 * general path's, in the same terms (the same address and checksum
 * helpers), made once and in a line: where one fails, or where the general
 * path would take a turn of its own, it gives the frame back untouched (the
 * mbuf and the struct ss_pkt alike: nothing is written before fast_udp()
 * takes it).
 */
#include <stddef.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "addr.h"
#include "cksum.h"
#include "fastpath.h"
#include "udp.h"
#include "worker.h"

/* UDP to one of our services, its lengths and checksum right: the service's answer. */
static __rte_always_inline enum ss_verdict
fast_udp(struct ss_pkt *p, const void *l3, uint8_t af, uint16_t ip_payload)
{
	const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)((const uint8_t *)l3 +
			(af == SS_AF4 ? sizeof(struct rte_ipv4_hdr) : sizeof(struct rte_ipv6_hdr)));
	const struct ss_config *cfg = p->w->cfg;
	uint16_t len = rte_be_to_cpu_16(udp->dgram_len);
	enum ss_svc svc;

	if (unlikely(len < sizeof(*udp) || len > ip_payload))
		return SS_FAST_MISS;
	svc = cfg->port_map[SS_UDP][rte_be_to_cpu_16(udp->dst_port)];
	if (svc == SS_SVC_NONE || ss_config_loop_port(cfg, rte_be_to_cpu_16(udp->src_port)))
		return SS_FAST_MISS;
	/* A zero checksum is "none" over IPv4 and refused over IPv6 (udp_check()). */
	if (udp->dgram_cksum == 0) {
		if (af != SS_AF4)
			return SS_FAST_MISS;
	} else if (!ss_l4_cksum_ok(p->m->ol_flags, af, l3, IPPROTO_UDP, udp, len)) {
		return SS_FAST_MISS;
	}
	/*
	 * Taken: only now is anything written. Ethernet pads short frames, and
	 * bytes past the UDP length are not the datagram's.
	 */
	p->af = af;
	p->l2_len = sizeof(struct rte_ether_hdr);
	p->l3_len = (const uint8_t *)udp - (const uint8_t *)l3;
	p->l4_len = len;
	p->m->data_len = p->m->pkt_len = p->l2_len + p->l3_len + ip_payload;
	p->stats->rx_fast++;
	return ss_udp_answer(p, svc);
}

static __rte_always_inline enum ss_verdict
fast_ipv4(struct ss_pkt *p, const struct rte_ipv4_hdr *ip, uint32_t avail)
{
	const struct ss_port_cfg *port = p->iface->cfg;
	uint16_t total = rte_be_to_cpu_16(ip->total_length);

	if (ip->version_ihl != RTE_IPV4_VHL_DEF || ip->next_proto_id != IPPROTO_UDP ||
			total < sizeof(*ip) + sizeof(struct rte_udp_hdr) || total > avail ||
			(ip->fragment_offset &
					RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)))
		return SS_FAST_MISS;
	if (!ss_ip4_cksum_ok(p->m->ol_flags, ip, sizeof(*ip)))
		return SS_FAST_MISS;
	if (ss_ip4_match(port, ip->dst_addr) != SS_ADDR_LOCAL ||
			(p->w->cfg->abuse.source_check && ss_ip4_src_invalid(port, ip->src_addr)))
		return SS_FAST_MISS;
	return fast_udp(p, ip, SS_AF4, total - sizeof(*ip));
}

static __rte_always_inline enum ss_verdict
fast_ipv6(struct ss_pkt *p, const struct rte_ipv6_hdr *ip, uint32_t avail)
{
	const struct ss_port_cfg *port = p->iface->cfg;
	uint16_t plen = rte_be_to_cpu_16(ip->payload_len);

	if (avail < sizeof(*ip) + sizeof(struct rte_udp_hdr) ||
			(rte_be_to_cpu_32(ip->vtc_flow) >> 28) != 6 || ip->proto != IPPROTO_UDP ||
			sizeof(*ip) + plen > avail)
		return SS_FAST_MISS;
	if (ss_ip6_match(port, ip->dst_addr) != SS_ADDR_LOCAL ||
			ss_ip6_is_unspecified(ip->src_addr) ||
			(p->w->cfg->abuse.source_check && ss_ip6_src_invalid(port, ip->src_addr)))
		return SS_FAST_MISS;
	return fast_udp(p, ip, SS_AF6, plen);
}

enum ss_verdict
ss_fast_input(struct ss_pkt *p, int af)
{
	struct rte_mbuf *m = p->m;
	const struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	uint32_t avail = m->data_len - sizeof(*eh);

	RTE_ASSERT(m->data_len >= SS_FAST_MIN_LEN); /* ss_fast_class() said so */

	if (m->nb_segs != 1 || !rte_is_same_ether_addr(&eh->dst_addr, &p->iface->mac) ||
			rte_is_multicast_ether_addr(&eh->src_addr) ||
			rte_is_zero_ether_addr(&eh->src_addr))
		return SS_FAST_MISS;
	if (af == SS_AF4)
		return fast_ipv4(p, (const struct rte_ipv4_hdr *)(eh + 1), avail);
	return fast_ipv6(p, (const struct rte_ipv6_hdr *)(eh + 1), avail);
}
