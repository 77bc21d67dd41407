/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What an acknowledgment does (RFC 9293 3.10.7.4, fifth check, with RFC
 * 5961 5.2): release what it covers, time it, grow or cut the congestion
 * window, and decide what is lost and goes again (fast retransmit, NewReno
 * partial ACKs, the holes the peer's SACK blocks show).
 */
#include <rte_common.h>
#include <rte_tcp.h>

#include "service.h"
#include "tcp_hold.h"
#include "tcp_mem.h"
#include "tcp_priv.h"

/* One segment at snd_una again: fast retransmit, NewReno partial ACKs. */
static void
retransmit_first(struct ss_worker *w, struct ss_tcp_conn *c)
{
	ss_tcp_retransmit(w, c, c->snd_una, c->mss);
	if (SEQ_LT(c->rtx_high, c->snd_una + c->mss))
		c->rtx_high = c->snd_una + c->mss;
}

/*
 * In recovery, the next hole the peer's SACK blocks show below the
 * highest byte it holds, that has not been resent yet (RFC 6675, with no
 * scoreboard: only this ACK's blocks are known, so a hole may be resent
 * that an older block had covered; that costs a segment, not a timeout).
 *
 * The blocks lie within (snd_una, snd_max] (parse_sack() drops the
 * others), a span under 2^31, so sequence order is total there and the
 * hole only moves forward, each time to the right edge of a block that
 * held it, which it then lies past: each block moves it at most once, and
 * n_sack passes are enough. The bound is the loop's own, not the data's.
 */
static void
sack_retransmit(struct ss_worker *w, struct ss_tcp_conn *c, const struct ss_tcp_seg *s)
{
	uint32_t hole = SEQ_GT(c->rtx_high, c->snd_una) ? c->rtx_high : c->snd_una;
	uint32_t top = c->snd_una, end;
	unsigned int i, pass;
	bool moved = true;

	for (i = 0; i < s->n_sack; i++)
		if (SEQ_GT(s->sack[i][1], top))
			top = s->sack[i][1];
	for (pass = 0; moved && pass < s->n_sack; pass++) {
		moved = false;
		for (i = 0; i < s->n_sack; i++) {
			if (SEQ_LEQ(s->sack[i][0], hole) && SEQ_LT(hole, s->sack[i][1])) {
				hole = s->sack[i][1];
				moved = true;
			}
		}
	}
	if (!SEQ_LT(hole, top))
		return;
	end = SEQ_LT(hole + c->mss, top) ? hole + c->mss : top;
	for (i = 0; i < s->n_sack; i++)
		if (SEQ_GT(s->sack[i][0], hole) && SEQ_LT(s->sack[i][0], end))
			end = s->sack[i][0];
	ss_tcp_retransmit(w, c, hole, end - hole);
	c->rtx_high = end;
}

/* The FIN we sent is acknowledged: move on (or end). Returns false if the connection is gone. */
static bool
fin_acked(struct ss_worker *w, struct ss_tcp_conn *c)
{
	switch (c->state) {
	case SS_TCP_FIN_WAIT_1:
		c->state = SS_TCP_FIN_WAIT_2;
		return true;
	case SS_TCP_CLOSING:
		ss_tcp_time_wait(w, c);
		return false;
	case SS_TCP_LAST_ACK:
		ss_tcp_close(w, c);
		return false;
	default:
		return true;
	}
}

/* New data acknowledged: release it, time it, grow the window (RFC 5681, 6582). */
static bool
ack_new(struct ss_worker *w, struct ss_tcp_conn *c, const struct ss_tcp_seg *s)
{
	uint32_t acked = s->ack - c->snd_una;
	bool fin = (c->flags & SS_TCP_F_FIN_SENT) && s->ack == c->snd_max;
	uint32_t data = acked - (fin ? 1 : 0);

	c->una_off += data;
	if (ss_svc_has(c->svc, SS_SVC_F_HOLDS)) {
		uint32_t before = ss_tcp_rcv_window(w, c);
		uint32_t enough = RTE_MIN((uint32_t)c->mss, w->cfg->tcp.echo_buffer / 2);

		ss_tcp_mem_uncharge(w, c, ss_tcp_hold_release(c, data));
		/*
		 * The window had shut (or nearly) and now opens enough for a
		 * segment: say so (RFC 9293 3.8.6.2.2), or the peer learns it
		 * only from its persist timer, backed off for as long as it
		 * had stopped reading.
		 */
		if (before < enough && ss_tcp_rcv_window(w, c) >= enough)
			c->flags |= SS_TCP_F_ACK_NOW;
	}
	c->snd_una = s->ack;
	if (SEQ_LT(c->snd_nxt, c->snd_una))
		c->snd_nxt = c->snd_una;
	if ((c->flags & SS_TCP_F_RTT) && SEQ_GEQ(s->ack, c->rtt_seq)) {
		ss_tcp_cc_rtt_sample(c, w->tcp.tick - c->rtt_start, &w->cfg->tcp);
		c->flags &= ~SS_TCP_F_RTT;
	}
	c->retries = 0;
	c->rtx_at = c->snd_una == c->snd_max ? 0 : ss_tick_after(w->tcp.tick, c->rto);
	if (c->flags & SS_TCP_F_RECOVERY) {
		if (SEQ_GEQ(s->ack, c->recover)) {
			c->flags &= ~SS_TCP_F_RECOVERY;
			c->cwnd = c->ssthresh;
		} else {
			/* Partial ACK: the next hole goes out now (unless SACK sent it); deflate. */
			ss_tcp_cc_partial_ack(c, acked);
			if (!SEQ_LT(c->snd_una, c->rtx_high))
				retransmit_first(w, c);
		}
	} else {
		ss_tcp_cc_undo_limited(c);
		ss_tcp_cc_acked(c, acked);
	}
	c->dupacks = 0;
	if (fin)
		return fin_acked(w, c);
	return true;
}

/* Could anything new go out now, window and stream permitting? */
static bool
can_send_new(struct ss_worker *w, const struct ss_tcp_conn *c)
{
	if (RTE_MIN(c->snd_wnd, c->cwnd) <= c->snd_max - c->snd_una)
		return false;
	return ss_tcp_offset(c, c->snd_max) < ss_svc_tcp_stream_len(&w->svc, c);
}

/* RFC 9293 3.10.7.4 fifth check, with RFC 5961 5.2. Returns false to stop here. */
bool
ss_tcp_ack(struct ss_worker *w, struct ss_tcp_conn *c, const struct ss_tcp_seg *s, bool *gone)
{
	uint32_t wnd = s->wnd << c->snd_wscale;
	uint32_t max_wnd = UINT32_C(65535) << c->snd_wscale;

	if (SEQ_GT(s->ack, c->snd_max)) {
		ss_tcp_event(w, c->iface, SS_TCP_EV_ACK_TOO_NEW);
		ss_tcp_ack_unacceptable(w, c, s);
		return false;
	}
	if (SEQ_LT(s->ack, c->snd_una - max_wnd)) {
		ss_tcp_event(w, c->iface, SS_TCP_EV_ACK_TOO_OLD);
		ss_tcp_ack_unacceptable(w, c, s);
		return false;
	}
	if (SEQ_GT(s->ack, c->snd_una)) {
		if (!ack_new(w, c, s)) {
			*gone = true;
			return false;
		}
	} else if (s->ack == c->snd_una && !s->data_refused && !(s->flags & RTE_TCP_FIN_FLAG) &&
			c->snd_una != c->snd_max &&
			(s->n_sack > 0 || (s->len == 0 && wnd == c->snd_wnd))) {
		/*
		 * A duplicate ACK (RFC 5681 2), or the SACK-based equivalent (RFC
		 * 6675): a segment whose SACK blocks show data above snd_una is
		 * evidence of a hole there, whether it carries data (an echo client
		 * writing as it reads) or a window that grows as its reader goes.
		 */
		if (ss_tcp_cc_dupack(c, can_send_new(w, c))) {
			ss_tcp_event(w, c->iface, SS_TCP_EV_FAST_RETRANSMIT);
			c->rtx_high = c->snd_una;
			retransmit_first(w, c);
		} else if ((c->flags & SS_TCP_F_RECOVERY) && s->n_sack > 0) {
			sack_retransmit(w, c, s);
		}
	}
	/*
	 * Window update (RFC 9293 3.10.7.4): from an ACK no older than SND.UNA
	 * (an old duplicate says nothing of the window now), in a segment no
	 * older than the last one that set it.
	 */
	if (SEQ_GEQ(s->ack, c->snd_una) &&
			(SEQ_LT(c->snd_wl1, s->seq) ||
					(c->snd_wl1 == s->seq && SEQ_LEQ(c->snd_wl2, s->ack)))) {
		if (wnd == 0 && c->snd_wnd != 0)
			c->since = w->tcp.tick; /* the window shut now */
		c->snd_wnd = wnd;
		c->snd_wl1 = s->seq;
		c->snd_wl2 = s->ack;
	}
	return true;
}
