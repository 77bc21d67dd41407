/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_UDP_H
#define SS_UDP_H

#include "pkt.h"
#include "service.h"

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

#endif /* SS_UDP_H */
