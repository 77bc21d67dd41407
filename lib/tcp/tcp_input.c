/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Segments in (RFC 9293 3.10.7): check, find the connection, and follow
 * the "SEGMENT ARRIVES" steps for its state, with the RFC 5961 defences
 * against blind resets, SYNs and data injection. A closed port answers
 * RST; a listening one is tcp_listen.c's; the ACK check is tcp_ack.c's.
 *
 * Data ahead of a hole is held (tcp_reass.c) and announced with SACK;
 * what is held stays within the window and within the budgets of
 * tcp_mem.h. Answers to segments that were not acceptable are
 * tcp_challenge.c's.
 */
#include <string.h>

#include <rte_tcp.h>

#include "ip.h"
#include "service.h"
#include "tcp_cookie.h"
#include "tcp_hold.h"
#include "tcp_priv.h"
#include "tcp_reass.h"

static enum ss_verdict
tcp_check(struct ss_pkt *p, const struct rte_tcp_hdr *th)
{
	uint16_t doff;

	if (unlikely(p->l4_len < sizeof(*th)))
		return SS_DROP_TCP_TRUNCATED;
	doff = (th->data_off >> 4) * 4;
	if (unlikely(doff < sizeof(*th) || doff > p->l4_len))
		return SS_DROP_TCP_TRUNCATED;
	/* Never a chain: reassembly keeps TCP to one mbuf (ip_reasm.c). */
	return ss_l4_cksum_ok(p->m->ol_flags, p->af, ss_pkt_l3(p), IPPROTO_TCP, th, p->l4_len) ?
			SS_VERDICT_TX :
			SS_DROP_TCP_CKSUM;
}

static void
seg_parse(const struct ss_pkt *p, struct rte_tcp_hdr *th, struct ss_tcp_seg *s)
{
	s->th = th;
	s->seq = rte_be_to_cpu_32(th->sent_seq);
	s->ack = rte_be_to_cpu_32(th->recv_ack);
	s->wnd = rte_be_to_cpu_16(th->rx_win);
	s->hlen = (th->data_off >> 4) * 4;
	s->len = p->l4_len - s->hlen;
	s->flags = th->tcp_flags;
	s->mss = 0;
	s->wscale = SS_TCP_COOKIE_NO_WSCALE;
	s->sack_ok = false;
	s->data_refused = false;
	s->n_sack = 0;
}

/*
 * Keep a SACK block only if it lies within what we sent and is not yet
 * acknowledged, (SND.UNA, SND.MAX] (RFC 2018, RFC 6675; Linux's
 * tcp_is_sackblock_valid): a D-SACK (RFC 2883) reports old data, and a
 * block past what we sent is a lie. What the retransmission logic does
 * with the blocks relies on this (tcp_ack.c).
 */
static bool
sack_block_valid(const struct ss_tcp_conn *c, uint32_t left, uint32_t right)
{
	/* As offsets from SND.UNA: no sequence comparison can wrap around. */
	uint32_t l = left - c->snd_una, r = right - c->snd_una;

	return l > 0 && l < r && r <= c->snd_max - c->snd_una;
}

