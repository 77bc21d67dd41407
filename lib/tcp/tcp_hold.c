/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_mbuf.h>

#include "tcp_hold.h"

bool
ss_tcp_hold_append(struct ss_tcp_conn *c, const struct rte_mbuf *m, uint16_t off, uint16_t len)
{
	struct rte_mbuf *tail = c->hold_tail;

	/*
	 * Up to half a buffer: a held mbuf that could not take such a segment
	 * is more than half used, so held mbufs stay at least about 40 %
	 * full. Larger segments are kept as they came: no copy.
	 */
	if (tail == NULL || len > tail->buf_len / 2 || rte_pktmbuf_tailroom(tail) < len)
		return false;
	memcpy(rte_pktmbuf_append(tail, len), rte_pktmbuf_mtod_offset(m, const void *, off), len);
	c->hold_bytes += len;
	return true;
}

void
ss_tcp_hold_keep(struct ss_tcp_conn *c, struct rte_mbuf *m, uint16_t off, uint16_t len)
{
	c->hold_bytes += len;
	rte_pktmbuf_adj(m, off);
	rte_pktmbuf_trim(m, m->data_len - len);
	m->next = NULL;
	if (c->hold_tail != NULL)
		c->hold_tail->next = m;
	else
		c->hold_head = m;
	c->hold_tail = m;
}

unsigned int
ss_tcp_hold_release(struct ss_tcp_conn *c, uint32_t n)
{
	unsigned int freed = 0;
	struct rte_mbuf *m;

	n = RTE_MIN(n, c->hold_bytes);
	c->hold_bytes -= n;
	while (n > 0 && (m = c->hold_head) != NULL) {
		if (n < m->data_len) {
			rte_pktmbuf_adj(m, n);
			break;
		}
		n -= m->data_len;
		c->hold_head = m->next;
		if (c->hold_head == NULL)
			c->hold_tail = NULL;
		m->next = NULL;
		rte_pktmbuf_free_seg(m);
		freed++;
	}
	return freed;
}

unsigned int
ss_tcp_hold_drop(struct ss_tcp_conn *c)
{
	return ss_tcp_hold_release(c, c->hold_bytes);
}

uint64_t
ss_tcp_hold_stream_len(const struct ss_tcp_conn *c)
{
	return c->una_off + c->hold_bytes;
}

void
ss_tcp_hold_fill(const struct ss_tcp_conn *c, uint64_t off, uint8_t *dst, uint32_t len)
{
	const struct rte_mbuf *m = c->hold_head;
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
