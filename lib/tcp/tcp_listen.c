/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A listening port (RFC 9293 3.10.7.2, with SYN cookies): a SYN gets a
 * SYN-ACK whose ISN is a cookie, and a table entry while few handshakes are
 * pending; the final ACK of a handshake that left no entry is accepted on
 * the strength of its cookie. A SYN whose connection the caps would refuse
 * gets a RST instead. Every connection starts here.
 */
#include <string.h>

#include <rte_tcp.h>

#include "eth.h"
#include "tcp_cookie.h"
#include "tcp_priv.h"

/* The SYN's options we use (MSS, window scale); -1 if they are malformed. */
static int
parse_syn_options(struct ss_tcp_seg *s)
{
	const uint8_t *o = (const uint8_t *)(s->th + 1);
	uint16_t n = s->hlen - sizeof(*s->th), i = 0;

	while (i < n) {
		uint8_t kind = o[i], len;

		if (kind == 0) /* end of options */
			break;
		if (kind == 1) { /* NOP */
			i++;
			continue;
		}
		if (i + 1 >= n || (len = o[i + 1]) < 2 || i + len > n)
			return -1;
		if (kind == 2) {
			if (len != 4)
				return -1;
			s->mss = o[i + 2] << 8 | o[i + 3];
		} else if (kind == 3) {
			if (len != 3)
				return -1;
			s->wscale = RTE_MIN(o[i + 2], 14); /* RFC 7323 2.3: at most 14 */
		} else if (kind == 4) {
			if (len != 2)
				return -1;
			s->sack_ok = true;
		}
		i += len;
	}
	return 0;
}

/*
 * A connection for the segment's tuple, if the table has room (not yet
 * counted). No room is the caller's to count: for a SYN it means a cookie
 * alone, not a refusal.
 */
static struct ss_tcp_conn *
conn_new(struct ss_pkt *p, const struct ss_tcp_key *k, uint16_t src_slot, enum ss_svc svc)
{
	struct ss_worker *w = p->w;
	unsigned int iface = p->iface - w->ifaces;
	struct ss_tcp_conn *c;
	bool evicted;
	int vlan;

	c = ss_tcp_conn_new(&w->tcp.table, k, src_slot, &evicted);
	if (c == NULL)
		return NULL;
	if (evicted)
		ss_tcp_event(w, iface, SS_TCP_EV_TIME_WAIT_REUSED);
	c->svc = svc;
	c->af = p->af;
	c->iface = iface;
	/* Segments go back to the MAC (and VLAN) the SYN came from: no neighbour cache. */
	ss_eth_peer(p, &c->peer_mac, &vlan);
	if (vlan >= 0) {
		c->flags |= SS_TCP_F_VLAN;
		c->vlan_tci = vlan;
	}
	c->last_rx = w->tcp.tick;
	return c;
}

/*
 * Why a connection from the source in src_slot would be refused at the end
 * of its handshake, as things stand; SS_TCP_EV_MAX if it would not. Only
 * connections past their handshake count, against the source's cap and the
 * table: SYN-RECEIVED entries (a SYN flood's, perhaps spoofed from the
 * client's address) must not have anyone refused, and TIME-WAIT ones give
 * way (ss_tcp_conn_new).
 */
static __rte_always_inline enum ss_tcp_event
refusal(const struct ss_worker *w, const struct ss_tcp_key *k)
{
	const struct ss_tcp_table *t = &w->tcp.table;
	uint32_t established = ss_tcp_n_established(t);

	/* Fewer in all than one source may have, and room: no key to hash (a SYN flood's case). */
	if (likely(established < w->cfg->tcp.max_per_source && established < t->capacity))
		return SS_TCP_EV_MAX;
	if (t->sources[ss_tcp_source_slot(t, k)].conns >= w->cfg->tcp.max_per_source)
		return SS_TCP_EV_SOURCE_FULL;
	if (ss_tcp_table_refuses(t))
		return SS_TCP_EV_TABLE_FULL;
	return SS_TCP_EV_MAX;
}

/*
 * A connection refused: the RST a closed port answers (RFC 9293 3.10.7.1),
 * so that the client sees ECONNREFUSED. Like it, not rate-limited: one RST
 * per segment, never larger than the segment, where a SYN used to get a
 * larger SYN-ACK.
 */
static enum ss_verdict
refuse(struct ss_pkt *p, enum ss_svc svc, enum ss_tcp_event why)
{
	ss_tcp_event(p->w, p->iface - p->w->ifaces, why);
	p->stats->tcp[svc][p->af].refused++;
	return ss_tcp_reply_rst(p);
}

