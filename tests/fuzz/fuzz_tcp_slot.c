/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The client slots of fuzz_tcp: the segments each op builds, and the model
 * a slot keeps of its connection, as a real peer would (test_peer in
 * tests/unit does the same): its own ISN and next sequence number, and
 * from what the appliance sends it the appliance's ISN, the highest
 * sequence number, its ACK and window. With that model the ops stay
 * meaningful (a handshake completes, an ACK acknowledges what was sent),
 * and three checks hold from the peer's side: a SYN-ACK acknowledges the
 * SYN; the appliance sends no data past the right edge of any window the
 * peer offered; it acknowledges nothing the peer did not send.
 */
#include <string.h>

#include <rte_mbuf.h>

#include "fuzz_tcp.h"
#include "tcp_priv.h"

#define T_FIN RTE_TCP_FIN_FLAG
#define T_SYN RTE_TCP_SYN_FLAG
#define T_RST RTE_TCP_RST_FLAG
#define T_ACK RTE_TCP_ACK_FLAG
#define HALF (UINT32_C(1) << 31)
#define CLOSED_PORT 4000

static const uint8_t shared4[4] = { 192, 0, 2, 99 };
static const uint8_t shared6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x99 };

static unsigned int
alen(const struct fz_slot *s)
{
	return s->v6 ? 16 : 4;
}

/* Payload bytes that fit the appliance's MTU behind bare headers. */
static uint16_t
max_payload(const struct fz_slot *s)
{
	return fz.var->cfg[s->app].port[0].mtu - (s->v6 ? 40 : 20) - 20;
}

static void
slot_addresses(struct fz_slot *s, unsigned int idx, uint8_t how)
{
	s->mac[0] = 0x02;
	s->mac[4] = 0x01;
	s->mac[5] = 0x10 + idx;
	memset(s->src, 0, sizeof(s->src));
	if (how & FZ_SYN_SPOOF) {
		memcpy(s->mac, fz_app_mac(1 - s->app)->addr_bytes, 6);
		memcpy(s->src, fz_app_addr(1 - s->app, s->v6), alen(s));
	} else if (how & FZ_SYN_SHARED) {
		memcpy(s->src, s->v6 ? shared6 : shared4, alen(s));
	} else if (s->v6) {
		memcpy(s->src, shared6, 16);
		s->src[14] = 0x01;
		s->src[15] = idx;
	} else {
		memcpy(s->src, shared4, 4);
		s->src[3] = 100 + idx;
	}
	memcpy(s->dst, fz_app_addr(s->app, s->v6), alen(s));
}

static uint16_t
service_port(const struct fz_slot *s, uint8_t which, uint16_t sport)
{
	which %= 8;
	if (which < SS_SVC_MAX)
		return fz.var->cfg[s->app].svc[which][SS_TCP].port;
	return which == SS_SVC_MAX ? CLOSED_PORT : sport;
}

/* A slot an op names before any SYN of its own: an echo client of A with no handshake. */
static struct fz_slot *
slot_get(uint8_t field)
{
	unsigned int idx = field % FZ_SLOTS;
	struct fz_slot *s = &fz.slot[idx];

	if (s->used)
		return s;
	memset(s, 0, sizeof(*s));
	s->used = true;
	slot_addresses(s, idx, 0);
	s->sport = 40000 + idx;
	s->dport = service_port(s, SS_SVC_ECHO, 0);
	s->iss = 0x10000000u * (idx + 1);
	s->snd_nxt = s->iss + 1;
	s->win = 65535;
	s->mss = max_payload(s);
	s->exclusive = true;
	return s;
}

static bool
same_tuple(const struct fz_slot *a, const struct fz_slot *b)
{
	return a->app == b->app && a->v6 == b->v6 && a->sport == b->sport &&
		a->dport == b->dport && memcmp(a->src, b->src, 16) == 0;
}

static void
slot_key(const struct fz_slot *s, struct ss_tcp_key *k)
{
	memset(k, 0, sizeof(*k));
	if (s->v6) {
		memcpy(k->raddr, s->src, 16);
		memcpy(k->laddr, s->dst, 16);
	} else {
		k->raddr[10] = k->raddr[11] = k->laddr[10] = k->laddr[11] = 0xff;
		memcpy(k->raddr + 12, s->src, 4);
		memcpy(k->laddr + 12, s->dst, 4);
	}
	k->rport = rte_cpu_to_be_16(s->sport);
	k->lport = rte_cpu_to_be_16(s->dport);
}

