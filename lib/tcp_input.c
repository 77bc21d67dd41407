/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Segments in (RFC 9293 3.10.7): check, find the connection, and follow
 * the "SEGMENT ARRIVES" steps for its state, with the RFC 5961 defences
 * against blind resets, SYNs and data injection. A closed port answers
 * RST; a listening one is tcp_listen.c's; the ACK check is tcp_ack.c's.
 *
 * Data ahead of a hole is held in its mbuf (tcp_reass.c) and announced
 * with SACK; nothing is copied, and what is held stays within the window.
 */
#include <string.h>

#include <rte_ip.h>
#include <rte_tcp.h>

#include "echo.h"
#include "service.h"
#include "tcp_cookie.h"
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
	return ss_pkt_l4_cksum_ok(p, IPPROTO_TCP, th, p->l4_len) ? SS_VERDICT_TX :
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

/* The SACK blocks of an ACK; options that do not parse are ignored here. */
static void
parse_sack(struct ss_tcp_seg *s)
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
				s->sack[b][0] = rte_be_to_cpu_32(l);
				s->sack[b][1] = rte_be_to_cpu_32(r);
			}
			s->n_sack = b;
			return;
		}
		i += len;
	}
}

void
ss_tcp_key_from_pkt(const struct ss_pkt *p, const struct rte_tcp_hdr *th, struct ss_tcp_key *k)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (p->af == SS_AF4) {
		const struct rte_ipv4_hdr *ip = ss_pkt_l3(p);

		memcpy(k->raddr, mapped, 12);
		memcpy(k->raddr + 12, &ip->src_addr, 4);
		memcpy(k->laddr, mapped, 12);
		memcpy(k->laddr + 12, &ip->dst_addr, 4);
	} else {
		const struct rte_ipv6_hdr *ip = ss_pkt_l3(p);

		memcpy(k->raddr, ip->src_addr, 16);
		memcpy(k->laddr, ip->dst_addr, 16);
	}
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

/* RFC 5961 7: the rate-limited ACK that a blind attacker cannot use. */
static void
challenge_ack(struct ss_worker *w, struct ss_tcp_conn *c)
{
	if (!ss_gcra_allow(&w->tcp.challenge, &w->tcp.challenge_tat, w->now)) {
		ss_tcp_event(w, c->iface, SS_TCP_EV_CHALLENGE_ACK_LIMITED);
		return;
	}
	ss_tcp_event(w, c->iface, SS_TCP_EV_CHALLENGE_ACK);
	c->flags |= SS_TCP_F_ACK_NOW;
	ss_tcp_mark(w, c);
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
		if (ss_svc_tcp_closes_on_fin(c->svc))
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

/* In-order payload: counted, then held (echo) or let go. True when m is kept. */
static bool
deliver(struct ss_worker *w, struct ss_tcp_conn *c, struct rte_mbuf *m, uint16_t off,
	uint32_t len)
{
	c->rcv_nxt += len;
	ss_tcp_svc_counters(w, c)->bytes_in += len;
	if (c->svc != SS_SVC_ECHO)
		return false;
	ss_echo_tcp_hold(c, m, off, len);
	return true;
}

/* What was held ahead of the hole that just closed. */
static void
drain_ooo(struct ss_worker *w, struct ss_tcp_conn *c)
{
	struct rte_mbuf *m;
	bool fin;

	while ((m = ss_tcp_ooo_pop(c, &fin)) != NULL) {
		if (!deliver(w, c, m, 0, m->data_len))
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
		if (!w->tcp.pool_low)
			held = ss_tcp_ooo_insert(c, p->m, off, seq, len, fin);
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
	bool held;

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
	held = deliver(w, c, p->m, off, len);
	if (c->ooo != NULL)
		drain_ooo(w, c);
	return held;
}

/* Segments to a connection in SYN-RECEIVED or TIME-WAIT that start something new. */
static bool
tcp_restart(struct ss_pkt *p, struct ss_tcp_conn *c, struct ss_tcp_seg *s,
	enum ss_verdict *v)
{
	struct ss_worker *w = p->w;
	uint8_t syn_only = s->flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG | RTE_TCP_RST_FLAG);
	struct ss_tcp_key k;
	enum ss_svc svc;

	if (syn_only != RTE_TCP_SYN_FLAG)
		return false;
	if (c->state == SS_TCP_SYN_RECEIVED && s->seq == c->irs) {
		/* The SYN again: our SYN-ACK was lost. */
		ss_tcp_event(w, c->iface, SS_TCP_EV_SYNACK_RETRANSMIT);
		*v = ss_tcp_reply_synack(p, s, c->iss, ss_tcp_our_mss(w, c->iface, c->af),
			(c->flags & SS_TCP_F_WSCALE) ? c->rcv_wscale : -1,
			(c->flags & SS_TCP_F_SACK) != 0);
		return true;
	}
	/* RFC 9293 3.10.7.4 / RFC 6191: a new SYN past the old connection reopens it. */
	if (c->state == SS_TCP_TIME_WAIT && SEQ_GT(s->seq, c->rcv_nxt)) {
		k = c->key;
		svc = c->svc;
		ss_tcp_close(w, c);
		ss_tcp_event(w, p->iface - w->ifaces, SS_TCP_EV_TIME_WAIT_REUSED);
		*v = ss_tcp_listen_syn(p, s, &k, svc);
		return true;
	}
	return false;
}

/* RFC 9293 3.10.7.4 first to fourth checks. Returns false when the segment stops here. */
static bool
tcp_checks(struct ss_worker *w, struct ss_tcp_conn *c, struct ss_tcp_seg *s, bool *gone)
{
	uint32_t wnd;
	bool acceptable;

	/*
	 * RFC 5961 4.2: a SYN on a synchronized connection gets a (rate-limited)
	 * challenge ACK "irrespective of the sequence number" (those that start
	 * something new were taken by tcp_restart()).
	 */
	if (s->flags & RTE_TCP_SYN_FLAG) {
		challenge_ack(w, c);
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
		if (c->state == SS_TCP_TIME_WAIT && (s->flags & RTE_TCP_FIN_FLAG) &&
				!(s->flags & RTE_TCP_RST_FLAG) && s->seq + s->len + 1 == c->rcv_nxt)
			time_wait_restart(w, c);
		else
			ss_tcp_event(w, c->iface, SS_TCP_EV_OUT_OF_WINDOW);
		if (!(s->flags & RTE_TCP_RST_FLAG)) {
			c->flags |= SS_TCP_F_ACK_NOW;
			ss_tcp_mark(w, c);
		}
		return false;
	}
	if (s->flags & RTE_TCP_RST_FLAG) {
		/* RFC 5961 3.2: only a RST right at rcv_nxt resets; others get a challenge. */
		if (s->seq != c->rcv_nxt) {
			challenge_ack(w, c);
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
	if (!tcp_checks(w, c, s, &gone))
		goto done;
	if (c->state == SS_TCP_SYN_RECEIVED) {
		if (SEQ_LEQ(s->ack, c->snd_una) || SEQ_GT(s->ack, c->snd_max))
			return ss_tcp_reply_rst(p); /* RFC 9293: a bad ACK here gets a RST */
		ss_tcp_established(w, c);
	}
	c->last_rx = w->tcp.tick;
	if ((c->flags & SS_TCP_F_SACK) && s->hlen > sizeof(struct rte_tcp_hdr))
		parse_sack(s);
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
