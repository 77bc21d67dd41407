/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_ICMP6_H
#define SS_ICMP6_H

#include "pkt.h"

/*
 * ICMPv6: answer echo requests and neighbour solicitations for our
 * addresses (RFC 4861); router solicitations, MLD and the rest are counted
 * and ignored.
 */
enum ss_verdict ss_icmp6_input(struct ss_pkt *p);

/*
 * Turn the packet into an ICMPv6 destination unreachable, code port
 * unreachable (RFC 4443 3.1: as much of it as fits in the minimum MTU),
 * unless the error rate limit says no (RFC 4443 2.4 (f)).
 */
enum ss_verdict ss_icmp6_port_unreachable(struct ss_pkt *p);

/*
 * Turn the packet into an ICMPv6 parameter problem, code unrecognized next
 * header (RFC 4443 3.4, RFC 8200 4), pointing at the next header field that
 * named it; p->l3_len is where the unknown header starts. Rate-limited alike.
 * No next header (59) is no unknown one: dropped, not answered.
 */
enum ss_verdict ss_icmp6_unknown_next_header(struct ss_pkt *p);

#endif /* SS_ICMP6_H */