/* What the slot's own segment tells its model: how far it sent, what window it offered. */
static void
note_sent(struct fz_slot *s, uint8_t flags, uint32_t seq, uint32_t ack, uint16_t win,
	uint16_t len, bool syn_op)
{
	uint32_t end = seq + len + ((flags & T_SYN) ? 1 : 0) + ((flags & T_FIN) ? 1 : 0) - s->iss;
	int64_t edge;

	if (end < HALF && end > s->sent_max)
		s->sent_max = end;
	if ((flags & T_SYN) && !syn_op)
		s->exclusive = false; /* it may start another connection: the model cannot tell */
	if (!(flags & T_ACK))
		return;
	if (!s->synack) {
		/* a window offered to a connection whose ISN the model does not know */
		s->exclusive = false;
		return;
	}
	/* The right edge it offers is SEG.ACK + SEG.WND, even with an ACK behind the ISN. */
	edge = (int64_t)(int32_t)(ack - s->srv_iss) + ((int64_t)win << s->ws);
	if (edge > s->max_edge)
		s->max_edge = edge;
	if (SEQ_GT(ack, s->ack_pt) && SEQ_LEQ(ack, s->srv_max))
		s->ack_pt = ack;
}

/* Ethernet, IP, TCP from the slot; RX checksum flags say good (the checksums are not summed). */
static void
send_seg(struct fz_slot *s, uint8_t flags, uint32_t seq, uint32_t ack, uint16_t win,
	const uint8_t *opt, uint8_t opt_len, uint16_t len, uint8_t seed, bool syn_op)
{
	uint16_t l2 = RTE_ETHER_HDR_LEN + (s->vlan ? 4 : 0), l3 = s->v6 ? 40 : 20;
	uint16_t l4 = 20 + opt_len + len, i;
	struct rte_mbuf *m = fz_app_mbuf();
	uint8_t *d, *ip, *th;

	note_sent(s, flags, seq, ack, win, len, syn_op);
	if (m == NULL)
		return; /* the pool is empty: as if the NIC had dropped it */
	d = (uint8_t *)rte_pktmbuf_append(m, l2 + l3 + l4);
	if (d == NULL) {
		rte_pktmbuf_free(m);
		return;
	}
	memset(d, 0, l2 + l3 + 20);
	memcpy(d, fz_app_mac(s->app)->addr_bytes, 6);
	memcpy(d + 6, s->mac, 6);
	if (s->vlan) {
		fz_put16(d + 12, RTE_ETHER_TYPE_VLAN);
		fz_put16(d + 14, FZ_VLAN);
	}
	fz_put16(d + l2 - 2, s->v6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4);
	ip = d + l2;
	if (s->v6) {
		ip[0] = 0x60;
		fz_put16(ip + 4, l4);
		ip[6] = IPPROTO_TCP;
		ip[7] = 64;
		memcpy(ip + 8, s->src, 16);
		memcpy(ip + 24, s->dst, 16);
	} else {
		ip[0] = 0x45;
		fz_put16(ip + 2, l3 + l4);
		ip[6] = 0x40; /* DF */
		ip[8] = 64;
		ip[9] = IPPROTO_TCP;
		memcpy(ip + 12, s->src, 4);
		memcpy(ip + 16, s->dst, 4);
		fz_put16(ip + 10, (uint16_t)~fz_sum(ip, 20, 0));
	}
	th = ip + l3;
	fz_put16(th, s->sport);
	fz_put16(th + 2, s->dport);
	fz_put32(th + 4, seq);
	fz_put32(th + 8, ack);
	th[12] = (uint8_t)((20 + opt_len) / 4) << 4;
	th[13] = flags;
	fz_put16(th + 14, win);
	if (opt_len > 0)
		memcpy(th + 20, opt, opt_len);
	for (i = 0; i < len; i++)
		th[20 + opt_len + i] = (uint8_t)(seed + i * 7);
	m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	fz_app_feed(s->app, m, true);
}

