/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_ECHO_H
#define SS_ECHO_H

/* RFC 862 echo: the data back, unchanged, empty datagrams included. */

#include <stdbool.h>
#include <stdint.h>

/*
 * UDP reply: the request itself (out may be req: the reply is then
 * already in place). Never truncated: a request that would not fit comes
 * back as -(verdict). Returns the length.
 */
int ss_echo_udp(const uint8_t *req, uint16_t len, uint8_t *out, uint16_t room);

/*
 * TCP: echo holds what it received until the peer has acknowledged it
 * back, in the received mbufs themselves. A segment of up to half a buffer
 * is copied into the last held mbuf when it fits there, so that every held
 * mbuf but the last is well filled: what tiny segments pin is bounded by
 * the bytes held, not by their number. The echo stream is everything
 * received: the held bytes start at the stream offset of snd_una.
 */
struct ss_tcp_conn;
struct rte_mbuf;

/*
 * Copy len bytes of m from offset off behind what is held, if they are few
 * enough and fit; true when done (m stays the caller's).
 */
bool ss_echo_tcp_append(struct ss_tcp_conn *c, const struct rte_mbuf *m, uint16_t off,
	uint16_t len);

/* Keep len bytes of m from offset off (m is then the connection's). */
void ss_echo_tcp_hold(struct ss_tcp_conn *c, struct rte_mbuf *m, uint16_t off, uint16_t len);

/* The peer acknowledged n more echoed bytes: let them go. Returns the mbufs freed. */
unsigned int ss_echo_tcp_release(struct ss_tcp_conn *c, uint32_t n);

/* Free everything held (the connection ends). Returns the mbufs freed. */
unsigned int ss_echo_tcp_drop(struct ss_tcp_conn *c);

uint64_t ss_echo_tcp_stream_len(const struct ss_tcp_conn *c);
void ss_echo_tcp_fill(const struct ss_tcp_conn *c, uint64_t off, uint8_t *dst, uint32_t len);

#endif /* SS_ECHO_H */
