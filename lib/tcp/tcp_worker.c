/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A worker's TCP: set-up, the output list, the clock and timers, and the
 * transitions that begin and end a connection's life.
 */
#include <rte_cycles.h>

#include "secret.h"
#include "service.h"
#include "tcp_cookie.h"
#include "tcp_hold.h"
#include "tcp_priv.h"
#include "tcp_reass.h"

struct ss_tcp_cookie_secret ss_tcp_secret;

/* This worker's part of the challenge-ACK budget: never 0 unless the rate is. */
static void
challenge_share(struct ss_worker *w, unsigned int n_workers)
{
	uint32_t rate = w->cfg->tcp.challenge_ack_rate;

	w->tcp.challenge_mean = rate / n_workers;
	if (rate > 0 && w->tcp.challenge_mean == 0)
		w->tcp.challenge_mean = 1;
}

int
ss_tcp_init(struct ss_worker *w, unsigned int n_workers, int socket)
{
	const struct ss_tcp_cfg *cfg = &w->cfg->tcp;
	struct ss_tcp *tcp = &w->tcp;
	uint32_t share = cfg->max_connections / n_workers;

	/* One secret for all workers: RSS may not keep a SYN and its ACK together on a re-hash. */
	if (!ss_tcp_secret.set && ss_tcp_cookie_init(&ss_tcp_secret) < 0)
		return -1;
	if (ss_secret_fill(&tcp->challenge_key, sizeof(tcp->challenge_key)) < 0)
		return -1;
	if (ss_tcp_table_init(&tcp->table, share > 0 ? share : 1, w->cfg->abuse.ipv6_source_prefix,
			    socket) < 0)
		return -1;
	tcp->tsc_base = rte_rdtsc();
	tcp->cycles_per_tick = RTE_MAX(w->hz / 1000, (uint64_t)1);
	tcp->tick = 1;
	ss_tcp_wheel_init(&tcp->wheel, tcp->tick);
	tcp->rcv_wscale = ss_tcp_choose_wscale(cfg->window);
	tcp->syn_window = RTE_MIN(cfg->window, 65535u);
	tcp->n_pending = 0;
	challenge_share(w, n_workers);
	tcp->challenge_second = UINT32_MAX;
	tcp->challenge_left = 0;
	ss_tcp_mem_init(w, n_workers);
	return 0;
}

void
ss_tcp_reconfigure(struct ss_worker *w, unsigned int n_workers)
{
	/*
	 * The rest is read from w->cfg where it is used; the window scale stays
	 * (tcp.window is a restart key: config_reload.c), and this second's
	 * challenge-ACK budget, drawn already, runs out at the old rate.
	 */
	challenge_share(w, n_workers);
	ss_tcp_mem_limits(w, n_workers);
}

void
ss_tcp_free(struct ss_worker *w)
{
	struct ss_tcp_table *t = &w->tcp.table;
	uint32_t i;

	if (t->conns == NULL)
		return;
	for (i = 1; i <= t->capacity; i++)
		if (t->conns[i].state != SS_TCP_CLOSED)
			ss_tcp_drop_held(w, &t->conns[i]);
	ss_tcp_table_free(t);
}

void
ss_tcp_mark(struct ss_worker *w, struct ss_tcp_conn *c)
{
	struct ss_tcp *tcp = &w->tcp;

	if (c->flags & SS_TCP_F_PENDING)
		return;
	if (tcp->n_pending == SS_TCP_PENDING_MAX) {
		ss_tcp_output(w, c); /* no room to defer it */
		return;
	}
	c->flags |= SS_TCP_F_PENDING;
	tcp->pending[tcp->n_pending++] = ss_tcp_conn_index(&tcp->table, c);
}

void
ss_tcp_flush(struct ss_worker *w)
{
	struct ss_tcp *tcp = &w->tcp;
	uint16_t i;

	for (i = 0; i < tcp->n_pending; i++) {
		struct ss_tcp_conn *c = &tcp->table.conns[tcp->pending[i]];

		/* Ended, or ended and reused, since it was marked: nothing owed. */
		if (!(c->flags & SS_TCP_F_PENDING) || c->state == SS_TCP_CLOSED)
			continue;
		c->flags &= ~SS_TCP_F_PENDING;
		ss_tcp_output(w, c);
	}
	tcp->n_pending = 0;
}

void
ss_tcp_drop_held(struct ss_worker *w, struct ss_tcp_conn *c)
{
	ss_tcp_mem_uncharge(w, c, ss_tcp_hold_drop(c) + ss_tcp_ooo_drop(c));
}

