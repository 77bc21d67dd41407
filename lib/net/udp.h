/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_UDP_H
#define SS_UDP_H

#include "pkt.h"

/*
 * UDP: check length and checksum, hand the datagram to the service on its
 * port, or answer ICMP port unreachable. The abuse guards sit here: the
 * source-port loop guard and the rate limits on amplifying replies.
 */
enum ss_verdict ss_udp_input(struct ss_pkt *p);

#endif /* SS_UDP_H */
