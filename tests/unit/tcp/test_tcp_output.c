/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcp_output.c: the RST of RFC 9293 3.10.7.1, field by field, over IPv4
 * and IPv6, with options, data, SYN and FIN in the segment it answers;
 * then the segments a connection builds from scratch (headers, VLAN tag,
 * SYN-ACK option layout, window scale choice, sender-side silly window
 * avoidance, RST on abort, an empty mbuf pool).
 */
#include "harness.h"

#include <netinet/in.h>
#include <string.h>

#include <rte_tcp.h>

#include "clock.h"
#include "stats.h"
#include "tcp_priv.h"
#include "tcp_harness.h"

#define L3 14
#define CLOSED 4444

static const uint8_t mac_us[6] = TEST_MAC_US;
static const uint8_t mac_peer[6] = TEST_MAC_PEER;

/*
 * Send the segment s from the test peer's address and port 40000 to port
 * dport (no peer here: seq and ack are 0 unless given); expect a RST and
 * check all of it but seq, ack and flags.
 */
static void
rst_for(struct test_env *env, int v6, uint16_t dport, const struct test_seg_spec *s, uint8_t *out,
		size_t *out_len)
{
	uint8_t buf[9100], payload[9000];
	struct test_frame f;
	size_t l4 = test_l4_off_af(v6), flen;

	test_frame_defaults(&f, v6);
	f.proto = IPPROTO_TCP;
	if (s->opt_len > 0)
		memcpy(payload, s->opt, s->opt_len);
	if (s->len > 0)
		memcpy(payload + s->opt_len, s->data, s->len);
	flen = test_build_tcp(buf, &f, 40000, dport, s->flags, s->seq, s->ack, payload,
			s->opt_len + s->len);
	if (s->opt_len > 0)
		buf[l4 + 12] = (5 + s->opt_len / 4) << 4;
	buf[l4 + 14] = 0x12; /* a window */
	buf[l4 + 18] = 0x00; /* an urgent pointer */
	buf[l4 + 19] = 0x05;
	test_fix_l4_cksum(buf, L3, v6);
	assert_int_equal(test_input(env, buf, flen, out, out_len), SS_VERDICT_TX);

	assert_int_equal(*out_len, l4 + 20);
	test_check_ip_reply(out, L3, v6, test_ip_us[v6], test_ip_peer[v6], IPPROTO_TCP, 20);
	assert_int_equal(test_be16(out, l4), dport);
	assert_int_equal(test_be16(out, l4 + 2), 40000);
	assert_int_equal(out[l4 + 12], 5 << 4); /* no options */
	assert_int_equal(test_be16(out, l4 + 14), 0);
	assert_int_equal(test_be16(out, l4 + 18), 0);
	assert_true(test_l4_cksum_ok(out, *out_len, L3, v6));
}

static uint32_t
seq_of(const uint8_t *out, int v6)
{
	return test_be32(out, test_l4_off_af(v6) + 4);
}

static uint32_t
ack_of(const uint8_t *out, int v6)
{
	return test_be32(out, test_l4_off_af(v6) + 8);
}

static uint8_t
flags_of(const uint8_t *out, int v6)
{
	return out[test_l4_off_af(v6) + 13];
}

static void
test_rst_for_syn(void **state)
{
	struct test_env *env = *state;
	uint8_t out[9100];
	size_t out_len;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		out_len = sizeof(out);
		rst_for(env, v6, CLOSED,
				&(struct test_seg_spec){ .flags = RTE_TCP_SYN_FLAG,
						SEQ(0x11223344),
						ACK(0x55667788) },
				out, &out_len);
		assert_int_equal(seq_of(out, v6), 0);
		assert_int_equal(ack_of(out, v6), 0x11223345);
		assert_int_equal(flags_of(out, v6), RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG);
	}
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_TCP4_RST], 1);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_TCP6_RST], 1);
}

static void
test_rst_for_ack(void **state)
{
	struct test_env *env = *state;
	const uint8_t flags[] = {
		RTE_TCP_ACK_FLAG,
		RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG,
		RTE_TCP_ACK_FLAG | RTE_TCP_FIN_FLAG,
		RTE_TCP_ACK_FLAG | RTE_TCP_SYN_FLAG,
	};
	uint8_t out[9100];
	unsigned int i;
	size_t out_len;
	int v6;

	/* The RST takes its sequence number from the segment's ACK, and has no ACK. */
	for (v6 = 0; v6 <= 1; v6++) {
		for (i = 0; i < RTE_DIM(flags); i++) {
			out_len = sizeof(out);
			rst_for(env, v6, CLOSED,
					&(struct test_seg_spec){ .flags = flags[i],
							SEQ(1000 + i),
							ACK(0xfedcba98 - i),
							.data = "payload",
							.len = i % 2 ? 7 : 0 },
					out, &out_len);
			assert_int_equal(seq_of(out, v6), 0xfedcba98 - i);
			assert_int_equal(flags_of(out, v6), RTE_TCP_RST_FLAG);
		}
	}
}