void
ss_tcp_established(struct ss_worker *w, struct ss_tcp_conn *c)
{
	bool silent;

	if (c->state == SS_TCP_SYN_RECEIVED) {
		ss_tcp_half_open_end(&w->tcp.table, c);
		c->rtx_at = 0;
		c->retries = 0;
	}
	c->snd_una++; /* our SYN is acknowledged */
	c->state = SS_TCP_ESTABLISHED;
	c->since = w->tcp.tick;
	c->last_rx = w->tcp.tick;
	ss_tcp_svc_counters(w, c)->requests++;
	c->t0 = ss_svc_tcp_open(&w->svc, c->svc, w->clock.sec, &silent);
	if (silent)
		c->flags |= SS_TCP_F_EMPTY;
	if (ss_svc_has(c->svc, SS_SVC_F_CLOSES))
		c->flags |= SS_TCP_F_CLOSE;
	ss_tcp_mark(w, c);
}

/* Was the connection accepted, and not yet counted as ended? */
static bool
counts_as_open(const struct ss_tcp_conn *c)
{
	return c->state != SS_TCP_SYN_RECEIVED && c->state != SS_TCP_TIME_WAIT &&
			c->state != SS_TCP_CLOSED;
}

/* What goes with the connection's life, whether it ends now or in TIME-WAIT. */
static void
conn_end(struct ss_worker *w, struct ss_tcp_conn *c)
{
	if (counts_as_open(c))
		ss_tcp_counters(w, c)->closed++;
	/* TIME-WAIT's timer links are its FIFO's: it has no timer. */
	if (c->state != SS_TCP_TIME_WAIT)
		ss_tcp_timer_disarm(&w->tcp.table, &w->tcp.wheel, c);
	ss_tcp_drop_held(w, c);
}

void
ss_tcp_time_wait(struct ss_worker *w, struct ss_tcp_conn *c)
{
	struct ss_tcp_table *t = &w->tcp.table;

	if (w->cfg->tcp.time_wait_ms == 0) {
		/* No TIME-WAIT: what the peer is owed goes now, or never. */
		if (c->flags & SS_TCP_F_ACK_NOW)
			ss_tcp_send_ack(w, c);
		ss_tcp_close(w, c);
		return;
	}
	conn_end(w, c);
	/* TIME-WAIT holds no slot of its source's: it is not the source's doing. */
	ss_tcp_source_release(t, c);
	c->state = SS_TCP_TIME_WAIT;
	c->since = w->tcp.tick;
	ss_tcp_tw_push(t, c);
}

void
ss_tcp_close(struct ss_worker *w, struct ss_tcp_conn *c)
{
	conn_end(w, c);
	ss_tcp_conn_free(&w->tcp.table, c);
}

void
ss_tcp_abort(struct ss_worker *w, struct ss_tcp_conn *c)
{
	if (c->state != SS_TCP_SYN_RECEIVED)
		ss_tcp_send_rst(w, c);
	ss_tcp_close(w, c);
}

/* Is there stream the window keeps us from sending? */
static bool
window_blocks(struct ss_worker *w, const struct ss_tcp_conn *c)
{
	if (c->snd_wnd != 0 || (c->state != SS_TCP_ESTABLISHED && c->state != SS_TCP_CLOSE_WAIT))
		return false;
	return ss_tcp_offset(c, c->snd_nxt) < ss_svc_tcp_stream_len(&w->svc, c);
}

/*
 * Output owed with nothing in flight and the window open: it found no
 * mbuf. No ACK will come to send it, so a timer must try again.
 */
static bool
output_stuck(struct ss_worker *w, const struct ss_tcp_conn *c)
{
	if (c->snd_una != c->snd_max ||
			(c->state != SS_TCP_ESTABLISHED && c->state != SS_TCP_CLOSE_WAIT))
		return false;
	if (ss_tcp_offset(c, c->snd_nxt) < ss_svc_tcp_stream_len(&w->svc, c))
		return c->snd_wnd != 0;
	return (c->flags & SS_TCP_F_CLOSE) != 0; /* the FIN */
}

static void
earliest(uint32_t *at, uint32_t t)
{
	if (*at == 0 || ss_tick_before(t, *at))
		*at = t;
}

void
ss_tcp_rearm(struct ss_worker *w, struct ss_tcp_conn *c)
{
	const struct ss_tcp_cfg *cfg = &w->cfg->tcp;
	uint32_t at = 0;
	bool blocked;

	if (c->state == SS_TCP_TIME_WAIT || c->state == SS_TCP_CLOSED)
		return;
	blocked = window_blocks(w, c);
	/*
	 * Something in flight (SYN-RECEIVED always has its SYN): the
	 * retransmission timer. Nothing, but a shut window: a probe.
	 */
	if (c->snd_una == c->snd_max && !blocked && !output_stuck(w, c))
		c->rtx_at = 0;
	else if (c->rtx_at == 0)
		c->rtx_at = ss_tick_after(w->tcp.tick, c->rto);
	if (c->rtx_at != 0)
		earliest(&at, c->rtx_at);
	if (ss_svc_has(c->svc, SS_SVC_F_WAITS))
		earliest(&at, ss_tick_after(c->last_rx, cfg->idle_timeout_ms));
	if (c->state == SS_TCP_FIN_WAIT_2)
		earliest(&at, ss_tick_after(c->last_rx, cfg->fin_wait2_timeout_ms));
	if (blocked)
		earliest(&at, ss_tick_after(c->since, cfg->zero_window_timeout_ms));
	if (at != 0)
		ss_tcp_timer_arm(&w->tcp.table, &w->tcp.wheel, c, at);
	else
		ss_tcp_timer_disarm(&w->tcp.table, &w->tcp.wheel, c);
}

