/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_arp.h>

#include "addr.h"
#include "arp.h"
#include "eth.h"
#include "worker.h"

static bool
arp_is_ethernet_ipv4(const struct rte_arp_hdr *ah)
{
	return ah->arp_hardware == RTE_BE16(RTE_ARP_HRD_ETHER) &&
			ah->arp_protocol == RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
			ah->arp_hlen == RTE_ETHER_ADDR_LEN && ah->arp_plen == 4;
}

enum ss_verdict
ss_arp_input(struct ss_pkt *p)
{
	struct rte_arp_hdr *ah;
	struct rte_arp_ipv4 *a;
	uint32_t target;

	if (p->m->data_len < p->l2_len + sizeof(*ah))
		return SS_DROP_ARP_MALFORMED;
	ah = ss_pkt_l3(p);
	if (!arp_is_ethernet_ipv4(ah))
		return SS_DROP_ARP_MALFORMED;
	if (ah->arp_opcode != RTE_BE16(RTE_ARP_OP_REQUEST))
		return SS_DROP_ARP_NOT_REQUEST;
	a = &ah->arp_data;
	target = a->arp_tip;
	if (ss_ip4_match(p->iface->cfg, target) != SS_ADDR_LOCAL)
		return SS_DROP_ARP_NOT_OURS;

	ah->arp_opcode = RTE_BE16(RTE_ARP_OP_REPLY);
	rte_ether_addr_copy(&a->arp_sha, &a->arp_tha);
	a->arp_tip = a->arp_sip;
	rte_ether_addr_copy(&p->iface->mac, &a->arp_sha);
	a->arp_sip = target;
	ss_eth_reply(p);
	/* The PMD pads the frame to the Ethernet minimum. */
	p->m->data_len = p->m->pkt_len = p->l2_len + sizeof(*ah);
	p->stats->reply[SS_REPLY_ARP]++;
	return SS_VERDICT_TX;
}
