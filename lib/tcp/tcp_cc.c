/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Retransmission timer (RFC 6298) and congestion control (RFC 5681 with
 * RFC 6582 NewReno fast recovery, RFC 6928 initial window) for what the
 * appliance pushes: chargen's endless stream and echo's returns.
 * Times are in 1 ms ticks; srtt is kept times 8 and rttvar times 4, as in
 * Jacobson's original, so that sub-millisecond LAN RTTs do not round to 0.
 */
#include <rte_common.h>

#include "tcp_priv.h"

#define RTT_MAX 8000 /* ms: what srtt times 8 can hold in 16 bits */
/* The largest window a peer can announce (65535 << 14): more cwnd is never usable. */
#define CWND_MAX (UINT32_C(65535) << 14)

static uint32_t
flight(const struct ss_tcp_conn *c)
{
	return c->snd_max - c->snd_una;
}

void
ss_tcp_cc_init(struct ss_tcp_conn *c, const struct ss_tcp_cfg *cfg)
{
	c->cwnd = RTE_MIN(10u * c->mss, RTE_MAX(2u * c->mss, 14600u));
	c->ssthresh = UINT32_MAX >> 1;
	c->srtt = 0;
	c->rttvar = 0;
	c->rto = RTE_MIN(cfg->rto_initial_ms, cfg->rto_max_ms);
}

void
ss_tcp_cc_rtt_sample(struct ss_tcp_conn *c, uint32_t rtt, const struct ss_tcp_cfg *cfg)
{
	int32_t delta;
	uint32_t rto;

	rtt = RTE_MIN(rtt, (uint32_t)RTT_MAX);
	if (c->srtt == 0) {
		/* RFC 6298 2.2: SRTT = R, RTTVAR = R/2 (R may be 0 ticks: count it as 1). */
		rtt = RTE_MAX(rtt, 1u);
		c->srtt = rtt << 3;
		c->rttvar = rtt << 1;
	} else {
		/* RFC 6298 2.3, alpha 1/8, beta 1/4, in the scaled units. */
		delta = (int32_t)(rtt << 3) - c->srtt;
		c->srtt = (uint16_t)(c->srtt + (delta >> 3));
		if (delta < 0)
			delta = -delta;
		c->rttvar = (uint16_t)(c->rttvar + ((delta >> 1) - c->rttvar) / 4);
	}
	rto = (c->srtt >> 3) + RTE_MAX(1u, (uint32_t)c->rttvar);
	c->rto = RTE_MAX(cfg->rto_min_ms, RTE_MIN(rto, cfg->rto_max_ms));
}

void
ss_tcp_cc_acked(struct ss_tcp_conn *c, uint32_t acked)
{
	if (c->flags & SS_TCP_F_RECOVERY)
		return; /* the input path deflates the window (RFC 6582 3.2) */
	if (c->cwnd < c->ssthresh)
		c->cwnd += RTE_MIN(acked, (uint32_t)c->mss);
	else
		c->cwnd += RTE_MAX(1u, (uint32_t)c->mss * c->mss / c->cwnd);
	c->cwnd = RTE_MIN(c->cwnd, CWND_MAX);
}

void
ss_tcp_cc_partial_ack(struct ss_tcp_conn *c, uint32_t acked)
{
	/* RFC 6582 3.2 (3): deflate by what was acknowledged, add back one segment. */
	c->cwnd = c->cwnd > acked ? c->cwnd - acked + c->mss : c->mss;
}

/*
 * The duplicate-ACK threshold: 3, or fewer when fewer than four segments
 * are in flight and nothing new can go out (RFC 5827 early retransmit), or
 * a small window would never produce three.
 */
static uint32_t
dupthresh(const struct ss_tcp_conn *c, bool can_send_new)
{
	uint32_t segs = (flight(c) + c->mss - 1) / c->mss;

	if (segs >= 4 || can_send_new)
		return 3;
	return segs > 1 ? segs - 1 : 1;
}

bool
ss_tcp_cc_dupack(struct ss_tcp_conn *c, bool can_send_new)
{
	if (c->dupacks < UINT8_MAX)
		c->dupacks++;
	if (c->flags & SS_TCP_F_RECOVERY) {
		/*
		 * Each duplicate is a segment that left the network (RFC 5681
		 * 3.2): no more of them than are in flight, so the window never
		 * inflates past that, whatever a peer sends.
		 */
		uint32_t most = c->ssthresh + flight(c) + 3u * c->mss;

		if (c->cwnd < most)
			c->cwnd = RTE_MIN(c->cwnd + c->mss, most);
		return false;
	}
	if (c->dupacks < dupthresh(c, can_send_new)) {
		/* RFC 3042 limited transmit: a new segment for each of the first two. */
		if (c->dupacks <= 2)
			c->cwnd += c->mss;
		return false;
	}
	c->ssthresh = RTE_MAX(flight(c) / 2, 2u * c->mss);
	c->cwnd = c->ssthresh + 3u * c->mss;
	c->recover = c->snd_max;
	c->flags |= SS_TCP_F_RECOVERY;
	return true;
}

void
ss_tcp_cc_undo_limited(struct ss_tcp_conn *c)
{
	uint32_t extra;

	if (c->flags & SS_TCP_F_RECOVERY)
		return;
	extra = RTE_MIN((uint32_t)c->dupacks, 2u) * c->mss;
	c->cwnd = c->cwnd > extra + c->mss ? c->cwnd - extra : c->mss;
}

void
ss_tcp_cc_timeout(struct ss_tcp_conn *c, const struct ss_tcp_cfg *cfg)
{
	c->ssthresh = RTE_MAX(flight(c) / 2, 2u * c->mss);
	c->cwnd = c->mss; /* RFC 5681 3.1: the loss window */
	c->flags &= ~SS_TCP_F_RECOVERY;
	c->dupacks = 0;
	/* RFC 6298 5.5: back off. */
	c->rto = RTE_MIN((uint32_t)c->rto * 2, cfg->rto_max_ms);
}
