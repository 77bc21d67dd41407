/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_mbuf.h>

#include "echo.h"
#include "stats.h"
#include "tcp_conn.h"

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

bool
ss_echo_tcp_append(struct ss_tcp_conn *c, const struct rte_mbuf *m, uint16_t off, uint16_t len)
{
	struct rte_mbuf *tail = c->echo_tail;

	/*
	 * Up to half a buffer: a held mbuf that could not take such a segment
	 * is more than half used, so held mbufs stay at least about 40 %
	 * full. Larger segments are kept as they came: no copy.
	 */
	if (tail == NULL || len > tail->buf_len / 2 || rte_pktmbuf_tailroom(tail) < len)
		return false;
	memcpy(rte_pktmbuf_append(tail, len), rte_pktmbuf_mtod_offset(m, const void *, off), len);
	c->echo_bytes += len;
	return true;
}

void
ss_echo_tcp_hold(struct ss_tcp_conn *c, struct rte_mbuf *m, uint16_t off, uint16_t len)
{
	c->echo_bytes += len;
	rte_pktmbuf_adj(m, off);
	rte_pktmbuf_trim(m, m->data_len - len);
	m->next = NULL;
	if (c->echo_tail != NULL)
		c->echo_tail->next = m;
	else
		c->echo_head = m;
	c->echo_tail = m;
}

unsigned int
ss_echo_tcp_release(struct ss_tcp_conn *c, uint32_t n)
{
	unsigned int freed = 0;
	struct rte_mbuf *m;

	n = RTE_MIN(n, c->echo_bytes);
	c->echo_bytes -= n;
	while (n > 0 && (m = c->echo_head) != NULL) {
		if (n < m->data_len) {
			rte_pktmbuf_adj(m, n);
			break;
		}
		n -= m->data_len;
		c->echo_head = m->next;
		if (c->echo_head == NULL)
			c->echo_tail = NULL;
		m->next = NULL;
		rte_pktmbuf_free_seg(m);
		freed++;
	}
	return freed;
}

unsigned int
ss_echo_tcp_drop(struct ss_tcp_conn *c)
{
	return ss_echo_tcp_release(c, c->echo_bytes);
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