static void
test_ack_counts_data_syn_fin(void **state)
{
	struct test_env *env = *state;
	const struct {
		uint8_t flags;
		size_t len;
		uint32_t seq;
		uint32_t ack;
	} cases[] = {
		{ RTE_TCP_SYN_FLAG, 10, 100, 111 }, { RTE_TCP_FIN_FLAG, 5, 100, 106 },
		{ RTE_TCP_FIN_FLAG, 0, 100, 101 },
		{ RTE_TCP_SYN_FLAG | RTE_TCP_FIN_FLAG, 3, 100, 105 },
		{ RTE_TCP_SYN_FLAG | RTE_TCP_FIN_FLAG, 0, 100, 102 },
		{ RTE_TCP_PSH_FLAG, 7, 100, 107 }, { 0, 0, 100, 100 },      /* a null scan */
		{ 0, 1, 100, 101 }, { RTE_TCP_SYN_FLAG, 5, 0xfffffffe, 4 }, /* wraps */
		{ RTE_TCP_SYN_FLAG, 0, 0xffffffff, 0 },
		{ RTE_TCP_FIN_FLAG | RTE_TCP_PSH_FLAG | RTE_TCP_URG_FLAG, 2, 7, 10 }, /* xmas */
	};
	uint8_t data[16] = "0123456789abcdef";
	uint8_t out[9100];
	unsigned int i;
	size_t out_len;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		for (i = 0; i < RTE_DIM(cases); i++) {
			out_len = sizeof(out);
			rst_for(env, v6, CLOSED,
					&(struct test_seg_spec){ .flags = cases[i].flags,
							SEQ(cases[i].seq),
							ACK(0x4242),
							.data = data,
							.len = cases[i].len },
					out, &out_len);
			assert_int_equal(seq_of(out, v6), 0);
			assert_int_equal(ack_of(out, v6), cases[i].ack);
			assert_int_equal(flags_of(out, v6), RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG);
		}
	}
}

static void
test_options_stripped(void **state)
{
	struct test_env *env = *state;
	/* MSS 1460, SACK permitted, timestamps, NOP, window scale 7. */
	const uint8_t opt[20] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3,
		7 };
	uint8_t out[9100];
	size_t out_len;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		/* Options are not sequence space; data behind them is. */
		out_len = sizeof(out);
		rst_for(env, v6, CLOSED,
				&(struct test_seg_spec){ .flags = RTE_TCP_SYN_FLAG,
						SEQ(5000),
						.opt = opt,
						.opt_len = sizeof(opt) },
				out, &out_len);
		assert_int_equal(ack_of(out, v6), 5001);
		out_len = sizeof(out);
		rst_for(env, v6, CLOSED,
				&(struct test_seg_spec){ .flags = RTE_TCP_SYN_FLAG,
						SEQ(5000),
						.opt = opt,
						.opt_len = sizeof(opt),
						.data = "abcd",
						.len = 4 },
				out, &out_len);
		assert_int_equal(ack_of(out, v6), 5005);
		out_len = sizeof(out);
		rst_for(env, v6, CLOSED,
				&(struct test_seg_spec){ .flags = RTE_TCP_ACK_FLAG,
						SEQ(5000),
						ACK(777),
						.opt = opt,
						.opt_len = 12,
						.data = "abcd",
						.len = 4 },
				out, &out_len);
		assert_int_equal(seq_of(out, v6), 777);
	}
}

