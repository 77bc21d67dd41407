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

#endif /* SS_ETH_H */
