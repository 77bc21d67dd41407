/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "tcp_timer.h"

#define SLOT(tick) ((tick) & (SS_TCP_WHEEL_SLOTS - 1))

void
ss_tcp_wheel_init(struct ss_tcp_wheel *w, uint32_t now)
{
	memset(w->heads, 0, sizeof(w->heads));
	w->done = now;
}

void
ss_tcp_timer_disarm(struct ss_tcp_table *t, struct ss_tcp_wheel *w, struct ss_tcp_conn *c)
{
	if (c->timer_at == 0)
		return;
	if (c->tprev != 0)
		t->conns[c->tprev].tnext = c->tnext;
	else
		w->heads[SLOT(c->timer_at)] = c->tnext;
	if (c->tnext != 0)
		t->conns[c->tnext].tprev = c->tprev;
	c->tnext = c->tprev = 0;
	c->timer_at = 0;
}

void
ss_tcp_timer_arm(struct ss_tcp_table *t, struct ss_tcp_wheel *w, struct ss_tcp_conn *c, uint32_t at)
{
	uint32_t idx = ss_tcp_conn_index(t, c), *head;

	/* A deadline already past runs at the next slot, not a lap later. */
	if (ss_tick_before(at, w->done + 1))
		at = w->done + 1;
	if (at == 0) /* 0 means "not armed": a tick later (the wrap, every 49.7 days) */
		at = 1;
	if (c->timer_at == at)
		return;
	ss_tcp_timer_disarm(t, w, c);
	head = &w->heads[SLOT(at)];
	c->timer_at = at;
	c->tprev = 0;
	c->tnext = *head;
	if (*head != 0)
		t->conns[*head].tprev = idx;
	*head = idx;
}

static void
run_slot(struct ss_tcp_table *t, struct ss_tcp_wheel *w, uint32_t slot, uint32_t now,
		void (*expired)(void *ctx, struct ss_tcp_conn *c), void *ctx)
{
	uint32_t i = w->heads[slot];

	while (i != 0) {
		struct ss_tcp_conn *c = &t->conns[i];

		i = c->tnext;
		if (ss_tick_before(now, c->timer_at))
			continue; /* a later lap */
		ss_tcp_timer_disarm(t, w, c);
		expired(ctx, c);
	}
}

void
ss_tcp_timer_run(struct ss_tcp_table *t, struct ss_tcp_wheel *w, uint32_t now,
		void (*expired)(void *ctx, struct ss_tcp_conn *c), void *ctx)
{
	/* After a stall longer than a lap, one lap visits every slot. */
	if (now - w->done > SS_TCP_WHEEL_SLOTS)
		w->done = now - SS_TCP_WHEEL_SLOTS;
	/*
	 * done advances slot by slot, so that a timer the callback arms for a
	 * past or present tick goes to a slot still ahead in this run.
	 */
	while (w->done != now) {
		w->done++;
		run_slot(t, w, SLOT(w->done), now, expired, ctx);
	}
}