static void
test_ip_options_and_ext_headers_stripped(void **state)
{
	struct test_env *env = *state;
	const uint8_t ip_opt[8] = { 0x94, 0x04, 0x00, 0x00, 1, 1, 1, 0 };
	const uint8_t dstopts[8] = { 0, 0, 1, 4, 0, 0, 0, 0 };
	uint8_t buf[9100], out[9100];
	struct test_frame f;
	size_t len, out_len = sizeof(out);

	test_frame_defaults(&f, 0);
	f.proto = IPPROTO_TCP;
	len = test_build_tcp(buf, &f, 40000, CLOSED, RTE_TCP_SYN_FLAG, 9, 0, "xy", 2);
	len = test_ip4_add_options(buf, len, L3, ip_opt, sizeof(ip_opt));
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, L3 + 20 + 20);
	assert_int_equal(out[L3], 0x45);
	assert_int_equal(test_be16(out, L3 + 2), 40);
	assert_true(test_ip4_cksum_ok(out, L3));
	assert_int_equal(test_be32(out, L3 + 20 + 8), 12);
	assert_true(test_l4_cksum_ok(out, out_len, L3, 0));

	test_frame_defaults(&f, 1);
	f.proto = IPPROTO_TCP;
	len = test_build_tcp(buf, &f, 40000, CLOSED, RTE_TCP_SYN_FLAG, 9, 0, "xy", 2);
	len = test_ip6_add_ext(buf, len, L3, IPPROTO_DSTOPTS, dstopts, sizeof(dstopts));
	len = test_ip6_add_ext(buf, len, L3, IPPROTO_HOPOPTS, dstopts, sizeof(dstopts));
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, L3 + 40 + 20);
	assert_int_equal(out[L3 + 6], IPPROTO_TCP);
	assert_int_equal(test_be16(out, L3 + 4), 20);
	assert_int_equal(test_be32(out, L3 + 40 + 8), 12);
	assert_true(test_l4_cksum_ok(out, out_len, L3, 1));
}

static void
test_padding_not_counted(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	struct test_frame f;
	size_t len, out_len = sizeof(out);

	/* A bare SYN is 54 bytes: Ethernet pads it, the padding is no data. */
	test_frame_defaults(&f, 0);
	f.proto = IPPROTO_TCP;
	len = test_build_tcp(buf, &f, 40000, CLOSED, RTE_TCP_SYN_FLAG, 99, 0, NULL, 0);
	assert_int_equal(len, 54);
	memset(buf + len, 0xcc, 6);
	assert_int_equal(test_input(env, buf, 60, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, 54);
	assert_int_equal(test_be32(out, L3 + 20 + 8), 100);
}

static void
test_vlan_kept(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	struct test_frame f;
	size_t len, out_len = sizeof(out);

	test_frame_defaults(&f, 1);
	f.proto = IPPROTO_TCP;
	f.vlan = 100;
	len = test_build_tcp(buf, &f, 40000, CLOSED, RTE_TCP_SYN_FLAG, 1, 0, NULL, 0);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, 18 + 40 + 20);
	assert_int_equal(test_be16(out, 12), 0x8100);
	assert_int_equal(test_be16(out, 14), 100);
	assert_int_equal(test_be32(out, 18 + 40 + 8), 2);
	assert_true(test_l4_cksum_ok(out, out_len, 18, 1));
}

/*
 * Segments of a connection, built from scratch.
 */

static struct test_seg segs[TEST_SEGS_MAX];

static unsigned int
drain(struct test_env *env)
{
	return test_tcp_drain(env, segs, TEST_SEGS_MAX);
}

static void
test_segment_headers(void **state)
{
	struct test_env *env = *state;
	struct test_peer p;
	unsigned int i;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		test_peer_init(&p, env, v6, NULL, 40000 + v6, CHARGEN, 1);
		test_peer_connect(&p, 1460, -1, 0);
		assert_int_equal(drain(env), 10);
		for (i = 0; i < 10; i++) {
			const struct test_seg *s = &segs[i];

			/* To the peer's MAC and address, from ours; checksums checked in parsing. */
			assert_memory_equal(s->dst_mac, mac_peer, 6);
			assert_memory_equal(s->src_mac, mac_us, 6);
			assert_int_equal(s->vlan, -1);
			assert_int_equal(s->ipv6, v6);
			test_check_addr(s->src, v6, test_ip_us[v6]);
			test_check_addr(s->dst, v6, test_ip_peer[v6]);
			assert_int_equal(s->ttl, 64);
			if (!v6)
				assert_true(s->df);
			assert_int_equal(s->sport, CHARGEN);
			assert_int_equal(s->dport, 40000 + v6);
			assert_int_equal(s->opt_len, 0);
			assert_int_equal(s->urp, 0);
			assert_int_equal(s->win, 65535);
			assert_int_equal(s->len, v6 ? 1440 : 1460);
		}
	}
}

