/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_malloc.h>

#include "ratelimit.h"

void
ss_gcra_init(struct ss_gcra *g, const struct ss_rate_cfg *rate, unsigned int share, uint64_t hz)
{
	uint64_t per_second = rate->rate;
	uint64_t burst = rate->burst;

	/* A limit shared by several workers: each takes its part of it. */
	if (share > 1) {
		per_second = per_second / share > 0 ? per_second / share : 1;
		burst = burst / share > 0 ? burst / share : 1;
	}
	if (rate->rate == 0) {
		g->interval = 0;
		g->tolerance = UINT64_MAX;
		return;
	}
	g->interval = hz / per_second > 0 ? hz / per_second : 1;
	g->tolerance = (burst > 0 ? burst - 1 : 0) * g->interval;
}

int
ss_src_limiter_init(struct ss_src_limiter *l, const struct ss_rate_cfg *rate, uint32_t size,
		uint64_t hz, int socket)
{
	ss_gcra_init(&l->gcra, rate, 1, hz);
	l->mask = size - 1;
	l->slots = rte_zmalloc_socket("ss_src_limiter", size * sizeof(*l->slots),
			RTE_CACHE_LINE_SIZE, socket);
	return l->slots == NULL ? -1 : 0;
}

void
ss_src_limiter_free(struct ss_src_limiter *l)
{
	rte_free(l->slots);
	l->slots = NULL;
}

bool
ss_src_limiter_allow(struct ss_src_limiter *l, uint64_t key, uint64_t now)
{
	if (l->gcra.interval == 0)
		return true;
	/* The key is a keyed hash already (source.h): its low bits pick the slot. */
	return ss_gcra_allow(&l->gcra, &l->slots[key & l->mask], now);
}