bool
ss_tcp_admit(struct ss_worker *w, struct ss_tcp_conn *c)
{
	if (ss_tcp_source_take(&w->tcp.table, c, w->cfg->tcp.max_per_source))
		return true;
	ss_tcp_event(w, c->iface, SS_TCP_EV_SOURCE_FULL);
	ss_tcp_counters(w, c)->refused++;
	return false;
}

/*
 * May a SYN from the source in src_slot have a table entry? Only while the
 * table and the source each have few pending (past that, a cookie alone):
 * entries re-send their SYN-ACK, and a spoofer must get no more of them
 * aimed at one victim than max_half_open_per_source.
 */
static bool
half_open_room(struct ss_worker *w, uint16_t src_slot)
{
	const struct ss_tcp_table *t = &w->tcp.table;

	return t->half_open < w->cfg->tcp.max_half_open &&
			t->sources[src_slot].half_open < w->cfg->tcp.max_half_open_per_source;
}

/* The sequence numbers of a connection whose handshake is (being) done. */
static void
conn_set_handshake(struct ss_worker *w, struct ss_tcp_conn *c, uint32_t iss, uint32_t irs,
		uint16_t mss, uint8_t peer_wscale, bool sack)
{
	if (sack)
		c->flags |= SS_TCP_F_SACK;
	c->rcv_nxt = irs + 1;
	c->snd_una = iss;
	c->snd_nxt = c->snd_max = iss + 1;
	c->mss = RTE_MIN(mss, ss_tcp_our_mss(w, c->iface, c->af));
	if (peer_wscale != SS_TCP_COOKIE_NO_WSCALE) {
		c->flags |= SS_TCP_F_WSCALE;
		c->snd_wscale = peer_wscale;
		c->rcv_wscale = w->tcp.rcv_wscale;
	}
	ss_tcp_cc_init(c, &w->cfg->tcp);
}

enum ss_verdict
ss_tcp_listen_syn(struct ss_pkt *p, struct ss_tcp_seg *s, const struct ss_tcp_key *k,
		enum ss_svc svc)
{
	struct ss_worker *w = p->w;
	unsigned int iface = p->iface - w->ifaces;
	uint16_t our_mss = ss_tcp_our_mss(w, iface, p->af);
	struct ss_tcp_conn *c = NULL;
	enum ss_tcp_event why;
	uint16_t mss, src_slot;
	uint32_t cookie;

	if (parse_syn_options(s) < 0)
		return SS_DROP_TCP_BAD_OPTIONS;
	/*
	 * Refused at its end, the handshake is refused now: a RST to the SYN,
	 * not a SYN-ACK and then a RST to the final ACK, which a client sees
	 * as a connection made and reset.
	 */
	why = refusal(w, k);
	if (why != SS_TCP_EV_MAX)
		return refuse(p, svc, why);
	mss = s->mss != 0 ? s->mss : (p->af == SS_AF4 ? SS_TCP_DEFAULT_MSS4 : SS_TCP_DEFAULT_MSS6);
	/*
	 * An MSS of 1 would have chargen send a byte a segment: raised to
	 * Linux's floor (tcp_min_snd_mss, 48). Up to there the peer's word is
	 * kept (RFC 9293 3.7.1: never more than it said). The cookie path
	 * cannot: its smallest MSS is 536, as Linux's.
	 */
	if (mss < SS_TCP_MIN_MSS) {
		ss_tcp_event(w, iface, SS_TCP_EV_MSS_RAISED);
		mss = SS_TCP_MIN_MSS;
	}
	mss = RTE_MIN(mss, our_mss);
	cookie = ss_tcp_cookie_make(&ss_tcp_secret, k, s->seq, w->clock.sec, mss, s->wscale,
			s->sack_ok);
	/* No entry (none free: handshakes under way fill the rest) is a cookie alone. */
	if (w->tcp.table.half_open < w->cfg->tcp.max_half_open) {
		src_slot = ss_tcp_source_slot(&w->tcp.table, k);
		if (half_open_room(w, src_slot))
			c = conn_new(p, k, src_slot, svc);
	}
	if (c != NULL) {
		conn_set_handshake(w, c, cookie, s->seq, mss, s->wscale, s->sack_ok);
		c->state = SS_TCP_SYN_RECEIVED;
		ss_tcp_half_open_begin(&w->tcp.table, c);
		c->snd_wnd = s->wnd; /* never scaled in a SYN */
		c->snd_wl1 = s->seq;
		c->rtx_at = ss_tick_after(w->tcp.tick, c->rto);
		ss_tcp_rearm(w, c);
		ss_tcp_event(w, iface, SS_TCP_EV_SYNACK_STATEFUL);
	} else {
		ss_tcp_event(w, iface, SS_TCP_EV_SYNACK_COOKIE);
	}
	return ss_tcp_reply_synack(p, s, cookie, our_mss,
			s->wscale != SS_TCP_COOKIE_NO_WSCALE ? w->tcp.rcv_wscale : -1, s->sack_ok);
}

