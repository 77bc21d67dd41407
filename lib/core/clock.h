/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_CLOCK_H
#define SS_CLOCK_H

/*
 * Each worker's view of the wall clock. Daytime and time answers change
 * once a second, so they are formatted once a second and then copied; the
 * wall clock itself is read at most every millisecond (TSC-gated), not per
 * packet.
 */

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "config.h"

#define SS_DAYTIME_MAX 160 /* formatted line with CR LF */

struct ss_clock {
	uint64_t next_tsc;     /* when to read the wall clock again */
	uint64_t check_cycles; /* TSC cycles between two reads */
	int64_t sec;           /* Unix time of the cached answers */
	int64_t min_valid_sec; /* before this the clock counts as unset */
	bool valid;
	uint8_t time_be[4]; /* RFC 868 answer */
	uint8_t daytime_len;
	char daytime[SS_DAYTIME_MAX]; /* RFC 867 answer, CR LF included */
	uint64_t daytime_sum;         /* its checksum share (ss_cksum_add()) */
	const struct ss_daytime_cfg *cfg;
};

/* Prepare a clock; min_year: a wall clock before 1 January of it is unset. */
void ss_clock_init(struct ss_clock *c, const struct ss_daytime_cfg *cfg, uint32_t min_year,
		uint64_t hz);

/*
 * Take a new daytime configuration and year floor (a reload), and format
 * the cached answers again with them.
 */
void ss_clock_reconfigure(struct ss_clock *c, const struct ss_daytime_cfg *cfg, uint32_t min_year);

/* Recompute the cached answers for Unix time sec (also used by tests). */
void ss_clock_set(struct ss_clock *c, int64_t sec);

/* Read the wall clock; called by ss_clock_update() when it is due. */
void ss_clock_refresh(struct ss_clock *c, uint64_t now_tsc);

static inline void
ss_clock_update(struct ss_clock *c, uint64_t now_tsc)
{
	if (now_tsc >= c->next_tsc)
		ss_clock_refresh(c, now_tsc);
}

#endif /* SS_CLOCK_H */
