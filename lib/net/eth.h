/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_ETH_H
#define SS_ETH_H

#include "pkt.h"

/*
 * Entry of the data path: check the Ethernet header (and one 802.1Q tag),
 * pass the packet to ARP, IPv4 or IPv6. Returns SS_VERDICT_TX when the mbuf
 * holds the reply, else the reason it is dropped.
 */
enum ss_verdict ss_eth_input(struct ss_pkt *p);

/* Address the frame back to its sender, from our MAC. The tag stays. */
void ss_eth_reply(struct ss_pkt *p);

/* The same on the header at eh, from mac: what the fast path calls with its pointers in hand. */
static __rte_always_inline void
ss_eth_reply_hdr(struct rte_ether_hdr *eh, const struct rte_ether_addr *mac)
{
	rte_ether_addr_copy(&eh->src_addr, &eh->dst_addr);
	rte_ether_addr_copy(mac, &eh->src_addr);
}

/* Length of a fresh frame's Ethernet header, with one VLAN tag or none. */
static inline uint16_t
ss_eth_hdr_len(bool vlan)
{
	return RTE_ETHER_HDR_LEN + (vlan ? sizeof(struct rte_vlan_hdr) : 0);
}

/*
 * Write a fresh frame's Ethernet header at at: src to dst, tagged with
 * vlan_tci unless it is -1, carrying IP of family af. Returns its length.
 */
uint16_t ss_eth_push(uint8_t *at, const struct rte_ether_addr *src,
		const struct rte_ether_addr *dst, int vlan_tci, uint8_t af);

/* Who sent p: its source MAC, and its VLAN TCI or -1. */
void ss_eth_peer(const struct ss_pkt *p, struct rte_ether_addr *mac, int *vlan_tci);

#endif /* SS_ETH_H */
