/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Segments out: replies built in the received mbuf (RST, SYN-ACK) and
 * segments of a connection built in fresh mbufs (data, FIN, ACK, RST),
 * the data regenerated from the service's stream at the right offset.
 */
#include <string.h>

#include <rte_tcp.h>

#include "cksum.h"
#include "eth.h"
#include "ip.h"
#include "service.h"
#include "tcp_priv.h"
#include "tcp_reass.h"
#include "tx_cksum.h"

#define TCP_HLEN 20
#define OPT_MSS_LEN 4
#define OPT_WS_LEN 4     /* NOP + window scale */
#define OPT_SACKOK_LEN 4 /* NOP NOP + SACK permitted */
#define OPT_SYN_MAX (OPT_MSS_LEN + OPT_WS_LEN + OPT_SACKOK_LEN)

/* Sequence space a segment takes: its data, and one each for SYN and FIN. */
static uint32_t
tcp_seg_len(const struct ss_pkt *p, const struct rte_tcp_hdr *th)
{
	uint32_t len = p->l4_len - (th->data_off >> 4) * 4;

	if (th->tcp_flags & RTE_TCP_SYN_FLAG)
		len++;
	if (th->tcp_flags & RTE_TCP_FIN_FLAG)
		len++;
	return len;
}

/* Fill in the checksum of a TCP header just written behind the IP header. */
static void
tcp_reply_cksum(struct ss_pkt *p, struct rte_tcp_hdr *th, uint16_t len)
{
	if (ss_tx_l4_hw(p->iface, IPPROTO_TCP)) {
		th->cksum = ss_tx_l4_ask(p->m, p->af, p->l2_len, IPPROTO_TCP,
				ss_ip_phdr_sum(p, IPPROTO_TCP, len));
		return;
	}
	th->cksum = 0;
	th->cksum = ss_ip_l4_cksum(p, IPPROTO_TCP, th, len);
}

enum ss_verdict
ss_tcp_reply_rst(struct ss_pkt *p)
{
	struct rte_tcp_hdr *th = ss_pkt_l4(p);
	uint16_t port = th->src_port;

	/*
	 * RFC 9293 3.10.7.1: if the segment has an ACK, the RST takes its
	 * sequence number from it; otherwise sequence zero, acknowledging all
	 * the segment occupied.
	 */
	if (th->tcp_flags & RTE_TCP_ACK_FLAG) {
		th->sent_seq = th->recv_ack;
		th->recv_ack = 0;
		th->tcp_flags = RTE_TCP_RST_FLAG;
	} else {
		th->recv_ack = rte_cpu_to_be_32(rte_be_to_cpu_32(th->sent_seq) +
				tcp_seg_len(p, th));
		th->sent_seq = 0;
		th->tcp_flags = RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG;
	}
	th->src_port = th->dst_port;
	th->dst_port = port;
	th->data_off = (TCP_HLEN / 4) << 4;
	th->rx_win = 0;
	th->tcp_urp = 0;
	ss_ip_reply(p, IPPROTO_TCP, TCP_HLEN);
	p->stats->reply[p->af == SS_AF4 ? SS_REPLY_TCP4_RST : SS_REPLY_TCP6_RST]++;
	tcp_reply_cksum(p, th, TCP_HLEN);
	return SS_VERDICT_TX;
}

uint8_t
ss_tcp_choose_wscale(uint32_t window)
{
	uint8_t s = 0;

	while (s < 14 && (window >> s) > 65535)
		s++;
	return s;
}

/* Length of the SYN-ACK's options. */
static uint16_t
syn_options_len(int rcv_wscale, bool sack)
{
	return OPT_MSS_LEN + (rcv_wscale >= 0 ? OPT_WS_LEN : 0) + (sack ? OPT_SACKOK_LEN : 0);
}

/*
 * MSS; window scale when rcv_wscale >= 0; SACK permitted when sack; each
 * with NOPs in front so that the option after it stays aligned.
 */
