/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>
#include <rte_random.h>
#include <rte_rcu_qsbr.h>

#include "eth.h"
#include "fastpath.h"
#include "source.h"
#include "worker.h"

/* How far ahead of the frame being processed its successors are prefetched. */
#define PREFETCH_AHEAD 4

int
ss_worker_init(struct ss_worker *w, unsigned int id, unsigned int n_workers,
		const struct ss_config *cfg, const struct ss_iface *ifaces, unsigned int n_ifaces,
		struct rte_mempool *pool, struct ss_run *run, int socket)
{
	memset(w, 0, sizeof(*w));
	w->id = id;
	w->n_workers = n_workers;
	w->cfg = cfg;
	w->ifaces = ifaces;
	w->n_ifaces = n_ifaces;
	w->pool = pool;
	w->run = run;
	w->hz = rte_get_tsc_hz();
	w->now = rte_rdtsc();
	w->ip_id = rte_rand();
	w->ip6_frag_id = rte_rand();
	w->stats = rte_zmalloc_socket("ss_stats", n_ifaces * sizeof(*w->stats), RTE_CACHE_LINE_SIZE,
			socket);
	w->txbuf = rte_zmalloc_socket("ss_txbuf", n_ifaces * sizeof(*w->txbuf), RTE_CACHE_LINE_SIZE,
			socket);
	if (w->stats == NULL || w->txbuf == NULL)
		goto fail;
	ss_clock_init(&w->clock, &cfg->daytime, cfg->abuse.clock_min_year, w->hz);
	w->svc.cfg = cfg;
	w->svc.clock = &w->clock;
	if (ss_source_init() < 0)
		goto fail;
	if (ss_src_limiter_init(&w->amplify_src, &cfg->abuse.amplify_per_source,
			    cfg->abuse.ratelimit_sources, w->hz, socket) < 0)
		goto fail;
	/* Flows spread over the workers: each takes its share of a global limit. */
	ss_gcra_init(&w->amplify_global, &cfg->abuse.amplify_global, n_workers, w->hz);
	ss_gcra_init(&w->icmp_error, &cfg->abuse.icmp_error, n_workers, w->hz);
	if (ss_tcp_init(w, n_workers, socket) < 0)
		goto fail;
	if (ss_reasm_init(&w->reasm, &cfg->ip, id, w->hz, socket) < 0)
		goto fail;
	if (ss_trace_init(&w->trace, cfg->trace, socket) < 0)
		goto fail;
	return 0;
fail:
	ss_worker_free(w);
	return -1;
}

void
ss_worker_adopt(struct ss_worker *w, const struct ss_config *cfg)
{
	w->cfg = cfg;
	w->svc.cfg = cfg; /* the quotes, chargen's UDP mode */
	ss_clock_reconfigure(&w->clock, &cfg->daytime, cfg->abuse.clock_min_year);
	/* The buckets' schedules stay: a new rate starts from where each source is. */
	ss_gcra_init(&w->amplify_src.gcra, &cfg->abuse.amplify_per_source, 1, w->hz);
	ss_gcra_init(&w->amplify_global, &cfg->abuse.amplify_global, w->n_workers, w->hz);
	ss_gcra_init(&w->icmp_error, &cfg->abuse.icmp_error, w->n_workers, w->hz);
	ss_tcp_reconfigure(w, w->n_workers);
	ss_reasm_reconfigure(&w->reasm, &cfg->ip, w->hz);
}

void
ss_worker_free(struct ss_worker *w)
{
	unsigned int i;

	ss_trace_free(&w->trace);
	ss_reasm_free(&w->reasm);
	ss_tcp_free(w);
	ss_src_limiter_free(&w->amplify_src);
	for (i = 0; w->txbuf != NULL && i < w->n_ifaces; i++)
		rte_pktmbuf_free_bulk(w->txbuf[i].pkts, w->txbuf[i].n);
	rte_free(w->txbuf);
	rte_free(w->stats);
	w->txbuf = NULL;
	w->stats = NULL;
}

/* Every frame of the burst through the general path: the fast one off. */
static void
general_path(struct ss_worker *w, unsigned int iface, struct rte_mbuf **pkts, uint16_t n,
		uint8_t *v)
{
	struct ss_stats *st = &w->stats[iface];
	uint16_t i;

	for (i = 0; i < n && i < PREFETCH_AHEAD; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) {
		struct ss_pkt p = {
			.m = pkts[i],
			.w = w,
			.iface = &w->ifaces[iface],
			.stats = st,
		};

		if (i + PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD], void *));
		st->rx_bytes += p.m->pkt_len;
		v[i] = ss_eth_input(&p);
		RTE_ASSERT(p.m == pkts[i]); /* stats.h: the mbuf received, whatever came of it */
	}
}

uint16_t
ss_worker_process(struct ss_worker *w, unsigned int iface, struct rte_mbuf **pkts, uint16_t n)
{
	struct ss_stats *st = &w->stats[iface];
	struct rte_mbuf *drop[SS_BURST_MAX];
	uint8_t v[SS_BURST_MAX]; /* each frame's verdict */
	uint16_t i, nb_tx = 0, nb_drop = 0;

	/* Off, the trace costs this test and the one at the end, once a burst. */
	if (unlikely(ss_trace_wanted(&w->trace)))
		ss_trace_burst_begin(w, iface, pkts, n);
	st->rx_pkts += n;
	if (w->cfg->fast_path)
		ss_fast_burst(w, &w->ifaces[iface], st, pkts, n, v);
	else
		general_path(w, iface, pkts, n, v);
	for (i = 0; i < n; i++) {
		if (likely(v[i] == SS_VERDICT_TX)) {
			pkts[nb_tx++] = pkts[i];
		} else if (v[i] == SS_VERDICT_TCP) {
			st->rx_tcp++; /* TCP freed the mbuf or kept it: docs/packet-path.md */
		} else if (v[i] == SS_VERDICT_HELD) {
			st->rx_held++; /* a fragment, kept by reassembly */
		} else {
			st->drop[v[i]]++;
			drop[nb_drop++] = pkts[i];
		}
	}
	st->rx_answered += nb_tx;
	if (nb_drop > 0)
		rte_pktmbuf_free_bulk(drop, nb_drop);
	/* What this burst's segments made the connections owe: one pass. */
	ss_tcp_flush(w);
	if (unlikely(w->trace.burst_k != 0))
		ss_trace_burst_end(w, iface, v);
	return nb_tx;
}