static bool
due(uint32_t now, uint32_t at)
{
	return at != 0 && !ss_tick_before(now, at);
}

/* The handshake's timer: SYN-ACK again, with back-off, or give up. */
static void
handshake_timeout(struct ss_worker *w, struct ss_tcp_conn *c)
{
	const struct ss_tcp_cfg *cfg = &w->cfg->tcp;

	if (c->retries >= cfg->syn_retries) {
		ss_tcp_event(w, c->iface, SS_TCP_EV_HANDSHAKE_TIMEOUT);
		ss_tcp_close(w, c);
		return;
	}
	c->retries++;
	c->rto = RTE_MIN((uint32_t)c->rto * 2, cfg->rto_max_ms);
	ss_tcp_send_synack(w, c);
	ss_tcp_event(w, c->iface, SS_TCP_EV_SYNACK_RETRANSMIT);
	c->rtx_at = ss_tick_after(w->tcp.tick, c->rto);
	ss_tcp_rearm(w, c);
}

/* Retransmission timeout or, with nothing in flight, a zero-window probe. */
static bool
rtx_timeout(struct ss_worker *w, struct ss_tcp_conn *c)
{
	const struct ss_tcp_cfg *cfg = &w->cfg->tcp;

	c->rtx_at = 0;
	if (output_stuck(w, c)) {
		ss_tcp_mark(w, c); /* what found no mbuf, again */
		return true;
	}
	if (c->snd_una == c->snd_max) {
		/* An old sequence number draws an ACK that tells the window (as Linux probes). */
		ss_tcp_event(w, c->iface, SS_TCP_EV_WINDOW_PROBE);
		c->rto = RTE_MIN((uint32_t)c->rto * 2, cfg->rto_max_ms);
		c->snd_nxt--;
		ss_tcp_send_ack(w, c);
		c->snd_nxt++;
		c->rtx_at = ss_tick_after(w->tcp.tick, c->rto);
		return true;
	}
	if (++c->retries > cfg->max_retries) {
		ss_tcp_counters(w, c)->timed_out++;
		ss_tcp_abort(w, c);
		return false;
	}
	ss_tcp_event(w, c->iface, SS_TCP_EV_RTO);
	ss_tcp_cc_timeout(c, cfg);
	c->snd_nxt = c->snd_una;   /* go back: everything from the hole is sent again */
	c->flags &= ~SS_TCP_F_RTT; /* Karn: no sample across a retransmission */
	ss_tcp_mark(w, c);
	return true;
}

void
ss_tcp_expired(void *ctx, struct ss_tcp_conn *c)
{
	struct ss_worker *w = ctx;
	const struct ss_tcp_cfg *cfg = &w->cfg->tcp;
	uint32_t now = w->tcp.tick;

	if (c->state == SS_TCP_SYN_RECEIVED) {
		if (due(now, c->rtx_at))
			handshake_timeout(w, c);
		else
			ss_tcp_rearm(w, c);
		return;
	}
	if (due(now, c->rtx_at) && !rtx_timeout(w, c))
		return;
	if (ss_svc_has(c->svc, SS_SVC_F_WAITS) &&
			due(now, ss_tick_after(c->last_rx, cfg->idle_timeout_ms))) {
		ss_tcp_counters(w, c)->timed_out++;
		ss_tcp_abort(w, c);
		return;
	}
	if (c->state == SS_TCP_FIN_WAIT_2 &&
			due(now, ss_tick_after(c->last_rx, cfg->fin_wait2_timeout_ms))) {
		ss_tcp_counters(w, c)->timed_out++;
		ss_tcp_close(w, c);
		return;
	}
	if (window_blocks(w, c) && due(now, ss_tick_after(c->since, cfg->zero_window_timeout_ms))) {
		ss_tcp_counters(w, c)->timed_out++;
		ss_tcp_abort(w, c);
		return;
	}
	ss_tcp_rearm(w, c);
}

void
ss_tcp_timers(struct ss_worker *w)
{
	struct ss_tcp *tcp = &w->tcp;
	uint32_t now = 1 + (uint32_t)((w->now - tcp->tsc_base) / tcp->cycles_per_tick);
	struct ss_tcp_conn *c;

	if (now == tcp->tick)
		return;
	tcp->tick = now;
	ss_tcp_mem_tick(w);
	ss_tcp_timer_run(&tcp->table, &tcp->wheel, now, ss_tcp_expired, w);
	/* TIME-WAIT: all last equally long, so the oldest goes first. */
	while ((c = ss_tcp_tw_oldest(&tcp->table)) != NULL &&
			!ss_tick_before(now, ss_tick_after(c->since, w->cfg->tcp.time_wait_ms)))
		ss_tcp_close(w, c);
}