static uint16_t
write_syn_options(uint8_t *opt, uint16_t mss, int rcv_wscale, bool sack)
{
	uint16_t n = OPT_MSS_LEN;

	opt[0] = 2;
	opt[1] = OPT_MSS_LEN;
	opt[2] = mss >> 8;
	opt[3] = mss & 0xff;
	if (rcv_wscale >= 0) {
		opt[n++] = 1;
		opt[n++] = 3;
		opt[n++] = 3;
		opt[n++] = rcv_wscale;
	}
	if (sack) {
		opt[n++] = 1;
		opt[n++] = 1;
		opt[n++] = 4;
		opt[n++] = 2;
	}
	return n;
}

enum ss_verdict
ss_tcp_reply_synack(struct ss_pkt *p, const struct ss_tcp_seg *s, uint32_t iss, uint16_t mss,
		int rcv_wscale, bool sack)
{
	struct rte_tcp_hdr *th = s->th;
	uint16_t port = th->src_port, hlen;

	if (TCP_HLEN + OPT_SYN_MAX > ss_pkt_l4_room(p))
		return SS_DROP_REPLY_TOO_BIG;
	hlen = TCP_HLEN + write_syn_options((uint8_t *)(th + 1), mss, rcv_wscale, sack);
	th->src_port = th->dst_port;
	th->dst_port = port;
	th->sent_seq = rte_cpu_to_be_32(iss);
	th->recv_ack = rte_cpu_to_be_32(s->seq + 1);
	th->data_off = (hlen / 4) << 4;
	th->tcp_flags = RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG;
	/* RFC 7323 2.2: the window of a SYN is never scaled. */
	th->rx_win = rte_cpu_to_be_16(p->w->tcp.syn_window);
	th->tcp_urp = 0;
	ss_ip_reply(p, IPPROTO_TCP, hlen);
	tcp_reply_cksum(p, th, hlen);
	return SS_VERDICT_TX;
}

uint32_t
ss_tcp_rcv_window(const struct ss_worker *w, const struct ss_tcp_conn *c)
{
	uint32_t wnd = w->cfg->tcp.window;

	/*
	 * A service that holds what it received (echo) announces only the
	 * room it has left to hold what it must return, and none while a budget it draws on is spent (tcp_mem.h) and
	 * it holds nothing ahead of a hole that it could give up for what comes
	 * in order (tcp_input.c, hold_keep()): else the segment that fills the
	 * hole would be refused for want of the room that the hole's own
	 * followers take.
	 */
	if (ss_svc_has(c->svc, SS_SVC_F_HOLDS)) {
		if (c->ooo == NULL && ss_tcp_mem_short(w, c))
			return 0;
		uint32_t room = w->cfg->tcp.echo_buffer > c->hold_bytes ?
				w->cfg->tcp.echo_buffer - c->hold_bytes :
				0;

		wnd = RTE_MIN(wnd, room);
	}
	return wnd;
}

/*
 * A fresh mbuf with Ethernet, IP and TCP headers for the connection and
 * room for len bytes of payload (returned in *payload), or NULL.
 */
static struct rte_mbuf *
segment_new(struct ss_worker *w, struct ss_tcp_conn *c, uint32_t seq, uint8_t flags,
		uint16_t opt_len, uint16_t len, uint8_t **payload)
{
	bool vlan = (c->flags & SS_TCP_F_VLAN) != 0;
	uint16_t l2 = ss_eth_hdr_len(vlan), l3 = ss_ip_hdr_len(c->af);
	uint16_t l4 = TCP_HLEN + opt_len + len;
	struct rte_tcp_hdr *th;
	struct rte_mbuf *m;
	uint8_t *d;

	m = rte_pktmbuf_alloc(w->pool);
	if (m == NULL) {
		ss_tcp_event(w, c->iface, SS_TCP_EV_NO_MBUF);
		return NULL;
	}
	d = (uint8_t *)rte_pktmbuf_append(m, l2 + l3 + l4);
	ss_eth_push(d, &w->ifaces[c->iface].mac, &c->peer_mac, vlan ? c->vlan_tci : -1, c->af);
	ss_ip_push(d + l2, c->af, c->key.laddr, c->key.raddr, IPPROTO_TCP, l4, &w->ip_id,
			ss_tx_ip4_hw(&w->ifaces[c->iface]));
	th = (struct rte_tcp_hdr *)(d + l2 + l3);
	th->src_port = c->key.lport;
	th->dst_port = c->key.rport;
	th->sent_seq = rte_cpu_to_be_32(seq);
	th->recv_ack = (flags & RTE_TCP_ACK_FLAG) ? rte_cpu_to_be_32(c->rcv_nxt) : 0;
	th->data_off = ((TCP_HLEN + opt_len) / 4) << 4;
	th->tcp_flags = flags;
	th->rx_win = rte_cpu_to_be_16(RTE_MIN(ss_tcp_rcv_window(w, c) >> c->rcv_wscale, 65535u));
	th->cksum = 0;
	th->tcp_urp = 0;
	*payload = (uint8_t *)(th + 1) + opt_len;
	return m;
}

