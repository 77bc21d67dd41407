/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_common.h>
#include <rte_malloc.h>
#include <rte_tcp.h>

#include "tcp_conn.h"
#include "trace.h"
#include "trace_decode.h"
#include "worker.h"

_Static_assert(SS_TRACE_REQ_BYTES <= UINT8_MAX && SS_TRACE_REP_BYTES <= UINT8_MAX,
		"req_n and rep_n are bytes");
_Static_assert(sizeof(struct ss_trace_entry) == 324, "the memory in trace.h's comment");
_Static_assert(SS_TRACE_BURST_MAX == SS_BURST_MAX, "a traced burst's mbufs fit");
_Static_assert(SS_VERDICT_MAX <= UINT8_MAX, "a drop's reason in a byte (worker.c)");

int
ss_trace_init(struct ss_trace *t, uint32_t n, int socket)
{
	memset(t, 0, sizeof(*t));
	t->entries = rte_zmalloc_socket("ss_trace", SS_TRACE_ENTRIES * sizeof(*t->entries),
			RTE_CACHE_LINE_SIZE, socket);
	if (t->entries == NULL)
		return -1;
	t->left = RTE_MIN(n, SS_TRACE_LEFT_MAX);
	return 0;
}

void
ss_trace_free(struct ss_trace *t)
{
	rte_free(t->entries);
	t->entries = NULL;
}

uint32_t
ss_trace_arm(struct ss_trace *t, uint32_t n)
{
	uint32_t old = __atomic_load_n(&t->left, __ATOMIC_RELAXED), new;

	/* A CAS, not an add: the worker takes from it meanwhile, and the cap must hold. */
	do {
		new = old + RTE_MIN(n, SS_TRACE_LEFT_MAX - old);
	} while (!__atomic_compare_exchange_n(&t->left, &old, new, false, __ATOMIC_RELAXED,
			__ATOMIC_RELAXED));
	return new;
}

uint32_t
ss_trace_count(const struct ss_trace *t)
{
	/* Pairs with the release in ss_trace_burst_end(): the entries below are whole. */
	return __atomic_load_n(&t->written, __ATOMIC_ACQUIRE);
}

const struct ss_trace_entry *
ss_trace_entry(const struct ss_trace *t, uint32_t i)
{
	return &t->entries[i];
}

uint32_t
ss_trace_missed(const struct ss_trace *t)
{
	return __atomic_load_n(&t->missed, __ATOMIC_RELAXED);
}

void
ss_trace_reset(struct ss_trace *t)
{
	t->written = 0;
	t->missed = 0;
	t->taken = 0;
	t->left = 0;
	t->burst_k = 0;
}

/* Segments iface's queue took in, sent or refused: what its txbuf lost sight of. */
static uint64_t
tx_seen(const struct ss_worker *w, unsigned int iface)
{
	return w->stats[iface].tx_pkts + w->stats[iface].tx_unsent;
}

/* The connection's tuple as the table keys it, from the request's headers. */
static void
conn_key(const struct ss_trace_hdrs *h, struct ss_tcp_key *k)
{
	memcpy(k->raddr, h->src, 16);
	memcpy(k->laddr, h->dst, 16);
	k->rport = rte_cpu_to_be_16(h->sport);
	k->lport = rte_cpu_to_be_16(h->dport);
}

/* Is segment s (ours) of the connection of request q? Same tuple, the other way. */
static bool
seg_of(const struct ss_trace_hdrs *s, const struct ss_trace_hdrs *q)
{
	return s->n == 3 && s->layer[2] == SS_TL_TCP && s->cut == SS_TRACE_WHOLE &&
			s->sport == q->dport && s->dport == q->sport &&
			memcmp(s->src, q->dst, 16) == 0 && memcmp(s->dst, q->src, 16) == 0;
}

/* Note the segments queued for e's connection: those past from in txbuf. */
static void
note_segments(struct ss_trace_entry *e, const struct ss_trace_hdrs *q, const struct ss_txbuf *tb,
		uint16_t from)
{
	struct ss_trace_hdrs s;
	uint16_t i;

	for (i = from; i < tb->n; i++) {
		const struct rte_mbuf *m = tb->pkts[i];
		uint16_t have = RTE_MIN(m->data_len, (uint16_t)SS_TRACE_REP_BYTES);

		ss_trace_decode(rte_pktmbuf_mtod(m, const uint8_t *), have,
				RTE_MIN(m->pkt_len, (uint32_t)UINT16_MAX), &s);
		if (!seg_of(&s, q))
			continue;
		if (e->n_segs < SS_TRACE_SEGS) {
			e->seg[e->n_segs].flags = s.tcp_flags;
			e->seg[e->n_segs].len = s.tcp_data;
		}
		e->n_segs++;
	}
}

