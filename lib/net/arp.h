/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_ARP_H
#define SS_ARP_H

#include "pkt.h"

/*
 * Answer ARP requests for the port's IPv4 addresses (probes from 0.0.0.0
 * included, RFC 5227). We keep no ARP cache: replies go to the request's
 * source MAC, so nothing else ARP says is of use to us.
 */
enum ss_verdict ss_arp_input(struct ss_pkt *p);

#endif /* SS_ARP_H */
