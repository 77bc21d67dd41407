/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_TCP_TIMER_H
#define SS_TCP_TIMER_H

/*
 * One timer per connection on a hashed wheel of 1 ms ticks. A deadline
 * further away than the wheel's span lands in its slot early and is simply
 * left there when that slot comes round; so arming and disarming are O(1)
 * and nothing cascades. rte_timer would do, at 64 bytes a timer and a
 * skiplist insert each; connections re-arm on nearly every ACK.
 */

#include <stdint.h>

#include "tcp_conn.h"

#define SS_TCP_WHEEL_SLOTS 4096 /* a little over 4 s of 1 ms ticks */

struct ss_tcp_wheel {
	uint32_t heads[SS_TCP_WHEEL_SLOTS];
	uint32_t done; /* last tick whose slot has been run */
};

/* Tick arithmetic that survives the 32-bit wrap (49 days). */
static inline int
ss_tick_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

/*
 * The tick delta ticks after now, as a deadline: 0 means "none" to the
 * timers and to rtx_at, so a deadline that falls on tick 0 (once every 49.7
 * days) is taken a tick later rather than lost.
 */
static inline uint32_t
ss_tick_after(uint32_t now, uint32_t delta)
{
	uint32_t t = now + delta;

	return t != 0 ? t : 1;
}

void ss_tcp_wheel_init(struct ss_tcp_wheel *w, uint32_t now);

/* Arm (or move) the connection's timer to tick at. */
void ss_tcp_timer_arm(struct ss_tcp_table *t, struct ss_tcp_wheel *w, struct ss_tcp_conn *c,
		uint32_t at);
void ss_tcp_timer_disarm(struct ss_tcp_table *t, struct ss_tcp_wheel *w, struct ss_tcp_conn *c);

/*
 * Run the slots up to tick now: every connection whose deadline has come
 * is disarmed and handed to expired(ctx, c), which may re-arm it.
 */
void ss_tcp_timer_run(struct ss_tcp_table *t, struct ss_tcp_wheel *w, uint32_t now,
		void (*expired)(void *ctx, struct ss_tcp_conn *c), void *ctx);

#endif /* SS_TCP_TIMER_H */