/* Does the ACK s carry a cookie we made for k? Its MSS, window scale and SACK if so. */
static bool
cookie_valid(struct ss_worker *w, const struct ss_tcp_seg *s, const struct ss_tcp_key *k,
		uint16_t *mss, uint8_t *wscale, bool *sack)
{
	return ss_tcp_cookie_check(&ss_tcp_secret, k, s->seq - 1, s->ack - 1, w->clock.sec, mss,
			wscale, sack);
}

bool
ss_tcp_cookie_resync(struct ss_worker *w, struct ss_tcp_conn *c, const struct ss_tcp_seg *s)
{
	uint8_t wscale;
	uint16_t mss;
	bool sack;

	if (!cookie_valid(w, s, &c->key, &mss, &wscale, &sack))
		return false;
	/* The handshake it completes is the earlier one: take its numbers and options. */
	c->flags &= ~(SS_TCP_F_SACK | SS_TCP_F_WSCALE);
	c->snd_wscale = c->rcv_wscale = 0;
	conn_set_handshake(w, c, s->ack - 1, s->seq - 1, mss, wscale, sack);
	c->snd_wl1 = s->seq - 1; /* so that this segment's window is taken */
	ss_tcp_event(w, c->iface, SS_TCP_EV_COOKIE_RESYNC);
	return true;
}

/* The final ACK of a handshake we kept no state for: its cookie is the proof. */
static enum ss_verdict
tcp_cookie_ack(struct ss_pkt *p, struct ss_tcp_seg *s, const struct ss_tcp_key *k, enum ss_svc svc)
{
	struct ss_worker *w = p->w;
	unsigned int iface = p->iface - w->ifaces;
	struct ss_tcp_conn *c;
	enum ss_tcp_event why;
	uint16_t mss, src_slot;
	uint8_t wscale;
	bool sack;

	if (!cookie_valid(w, s, k, &mss, &wscale, &sack)) {
		ss_tcp_event(w, iface, SS_TCP_EV_COOKIE_REJECTED);
		return ss_tcp_reply_rst(p);
	}
	/*
	 * Its SYN was not refused, but others may have completed since. The
	 * source's cap first: a refused source must not take a TIME-WAIT
	 * entry's place.
	 */
	why = refusal(w, k);
	if (why != SS_TCP_EV_MAX)
		return refuse(p, svc, why);
	src_slot = ss_tcp_source_slot(&w->tcp.table, k);
	c = conn_new(p, k, src_slot, svc);
	if (c == NULL) /* handshake entries fill the rest */
		return refuse(p, svc, SS_TCP_EV_TABLE_FULL);
	ss_tcp_source_take(&w->tcp.table, c, w->cfg->tcp.max_per_source);
	conn_set_handshake(w, c, s->ack - 1, s->seq - 1, mss, wscale, sack);
	c->snd_wl1 = s->seq - 1; /* so that this segment's window is taken */
	ss_tcp_event(w, iface, SS_TCP_EV_COOKIE_ACCEPTED);
	ss_tcp_established(w, c);
	return ss_tcp_conn_input(p, c, s);
}

enum ss_verdict
ss_tcp_listen(struct ss_pkt *p, struct ss_tcp_seg *s, const struct ss_tcp_key *k, enum ss_svc svc)
{
	if (s->flags & RTE_TCP_RST_FLAG)
		return SS_DROP_TCP_RST_IN;
	/* SYN with FIN: a scanner's probe, not a handshake; Linux drops it too. */
	if ((s->flags & (RTE_TCP_SYN_FLAG | RTE_TCP_FIN_FLAG)) ==
			(RTE_TCP_SYN_FLAG | RTE_TCP_FIN_FLAG))
		return SS_DROP_TCP_SYN_FIN;
	if (s->flags & RTE_TCP_ACK_FLAG) {
		if (!(s->flags & RTE_TCP_SYN_FLAG))
			return tcp_cookie_ack(p, s, k, svc);
		return ss_tcp_reply_rst(p);
	}
	if (!(s->flags & RTE_TCP_SYN_FLAG))
		return SS_DROP_TCP_NO_ACK;
	return ss_tcp_listen_syn(p, s, k, svc);
}