/*
 * Checksum the segment (or have the port do it, with the IPv4 header's:
 * tx_cksum.h) and queue it for transmission. With payload_sum, the
 * payload's sum is known already (chargen) and only the headers are
 * summed.
 */
static void
segment_send(struct ss_worker *w, struct ss_tcp_conn *c, struct rte_mbuf *m,
		const uint64_t *payload_sum)
{
	uint16_t l2 = ss_eth_hdr_len((c->flags & SS_TCP_F_VLAN) != 0);
	uint8_t *l3 = rte_pktmbuf_mtod_offset(m, uint8_t *, l2);
	uint16_t l3_len = ss_ip_hdr_len(c->af);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(l3 + l3_len);
	uint16_t l4_len = m->data_len - l2 - l3_len;
	const struct ss_iface *iface = &w->ifaces[c->iface];
	uint64_t sum;

	if (c->af == SS_AF4 && ss_tx_ip4_hw(iface))
		ss_tx_ip4_ask(m, l2);
	sum = ss_ip_hdr_phdr_sum(c->af, l3, IPPROTO_TCP, l4_len);
	if (ss_tx_l4_hw(iface, IPPROTO_TCP)) {
		th->cksum = ss_tx_l4_ask(m, c->af, l2, IPPROTO_TCP, sum);
		ss_worker_emit(w, c->iface, m);
		return;
	}
	if (payload_sum != NULL)
		sum = ss_cksum_add(th, (th->data_off >> 4) * 4, sum) + *payload_sum;
	else
		sum = ss_cksum_add(th, l4_len, sum);
	th->cksum = (uint16_t)~ss_cksum_fold(sum);
	ss_worker_emit(w, c->iface, m);
}

/* A segment without data: ACK, FIN, RST and their combinations. */
static bool
send_control(struct ss_worker *w, struct ss_tcp_conn *c, uint32_t seq, uint8_t flags)
{
	struct rte_mbuf *m;
	uint8_t *payload;

	m = segment_new(w, c, seq, flags, 0, 0, &payload);
	if (m == NULL)
		return false;
	segment_send(w, c, m, NULL);
	return true;
}

/* SACK blocks for what is held ahead of a hole (RFC 2018), after two NOPs. */
static uint16_t
write_sack(uint8_t *opt, uint32_t blocks[][2], unsigned int n)
{
	unsigned int i;

	opt[0] = 1;
	opt[1] = 1;
	opt[2] = 5;
	opt[3] = 2 + 8 * n;
	for (i = 0; i < n; i++) {
		uint32_t l = rte_cpu_to_be_32(blocks[i][0]), r = rte_cpu_to_be_32(blocks[i][1]);

		memcpy(opt + 4 + 8 * i, &l, 4);
		memcpy(opt + 8 + 8 * i, &r, 4);
	}
	return 4 + 8 * n;
}

void
ss_tcp_send_ack(struct ss_worker *w, struct ss_tcp_conn *c)
{
	uint32_t blocks[SS_TCP_SACK_BLOCKS][2];
	unsigned int n = 0;
	struct rte_mbuf *m;
	uint8_t *payload;

	if ((c->flags & SS_TCP_F_SACK) && c->ooo != NULL)
		n = ss_tcp_ooo_sack(c, blocks, SS_TCP_SACK_BLOCKS);
	m = segment_new(w, c, c->snd_nxt, RTE_TCP_ACK_FLAG, n > 0 ? 4 + 8 * n : 0, 0, &payload);
	if (m == NULL)
		return;
	if (n > 0)
		write_sack(payload - (4 + 8 * n), blocks, n);
	segment_send(w, c, m, NULL);
	c->flags &= ~SS_TCP_F_ACK_NOW;
}

