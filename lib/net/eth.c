/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_ether.h>

#include "arp.h"
#include "eth.h"
#include "ipv4.h"
#include "ipv6.h"

enum ss_verdict
ss_eth_input(struct ss_pkt *p)
{
	struct rte_mbuf *m = p->m;
	struct rte_ether_hdr *eh;
	struct rte_vlan_hdr *vh;
	uint16_t type;

	/* Ports are set up without scatter: a chained mbuf is a jumbo we did not ask for. */
	if (unlikely(m->nb_segs != 1))
		return SS_DROP_MBUF_MULTISEG;
	if (unlikely(m->data_len < sizeof(*eh)))
		return SS_DROP_ETH_RUNT;
	eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	if (unlikely(rte_is_multicast_ether_addr(&eh->src_addr) ||
			    rte_is_zero_ether_addr(&eh->src_addr)))
		return SS_DROP_ETH_SRC_INVALID;
	if (unlikely(!rte_is_same_ether_addr(&eh->dst_addr, &p->iface->mac))) {
		if (!rte_is_multicast_ether_addr(&eh->dst_addr))
			return SS_DROP_ETH_NOT_OURS;
		p->l2_multicast = true;
	}
	type = eh->ether_type;
	p->l2_len = sizeof(*eh);
	if (type == RTE_BE16(RTE_ETHER_TYPE_VLAN)) {
		if (unlikely(m->data_len < sizeof(*eh) + sizeof(*vh)))
			return SS_DROP_ETH_RUNT;
		vh = (struct rte_vlan_hdr *)(eh + 1);
		type = vh->eth_proto;
		p->l2_len += sizeof(*vh);
	}
	switch (type) {
	case RTE_BE16(RTE_ETHER_TYPE_IPV4):
		return ss_ipv4_input(p);
	case RTE_BE16(RTE_ETHER_TYPE_IPV6):
		return ss_ipv6_input(p);
	case RTE_BE16(RTE_ETHER_TYPE_ARP):
		return ss_arp_input(p);
	case RTE_BE16(RTE_ETHER_TYPE_VLAN):
	case RTE_BE16(RTE_ETHER_TYPE_QINQ):
		return SS_DROP_ETH_VLAN_STACKED;
	default:
		return SS_DROP_ETH_TYPE;
	}
}

void
ss_eth_reply(struct ss_pkt *p)
{
	ss_eth_reply_hdr(rte_pktmbuf_mtod(p->m, struct rte_ether_hdr *), &p->iface->mac);
}

uint16_t
ss_eth_push(uint8_t *at, const struct rte_ether_addr *src, const struct rte_ether_addr *dst,
		int vlan_tci, uint8_t af)
{
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)at;
	rte_be16_t type = af == SS_AF4 ? RTE_BE16(RTE_ETHER_TYPE_IPV4) :
					 RTE_BE16(RTE_ETHER_TYPE_IPV6);

	rte_ether_addr_copy(dst, &eh->dst_addr);
	rte_ether_addr_copy(src, &eh->src_addr);
	if (vlan_tci < 0) {
		eh->ether_type = type;
		return sizeof(*eh);
	}
	eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_VLAN);
	((struct rte_vlan_hdr *)(eh + 1))->vlan_tci = rte_cpu_to_be_16(vlan_tci);
	((struct rte_vlan_hdr *)(eh + 1))->eth_proto = type;
	return sizeof(*eh) + sizeof(struct rte_vlan_hdr);
}

void
ss_eth_peer(const struct ss_pkt *p, struct rte_ether_addr *mac, int *vlan_tci)
{
	const struct rte_ether_hdr *eh = rte_pktmbuf_mtod(p->m, const struct rte_ether_hdr *);

	rte_ether_addr_copy(&eh->src_addr, mac);
	*vlan_tci = p->l2_len > sizeof(*eh) ?
			rte_be_to_cpu_16(((const struct rte_vlan_hdr *)(eh + 1))->vlan_tci) :
			-1;
}