static void
test_vlan_connection(void **state)
{
	struct test_env *env = *state;
	struct test_seg sa;
	struct test_peer p;

	/* A connection that came tagged answers tagged, in place and from scratch. */
	test_peer_init(&p, env, 0, NULL, 40000, DAYTIME, 1);
	p.f.vlan = 42;
	test_peer_syn(&p, 1460, -1, 0, &sa);
	assert_int_equal(sa.vlan, 42);
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	assert_int_equal(segs[0].vlan, 42);
	assert_int_equal(segs[0].len, 26);
	assert_true(test_peer_conn(&p)->flags & SS_TCP_F_VLAN);
}

static void
test_synack_options_layout(void **state)
{
	struct test_env *env = *state;
	const uint8_t want[12] = { 2, 4, 0x05, 0xb4, 1, 3, 3, 0, 1, 1, 4, 2 };
	uint8_t buf[9100], out[9100], opt[40];
	struct test_frame f;
	size_t len, n, out_len = sizeof(out);

	/* MSS, then NOP + window scale, then NOP NOP + SACK permitted: 32-bit aligned. */
	test_frame_defaults(&f, 0);
	f.proto = IPPROTO_TCP;
	n = test_syn_options(opt, 1460, 9, 1);
	len = test_build_tcp_opt(buf, &f, 40000, ECHO, RTE_TCP_SYN_FLAG, 1, 0, 1024, opt, n, NULL,
			0);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, L3 + 20 + 32);
	assert_int_equal(out[L3 + 20 + 12], 8 << 4);
	assert_memory_equal(out + L3 + 40, want, sizeof(want));
}

static void
test_choose_wscale(void **state)
{
	static const uint32_t in[][2] = {
		{ 1024, 0 },
		{ 65535, 0 },
		{ 65536, 1 },
		{ 131071, 1 },
		{ 131072, 2 },
		{ 1u << 20, 5 },
		{ (1u << 20) - 1, 4 },
		{ 1u << 30, 14 },
	};
	unsigned int i;

	(void)state;
	/* The smallest shift that fits the window in 16 bits, at most 14 (RFC 7323 2.3). */
	for (i = 0; i < RTE_DIM(in); i++)
		assert_int_equal(ss_tcp_choose_wscale(in[i][0]), in[i][1]);
}

static void
test_sender_sws(void **state)
{
	struct test_env *env = *state;
	uint8_t data[3000];
	struct test_peer p;
	unsigned int i;
	uint32_t us;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 31);
	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 1);
	test_peer_connect(&p, 1460, -1, 0);
	us = p.our_iss + 1;
	/* The peer's window is 2000: one full segment, and no runt while it is in flight. */
	p.win = 2000;
	assert_int_equal(test_peer_data(&p, 0, data, 1000), SS_VERDICT_TCP);
	assert_int_equal(test_peer_data(&p, 0, data + 1000, 1000), SS_VERDICT_TCP);
	assert_int_equal(test_peer_data(&p, 0, data + 2000, 1000), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	assert_int_equal(segs[0].seq, us);
	assert_int_equal(segs[0].len, 1460);
	assert_int_equal(segs[0].flags, RTE_TCP_ACK_FLAG);
	/* Acknowledged: a full one, and the last 80 bytes (they end what there is). */
	p.rcv_nxt = us + 1460;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 2);
	assert_int_equal(segs[0].seq, us + 1460);
	assert_int_equal(segs[0].len, 1460);
	assert_memory_equal(segs[0].data, data + 1460, 1460);
	assert_int_equal(segs[1].seq, us + 2920);
	assert_int_equal(segs[1].len, 80);
	assert_int_equal(segs[1].flags, RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG);
	assert_memory_equal(segs[1].data, data + 2920, 80);
}

static void
test_rst_counted(void **state)
{
	struct test_env *env = *state;
	struct test_peer p;
	int v6;

	/* A connection given up sends a RST, counted like the others. */
	for (v6 = 0; v6 <= 1; v6++) {
		test_peer_init(&p, env, v6, NULL, 40000, ECHO, 1);
		test_peer_connect(&p, 1460, -1, 0);
		ss_tcp_abort(&env->worker, test_peer_conn(&p));
		assert_int_equal(drain(env), 1);
		assert_int_equal(segs[0].flags, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG);
		assert_int_equal(segs[0].seq, p.our_iss + 1);
		assert_int_equal(segs[0].ack, 2);
		assert_int_equal(segs[0].win, 65535);
	}
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_TCP4_RST], 1);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_TCP6_RST], 1);
}

