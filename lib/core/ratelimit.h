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
 * Per-source limits: a fixed table of buckets indexed by the source's key
 * (source.h), each holding its schedule and the key of the source it serves.
 * A source may use either of two slots, picked by two parts of its key, so
 * two sources share a budget only when both their slots are taken by others
 * that are busy: with one slot, 100 sources in a 4096-slot table would put
 * about one pair together, and a client in a lab that had done nothing
 * wrong would find itself limited.
 *
 * A newcomer takes over a slot only when the slot is idle, its bucket full
 * again (tat <= now). Starting fresh there gives nothing away: a full bucket
 * is what a fresh one is. Were a busy slot reset for a newcomer, two sources
 * alternating in it would find it fresh on every turn and lift the limit.
 * When both slots are busy, the newcomer draws on the fuller of the two. An
 * attacker with many sources is the global limit's business.
 */
struct ss_src_slot {
	uint64_t key; /* the source the bucket serves (meaningless while idle) */
	uint64_t tat; /* its schedule */
};

struct ss_src_limiter {
	struct ss_gcra gcra;
	uint32_t mask;
	struct ss_src_slot *slots;
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