void
fz_op_syn(const struct fz_op *op)
{
	unsigned int idx = op->b[1] % FZ_SLOTS, i;
	struct fz_slot *s = &fz.slot[idx];
	uint8_t how = op->b[2], opt[12], n = 0;
	struct ss_tcp_key k __attribute__((aligned(8)));

	memset(s, 0, sizeof(*s));
	s->used = true;
	s->app = (how & FZ_SYN_B) ? 1 : 0;
	s->v6 = (how & FZ_SYN_V6) != 0;
	s->vlan = (how & FZ_SYN_VLAN) != 0;
	fz_app_up(s->app);
	if (how & FZ_SYN_SPOOF)
		fz_app_up(1 - s->app);
	slot_addresses(s, idx, how);
	s->sport = fz_op16(op, 4);
	s->dport = service_port(s, op->b[3], s->sport);
	s->mss = max_payload(s);
	if (how & FZ_SYN_MSS) {
		opt[n++] = 2;
		opt[n++] = 4;
		opt[n++] = op->b[6];
		opt[n++] = op->b[7];
	}
	if (how & FZ_SYN_WS) {
		opt[n++] = 1;
		opt[n++] = 3;
		opt[n++] = 3;
		opt[n++] = op->b[8];
		s->ws_sent = true;
		s->ws = RTE_MIN(op->b[8], 14);
	}
	if (how & FZ_SYN_SACK) {
		opt[n++] = 1;
		opt[n++] = 1;
		opt[n++] = 4;
		opt[n++] = 2;
	}
	s->iss = fz_op32(op, 9);
	s->snd_nxt = s->iss + 1;
	s->win = s->syn_win = fz_op16(op, 13);
	s->exclusive = true;
	/*
	 * Another slot on this 4-tuple, a connection already there, or a segment
	 * for it not yet received: the model cannot tell them apart.
	 */
	for (i = 0; i < FZ_SLOTS; i++) {
		if (i != idx && fz.slot[i].used && same_tuple(&fz.slot[i], s)) {
			fz.slot[i].exclusive = false;
			s->exclusive = false;
		}
	}
	slot_key(s, &k);
	if (ss_tcp_lookup(&fz.app[s->app].w.tcp.table, &k) != NULL || fz_app_pending(s->app, &k))
		s->exclusive = false;
	send_seg(s, T_SYN | op->b[15], s->iss, 0, s->win, opt, n, 0, 0, true);
}

void
fz_op_accept(const struct fz_op *op)
{
	struct fz_slot *s = slot_get(op->b[1]);
	uint8_t flags = T_ACK ^ op->b[4];
	uint16_t len = fz_op16(op, 5) % (s->mss + 1);
	uint32_t seq = s->snd_nxt;

	s->win = fz_op16(op, 2);
	send_seg(s, flags, seq, s->synack ? s->srv_iss + 1 : 1, s->win, NULL, 0, len, op->b[7],
		false);
	s->snd_nxt = seq + len + ((flags & T_FIN) ? 1 : 0);
}

static uint32_t
ack_value(const struct fz_slot *s, uint8_t mode, uint32_t delta)
{
	switch (mode % FZ_ACK_MAX) {
	case FZ_ACK_POINT:
		return s->ack_pt + delta;
	case FZ_ACK_ALL:
		return s->srv_max + delta;
	case FZ_ACK_SAME:
		return s->ack_pt;
	default:
		return s->srv_max;
	}
}

void
fz_op_data(const struct fz_op *op)
{
	struct fz_slot *s = slot_get(op->b[1]);
	uint8_t flags = T_ACK ^ op->b[2], mode = op->b[3] % FZ_SEQ_MAX;
	uint32_t d = fz_op32(op, 4), seq;
	uint16_t len = fz_op16(op, 8) % (s->mss + 1);
	uint16_t win = (op->b[15] & 1) ? fz_op16(op, 13) : s->win;

	switch (mode) {
	case FZ_SEQ_NEXT:
		seq = s->snd_nxt;
		break;
	case FZ_SEQ_NEAR:
		seq = s->snd_nxt + (int16_t)d;
		break;
	case FZ_SEQ_ANY:
		seq = s->snd_nxt + d;
		break;
	case FZ_SEQ_EDGE:
		seq = s->srv_ack + s->srv_wnd + (int16_t)d;
		break;
	default:
		seq = s->srv_ack + (int16_t)d;
		break;
	}
	send_seg(s, flags, seq, ack_value(s, op->b[10], (uint32_t)(int8_t)op->b[11]), win, NULL,
		0, len, op->b[12], false);
	if (mode == FZ_SEQ_NEXT)
		s->snd_nxt = seq + len + ((flags & T_FIN) ? 1 : 0) + ((flags & T_SYN) ? 1 : 0);
}

