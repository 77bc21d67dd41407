/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_TCP_HOLD_H
#define SS_TCP_HOLD_H

/*
 * What a connection keeps of what it received, for a service that sends
 * it back (SS_SVC_F_HOLDS: echo): held until the peer has acknowledged it
 * back, in the received mbufs themselves. A segment of up to half a buffer
 * is copied into the last held mbuf when it fits there, so that every held
 * mbuf but the last is well filled: what tiny segments pin is bounded by
 * the bytes held, not by their number. The held bytes are the stream from
 * the offset of snd_una on; the mbufs are charged by the caller (tcp_mem.h).
 */

#include <stdbool.h>
#include <stdint.h>

#include "tcp_conn.h"

/*
 * Copy len bytes of m from offset off behind what is held, if they are few
 * enough and fit; true when done (m stays the caller's).
 */
bool ss_tcp_hold_append(struct ss_tcp_conn *c, const struct rte_mbuf *m, uint16_t off,
		uint16_t len);

/* Keep len bytes of m from offset off (m is then the connection's). */
void ss_tcp_hold_keep(struct ss_tcp_conn *c, struct rte_mbuf *m, uint16_t off, uint16_t len);

/* The peer acknowledged n more of them: let them go. Returns the mbufs freed. */
unsigned int ss_tcp_hold_release(struct ss_tcp_conn *c, uint32_t n);

/* Free everything held (the connection ends). Returns the mbufs freed. */
unsigned int ss_tcp_hold_drop(struct ss_tcp_conn *c);

/* The stream they make: its length so far, and bytes [off, off + len) of it. */
uint64_t ss_tcp_hold_stream_len(const struct ss_tcp_conn *c);
void ss_tcp_hold_fill(const struct ss_tcp_conn *c, uint64_t off, uint8_t *dst, uint32_t len);

#endif /* SS_TCP_HOLD_H */
