/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_ICMP4_H
#define SS_ICMP4_H

#include "pkt.h"

/* ICMP: answer echo requests; every other type is counted and dropped. */
enum ss_verdict ss_icmp4_input(struct ss_pkt *p);

/*
 * Turn the datagram into an ICMP destination unreachable, code port
 * unreachable (RFC 792, RFC 1812 4.3.2.3: as much of it as fits in 576
 * bytes), unless the error rate limit says no.
 */
enum ss_verdict ss_icmp4_port_unreachable(struct ss_pkt *p);

/* Likewise, code protocol unreachable: a protocol we do not serve (RFC 1122 3.2.2.1). */
enum ss_verdict ss_icmp4_proto_unreachable(struct ss_pkt *p);

#endif /* SS_ICMP4_H */