/* The SACK blocks of an ACK; options that do not parse are ignored here. */
static void
parse_sack(struct ss_worker *w, const struct ss_tcp_conn *c, struct ss_tcp_seg *s)
{
	const uint8_t *o = (const uint8_t *)(s->th + 1);
	uint16_t n = s->hlen - sizeof(*s->th), i = 0, len, b;

	while (i < n && o[i] != 0) {
		if (o[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= n || (len = o[i + 1]) < 2 || i + len > n)
			return;
		if (o[i] == 5 && len >= 10 && (len - 2) % 8 == 0) {
			for (b = 0; b < (len - 2) / 8 && b < RTE_DIM(s->sack); b++) {
				uint32_t l, r;

				memcpy(&l, o + i + 2 + 8 * b, 4);
				memcpy(&r, o + i + 6 + 8 * b, 4);
				l = rte_be_to_cpu_32(l);
				r = rte_be_to_cpu_32(r);
				if (!sack_block_valid(c, l, r)) {
					ss_tcp_event(w, c->iface, SS_TCP_EV_SACK_IGNORED);
					continue;
				}
				s->sack[s->n_sack][0] = l;
				s->sack[s->n_sack][1] = r;
				s->n_sack++;
			}
			return;
		}
		i += len;
	}
}

void
ss_tcp_key_from_pkt(const struct ss_pkt *p, const struct rte_tcp_hdr *th, struct ss_tcp_key *k)
{
	ss_ip_addrs(p, k->raddr, k->laddr);
	k->rport = th->src_port;
	k->lport = th->dst_port;
}

/* RFC 9293 3.10.7.4, first check: does the segment overlap the receive window? */
static bool
seq_acceptable(const struct ss_tcp_conn *c, const struct ss_tcp_seg *s, uint32_t wnd)
{
	uint32_t len = s->len + ((s->flags & RTE_TCP_SYN_FLAG) ? 1 : 0) +
			((s->flags & RTE_TCP_FIN_FLAG) ? 1 : 0);
	uint32_t end = c->rcv_nxt + wnd;

	if (len == 0) {
		if (wnd == 0)
			return s->seq == c->rcv_nxt;
		return SEQ_LEQ(c->rcv_nxt, s->seq) && SEQ_LT(s->seq, end);
	}
	if (wnd == 0)
		return false;
	return (SEQ_LEQ(c->rcv_nxt, s->seq) && SEQ_LT(s->seq, end)) ||
			(SEQ_LEQ(c->rcv_nxt, s->seq + len - 1) && SEQ_LT(s->seq + len - 1, end));
}

/* TIME-WAIT again from now: the peer's FIN came again, so our ACK of it was lost. */
static void
time_wait_restart(struct ss_worker *w, struct ss_tcp_conn *c)
{
	ss_tcp_tw_remove(&w->tcp.table, c);
	c->since = w->tcp.tick;
	ss_tcp_tw_push(&w->tcp.table, c);
}

/* The peer's FIN is next in sequence: take it (RFC 9293 3.10.7.4, eighth check). */
static void
fin_in_order(struct ss_worker *w, struct ss_tcp_conn *c)
{
	c->rcv_nxt++;
	c->flags |= SS_TCP_F_FIN_RCVD | SS_TCP_F_ACK_NOW;
	switch (c->state) {
	case SS_TCP_ESTABLISHED:
		c->state = SS_TCP_CLOSE_WAIT;
		if (ss_svc_has(c->svc, SS_SVC_F_WAITS))
			c->flags |= SS_TCP_F_CLOSE;
		break;
	case SS_TCP_FIN_WAIT_1:
		c->state = SS_TCP_CLOSING;
		break;
	case SS_TCP_FIN_WAIT_2:
		ss_tcp_time_wait(w, c);
		break;
	default:
		break;
	}
}

static void
tcp_fin(struct ss_worker *w, struct ss_tcp_conn *c, const struct ss_tcp_seg *s)
{
	if (!(s->flags & RTE_TCP_FIN_FLAG))
		return;
	if (c->flags & SS_TCP_F_FIN_RCVD) {
		/* Its FIN again: our ACK was lost. TIME-WAIT starts over (RFC 9293). */
		c->flags |= SS_TCP_F_ACK_NOW;
		if (c->state == SS_TCP_TIME_WAIT)
			time_wait_restart(w, c);
		return;
	}
	if (s->seq + s->len == c->rcv_nxt)
		fin_in_order(w, c);
}

/* What became of a segment's in-order payload. */
enum delivery {
	DELIVERED,      /* taken; m is free to go */
	DELIVERED_KEPT, /* taken, in m itself: m is the connection's */
	REFUSED,        /* not taken (a budget is spent): the peer sends it again */
};

/*
 * Keep len bytes of m from off for a service that holds them (echo):
 * copied behind what is held, or in m itself (charged now unless charged
 * already). With a budget spent, what the connection holds ahead of a hole
 * goes first, as Linux prunes its out-of-order queue: the bytes that fill
 * the hole matter more than those behind it, which the peer sends again
 * (RFC 2018 lets a receiver renege).
 */
static enum delivery
hold_keep(struct ss_worker *w, struct ss_tcp_conn *c, struct rte_mbuf *m, uint16_t off,
		uint32_t len, bool charged)
{
	if (ss_tcp_hold_append(c, m, off, len)) {
		if (charged)
			ss_tcp_mem_uncharge(w, c, 1);
		return DELIVERED;
	}
	if (!charged && !ss_tcp_mem_charge(w, c)) {
		if (c->ooo == NULL)
			return REFUSED;
		ss_tcp_mem_uncharge(w, c, ss_tcp_ooo_drop(c));
		if (!ss_tcp_mem_charge(w, c))
			return REFUSED;
	}
	ss_tcp_hold_keep(c, m, off, len);
	return DELIVERED_KEPT;
}

/*
 * In-order payload: counted, then held (for echo: SS_SVC_F_HOLDS) or let go. charged: m is
 * charged to c already (it was held ahead of a hole).
 */
static enum delivery
deliver(struct ss_worker *w, struct ss_tcp_conn *c, struct rte_mbuf *m, uint16_t off, uint32_t len,
		bool charged)
{
	enum delivery d = DELIVERED;

	if (ss_svc_has(c->svc, SS_SVC_F_HOLDS))
		d = hold_keep(w, c, m, off, len, charged);
	else if (charged)
		ss_tcp_mem_uncharge(w, c, 1);
	if (d == REFUSED)
		return d;
	c->rcv_nxt += len;
	ss_tcp_svc_counters(w, c)->bytes_in += len;
	return d;
}

/* What was held ahead of the hole that just closed. */
static void
drain_ooo(struct ss_worker *w, struct ss_tcp_conn *c)
{
	struct rte_mbuf *m;
	bool fin;

	while ((m = ss_tcp_ooo_pop(w, c, &fin)) != NULL) {
		if (deliver(w, c, m, 0, m->data_len, true) != DELIVERED_KEPT)
			rte_pktmbuf_free_seg(m);
		if (fin) {
			fin_in_order(w, c);
			return;
		}
	}
}

/* Payload ahead of a hole: keep it if we can, and say so at once (dup ACK, SACK). */
static bool
tcp_data_ahead(struct ss_pkt *p, struct ss_tcp_conn *c, struct ss_tcp_seg *s, uint16_t off,
		uint32_t seq, uint32_t len)
{
	struct ss_worker *w = p->w;
	uint32_t right = c->rcv_nxt + ss_tcp_rcv_window(w, c);
	bool held = false, fin = (s->flags & RTE_TCP_FIN_FLAG) != 0;

	ss_tcp_event(w, c->iface, SS_TCP_EV_OUT_OF_ORDER);
	if (SEQ_LT(seq, right)) {
		if (SEQ_GT(seq + len, right)) {
			len = right - seq;
			fin = false;
		}
		held = ss_tcp_ooo_insert(w, c, p->m, off, seq, len, fin);
	}
	/* One duplicate ACK per segment: the peer counts them for fast retransmit. */
	ss_tcp_send_ack(w, c);
	return held;
}

/* Payload (RFC 9293 3.10.7.4, seventh check). Returns true when m is kept. */
static bool
tcp_data(struct ss_pkt *p, struct ss_tcp_conn *c, struct ss_tcp_seg *s)
{
	struct ss_worker *w = p->w;
	uint16_t off = p->l2_len + p->l3_len + s->hlen;
	uint32_t seq = s->seq, len = s->len, skip, wnd;
	enum delivery d;

	if (len == 0)
		return false;
	if (c->state != SS_TCP_ESTABLISHED && c->state != SS_TCP_FIN_WAIT_1 &&
			c->state != SS_TCP_FIN_WAIT_2)
		return false; /* data after the peer's FIN: RFC 9293 says ignore it */
	c->flags |= SS_TCP_F_ACK_NOW;
	if (SEQ_LT(seq, c->rcv_nxt)) {
		skip = c->rcv_nxt - seq;
		if (skip >= len)
			return false; /* all of it seen before */
		off += skip;
		len -= skip;
		seq = c->rcv_nxt;
	}
	if (seq != c->rcv_nxt)
		return tcp_data_ahead(p, c, s, off, seq, len);
	wnd = ss_tcp_rcv_window(w, c);
	if (len > wnd) {
		/* A FIN after data we had no room for is not ours yet either. */
		len = wnd;
		s->flags &= ~RTE_TCP_FIN_FLAG;
		if (len == 0)
			return false;
	}
	d = deliver(w, c, p->m, off, len, false);
	if (d == REFUSED) {
		s->flags &= ~RTE_TCP_FIN_FLAG; /* it follows data we did not take */
		return false;
	}
	if (c->ooo != NULL)
		drain_ooo(w, c);
	return d == DELIVERED_KEPT;
}

/* Segments to a connection in SYN-RECEIVED or TIME-WAIT that start something new. */
static bool
tcp_restart(struct ss_pkt *p, struct ss_tcp_conn *c, struct ss_tcp_seg *s, enum ss_verdict *v)
{
	struct ss_worker *w = p->w;
	uint8_t syn_only = s->flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG | RTE_TCP_RST_FLAG);
	struct ss_tcp_key k;
	enum ss_svc svc;

	if (syn_only != RTE_TCP_SYN_FLAG)
		return false;
	/* In SYN-RECEIVED, the peer's ISN is rcv_nxt - 1 and ours snd_una. */
	if (c->state == SS_TCP_SYN_RECEIVED && s->seq == c->rcv_nxt - 1) {
		/* The SYN again: our SYN-ACK was lost. */
		ss_tcp_event(w, c->iface, SS_TCP_EV_SYNACK_RETRANSMIT);
		*v = ss_tcp_reply_synack(p, s, c->snd_una, ss_tcp_our_mss(w, c->iface, c->af),
				(c->flags & SS_TCP_F_WSCALE) ? c->rcv_wscale : -1,
				(c->flags & SS_TCP_F_SACK) != 0);
		return true;
	}
	/*
	 * Another SYN in SYN-RECEIVED: RFC 9293 3.10.7.4 returns a passive
	 * open to LISTEN, where this SYN is a new one: the client started
	 * over. Should the old handshake's ACK still come (a blind SYN, not the
	 * client, replaced it), its cookie completes it (ss_tcp_cookie_resync).
	 */
	if (c->state == SS_TCP_SYN_RECEIVED) {
		ss_tcp_event(w, c->iface, SS_TCP_EV_HANDSHAKE_RESTARTED);
		goto listen_again;
	}
	/* RFC 9293 3.10.7.4 / RFC 6191: a new SYN past the old connection reopens it. */
	if (c->state == SS_TCP_TIME_WAIT && SEQ_GT(s->seq, c->rcv_nxt)) {
		ss_tcp_event(w, c->iface, SS_TCP_EV_TIME_WAIT_REUSED);
		goto listen_again;
	}
	return false;
listen_again:
	k = c->key;
	svc = c->svc;
	ss_tcp_close(w, c);
	*v = ss_tcp_listen_syn(p, s, &k, svc);
	return true;
}