void
fz_op_ack(const struct fz_op *op)
{
	struct fz_slot *s = slot_get(op->b[1]);
	uint32_t ack = ack_value(s, op->b[2], fz_op32(op, 3));
	unsigned int nsack = RTE_MIN(op->b[9] & 7, 4), repeat = ((op->b[9] >> 4) & 7) + 1, i;
	uint8_t opt[36], n = 0;

	if (nsack > 0) {
		opt[n++] = 1;
		opt[n++] = 1;
		opt[n++] = 5;
		opt[n++] = 2 + 8 * nsack;
		for (i = 0; i < nsack; i++) {
			uint32_t base = (op->b[11] >> i & 1) ? s->srv_max : ack;
			uint32_t left = base + fz_op32(op, 12 + 8 * i);

			fz_put32(opt + n, left);
			fz_put32(opt + n + 4, left + fz_op32(op, 16 + 8 * i));
			n += 8;
		}
	}
	for (i = 0; i < repeat; i++)
		send_seg(s, T_ACK ^ op->b[10], s->snd_nxt, ack, fz_op16(op, 7), opt, n, 0, 0,
			false);
}

void
fz_op_window(const struct fz_op *op)
{
	struct fz_slot *s = slot_get(op->b[1]);

	s->win = fz_op16(op, 2);
	send_seg(s, T_ACK, s->snd_nxt, s->ack_pt, s->win, NULL, 0, 0, 0, false);
}

void
fz_op_rst(const struct fz_op *op)
{
	struct fz_slot *s = slot_get(op->b[1]);
	uint32_t d = fz_op32(op, 3), seq;
	uint8_t flags = T_RST | ((op->b[2] & FZ_RST_WITH_ACK) ? T_ACK : 0);

	switch (op->b[2] & 3) {
	case FZ_RST_EXACT:
		seq = s->snd_nxt;
		break;
	case FZ_RST_NEAR:
		seq = s->snd_nxt + (int16_t)d;
		break;
	case FZ_RST_ANY:
		seq = s->snd_nxt + d;
		break;
	default:
		seq = s->srv_ack + (int16_t)d;
		break;
	}
	send_seg(s, flags, seq, s->ack_pt, s->win, NULL, 0, 0, 0, false);
}

void
fz_op_raw(const struct fz_op *op)
{
	unsigned int app = op->b[1] & FZ_RAW_B;
	struct rte_mbuf *m;
	uint8_t *d;

	fz_app_up(app);
	m = fz_app_mbuf();
	if (m == NULL)
		return;
	d = (uint8_t *)rte_pktmbuf_append(m, op->frame_len);
	if (d == NULL) {
		rte_pktmbuf_free(m);
		return;
	}
	if (op->frame_len > 0)
		memcpy(d, op->frame, op->frame_len);
	/* A port says good only of checksums that are: GOOD fixes them first. */
	if ((op->b[1] & (FZ_RAW_FIX | FZ_RAW_GOOD)) && fz_fix_checksums(d, op->frame_len) &&
			(op->b[1] & FZ_RAW_GOOD))
		m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	fz_slot_foreign(app, d, op->frame_len);
	fz_app_feed(app, m, false);
}

/* A frame to appliance app that no slot built: the slots on its 4-tuple lose their checks. */
void
fz_slot_foreign(unsigned int app, const uint8_t *frame, uint16_t len)
{
	struct ss_tcp_key sk __attribute__((aligned(8)));
	struct fz_seg seg;
	unsigned int i;

	if (!fz_frame_seg(frame, len, &seg))
		return;
	for (i = 0; i < FZ_SLOTS; i++) {
		struct fz_slot *s = &fz.slot[i];

		if (!s->used || s->app != app)
			continue;
		slot_key(s, &sk);
		if (memcmp(&seg.key, &sk, sizeof(sk)) == 0)
			s->exclusive = false;
	}
}

static bool
frame_is_for(const struct fz_slot *s, unsigned int app, const struct fz_frame *f)
{
	return s->used && s->app == app && s->v6 == f->ipv6 && f->dport == s->sport &&
		f->sport == s->dport && memcmp(f->dst_ip, s->src, alen(s)) == 0 &&
		memcmp(f->src_ip, s->dst, alen(s)) == 0;
}

static void
learn_synack(struct fz_slot *s, const struct fz_frame *f)
{
	if (s->synack && f->seq != s->srv_iss)
		s->exclusive = false; /* another incarnation */
	if (!s->synack || f->seq != s->srv_iss) {
		s->srv_iss = f->seq;
		s->srv_max = f->seq + 1;
		s->ack_pt = f->seq + 1;
		s->max_edge = 1 + (int64_t)s->syn_win; /* the SYN's window is never scaled */
	}
	s->synack = true;
	s->srv_ack = f->ack;
	s->srv_ws = (s->ws_sent && f->wscale >= 0) ? f->wscale : 0;
	s->srv_wnd = f->win;
	if (s->exclusive && f->ack != s->iss + 1)
		fz_fail("SYN-ACK to slot port %u acknowledges %u, not the SYN's %u + 1", s->sport,
			f->ack, s->iss);
}

