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

/* The second slot a key may use: other bits of it, never the first slot. */
static inline uint32_t
src_slot2(const struct ss_src_limiter *l, uint64_t key, uint32_t first)
{
	uint32_t second = (uint32_t)(key >> 32) & l->mask;

	return second != first ? second : first ^ 1;
}

static struct ss_src_slot *
src_slot_of(struct ss_src_limiter *l, uint64_t key, uint64_t now)
{
	uint32_t i1 = (uint32_t)key & l->mask;
	struct ss_src_slot *a = &l->slots[i1];
	struct ss_src_slot *b = &l->slots[src_slot2(l, key, i1)];

	if (a->key == key)
		return a;
	if (b->key == key)
		return b;
	/* A newcomer: an idle slot becomes its own, else it shares the fuller one. */
	if (a->tat <= now || b->tat <= now) {
		struct ss_src_slot *idle = a->tat <= now ? a : b;

		idle->key = key;
		return idle;
	}
	return a->tat <= b->tat ? a : b;
}

bool
ss_src_limiter_allow(struct ss_src_limiter *l, uint64_t key, uint64_t now)
{
	if (l->gcra.interval == 0)
		return true;
	/* The key is a keyed hash already (source.h): its bits pick the slots. */
	return ss_gcra_allow(&l->gcra, &src_slot_of(l, key, now)->tat, now);
}
