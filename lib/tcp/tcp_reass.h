/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_TCP_REASS_H
#define SS_TCP_REASS_H

/*
 * Segments that arrive ahead of a hole are held, in their own mbufs, until
 * the hole is filled; they are announced to the peer with SACK blocks
 * (RFC 2018) so that it resends only what is missing. Without this every
 * loss would cost the peer a round trip per segment after the hole. What
 * is held is bounded by the window we announce, by a count of mbufs per
 * connection, and by the budgets of tcp_mem.h (each mbuf is charged). A
 * segment of up to half a buffer that continues a held one is copied
 * behind it; one that does not, and is shorter than SS_TCP_OOO_MIN_LEN, is
 * held only if nothing else is (a short request with its FIN, behind a lost
 * segment): a peer sending a byte here and a byte there must not pin a
 * buffer each. (A peer's segments after a loss are full ones but the last
 * of a flight; were that one not held, SACK shows the peer to send it again.)
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "tcp_conn.h"

#define SS_TCP_OOO_MAX 64      /* mbufs held ahead of a hole, per connection */
#define SS_TCP_OOO_MIN_LEN 256 /* bytes, for a segment held in an mbuf of its own */
#define SS_TCP_SACK_BLOCKS 3   /* what fits beside nothing else in 40 bytes of options */

struct ss_worker;

/*
 * Hold len bytes of m from offset off, sequence seq (fin: a FIN follows
 * them), charging what it takes. Returns true when m is the connection's
 * now; false when it stays the caller's (copied behind a held segment, or
 * not held: queue full, too small, a budget spent).
 */
bool ss_tcp_ooo_insert(struct ss_worker *w, struct ss_tcp_conn *c, struct rte_mbuf *m, uint16_t off,
		uint32_t seq, uint16_t len, bool fin);

/*
 * The next held segment now at or before rcv_nxt, trimmed to start at
 * rcv_nxt, or NULL; it is still charged to c. Segments wholly before
 * rcv_nxt are freed (and given back) on the way.
 */
struct rte_mbuf *ss_tcp_ooo_pop(struct ss_worker *w, struct ss_tcp_conn *c, bool *fin);

/* SACK blocks [start, end) of what is held, at most max. Returns their number. */
unsigned int ss_tcp_ooo_sack(const struct ss_tcp_conn *c, uint32_t blocks[][2], unsigned int max);

/* Free everything held. Returns the mbufs freed (the caller gives them back). */
unsigned int ss_tcp_ooo_drop(struct ss_tcp_conn *c);

#endif /* SS_TCP_REASS_H */