void
ss_tcp_send_rst(struct ss_worker *w, struct ss_tcp_conn *c)
{
	send_control(w, c, c->snd_nxt, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG);
	w->stats[c->iface].reply[c->af == SS_AF4 ? SS_REPLY_TCP4_RST : SS_REPLY_TCP6_RST]++;
}

void
ss_tcp_send_synack(struct ss_worker *w, struct ss_tcp_conn *c)
{
	struct rte_mbuf *m;
	uint8_t *opt, *payload;
	uint16_t opt_len;
	int ws = (c->flags & SS_TCP_F_WSCALE) ? c->rcv_wscale : -1;
	bool sack = (c->flags & SS_TCP_F_SACK) != 0;

	opt_len = syn_options_len(ws, sack);
	/* In SYN-RECEIVED our ISN is snd_una. */
	m = segment_new(w, c, c->snd_una, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, opt_len, 0,
			&payload);
	if (m == NULL)
		return;
	opt = payload - opt_len;
	write_syn_options(opt, ss_tcp_our_mss(w, c->iface, c->af), ws, sack);
	((struct rte_tcp_hdr *)(opt - TCP_HLEN))->rx_win = rte_cpu_to_be_16(w->tcp.syn_window);
	segment_send(w, c, m, NULL);
}

/* One segment of n bytes of the stream (from offset off) at seq, with FIN when fin. */
static bool
send_data(struct ss_worker *w, struct ss_tcp_conn *c, uint32_t seq, uint64_t off, uint32_t n,
		bool push, bool fin)
{
	uint8_t flags = RTE_TCP_ACK_FLAG | (push ? RTE_TCP_PSH_FLAG : 0) |
			(fin ? RTE_TCP_FIN_FLAG : 0);
	struct ss_svc_counters *sc = ss_tcp_svc_counters(w, c);
	struct rte_mbuf *m;
	uint64_t sum;
	uint8_t *payload;

	m = segment_new(w, c, seq, flags, 0, n, &payload);
	if (m == NULL)
		return false;
	if (n > 0)
		ss_svc_tcp_fill(&w->svc, c, off, payload, n);
	/* The payload's sum where the service knows it, unless the port sums anyway. */
	segment_send(w, c, m,
			n > 0 && !ss_tx_l4_hw(&w->ifaces[c->iface], IPPROTO_TCP) &&
							ss_svc_tcp_sum(c, off, n, &sum) ?
					&sum :
					NULL);
	if (SEQ_LT(seq, c->snd_max)) {
		ss_tcp_counters(w, c)->retransmits++;
		/* Re-cut after a timeout, a segment may end past what went before. */
		if (SEQ_GT(seq + n, c->snd_max))
			sc->bytes_out += seq + n - c->snd_max;
	} else {
		sc->bytes_out += n;
	}
	if (n > 0)
		sc->replies++;
	return true;
}

void
ss_tcp_retransmit(struct ss_worker *w, struct ss_tcp_conn *c, uint32_t seq, uint32_t max_len)
{
	uint64_t len = ss_svc_tcp_stream_len(&w->svc, c), off = ss_tcp_offset(c, seq);
	bool fin_out = (c->flags & SS_TCP_F_FIN_SENT) != 0;
	uint32_t n;

	/* Only what was sent is sent again: nothing at or past snd_max. */
	if (off > len || (off == len && !fin_out) || !SEQ_LT(seq, c->snd_max))
		return;
	max_len = RTE_MIN(max_len, c->snd_max - seq);
	/* Karn: an ACK that covers resent data says nothing certain of the RTT. */
	if ((c->flags & SS_TCP_F_RTT) && SEQ_LT(seq, c->rtt_seq))
		c->flags &= ~SS_TCP_F_RTT;
	n = (uint32_t)RTE_MIN((uint64_t)RTE_MIN(max_len, (uint32_t)c->mss), len - off);
	send_data(w, c, seq, off, n, n > 0, fin_out && off + n == len);
}