/* RFC 9293 3.10.7.4 first to fourth checks. Returns false when the segment stops here. */
static bool
tcp_checks(struct ss_worker *w, struct ss_tcp_conn *c, struct ss_tcp_seg *s, bool *gone)
{
	uint32_t wnd;
	bool acceptable;

	if (s->flags & RTE_TCP_SYN_FLAG) {
		/*
		 * RFC 9293 3.10.7.4, fourth check: in SYN-RECEIVED a passive open
		 * returns to LISTEN. A SYN-ACK here (a plain SYN was tcp_restart()'s)
		 * comes from no client: a challenge ACK would be our SYN-ACK
		 * again, and two appliances' entries for mirrored tuples would
		 * bounce SYN-ACKs between them. The client's own ACK, should it
		 * come, still completes the handshake: our ISN was a cookie. (The
		 * sequence check comes after this one here, unlike RFC 9293's
		 * order; it would only decide whether to send that ACK.)
		 */
		if (c->state == SS_TCP_SYN_RECEIVED) {
			ss_tcp_event(w, c->iface, SS_TCP_EV_SYN_IN_SYN_RECEIVED);
			ss_tcp_close(w, c);
			*gone = true;
			return false;
		}
		/*
		 * RFC 5961 4.2: a SYN on a synchronized connection gets a
		 * (rate-limited) challenge ACK "irrespective of the sequence
		 * number" (those that start something new were taken by
		 * tcp_restart()).
		 */
		ss_tcp_challenge_ack(w, c);
		return false;
	}
	wnd = ss_tcp_rcv_window(w, c);
	acceptable = seq_acceptable(c, s, wnd);
	if (!acceptable && wnd == 0 && s->seq == c->rcv_nxt) {
		/*
		 * RFC 9293 3.10.7.4: with our window shut nothing is acceptable,
		 * "but special allowance should be made to accept valid ACKs ...
		 * and RSTs": the peer's ACKs must free what echo holds, or neither
		 * side moves. Its data and FIN wait for room, and it hears so.
		 */
		s->data_refused = s->len > 0 || (s->flags & RTE_TCP_FIN_FLAG);
		s->len = 0;
		s->flags &= ~RTE_TCP_FIN_FLAG;
		c->flags |= SS_TCP_F_ACK_NOW;
	} else if (!acceptable) {
		/*
		 * The retransmitted FIN that TIME-WAIT is for (RFC 9293 3.10.7.4)
		 * lies just below RCV.NXT, so it never passes the window check:
		 * it is ACKed below like any old segment, and restarts the wait.
		 */
		if (s->flags & RTE_TCP_RST_FLAG) {
			ss_tcp_event(w, c->iface, SS_TCP_EV_OUT_OF_WINDOW);
			return false;
		}
		/* The FIN that TIME-WAIT waits for is owed its ACK every time. */
		if (c->state == SS_TCP_TIME_WAIT && (s->flags & RTE_TCP_FIN_FLAG) &&
				s->seq + s->len + 1 == c->rcv_nxt) {
			time_wait_restart(w, c);
			c->flags |= SS_TCP_F_ACK_NOW;
			ss_tcp_mark(w, c);
		} else {
			ss_tcp_event(w, c->iface, SS_TCP_EV_OUT_OF_WINDOW);
			ss_tcp_ack_unacceptable(w, c, s);
		}
		return false;
	}
	if (s->flags & RTE_TCP_RST_FLAG) {
		/* RFC 5961 3.2: only a RST right at rcv_nxt resets; others get a challenge. */
		if (s->seq != c->rcv_nxt) {
			ss_tcp_challenge_ack(w, c);
			return false;
		}
		if (c->state != SS_TCP_SYN_RECEIVED && c->state != SS_TCP_TIME_WAIT)
			ss_tcp_counters(w, c)->reset++;
		ss_tcp_close(w, c);
		*gone = true;
		return false;
	}
	return (s->flags & RTE_TCP_ACK_FLAG) != 0;
}

