/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_common.h>
#include <rte_mempool.h>

#include "tcp_mem.h"
#include "tcp_priv.h"

/* Sources it takes, each at its budget, to fill a worker's. */
#define SOURCES_TO_FILL 8

uint32_t
ss_tcp_mem_pool_share(const struct ss_tcp_cfg *cfg)
{
	return RTE_MIN(cfg->max_connections * UINT64_C(4), (uint64_t)SS_TCP_MEM_POOL_MAX);
}

void
ss_tcp_mem_init(struct ss_worker *w, unsigned int n_workers)
{
	struct ss_tcp_mem *m = &w->tcp.mem;

	m->mbufs = 0;
	m->pool_low = false;
	ss_tcp_mem_limits(w, n_workers);
}

void
ss_tcp_mem_limits(struct ss_worker *w, unsigned int n_workers)
{
	struct ss_tcp_mem *m = &w->tcp.mem;
	uint32_t elt;

	if (w->pool == NULL) {
		m->held_max = m->source_max = UINT32_MAX;
		m->pool_reserve = 0;
		return;
	}
	/*
	 * Connections hold at most the pool's TCP share (what the app adds
	 * for them), and never more than the pool less a quarter, which stays
	 * for the receive rings and in-place replies; the workers split it.
	 * Exact counts against a fixed budget: what they hold cannot take the
	 * pool from reception, however fast the segments come.
	 */
	m->pool_reserve = w->pool->size / 4;
	m->held_max = RTE_MIN(ss_tcp_mem_pool_share(&w->cfg->tcp),
				      w->pool->size - m->pool_reserve) /
			RTE_MAX(n_workers, 1u);
	elt = w->pool->header_size + w->pool->elt_size + w->pool->trailer_size;
	/* Nor may one source hold more than an eighth of that: it takes eight to fill it. */
	m->source_max = RTE_MAX(RTE_MIN(w->cfg->tcp.max_held_per_source / elt,
						m->held_max / SOURCES_TO_FILL),
			1u);
}

bool
ss_tcp_mem_charge(struct ss_worker *w, struct ss_tcp_conn *c)
{
	struct ss_tcp_mem *m = &w->tcp.mem;
	struct ss_tcp_source *src = ss_tcp_source_of(&w->tcp.table, c);

	if (src->mbufs >= m->source_max) {
		ss_tcp_event(w, c->iface, SS_TCP_EV_HOLD_SOURCE_FULL);
		return false;
	}
	if (m->mbufs >= m->held_max || m->pool_low) {
		ss_tcp_event(w, c->iface, SS_TCP_EV_HOLD_FULL);
		return false;
	}
	src->mbufs++;
	m->mbufs++;
	c->mbufs++;
	return true;
}

void
ss_tcp_mem_uncharge(struct ss_worker *w, struct ss_tcp_conn *c, unsigned int n)
{
	RTE_ASSERT(c->mbufs >= n);
	ss_tcp_source_of(&w->tcp.table, c)->mbufs -= n;
	w->tcp.mem.mbufs -= n;
	c->mbufs -= n;
}

bool
ss_tcp_mem_short(const struct ss_worker *w, const struct ss_tcp_conn *c)
{
	const struct ss_tcp_mem *m = &w->tcp.mem;

	return m->pool_low || m->mbufs >= m->held_max ||
			ss_tcp_source_of(&w->tcp.table, c)->mbufs >= m->source_max;
}

void
ss_tcp_mem_tick(struct ss_worker *w)
{
	struct ss_tcp_mem *m = &w->tcp.mem;
	bool low;

	if (w->pool == NULL)
		return;
	/*
	 * Every lcore's cache is summed here: too dear for each segment, once
	 * a tick it catches whatever else drains the pool (other workers,
	 * full TX queues).
	 */
	low = rte_mempool_avail_count(w->pool) < m->pool_reserve;
	if (low && !m->pool_low)
		ss_tcp_event(w, 0, SS_TCP_EV_POOL_LOW);
	m->pool_low = low;
}
