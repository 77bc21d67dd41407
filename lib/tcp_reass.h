/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_TCP_REASS_H
#define SS_TCP_REASS_H

/*
 * Segments that arrive ahead of a hole are held, in their own mbufs, until
 * the hole is filled; they are announced to the peer with SACK blocks
 * (RFC 2018) so that it resends only what is missing. Without this every
 * loss would cost the peer a round trip per segment after the hole. What
 * is held is bounded by the window we announce and by a count of mbufs.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "tcp_conn.h"

#define SS_TCP_OOO_MAX 64      /* mbufs held ahead of a hole, per connection */
#define SS_TCP_SACK_BLOCKS 3   /* what fits beside nothing else in 40 bytes of options */

/*
 * Hold len bytes of m from offset off, sequence seq (fin: a FIN follows
 * them). Returns false when not held (queue full): the caller frees m.
 */
bool ss_tcp_ooo_insert(struct ss_tcp_conn *c, struct rte_mbuf *m, uint16_t off, uint32_t seq,
	uint16_t len, bool fin);

/*
 * The next held segment now at or before rcv_nxt, trimmed to start at
 * rcv_nxt, or NULL. Segments wholly before rcv_nxt are freed on the way.
 */
struct rte_mbuf *ss_tcp_ooo_pop(struct ss_tcp_conn *c, bool *fin);

/* SACK blocks [start, end) of what is held, at most max. Returns their number. */
unsigned int ss_tcp_ooo_sack(const struct ss_tcp_conn *c, uint32_t blocks[][2], unsigned int max);

/* Free everything held. */
void ss_tcp_ooo_drop(struct ss_tcp_conn *c);

#endif /* SS_TCP_REASS_H */