/* Send, count what went, free what the queue refused; returns how many it refused. */
static uint16_t
tx_burst(struct ss_worker *w, unsigned int iface, struct rte_mbuf **pkts, uint16_t n)
{
	struct ss_stats *st = &w->stats[iface];
	uint64_t bytes = 0;
	uint16_t sent, i;

	for (i = 0; i < n; i++)
		bytes += pkts[i]->pkt_len;
	sent = rte_eth_tx_burst(w->ifaces[iface].port_id, w->id, pkts, n);
	for (i = sent; i < n; i++)
		bytes -= pkts[i]->pkt_len;
	if (unlikely(sent < n))
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
	st->tx_pkts += sent;
	st->tx_bytes += bytes;
	return n - sent;
}

void
ss_worker_transmit(struct ss_worker *w, unsigned int iface, struct rte_mbuf **pkts, uint16_t n)
{
	struct ss_stats *st = &w->stats[iface];
	uint16_t refused = tx_burst(w, iface, pkts, n);

	/* A reply that could not leave was not answered after all. */
	if (unlikely(refused > 0)) {
		st->rx_answered -= refused;
		st->drop[SS_DROP_TX_FULL] += refused;
	}
}

/* Segments built from scratch: no packet received to count them against. */
static void
transmit_own(struct ss_worker *w, unsigned int iface, struct rte_mbuf **pkts, uint16_t n)
{
	w->stats[iface].tx_unsent += tx_burst(w, iface, pkts, n);
}

void
ss_worker_emit(struct ss_worker *w, unsigned int iface, struct rte_mbuf *m)
{
	struct ss_txbuf *b = &w->txbuf[iface];

	if (b->n == SS_TXBUF_MAX) {
		transmit_own(w, iface, b->pkts, b->n);
		b->n = 0;
	}
	b->pkts[b->n++] = m;
}

void
ss_worker_flush(struct ss_worker *w)
{
	unsigned int i;

	for (i = 0; i < w->n_ifaces; i++) {
		struct ss_txbuf *b = &w->txbuf[i];

		if (b->n > 0) {
			transmit_own(w, i, b->pkts, b->n);
			b->n = 0;
		}
	}
}

/* With a packet limit (benchmarks, golden tests), stop once it is reached. */
static void
count_towards_limit(struct ss_run *run, uint16_t n)
{
	if (__atomic_add_fetch(&run->packets, n, __ATOMIC_RELAXED) >= run->packet_limit)
		run->quit = true;
}

static void
poll_iface(struct ss_worker *w, unsigned int i, struct rte_mbuf **pkts)
{
	const struct ss_iface *iface = &w->ifaces[i];
	uint16_t n, nb_tx;

	n = rte_eth_rx_burst(iface->port_id, w->id, pkts, w->cfg->burst);
	if (n == 0)
		return;
	if (unlikely(w->run->packet_limit != 0))
		count_towards_limit(w->run, n);
	nb_tx = ss_worker_process(w, i, pkts, n);
	if (nb_tx > 0)
		ss_worker_transmit(w, i, pkts, nb_tx);
	ss_worker_flush(w);
}

/*
 * Between bursts: nothing of the configuration is held from before this
 * point, then the one in effect. In this order: once the report is seen,
 * the reload may free what w->cfg was, and the load after it sees the new
 * pointer (the reload stored it before it asked for reports).
 */
static inline void
reload_point(struct ss_worker *w)
{
	const struct ss_config *cfg;

	rte_rcu_qsbr_quiescent(w->run->qsbr, w->id);
	cfg = __atomic_load_n(&w->run->cfg, __ATOMIC_ACQUIRE);
	if (unlikely(cfg != w->cfg))
		ss_worker_adopt(w, cfg);
}

int
ss_worker_loop(void *arg)
{
	struct ss_worker *w = arg;
	struct rte_mbuf *pkts[SS_BURST_MAX];
	bool reloads = w->run->qsbr != NULL;
	unsigned int i;

	if (reloads)
		rte_rcu_qsbr_thread_online(w->run->qsbr, w->id);
	__atomic_add_fetch(&w->run->running, 1, __ATOMIC_RELEASE);
	while (!w->run->quit) {
		if (reloads)
			reload_point(w);
		w->now = rte_rdtsc();
		ss_clock_update(&w->clock, w->now);
		ss_tcp_timers(w);
		ss_reasm_expire(&w->reasm, w->stats, w->now);
		ss_tcp_flush(w);
		ss_worker_flush(w);
		for (i = 0; i < w->n_ifaces; i++)
			if (w->id < w->ifaces[i].nb_queues)
				poll_iface(w, i, pkts);
	}
	/* What the last bursts left queued. */
	ss_tcp_flush(w);
	ss_worker_flush(w);
	/* A reload waits no more for this worker, nor may it read the configuration. */
	if (reloads)
		rte_rcu_qsbr_thread_offline(w->run->qsbr, w->id);
	return 0;
}
