/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A worker's connection table checked against itself (both harnesses):
 * its counts, its hash chains and free list, its timer wheel, its
 * TIME-WAIT FIFO, and each connection's sequence numbers, windows and held
 * data.
 */
#include <string.h>

#include "fuzz_common.h"
#include "tcp_priv.h"
#include "tcp_reass.h"

/* Tables larger than this are not walked (fuzz_rx has 65536 entries: it is). */
#define FZ_TABLE_CHECK_MAX 65536

unsigned int
fz_conn_mbufs(const struct ss_tcp_conn *c)
{
	const struct rte_mbuf *m;
	unsigned int n = 0;

	for (m = c->echo_head; m != NULL; m = m->next)
		n++;
	for (m = c->ooo; m != NULL; m = m->next)
		n++;
	return n;
}

static void
check_echo(const struct ss_worker *w, char who, const struct ss_tcp_conn *c, uint32_t i)
{
	const struct rte_mbuf *m, *last = NULL;
	uint64_t bytes = 0;

	for (m = c->echo_head; m != NULL; m = m->next) {
		if (m->nb_segs != 1)
			fz_fail("%c conn %u: echo mbuf of %u segments", who, i, m->nb_segs);
		bytes += m->data_len;
		last = m;
	}
	if (last != c->echo_tail || bytes != c->echo_bytes)
		fz_fail("%c conn %u: echo holds %lu bytes, counts %u (tail %s)", who, i,
			(unsigned long)bytes, c->echo_bytes, last == c->echo_tail ? "right" : "wrong");
	if (c->echo_bytes > w->cfg->tcp.echo_buffer)
		fz_fail("%c conn %u: echo holds %u bytes of a %u-byte buffer", who, i,
			c->echo_bytes, w->cfg->tcp.echo_buffer);
	if (c->svc != SS_SVC_ECHO && c->echo_head != NULL)
		fz_fail("%c conn %u: service %u holds echo data", who, i, c->svc);
}

static void
check_ooo(char who, const struct ss_tcp_conn *c, uint32_t i)
{
	const struct rte_mbuf *m, *prev = NULL;
	unsigned int n = 0;

	for (m = c->ooo; m != NULL; m = m->next) {
		if (prev != NULL && SEQ_GT(prev->hash.usr, m->hash.usr))
			fz_fail("%c conn %u: out-of-order queue not sorted", who, i);
		if (m->data_len == 0)
			fz_fail("%c conn %u: empty segment held ahead of a hole", who, i);
		prev = m;
		n++;
	}
	if (n != c->ooo_count || n > SS_TCP_OOO_MAX)
		fz_fail("%c conn %u: %u mbufs ahead of a hole, counts %u", who, i, n,
			c->ooo_count);
}

static void
check_conn(const struct ss_worker *w, char who, const struct ss_tcp_conn *c, uint32_t i)
{
	if (c->state > SS_TCP_TIME_WAIT || c->svc >= SS_SVC_MAX || c->af >= SS_AF_MAX)
		fz_fail("%c conn %u: state %u, service %u, family %u", who, i, c->state,
			c->svc, c->af);
	if (!SEQ_LEQ(c->snd_una, c->snd_nxt) || !SEQ_LEQ(c->snd_nxt, c->snd_max))
		fz_fail("%c conn %u: snd_una %u, snd_nxt %u, snd_max %u out of order",
			who, i, c->snd_una, c->snd_nxt, c->snd_max);
	if (c->snd_wnd > (UINT32_C(65535) << c->snd_wscale) || c->snd_wscale > 14)
		fz_fail("%c conn %u: send window %u with scale %u", who, i, c->snd_wnd,
			c->snd_wscale);
	if (c->mss == 0 || c->cwnd == 0)
		fz_fail("%c conn %u: MSS %u, cwnd %u", who, i, c->mss, c->cwnd);
	check_echo(w, who, c, i);
	check_ooo(who, c, i);
	if ((c->state == SS_TCP_SYN_RECEIVED || c->state == SS_TCP_TIME_WAIT) &&
			(c->echo_head != NULL || c->ooo != NULL))
		fz_fail("%c conn %u: holds data in state %u", who, i, c->state);
}

