/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "tcp_mem.h"
#include "tcp_priv.h"
#include "tcp_reass.h"

/*
 * A held mbuf's data is its payload alone; its sequence number rides in
 * hash.usr and a following FIN in packet_type, fields the RX path no
 * longer needs once the segment is ours.
 */
static uint32_t
seg_seq(const struct rte_mbuf *m)
{
	return m->hash.usr;
}

static uint32_t
seg_end(const struct rte_mbuf *m)
{
	return m->hash.usr + m->data_len;
}

/* The held segment that ends where seq begins, if it can take len more bytes. */
static struct rte_mbuf *
continued(struct rte_mbuf *prev, uint32_t seq, uint16_t len)
{
	if (prev == NULL || seg_end(prev) != seq || prev->packet_type ||
			rte_pktmbuf_tailroom(prev) < len)
		return NULL;
	return prev;
}

bool
ss_tcp_ooo_insert(struct ss_worker *w, struct ss_tcp_conn *c, struct rte_mbuf *m, uint16_t off,
		uint32_t seq, uint16_t len, bool fin)
{
	struct rte_mbuf **link = &c->ooo, *prev = NULL;
	uint32_t covered = seq; /* what those before it hold reaches this far */

	/* Sorted by sequence; overlaps are sorted out when they come in order. */
	while (*link != NULL && SEQ_LEQ(seg_seq(*link), seq)) {
		prev = *link;
		if (SEQ_GT(seg_end(prev), covered))
			covered = seg_end(prev);
		link = &(*link)->next;
	}
	/* All of it held already (a duplicate): a copy would pin one more mbuf. */
	if (SEQ_GEQ(covered, seq + len) && !fin)
		return false;
	/* As echo packs its data (echo.h): up to half a buffer is copied, not kept. */
	if (len <= m->buf_len / 2 && continued(prev, seq, len) != NULL) {
		/* Not rte_pktmbuf_append(): it would follow ->next, our queue's link. */
		memcpy(rte_pktmbuf_mtod_offset(prev, uint8_t *, prev->data_len),
				rte_pktmbuf_mtod_offset(m, const uint8_t *, off), len);
		prev->data_len += len;
		prev->pkt_len = prev->data_len;
		prev->packet_type = fin;
		return false;
	}
	if (c->ooo_count >= SS_TCP_OOO_MAX)
		return false;
	if (len < SS_TCP_OOO_MIN_LEN && c->ooo != NULL) {
		ss_tcp_event(w, c->iface, SS_TCP_EV_OOO_TINY);
		return false;
	}
	if (!ss_tcp_mem_charge(w, c))
		return false;
	rte_pktmbuf_adj(m, off);
	rte_pktmbuf_trim(m, m->data_len - len);
	m->hash.usr = seq;
	m->packet_type = fin;
	m->next = *link;
	*link = m;
	c->ooo_count++;
	return true;
}

struct rte_mbuf *
ss_tcp_ooo_pop(struct ss_worker *w, struct ss_tcp_conn *c, bool *fin)
{
	struct rte_mbuf *m;

	while ((m = c->ooo) != NULL && SEQ_LEQ(seg_seq(m), c->rcv_nxt)) {
		c->ooo = m->next;
		c->ooo_count--;
		m->next = NULL;
		/* Wholly before rcv_nxt (a FIN at its end would be too): already had. */
		if (SEQ_LT(seg_end(m), c->rcv_nxt) ||
				(seg_end(m) == c->rcv_nxt && !m->packet_type)) {
			rte_pktmbuf_free_seg(m);
			ss_tcp_mem_uncharge(w, c, 1);
			continue;
		}
		rte_pktmbuf_adj(m, c->rcv_nxt - seg_seq(m));
		m->hash.usr = c->rcv_nxt;
		*fin = m->packet_type != 0;
		return m;
	}
	return NULL;
}

unsigned int
ss_tcp_ooo_sack(const struct ss_tcp_conn *c, uint32_t blocks[][2], unsigned int max)
{
	const struct rte_mbuf *m;
	unsigned int n = 0;

	for (m = c->ooo; m != NULL; m = m->next) {
		if (n > 0 && SEQ_LEQ(seg_seq(m), blocks[n - 1][1])) {
			if (SEQ_GT(seg_end(m), blocks[n - 1][1]))
				blocks[n - 1][1] = seg_end(m);
			continue;
		}
		if (n == max)
			break;
		blocks[n][0] = seg_seq(m);
		blocks[n][1] = seg_end(m);
		n++;
	}
	return n;
}

unsigned int
ss_tcp_ooo_drop(struct ss_tcp_conn *c)
{
	unsigned int freed = c->ooo_count;
	struct rte_mbuf *m;

	while ((m = c->ooo) != NULL) {
		c->ooo = m->next;
		m->next = NULL;
		rte_pktmbuf_free_seg(m);
	}
	c->ooo_count = 0;
	return freed;
}