enum ss_verdict
ss_tcp_conn_input(struct ss_pkt *p, struct ss_tcp_conn *c, struct ss_tcp_seg *s)
{
	struct ss_worker *w = p->w;
	enum ss_verdict v;
	bool gone = false, held = false;

	if (tcp_restart(p, c, s, &v))
		return v;
	/*
	 * An ACK of an earlier SYN-ACK of this tuple's (the handshake started
	 * over since): if its cookie is ours, it is the handshake that counts.
	 * Before the sequence check, which its sequence number would fail.
	 */
	if (c->state == SS_TCP_SYN_RECEIVED && s->ack != c->snd_una + 1 &&
			(s->flags & (RTE_TCP_ACK_FLAG | RTE_TCP_SYN_FLAG | RTE_TCP_RST_FLAG)) ==
					RTE_TCP_ACK_FLAG)
		ss_tcp_cookie_resync(w, c, s);
	if (!tcp_checks(w, c, s, &gone))
		goto done;
	if (c->state == SS_TCP_SYN_RECEIVED) {
		if (SEQ_LEQ(s->ack, c->snd_una) || SEQ_GT(s->ack, c->snd_max))
			return ss_tcp_reply_rst(p); /* RFC 9293: a bad ACK here gets a RST */
		if (!ss_tcp_admit(w, c)) {
			ss_tcp_close(w, c);
			return ss_tcp_reply_rst(p);
		}
		ss_tcp_established(w, c);
	}
	c->last_rx = w->tcp.tick;
	if ((c->flags & SS_TCP_F_SACK) && s->hlen > sizeof(struct rte_tcp_hdr))
		parse_sack(w, c, s);
	if (!ss_tcp_ack(w, c, s, &gone))
		goto done;
	held = tcp_data(p, c, s);
	tcp_fin(w, c, s);
done:
	if (!gone && c->state != SS_TCP_CLOSED)
		ss_tcp_mark(w, c);
	if (!held)
		rte_pktmbuf_free(p->m);
	return SS_VERDICT_TCP;
}

enum ss_verdict
ss_tcp_input(struct ss_pkt *p)
{
	struct rte_tcp_hdr *th = ss_pkt_l4(p);
	struct ss_tcp_conn *c;
	struct ss_tcp_seg s;
	struct ss_tcp_key k;
	enum ss_verdict v;
	enum ss_svc svc;

	v = tcp_check(p, th);
	if (v != SS_VERDICT_TX)
		return v;
	seg_parse(p, th, &s);
	ss_tcp_key_from_pkt(p, th, &k);
	c = ss_tcp_lookup(&p->w->tcp.table, &k);
	if (c != NULL)
		return ss_tcp_conn_input(p, c, &s);
	svc = p->w->cfg->port_map[SS_TCP][rte_be_to_cpu_16(th->dst_port)];
	if (svc == SS_SVC_NONE) {
		/* A closed port. A RST is never answered, or two closed ends would ping-pong. */
		if (s.flags & RTE_TCP_RST_FLAG)
			return SS_DROP_TCP_RST_IN;
		return ss_tcp_reply_rst(p);
	}
	return ss_tcp_listen(p, &s, &k, svc);
}