/* Every slot is on a hash chain (live) or on the free list (closed), once. */
static void
check_links(const struct ss_tcp_table *t, char who)
{
	uint32_t b, i, n, chained = 0, free = 0;

	for (b = 0; b <= t->mask; b++) {
		for (i = t->buckets[b], n = 0; i != 0; i = t->conns[i].hnext, n++) {
			if (i > t->capacity || n > t->capacity)
				fz_fail("%c: hash chain %u runs to %u after %u links", who, b, i, n);
			if (t->conns[i].state == SS_TCP_CLOSED)
				fz_fail("%c: closed conn %u on hash chain %u", who, i, b);
			chained++;
		}
	}
	for (i = t->free_head; i != 0; i = t->conns[i].hnext) {
		if (i > t->capacity || ++free > t->capacity)
			fz_fail("%c: free list runs to %u after %u entries", who, i, free);
		if (t->conns[i].state != SS_TCP_CLOSED)
			fz_fail("%c: conn %u in state %u on the free list", who, i,
				t->conns[i].state);
	}
	if (chained != t->used || chained + free != t->capacity)
		fz_fail("%c: %u connections on hash chains, %u free, %u used of %u", who, chained,
			free, t->used, t->capacity);
}

/*
 * The timer wheel: each connection with a deadline (timer_at != 0) is on
 * the slot of its deadline, once; nothing else is on any slot.
 */
static void
check_wheel(const struct ss_tcp_table *t, const struct ss_tcp_wheel *wh, char who)
{
	static uint8_t seen[FZ_TABLE_CHECK_MAX + 1];
	uint32_t s, i, n, linked = 0, armed = 0;

	if (t->capacity > FZ_TABLE_CHECK_MAX)
		fz_fail("%c: table of %u connections", who, t->capacity);
	memset(seen, 0, t->capacity + 1);
	for (s = 0; s < SS_TCP_WHEEL_SLOTS; s++) {
		for (i = wh->heads[s], n = 0; i != 0; i = t->conns[i].tnext, n++) {
			const struct ss_tcp_conn *c = &t->conns[i];

			if (i > t->capacity || seen[i]++)
				fz_fail("%c: conn %u on timer slot %u twice, or out of the table", who,
					i, s);
			if (c->state == SS_TCP_CLOSED || c->state == SS_TCP_TIME_WAIT ||
					c->timer_at == 0 ||
					(c->timer_at & (SS_TCP_WHEEL_SLOTS - 1)) != s)
				fz_fail("%c: conn %u (state %u, deadline %u) on timer slot %u", who, i,
					c->state, c->timer_at, s);
			linked++;
		}
	}
	for (i = 1; i <= t->capacity; i++)
		armed += t->conns[i].state != SS_TCP_CLOSED &&
			t->conns[i].state != SS_TCP_TIME_WAIT && t->conns[i].timer_at != 0;
	if (armed != linked)
		fz_fail("%c: %u connections with a deadline, %u on the timer wheel", who, armed,
			linked);
}

unsigned int
fz_check_tcp_table(const struct ss_worker *w, char who)
{
	const struct ss_tcp_table *t = &w->tcp.table;
	uint32_t i, used = 0, half = 0, tw = 0, fifo = 0;
	unsigned int held = 0;

	for (i = 1; i <= t->capacity; i++) {
		const struct ss_tcp_conn *c = &t->conns[i];

		if (c->state == SS_TCP_CLOSED)
			continue;
		check_conn(w, who, c, i);
		used++;
		half += c->state == SS_TCP_SYN_RECEIVED;
		tw += c->state == SS_TCP_TIME_WAIT;
		held += fz_conn_mbufs(c);
	}
	if (used != t->used || half != t->half_open || tw != t->tw_count)
		fz_fail("%c table: %u used, %u half-open, %u in TIME-WAIT; counts %u, %u, %u",
			who, used, half, tw, t->used, t->half_open, t->tw_count);
	check_links(t, who);
	check_wheel(t, &w->tcp.wheel, who);
	for (i = 1; i <= t->capacity; i++)
		if (t->conns[i].state != SS_TCP_CLOSED &&
				ss_tcp_lookup((struct ss_tcp_table *)t, &t->conns[i].key) != &t->conns[i])
			fz_fail("%c conn %u: not found under its own key", who, i);
	for (i = t->tw_head; i != 0 && fifo <= tw; i = t->conns[i].tnext, fifo++)
		if (t->conns[i].state != SS_TCP_TIME_WAIT)
			fz_fail("%c conn %u on the TIME-WAIT FIFO in state %u", who, i,
				t->conns[i].state);
	if (fifo != tw)
		fz_fail("%c TIME-WAIT FIFO of %u entries, %u connections", who, fifo, tw);
	if (w->tcp.n_pending != 0)
		fz_fail("%c: %u connections left on the output list", who, w->tcp.n_pending);
	return held;
}