/* After a segment of n bytes (and a FIN) left at snd_nxt. */
static void
advance(struct ss_worker *w, struct ss_tcp_conn *c, uint32_t n, bool fin)
{
	bool fresh = SEQ_GEQ(c->snd_nxt, c->snd_max);

	/*
	 * RFC 6298 5.1: the first segment in flight starts the timer afresh;
	 * a window probe's deadline, still set when the window opens, is not it.
	 */
	if (c->snd_una == c->snd_max)
		c->rtx_at = ss_tick_after(w->tcp.tick, c->rto);
	c->snd_nxt += n + (fin ? 1 : 0);
	if (SEQ_GT(c->snd_nxt, c->snd_max)) {
		c->snd_max = c->snd_nxt;
		/* Karn: time only segments sent for the first time, one at a time. */
		if (fresh && !(c->flags & SS_TCP_F_RTT)) {
			c->flags |= SS_TCP_F_RTT;
			c->rtt_seq = c->snd_nxt;
			c->rtt_start = w->tcp.tick;
		}
	}
	c->flags &= ~SS_TCP_F_ACK_NOW;
	if (!fin)
		return;
	c->flags |= SS_TCP_F_FIN_SENT;
	if (c->state == SS_TCP_ESTABLISHED)
		c->state = SS_TCP_FIN_WAIT_1;
	else if (c->state == SS_TCP_CLOSE_WAIT)
		c->state = SS_TCP_LAST_ACK;
}

/* States in which we may (re)send data and our FIN. */
static bool
may_send(const struct ss_tcp_conn *c)
{
	switch (c->state) {
	case SS_TCP_ESTABLISHED:
	case SS_TCP_CLOSE_WAIT:
	case SS_TCP_FIN_WAIT_1:
	case SS_TCP_CLOSING:
	case SS_TCP_LAST_ACK:
		return true;
	default:
		return false;
	}
}

/*
 * Send what the window lets out. Sender-side silly window avoidance
 * (RFC 9293 3.8.6.2.1): a segment goes if it is full, if it ends the
 * available data, or if nothing is in flight.
 */
static void
send_stream(struct ss_worker *w, struct ss_tcp_conn *c)
{
	uint64_t len = ss_svc_tcp_stream_len(&w->svc, c), off, avail;
	bool closing = c->flags & SS_TCP_F_CLOSE;
	uint32_t wnd, in_flight, n;
	bool fin;

	for (;;) {
		off = ss_tcp_offset(c, c->snd_nxt);
		if (off > len)
			return; /* the FIN is out */
		avail = len - off;
		if (avail == 0) {
			if (closing && send_data(w, c, c->snd_nxt, off, 0, false, true))
				advance(w, c, 0, true);
			return;
		}
		wnd = RTE_MIN(c->snd_wnd, c->cwnd);
		in_flight = c->snd_nxt - c->snd_una;
		if (wnd <= in_flight)
			return;
		n = RTE_MIN((uint64_t)RTE_MIN(wnd - in_flight, (uint32_t)c->mss), avail);
		if (n < c->mss && n < avail && in_flight > 0)
			return;
		fin = closing && n == avail;
		if (!send_data(w, c, c->snd_nxt, off, n, n == avail, fin))
			return;
		advance(w, c, n, fin);
	}
}

void
ss_tcp_output(struct ss_worker *w, struct ss_tcp_conn *c)
{
	/* In SYN-RECEIVED, what the peer is owed is our SYN-ACK again. */
	if (c->state == SS_TCP_SYN_RECEIVED) {
		if (c->flags & SS_TCP_F_ACK_NOW) {
			ss_tcp_send_synack(w, c);
			c->flags &= ~SS_TCP_F_ACK_NOW;
		}
		return;
	}
	if (may_send(c))
		send_stream(w, c);
	if (c->flags & SS_TCP_F_ACK_NOW)
		ss_tcp_send_ack(w, c);
	ss_tcp_rearm(w, c);
}