/* What became of a TCP request's connection by the end of its burst. */
static void
note_tcp(struct ss_worker *w, unsigned int iface, struct ss_trace_entry *e, bool lost)
{
	const struct ss_trace *t = &w->trace;
	struct ss_trace_hdrs q;
	struct ss_tcp_conn *c;
	struct ss_tcp_key k;

	ss_trace_decode(e->req, e->req_n, e->rx_len, &q);
	if (q.n != 3 || q.layer[2] != SS_TL_TCP || q.cut != SS_TRACE_WHOLE)
		return;
	e->flags |= SS_TRACE_F_TCP;
	conn_key(&q, &k);
	c = ss_tcp_lookup(&w->tcp.table, &k);
	if (c != NULL) {
		e->flags |= SS_TRACE_F_CONN;
		e->conn_state = c->state;
	}
	note_segments(e, &q, &w->txbuf[iface], lost ? 0 : t->burst_txbuf_n);
	if (lost)
		e->flags |= SS_TRACE_F_SEGS_LOST;
}

/* Take the burst's share of what is left to trace; returns how many get an entry. */
static uint16_t
take(struct ss_trace *t, uint16_t n)
{
	uint32_t k = RTE_MIN(ss_trace_pending(t), (uint32_t)n);
	uint32_t kept = RTE_MIN(k, SS_TRACE_ENTRIES - t->written);

	/* Only the worker takes: what it saw left is still there to take. */
	__atomic_fetch_sub(&t->left, k, __ATOMIC_RELAXED);
	__atomic_store_n(&t->taken, t->taken + k, __ATOMIC_RELAXED);
	if (kept < k)
		__atomic_store_n(&t->missed, t->missed + (k - kept), __ATOMIC_RELAXED);
	return kept;
}

void
ss_trace_burst_begin(struct ss_worker *w, unsigned int iface, struct rte_mbuf *const *pkts,
		uint16_t n)
{
	struct ss_trace *t = &w->trace;
	uint32_t seq = t->taken;
	uint16_t i, kept = take(t, n);

	for (i = 0; i < kept; i++) {
		/* Not yet counted: no reader looks at it before ss_trace_burst_end(). */
		struct ss_trace_entry *e = &t->entries[t->written + i];
		const struct rte_mbuf *m = pkts[i];

		memset(e, 0, offsetof(struct ss_trace_entry, req));
		e->seq = seq + i + 1;
		e->port_id = w->ifaces[iface].port_id;
		e->rx_len = RTE_MIN(m->pkt_len, (uint32_t)UINT16_MAX);
		e->req_n = RTE_MIN(m->data_len, (uint16_t)SS_TRACE_REQ_BYTES);
		memcpy(e->req, rte_pktmbuf_mtod(m, const void *), e->req_n);
		t->burst_pkts[i] = m;
	}
	t->burst_k = kept;
	t->burst_txbuf_n = w->txbuf[iface].n;
	t->burst_tx_seen = tx_seen(w, iface);
}

void
ss_trace_burst_end(struct ss_worker *w, unsigned int iface, const uint8_t *v)
{
	struct ss_trace *t = &w->trace;
	/* A full txbuf went out in the middle: what it held can no longer be read. */
	bool lost = tx_seen(w, iface) != t->burst_tx_seen;
	uint16_t i;

	for (i = 0; i < t->burst_k; i++) {
		struct ss_trace_entry *e = &t->entries[t->written + i];
		const struct rte_mbuf *m = t->burst_pkts[i];

		/* A reply is read back; a drop is not, nor what TCP or reassembly took. */
		e->verdict = v[i];
		if (v[i] == SS_VERDICT_TX) {
			e->rep_len = RTE_MIN(m->pkt_len, (uint32_t)UINT16_MAX);
			e->rep_n = RTE_MIN(m->data_len, (uint16_t)SS_TRACE_REP_BYTES);
			memcpy(e->rep, rte_pktmbuf_mtod(m, const void *), e->rep_n);
		}
		note_tcp(w, iface, e, lost);
	}
	/* Pairs with the acquire in ss_trace_count(): a reader sees whole entries. */
	__atomic_store_n(&t->written, t->written + t->burst_k, __ATOMIC_RELEASE);
	t->burst_k = 0;
}
