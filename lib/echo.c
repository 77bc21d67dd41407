/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_mbuf.h>

#include "echo.h"
#include "stats.h"
#include "tcp_conn.h"

/* Segments up to this size are copied into the last held mbuf if it has room. */
#define ECHO_PACK_MAX 512

int
ss_echo_udp(const uint8_t *req, uint16_t len, uint8_t *out, uint16_t room)
{
	/* Reference servers truncate at 2048..8192 bytes; we never do. */
	if (len > room)
		return -SS_DROP_REPLY_TOO_BIG;
	if (out != req)
		memmove(out, req, len);
	return len;
}

void
ss_echo_tcp_hold(struct ss_tcp_conn *c, struct rte_mbuf *m, uint16_t off, uint16_t len)
{
	struct rte_mbuf *tail = c->echo_tail;

	c->echo_bytes += len;
	/* Many tiny segments must not pin as many mbufs. */
	if (tail != NULL && len <= ECHO_PACK_MAX && rte_pktmbuf_tailroom(tail) >= len) {
		memcpy(rte_pktmbuf_append(tail, len), rte_pktmbuf_mtod_offset(m, void *, off), len);
		rte_pktmbuf_free(m);
		return;
	}
	rte_pktmbuf_adj(m, off);
	rte_pktmbuf_trim(m, m->data_len - len);
	m->next = NULL;
	if (tail != NULL)
		tail->next = m;
	else
		c->echo_head = m;
	c->echo_tail = m;
}

void
ss_echo_tcp_release(struct ss_tcp_conn *c, uint32_t n)
{
	struct rte_mbuf *m;

	n = RTE_MIN(n, c->echo_bytes);
	c->echo_bytes -= n;
	while (n > 0 && (m = c->echo_head) != NULL) {
		if (n < m->data_len) {
			rte_pktmbuf_adj(m, n);
			return;
		}
		n -= m->data_len;
		c->echo_head = m->next;
		if (c->echo_head == NULL)
			c->echo_tail = NULL;
		m->next = NULL;
		rte_pktmbuf_free_seg(m);
	}
}

void
ss_echo_tcp_drop(struct ss_tcp_conn *c)
{
	ss_echo_tcp_release(c, c->echo_bytes);
}

uint64_t
ss_echo_tcp_stream_len(const struct ss_tcp_conn *c)
{
	return c->una_off + c->echo_bytes;
}

void
ss_echo_tcp_fill(const struct ss_tcp_conn *c, uint64_t off, uint8_t *dst, uint32_t len)
{
	const struct rte_mbuf *m = c->echo_head;
	uint64_t skip = off - c->una_off;
	uint32_t n;

	while (m != NULL && skip >= m->data_len) {
		skip -= m->data_len;
		m = m->next;
	}
	while (m != NULL && len > 0) {
		n = RTE_MIN(len, (uint32_t)(m->data_len - skip));
		memcpy(dst, rte_pktmbuf_mtod_offset(m, const uint8_t *, skip), n);
		dst += n;
		len -= n;
		skip = 0;
		m = m->next;
	}
}