static void
test_no_mbuf(void **state)
{
	struct test_env *env = *state;
	struct rte_mbuf *held[2048];
	unsigned int n = 0, i;
	struct test_peer p;

	test_peer_init(&p, env, 0, NULL, 40000, CHARGEN, 1);
	test_peer_syn(&p, 1460, -1, 0, NULL);
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	/* The pool is empty when the segments are built: counted, nothing sent. */
	while (n < RTE_DIM(held) && (held[n] = rte_pktmbuf_alloc(env->pool)) != NULL)
		n++;
	assert_true(n < RTE_DIM(held));
	assert_int_equal(drain(env), 0);
	assert_true(env->worker.stats[0].tcp_event[SS_TCP_EV_NO_MBUF] >= 1);
	for (i = 0; i < n; i++)
		rte_pktmbuf_free(held[i]);
	/* Nothing in flight, no ACK to wait for: a timer tries again (after an RTO). */
	test_tcp_set_tick(env, 1000);
	assert_int_equal(drain(env), 0);
	test_tcp_set_tick(env, 1001);
	assert_int_equal(drain(env), 10);
	test_chargen_check(segs[0].data, 0, 1460);
	assert_int_equal(segs[0].seq, p.our_iss + 1);
	assert_int_equal(env->worker.stats[0].tcp_event[SS_TCP_EV_WINDOW_PROBE], 0);

	/* Daytime's line and FIN alike. */
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = RTE_TCP_RST_FLAG,
							 SEQ(2) },
					 NULL),
			SS_VERDICT_TCP);
	test_peer_init(&p, env, 0, NULL, 40001, DAYTIME, 1);
	test_peer_syn(&p, 1460, -1, 0, NULL);
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	n = 0;
	while (n < RTE_DIM(held) && (held[n] = rte_pktmbuf_alloc(env->pool)) != NULL)
		n++;
	assert_int_equal(drain(env), 0);
	for (i = 0; i < n; i++)
		rte_pktmbuf_free(held[i]);
	test_tcp_set_tick(env, 2001);
	assert_int_equal(drain(env), 1);
	assert_int_equal(segs[0].flags, RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG | RTE_TCP_FIN_FLAG);
	assert_int_equal(segs[0].len, 26);
}

static void
test_bytes_out_after_go_back(void **state)
{
	struct test_env *env = *state;
	struct ss_svc_counters *sc = &env->worker.stats[0].svc[SS_SVC_ECHO][SS_TCP][SS_AF4];
	struct ss_tcp_counters *tc = &env->worker.stats[0].tcp[SS_SVC_ECHO][SS_AF4];
	uint8_t data[5000];
	struct test_peer p;
	unsigned int i;
	uint32_t us;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 1);
	test_peer_connect(&p, 1460, -1, 0);
	us = p.our_iss + 1;
	/* 3000 bytes out as 1460 + 1460 + 80; the window (3000) holds back 2000 more. */
	p.win = 3000;
	assert_int_equal(test_peer_data(&p, 0, data, 3000), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 3);
	assert_int_equal(test_peer_data(&p, 0, data + 3000, 2000), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1); /* the ACK of it */
	assert_int_equal(sc->bytes_out, 3000);
	/* All lost: the RTO resends from the start, cut anew. */
	test_tcp_set_tick(env, 1001);
	assert_int_equal(drain(env), 1);
	assert_int_equal(segs[0].len, 1460);
	p.win = 65535;
	p.rcv_nxt = us + 1460;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	/* [1460, 2920) again, then [2920, 4380): 80 bytes again and 1380 new ones. */
	assert_int_equal(drain(env), 2);
	assert_int_equal(segs[1].seq, us + 2920);
	assert_int_equal(segs[1].len, 1460);
	assert_memory_equal(segs[1].data, data + 2920, 1460);
	assert_int_equal(sc->bytes_out, 4380);
	p.rcv_nxt = us + 4380;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	assert_int_equal(segs[0].len, 620);
	/* Every byte counted out once, however often it went. */
	assert_int_equal(sc->bytes_out, 5000);
	assert_int_equal(tc->retransmits, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rst_for_syn, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_rst_for_ack, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ack_counts_data_syn_fin, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_options_stripped, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ip_options_and_ext_headers_stripped,
				test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_padding_not_counted, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_vlan_kept, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_segment_headers, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_vlan_connection, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_synack_options_layout, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_choose_wscale, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_sender_sws, test_tcp_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_rst_counted, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_no_mbuf, test_tcp_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_bytes_out_after_go_back, test_tcp_setup,
				test_env_teardown),
	};

	return cmocka_run_group_tests_name("tcp_output", tests, NULL, NULL);
}