/* The checks from the peer's side on a segment of a connection that is the slot's alone. */
static void
check_segment(const struct fz_slot *s, const struct fz_frame *f)
{
	uint32_t off;

	if (memcmp(f->dst_mac, s->mac, 6) != 0 || f->vlan != (s->vlan ? FZ_VLAN : -1))
		fz_fail("segment to slot port %u: wrong MAC or VLAN %d", s->sport, f->vlan);
	if (f->data_len > 0) {
		off = f->seq - s->srv_iss;
		if (off == 0 || off >= HALF)
			fz_fail("data at sequence %u, ISN %u", f->seq, s->srv_iss);
		if ((int64_t)off + f->data_len > s->max_edge)
			fz_fail("%u bytes at offset %u to slot port %u: past the right edge %ld of "
				"every window it offered", f->data_len, off, s->sport,
				(long)s->max_edge);
	}
	if (f->flags & T_ACK) {
		off = f->ack - s->iss;
		if (off > s->sent_max)
			fz_fail("ACK of offset %u to slot port %u, which sent up to %u", off,
				s->sport, s->sent_max);
	}
}

void
fz_slot_learn(unsigned int app, const struct fz_frame *f)
{
	unsigned int i;

	if (f->proto != IPPROTO_TCP)
		return;
	for (i = 0; i < FZ_SLOTS; i++) {
		struct fz_slot *s = &fz.slot[i];
		uint32_t end;

		if (!frame_is_for(s, app, f))
			continue;
		if (f->flags & T_SYN) {
			learn_synack(s, f);
			continue;
		}
		/* A RST's sequence number is the ACK of what it answers: nothing to learn. */
		if (!s->synack || (f->flags & T_RST))
			continue;
		end = f->seq + f->data_len + ((f->flags & T_FIN) ? 1 : 0);
		if (SEQ_GT(end, s->srv_max))
			s->srv_max = end;
		if (f->flags & T_ACK) {
			s->srv_ack = f->ack;
			s->srv_wnd = (uint32_t)f->win << s->srv_ws;
			/* What it sent ahead of a hole is in now: its next in-order byte is past it. */
			if (SEQ_GT(f->ack, s->snd_nxt) && f->ack - s->iss <= s->sent_max)
				s->snd_nxt = f->ack;
		}
		if (s->exclusive)
			check_segment(s, f);
	}
}

bool
fz_frame_seg(const uint8_t *frame, uint16_t len, struct fz_seg *seg)
{
	uint16_t l3 = RTE_ETHER_HDR_LEN, type, l4, end;
	struct ss_tcp_key *k = &seg->key;
	uint8_t proto;

	if (len < 18)
		return false;
	type = fz_be16(frame + 12);
	if (type == RTE_ETHER_TYPE_VLAN) {
		type = fz_be16(frame + 16);
		l3 = 18;
	}
	memset(k, 0, sizeof(*k));
	if (type == RTE_ETHER_TYPE_IPV4) {
		if (len < l3 + 20)
			return false;
		proto = frame[l3 + 9];
		l4 = l3 + (frame[l3] & 0xf) * 4;
		end = l3 + fz_be16(frame + l3 + 2);
		k->raddr[10] = k->raddr[11] = k->laddr[10] = k->laddr[11] = 0xff;
		memcpy(k->raddr + 12, frame + l3 + 12, 4);
		memcpy(k->laddr + 12, frame + l3 + 16, 4);
	} else if (type == RTE_ETHER_TYPE_IPV6) {
		if (len < l3 + 40)
			return false;
		proto = frame[l3 + 6];
		l4 = l3 + 40;
		end = l4 + fz_be16(frame + l3 + 4);
		memcpy(k->raddr, frame + l3 + 8, 16);
		memcpy(k->laddr, frame + l3 + 24, 16);
		if (!fz_ip6_upper(frame, len, &l4, &proto))
			return false;
	} else {
		return false;
	}
	if (proto != IPPROTO_TCP || end > len || l4 + 20 > end)
		return false;
	memcpy(&k->rport, frame + l4, 2);
	memcpy(&k->lport, frame + l4 + 2, 2);
	seg->l4 = l4;
	seg->flags = frame[l4 + 13];
	seg->data_len = end - l4 - RTE_MIN((uint16_t)((frame[l4 + 12] >> 4) * 4),
		(uint16_t)(end - l4));
	return true;
}
