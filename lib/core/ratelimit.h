/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_RATELIMIT_H
#define SS_RATELIMIT_H

/*
 * Rate limits as GCRA (the virtual-scheduling form of a token bucket): one
 * timestamp per bucket, in TSC cycles, no division on the hot path.
 */

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

struct ss_gcra {
	uint64_t interval;  /* cycles per event at the configured rate; 0 = unlimited */
	uint64_t tolerance; /* how far ahead of now the schedule may run: burst - 1 events */
};

/* Derive interval and tolerance from a rate (per second) and burst. */
void ss_gcra_init(struct ss_gcra *g, const struct ss_rate_cfg *rate, unsigned int share,
		uint64_t hz);

/* Take one event from the bucket whose schedule is *tat; false if over the limit. */
static inline bool
ss_gcra_allow(const struct ss_gcra *g, uint64_t *tat, uint64_t now)
{
	uint64_t t = *tat > now ? *tat : now;

	if (t - now > g->tolerance)
		return false;
	*tat = t + g->interval;
	return true;
}

/*
 * Per-source limits: a fixed table of buckets (their schedules) indexed by
 * the source's key (source.h). Sources that land in one slot share its
 * budget. A slot is never reset for a newcomer: were it, two sources that
 * share one would find it fresh on every turn, and alternating them would
 * lift the limit. An attacker with many sources is the global limit's
 * business.
 */
struct ss_src_limiter {
	struct ss_gcra gcra;
	uint32_t mask;
	uint64_t *slots; /* each bucket's schedule (tat) */
};

/* Allocate the table on socket; returns -1 on failure. */
int ss_src_limiter_init(struct ss_src_limiter *l, const struct ss_rate_cfg *rate, uint32_t size,
		uint64_t hz, int socket);
void ss_src_limiter_free(struct ss_src_limiter *l);

/* Is there a per-source limit at all (a rate other than 0)? */
static inline bool
ss_src_limiter_on(const struct ss_src_limiter *l)
{
	return l->gcra.interval != 0;
}

/* Take one event from the budget of the source with this key (ss_source_key*). */
bool ss_src_limiter_allow(struct ss_src_limiter *l, uint64_t key, uint64_t now);

#endif /* SS_RATELIMIT_H */
