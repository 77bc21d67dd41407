/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Answers to segments that were not acceptable (RFC 9293 3.10.7.4: out of
 * the window; RFC 5961: ACKs of what was never sent or long acknowledged,
 * RSTs and SYNs in the window), and the limits on them. Each is an ACK,
 * and an ACK may itself be unacceptable to the other end: without a limit,
 * two ends that each refuse the other's segments answer each other for
 * ever. And a limit that is one counter for all connections tells a blind
 * attacker which of its guesses hit a live one (CVE-2016-5696).
 */
#include <rte_tcp.h>

#include "tcp_priv.h"

/*
 * May c send one more ACK to a segment it did not accept? One per
 * invalid_ack_interval_ms, as Linux's tcp_invalid_ratelimit. 0 lifts the
 * limit: then only the global budget bounds challenge ACKs, and nothing
 * the other answers.
 */
static bool
invalid_ack_allowed(struct ss_worker *w, struct ss_tcp_conn *c)
{
	uint32_t interval = w->cfg->tcp.invalid_ack_interval_ms;

	if ((c->flags & SS_TCP_F_OOW_ACKED) && interval > 0 && w->tcp.tick - c->oow_at < interval) {
		ss_tcp_event(w, c->iface, SS_TCP_EV_INVALID_ACK_LIMITED);
		return false;
	}
	c->oow_at = w->tcp.tick;
	c->flags |= SS_TCP_F_OOW_ACKED;
	return true;
}

static void
ack_soon(struct ss_worker *w, struct ss_tcp_conn *c)
{
	c->flags |= SS_TCP_F_ACK_NOW;
	ss_tcp_mark(w, c);
}

void
ss_tcp_ack_unacceptable(struct ss_worker *w, struct ss_tcp_conn *c, const struct ss_tcp_seg *s)
{
	/*
	 * Data (or a FIN) is no part of an ACK loop, as Linux's
	 * tcp_oow_rate_limited() says: a peer that sends it again because our
	 * ACK was lost hears from us every time.
	 */
	bool occupies = s->len > 0 || (s->flags & RTE_TCP_FIN_FLAG);

	if (occupies || invalid_ack_allowed(w, c))
		ack_soon(w, c);
}

/* One from this second's global budget of challenge ACKs (struct ss_tcp). */
static bool
challenge_budget(struct ss_tcp *tcp)
{
	uint32_t second = tcp->tick / 1000;

	if (tcp->challenge_mean == 0)
		return true; /* challenge_ack_rate = 0: no global limit */
	if (second != tcp->challenge_second) {
		/* A keyed hash of the second: a draw no one can predict (secret.h). */
		uint64_t draw = ss_siphash(&tcp->challenge_key, &second, sizeof(second));

		tcp->challenge_second = second;
		tcp->challenge_left = tcp->challenge_mean / 2 +
				(uint32_t)(draw % (tcp->challenge_mean + 1));
	}
	if (tcp->challenge_left == 0)
		return false;
	tcp->challenge_left--;
	return true;
}

/*
 * RFC 5961 7: the rate-limited ACK that a blind attacker cannot use. The
 * connection's own limit comes first, so that segments aimed at one
 * connection spend at most one unit of the global budget per interval:
 * that budget cannot tell an attacker whether the connection exists.
 */
void
ss_tcp_challenge_ack(struct ss_worker *w, struct ss_tcp_conn *c)
{
	if (!invalid_ack_allowed(w, c))
		return;
	if (!challenge_budget(&w->tcp)) {
		ss_tcp_event(w, c->iface, SS_TCP_EV_CHALLENGE_ACK_LIMITED);
		return;
	}
	ss_tcp_event(w, c->iface, SS_TCP_EV_CHALLENGE_ACK);
	ack_soon(w, c);
}
