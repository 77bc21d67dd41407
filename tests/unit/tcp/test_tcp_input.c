/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcp_input.c: which segments are checked out (truncated, bad data offset,
 * bad checksum, RX offload flags) and that a RST is never answered; then
 * the state machine, segment in, segments out: SYN-RECEIVED (the SYN
 * again, a bad ACK, the final ACK with data or a FIN; the listening port
 * itself is test_tcp_listen.c's), each service in each state it reaches,
 * RST and SYN in every state (RFC 5961), sequence and ACK acceptability,
 * data ahead of a hole (SACK), sequence numbers across 2^32, and loss
 * recovery driven by ACKs.
 */
#include "harness.h"

#include <netinet/in.h>
#include <string.h>

#include <rte_tcp.h>

#include "clock.h"
#include "stats.h"
#include "tcp_cookie.h"
#include "tcp_priv.h"
#include "tcp_harness.h"

#define L3 14
#define CLOSED 4444

static size_t
segment(uint8_t *buf, int v6, uint8_t flags, const void *data, size_t len)
{
	struct test_frame f;

	test_frame_defaults(&f, v6);
	f.proto = IPPROTO_TCP;
	return test_build_tcp(buf, &f, 40000, CLOSED, flags, 1000, 2000, data, len);
}

static void
test_answered(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len;
	int v6;

	/* The baseline every drop below departs from. */
	for (v6 = 0; v6 <= 1; v6++) {
		len = segment(buf, v6, RTE_TCP_SYN_FLAG, NULL, 0);
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
		assert_int_equal(out[test_l4_off_af(v6) + 13] & RTE_TCP_RST_FLAG, RTE_TCP_RST_FLAG);
	}
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_TCP4_RST], 1);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_TCP6_RST], 1);
}

static void
test_truncated(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t keep;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		/* 0, 8 and 19 bytes of TCP header. */
		const size_t keeps[] = { 0, 8, 19 };
		unsigned int i;

		for (i = 0; i < RTE_DIM(keeps); i++) {
			keep = keeps[i];
			segment(buf, v6, RTE_TCP_SYN_FLAG, NULL, 0);
			test_set_ip_payload_len(buf, L3, v6, keep);
			assert_int_equal(test_input(env, buf, test_l4_off_af(v6) + keep, NULL,
							 NULL),
					SS_DROP_TCP_TRUNCATED);
		}
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_TCP_TRUNCATED], 6);
}

static void
test_bad_data_offset(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len;
	unsigned int doff;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		/* Below the header's own 5 words. */
		for (doff = 0; doff < 5; doff++) {
			len = segment(buf, v6, RTE_TCP_SYN_FLAG, "0123456789", 10);
			buf[test_l4_off_af(v6) + 12] = doff << 4;
			test_fix_l4_cksum(buf, L3, v6);
			assert_int_equal(test_input(env, buf, len, NULL, NULL),
					SS_DROP_TCP_TRUNCATED);
		}
		/* Past the segment: 8 words (32 bytes) in a 30-byte segment, and 15. */
		len = segment(buf, v6, RTE_TCP_SYN_FLAG, "0123456789", 10);
		buf[test_l4_off_af(v6) + 12] = 8 << 4;
		test_fix_l4_cksum(buf, L3, v6);
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_TCP_TRUNCATED);
		len = segment(buf, v6, RTE_TCP_SYN_FLAG, NULL, 0);
		buf[test_l4_off_af(v6) + 12] = 15 << 4;
		test_fix_l4_cksum(buf, L3, v6);
		/* Frame bytes behind the segment do not count. */
		memset(buf + len, 0, 60);
		assert_int_equal(test_input(env, buf, len + 60, NULL, NULL), SS_DROP_TCP_TRUNCATED);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_TCP_TRUNCATED], 2 * 7);
}

static void
test_data_offset_whole_segment(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	const uint8_t opts[8] = { 2, 4, 0x05, 0xb4, 1, 1, 1, 0 };
	size_t len, out_len = sizeof(out);
	int v6;

	/* All options, no data: the offset is exactly the segment's length. */
	for (v6 = 0; v6 <= 1; v6++) {
		len = segment(buf, v6, RTE_TCP_SYN_FLAG, opts, sizeof(opts));
		buf[test_l4_off_af(v6) + 12] = 7 << 4;
		test_fix_l4_cksum(buf, L3, v6);
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	}
}

static void
test_bad_checksum(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		len = segment(buf, v6, RTE_TCP_SYN_FLAG, NULL, 0);
		buf[test_l4_off_af(v6) + 16] ^= 0x20;
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_TCP_CKSUM);
		len = segment(buf, v6, RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG, "data", 4);
		buf[len - 2] ^= 0x01;
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_TCP_CKSUM);
		/* A zero checksum is not "none" for TCP. */
		len = segment(buf, v6, RTE_TCP_SYN_FLAG, NULL, 0);
		buf[test_l4_off_af(v6) + 16] = buf[test_l4_off_af(v6) + 17] = 0;
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_TCP_CKSUM);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_TCP_CKSUM], 6);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_TCP4_RST], 0);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_TCP6_RST], 0);
}

static void
test_rx_cksum_flags(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		len = segment(buf, v6, RTE_TCP_SYN_FLAG, NULL, 0);
		buf[test_l4_off_af(v6) + 16] ^= 0x20;
		out_len = sizeof(out);
		assert_int_equal(test_input_flags(env, buf, len, RTE_MBUF_F_RX_L4_CKSUM_GOOD, out,
						 &out_len),
				SS_VERDICT_TX);
		/* The RST's own checksum is computed, not inherited. */
		assert_true(test_l4_cksum_ok(out, out_len, L3, v6));
		len = segment(buf, v6, RTE_TCP_SYN_FLAG, NULL, 0);
		assert_int_equal(test_input_flags(env, buf, len, RTE_MBUF_F_RX_L4_CKSUM_BAD, NULL,
						 NULL),
				SS_DROP_TCP_CKSUM);
	}
}

static void
test_rx_cksum_flag_none(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len;
	int v6;

	/* NONE: verified data, checksum field not right (a partial sum): accepted. */
	for (v6 = 0; v6 <= 1; v6++) {
		len = segment(buf, v6, RTE_TCP_SYN_FLAG, NULL, 0);
		buf[test_l4_off_af(v6) + 16] ^= 0x20;
		out_len = sizeof(out);
		assert_int_equal(test_input_flags(env, buf, len, RTE_MBUF_F_RX_L4_CKSUM_NONE, out,
						 &out_len),
				SS_VERDICT_TX);
		assert_true(test_l4_cksum_ok(out, out_len, L3, v6));
	}
}

static void
test_rst_never_answered(void **state)
{
	struct test_env *env = *state;
	const uint8_t flags[] = {
		RTE_TCP_RST_FLAG,
		RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG,
		RTE_TCP_RST_FLAG | RTE_TCP_SYN_FLAG,
		RTE_TCP_RST_FLAG | RTE_TCP_FIN_FLAG | RTE_TCP_PSH_FLAG | RTE_TCP_URG_FLAG,
		0xff,
	};
	uint8_t buf[9100];
	unsigned int i;
	size_t len;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		for (i = 0; i < RTE_DIM(flags); i++) {
			len = segment(buf, v6, flags[i], i % 2 ? "data" : NULL, i % 2 ? 4 : 0);
			assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_TCP_RST_IN);
		}
		/* To a service port too. */
		len = segment(buf, v6, RTE_TCP_RST_FLAG, NULL, 0);
		buf[test_l4_off_af(v6) + 3] = 7;
		test_fix_l4_cksum(buf, L3, v6);
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_TCP_RST_IN);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_TCP_RST_IN], 2 * (RTE_DIM(flags) + 1));
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_TCP4_RST], 0);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_TCP6_RST], 0);
}

static void
test_broadcast_syn_dropped(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	struct test_frame f;
	size_t len;

	/* SYNs to broadcast or multicast get nothing, not even a RST. */
	test_frame_defaults(&f, 0);
	f.proto = IPPROTO_TCP;
	f.dst = "192.0.2.255";
	memset(f.dst_mac, 0xff, 6);
	len = test_build_tcp(buf, &f, 40000, CLOSED, RTE_TCP_SYN_FLAG, 1, 0, NULL, 0);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_DST_BROADCAST);
	f.dst = "224.0.0.1";
	len = test_build_tcp(buf, &f, 40000, CLOSED, RTE_TCP_SYN_FLAG, 1, 0, NULL, 0);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_DST_MULTICAST);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_TCP4_RST], 0);
}

/*
 * The state machine: a peer (struct test_peer) sends segments, and the
 * segments the stack sends back are checked field by field.
 */

static struct test_seg segs[TEST_SEGS_MAX];

static unsigned int
drain(struct test_env *env)
{
	return test_tcp_drain(env, segs, TEST_SEGS_MAX);
}

/* Exactly one segment came out, and it is a bare ACK <seq, ack>. */
static void
expect_ack(struct test_env *env, uint32_t seq, uint32_t ack)
{
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK, seq, ack, 0);
}

/*
 * SYN-RECEIVED (the SYN itself and the SYN-ACK are test_tcp_listen.c's)
 */

static void
test_syn_repeated(void **state)
{
	struct test_env *env = *state;
	struct test_seg first, again;
	struct test_peer p;

	/* Our SYN-ACK was lost: the same SYN gets the same SYN-ACK, no second entry. */
	test_peer_init(&p, env, 0, NULL, 40000, DAYTIME, 4242);
	test_peer_syn(&p, 1400, 3, 1, &first);
	test_peer_syn(&p, 1400, 3, 1, &again);
	assert_int_equal(again.seq, first.seq);
	assert_int_equal(again.ack, first.ack);
	assert_int_equal(again.win, first.win);
	assert_int_equal(again.mss, first.mss);
	assert_int_equal(again.wscale, first.wscale);
	assert_int_equal(again.sack_ok, first.sack_ok);
	assert_int_equal(env->worker.tcp.table.used, 1);
	assert_int_equal(env->worker.tcp.table.half_open, 1);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SYNACK_RETRANSMIT), 1);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SYNACK_STATEFUL), 1);
	/* And the handshake completes on the first cookie. */
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH | F_FIN, first.seq + 1, 4243, DAYTIME_LEN);
}

static void
test_syn_received_bad_ack(void **state)
{
	struct test_env *env = *state;
	struct test_seg rst;
	struct test_peer p;
	const uint32_t bad[] = { 0, 2, 1000, 0xffffffff };
	unsigned int i;

	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 100);
	test_peer_syn(&p, 1460, -1, 0, NULL);
	/* RFC 9293: an unacceptable ACK in SYN-RECEIVED gets <SEQ=SEG.ACK><CTL=RST>. */
	for (i = 0; i < RTE_DIM(bad); i++) {
		uint32_t ack = p.our_iss + bad[i];

		assert_int_equal(test_peer_seg(&p,
						 &(struct test_seg_spec){ .flags = F_ACK,
								 SEQ(101),
								 ACK(ack) },
						 &rst),
				SS_VERDICT_TX);
		test_check_seg(&rst, F_RST, ack, 0, 0);
		assert_int_equal(test_peer_conn(&p)->state, SS_TCP_SYN_RECEIVED);
	}
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(test_peer_conn(&p)->state, SS_TCP_ESTABLISHED);
}

static void
test_final_ack_with_data_or_fin(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us;
	int cookie;

	/* The handshake's last ACK may carry data, and a FIN: with or without a table entry. */
	for (cookie = 0; cookie <= 1; cookie++) {
		if (cookie)
			test_tcp_reconfigure(env, "max_half_open", "0");
		test_peer_init(&p, env, 0, NULL, 40000, ECHO, 300);
		test_peer_syn(&p, 1460, -1, 0, NULL);
		us = p.our_iss + 1;
		assert_int_equal(test_peer_data(&p, F_PSH, "first", 5), SS_VERDICT_TCP);
		assert_int_equal(drain(env), 1);
		test_check_seg(&segs[0], F_ACK | F_PSH, us, 306, 5);
		assert_memory_equal(segs[0].data, "first", 5);

		test_peer_init(&p, env, 0, NULL, 40001, ECHO, 300);
		test_peer_syn(&p, 1460, -1, 0, NULL);
		us = p.our_iss + 1;
		assert_int_equal(test_peer_data(&p, F_PSH | F_FIN, "last", 4), SS_VERDICT_TCP);
		c = test_peer_conn(&p);
		assert_int_equal(c->state, SS_TCP_CLOSE_WAIT);
		assert_int_equal(drain(env), 1);
		test_check_seg(&segs[0], F_ACK | F_PSH | F_FIN, us, 306, 4);
		assert_int_equal(c->state, SS_TCP_LAST_ACK);
	}
}

static void
test_peer_window_scaled(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us;

	/* The SYN's window as it is; later ones shifted by the peer's scale (RFC 7323). */
	test_peer_init(&p, env, 0, NULL, 40000, CHARGEN, 300);
	p.win = 1000;
	test_peer_syn(&p, 1460, 2, 0, NULL);
	c = test_peer_conn(&p);
	assert_int_equal(c->snd_wnd, 1000);
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(c->snd_wnd, 4000);
	us = p.our_iss + 1;
	/* 4000 bytes: two full segments; the 1080 left wait (no runt while data is out). */
	assert_int_equal(drain(env), 2);
	test_check_seg(&segs[1], F_ACK, us + 1460, 301, 1460);
	/* Without scaling, the window is as sent. */
	test_peer_init(&p, env, 0, NULL, 40001, CHARGEN, 300);
	p.win = 1000;
	test_peer_syn(&p, 1460, -1, 0, NULL);
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(test_peer_conn(&p)->snd_wnd, 1000);
	assert_int_equal(drain(env), 1);
	assert_int_equal(segs[0].len, 1000);
}

/*
 * Services and states
 */

static void
test_echo(void **state)
{
	struct test_env *env = *state;
	uint8_t data[2000];
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us;
	int v6;

	test_fill_pattern(data, sizeof(data), 3);
	for (v6 = 0; v6 <= 1; v6++) {
		test_peer_init(&p, env, v6, NULL, 40000, ECHO, 1000);
		test_peer_connect(&p, 1460, -1, 0);
		assert_int_equal(drain(env), 0);
		c = test_peer_conn(&p);
		us = p.our_iss + 1;

		assert_int_equal(test_peer_data(&p, F_PSH, "hello", 5), SS_VERDICT_TCP);
		assert_int_equal(drain(env), 1);
		test_check_seg(&segs[0], F_ACK | F_PSH, us, p.snd_nxt, 5);
		assert_memory_equal(segs[0].data, "hello", 5);
		assert_int_equal(segs[0].sport, ECHO);
		assert_int_equal(segs[0].dport, 40000);
		/* The window is the room left to hold what is not acknowledged back. */
		assert_int_equal(segs[0].win, 65536 - 5);
		assert_int_equal(c->hold_bytes, 5);

		/* Acknowledged: released; a bare ACK draws nothing. */
		p.rcv_nxt = us + 5;
		assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
		assert_int_equal(drain(env), 0);
		assert_int_equal(c->hold_bytes, 0);

		/* Held bytes grow, the window shrinks. */
		assert_int_equal(test_peer_data(&p, F_PSH, data, 1000), SS_VERDICT_TCP);
		assert_int_equal(drain(env), 1);
		test_check_seg(&segs[0], F_ACK | F_PSH, us + 5, p.snd_nxt, 1000);
		assert_memory_equal(segs[0].data, data, 1000);
		assert_int_equal(segs[0].win, 65536 - 1000);
		assert_int_equal(test_peer_data(&p, F_PSH, data + 1000, 1000), SS_VERDICT_TCP);
		assert_int_equal(drain(env), 1);
		test_check_seg(&segs[0], F_ACK | F_PSH, us + 1005, p.snd_nxt, 1000);
		assert_memory_equal(segs[0].data, data + 1000, 1000);
		assert_int_equal(segs[0].win, 65536 - 2000);
		assert_int_equal(c->hold_bytes, 2000);

		/* Client FIN: all is echoed already, so our FIN at once; LAST-ACK. */
		assert_int_equal(test_peer_data(&p, F_FIN, NULL, 0), SS_VERDICT_TCP);
		assert_int_equal(c->state, SS_TCP_CLOSE_WAIT);
		assert_int_equal(drain(env), 1);
		test_check_seg(&segs[0], F_ACK | F_FIN, us + 2005, p.snd_nxt, 0);
		assert_int_equal(c->state, SS_TCP_LAST_ACK);
		p.rcv_nxt = us + 2006;
		assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
		assert_null(test_peer_conn(&p));
		assert_int_equal(drain(env), 0);
		assert_int_equal(test_tcp_ctr(env, SS_SVC_ECHO, v6)->closed, 1);
		assert_int_equal(test_svc_ctr(env, SS_SVC_ECHO, v6)->bytes_in, 2005);
		assert_int_equal(test_svc_ctr(env, SS_SVC_ECHO, v6)->bytes_out, 2005);
	}
	assert_int_equal(env->worker.tcp.table.used, 0);
}

static void
test_echo_fin_with_data(void **state)
{
	struct test_env *env = *state;
	struct test_peer p;
	uint32_t us;

	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 1000);
	test_peer_connect(&p, 1460, -1, 0);
	us = p.our_iss + 1;
	/* Data and FIN together: the data comes back with our FIN. */
	assert_int_equal(test_peer_data(&p, F_PSH | F_FIN, "bye", 3), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH | F_FIN, us, 1005, 3);
	assert_memory_equal(segs[0].data, "bye", 3);
	assert_int_equal(test_peer_conn(&p)->state, SS_TCP_LAST_ACK);
}

static void
test_echo_fin_pending(void **state)
{
	struct test_env *env = *state;
	uint8_t data[300];
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us;

	test_fill_pattern(data, sizeof(data), 9);
	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 1000);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	/* The peer takes 100 bytes at a time: our FIN waits for the last of them. */
	p.win = 100;
	assert_int_equal(test_peer_data(&p, F_PSH | F_FIN, data, 300), SS_VERDICT_TCP);
	assert_int_equal(c->state, SS_TCP_CLOSE_WAIT);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK, us, 1302, 100);
	assert_memory_equal(segs[0].data, data, 100);
	p.rcv_nxt = us + 100;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK, us + 100, 1302, 100);
	assert_memory_equal(segs[0].data, data + 100, 100);
	assert_int_equal(c->state, SS_TCP_CLOSE_WAIT);
	p.rcv_nxt = us + 200;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH | F_FIN, us + 200, 1302, 100);
	assert_memory_equal(segs[0].data, data + 200, 100);
	assert_int_equal(c->state, SS_TCP_LAST_ACK);
}

static void
test_discard(void **state)
{
	struct test_env *env = *state;
	uint8_t data[1000];
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us;
	int v6;

	test_fill_pattern(data, sizeof(data), 1);
	for (v6 = 0; v6 <= 1; v6++) {
		test_peer_init(&p, env, v6, NULL, 40000, DISCARD, 0xffffff00);
		test_peer_connect(&p, 1460, -1, 0);
		assert_int_equal(drain(env), 0);
		c = test_peer_conn(&p);
		us = p.our_iss + 1;
		assert_int_equal(test_peer_data(&p, F_PSH, data, 1000), SS_VERDICT_TCP);
		expect_ack(env, us, 0xffffff01 + 1000);
		assert_int_equal(segs[0].win, 65535); /* the window stays open */
		assert_int_equal(test_svc_ctr(env, SS_SVC_DISCARD, v6)->bytes_in, 1000);
		/* Client FIN: our FIN. */
		assert_int_equal(test_peer_data(&p, F_FIN, NULL, 0), SS_VERDICT_TCP);
		assert_int_equal(drain(env), 1);
		test_check_seg(&segs[0], F_ACK | F_FIN, us, 0xffffff01 + 1001, 0);
		assert_int_equal(c->state, SS_TCP_LAST_ACK);
		p.rcv_nxt = us + 1;
		assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
		assert_null(test_peer_conn(&p));
		assert_int_equal(test_tcp_ctr(env, SS_SVC_DISCARD, v6)->closed, 1);
		assert_int_equal(test_svc_ctr(env, SS_SVC_DISCARD, v6)->bytes_out, 0);
	}
}

static void
test_chargen(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_peer p;
	unsigned int i, n;
	uint32_t us;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		uint16_t mss = v6 ? 1440 : 1460;

		test_peer_init(&p, env, v6, NULL, 40000, CHARGEN, 5000);
		test_peer_connect(&p, 1460, -1, 0);
		c = test_peer_conn(&p);
		us = p.our_iss + 1;
		/* The initial window (RFC 6928): ten segments, the stream from line 0. */
		assert_int_equal(drain(env), 10);
		for (i = 0; i < 10; i++) {
			test_check_seg(&segs[i], F_ACK, us + i * mss, 5001, mss);
			test_chargen_check(segs[i].data, i * mss, mss);
		}
		assert_memory_equal(segs[0].data, " !\"#$%&'()*+,-./0123456789", 26);
		/* An ACK of two segments: slow start adds one, so three go out. */
		p.rcv_nxt = us + 2 * mss;
		assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
		assert_int_equal(drain(env), 3);
		for (i = 0; i < 3; i++) {
			test_check_seg(&segs[i], F_ACK, us + (10 + i) * mss, 5001, mss);
			test_chargen_check(segs[i].data, (10 + i) * mss, mss);
		}
		/* Client FIN: ACKed, and the stream goes on (CLOSE-WAIT, no FIN from us). */
		assert_int_equal(test_peer_data(&p, F_FIN, NULL, 0), SS_VERDICT_TCP);
		assert_int_equal(c->state, SS_TCP_CLOSE_WAIT);
		expect_ack(env, us + 13 * mss, 5002);
		p.rcv_nxt = us + 13 * mss;
		assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
		n = drain(env);
		assert_true(n >= 11);
		for (i = 0; i < n; i++) {
			assert_false(segs[i].flags & F_FIN);
			test_check_seg(&segs[i], F_ACK, us + (13 + i) * mss, 5002, mss);
			test_chargen_check(segs[i].data, (13 + i) * mss, mss);
		}
		assert_int_equal(c->state, SS_TCP_CLOSE_WAIT);
		/* RST stops it: no answer, nothing more sent. */
		assert_int_equal(test_peer_seg(&p, &(struct test_seg_spec){ .flags = F_RST }, NULL),
				SS_VERDICT_TCP);
		assert_null(test_peer_conn(&p));
		assert_int_equal(drain(env), 0);
		test_tcp_advance(env, 5000);
		assert_int_equal(drain(env), 0);
		assert_int_equal(test_tcp_ctr(env, SS_SVC_CHARGEN, v6)->reset, 1);
		assert_int_equal(test_tcp_ctr(env, SS_SVC_CHARGEN, v6)->closed, 1);
	}
}

static void
test_chargen_ignores_input(void **state)
{
	struct test_env *env = *state;
	struct test_peer p;
	uint32_t us;

	test_peer_init(&p, env, 0, NULL, 40000, CHARGEN, 5000);
	test_peer_connect(&p, 1460, -1, 0);
	us = p.our_iss + 1;
	assert_int_equal(drain(env), 10);
	/* Input is ACKed and dropped; nothing new fits in the window. */
	assert_int_equal(test_peer_data(&p, F_PSH, "ignored", 7), SS_VERDICT_TCP);
	expect_ack(env, us + 14600, 5008);
	assert_int_equal(test_svc_ctr(env, SS_SVC_CHARGEN, 0)->bytes_in, 7);
}

static void
check_daytime(struct test_env *env, int v6, uint16_t port, const void *want, size_t len,
		enum ss_svc svc)
{
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us;

	test_peer_init(&p, env, v6, NULL, 40000, port, 0x7fffffff);
	test_peer_connect(&p, 1460, 7, 1);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	/* The whole reply in one segment, with the FIN. */
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH | F_FIN, us, 0x80000000u, len);
	assert_memory_equal(segs[0].data, want, len);
	assert_int_equal(c->state, SS_TCP_FIN_WAIT_1);
	/* What the client sends meanwhile is ACKed and dropped: no RST. */
	assert_int_equal(test_peer_data(&p, F_PSH, "dummy", 5), SS_VERDICT_TCP);
	expect_ack(env, us + len + 1, 0x80000005u);
	assert_int_equal(c->state, SS_TCP_FIN_WAIT_1);
	/* Our FIN acknowledged: FIN-WAIT-2; more input still ACKed. */
	p.rcv_nxt = us + len + 1;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 0);
	assert_int_equal(c->state, SS_TCP_FIN_WAIT_2);
	assert_int_equal(test_peer_data(&p, F_PSH, "more", 4), SS_VERDICT_TCP);
	expect_ack(env, us + len + 1, 0x80000009u);
	/* Client FIN: TIME-WAIT, and its FIN ACKed. */
	assert_int_equal(test_peer_data(&p, F_FIN, NULL, 0), SS_VERDICT_TCP);
	expect_ack(env, us + len + 1, 0x8000000au);
	assert_int_equal(c->state, SS_TCP_TIME_WAIT);
	assert_int_equal(env->worker.tcp.table.tw_count, 1);
	assert_int_equal(test_tcp_ctr(env, svc, v6)->closed, 1);
	assert_int_equal(test_tcp_ctr(env, svc, v6)->reset, 0);
	assert_int_equal(test_svc_ctr(env, svc, v6)->bytes_out, len);
	assert_int_equal(test_svc_ctr(env, svc, v6)->bytes_in, 9);
	/* Done with this one: TIME-WAIT would keep the next one's tuple. */
	ss_tcp_close(&env->worker, c);
}

static void
test_daytime(void **state)
{
	struct test_env *env = *state;
	int v6;

	for (v6 = 0; v6 <= 1; v6++)
		check_daytime(env, v6, DAYTIME, DAYTIME_T0, DAYTIME_LEN, SS_SVC_DAYTIME);
}

static void
test_time(void **state)
{
	struct test_env *env = *state;
	const uint8_t want[4] = { 0xe7, 0x21, 0xf3, 0x06 };
	int v6;

	for (v6 = 0; v6 <= 1; v6++)
		check_daytime(env, v6, TIME, want, 4, SS_SVC_TIME);
}

static void
test_qotd(void **state)
{
	struct test_env *env = *state;
	const char *quote =
			"\"Be conservative in what you do, be liberal in what you accept "
			"from\r\nothers.\" -- Jon Postel, RFC 793\r\n";
	struct test_seg rst;
	struct test_peer p;
	char err[256];
	int v6;

	/* Off by default: a closed port. */
	test_peer_init(&p, env, 0, NULL, 40000, QOTD, 1);
	assert_int_equal(test_peer_seg(&p, &(struct test_seg_spec){ .flags = F_SYN, SEQ(1) }, &rst),
			SS_VERDICT_TX);
	test_check_seg(&rst, F_RST | F_ACK, 0, 2, 0);

	assert_int_equal(ss_config_set(&env->cfg, "qotd", "tcp", "on", err, sizeof(err)), 0);
	test_env_apply(env);
	ss_clock_set(&env->worker.clock, T0);
	test_tcp_set_tick(env, 1);
	for (v6 = 0; v6 <= 1; v6++)
		check_daytime(env, v6, QOTD, quote, strlen(quote), SS_SVC_QOTD);
}

static void
test_daytime_clock_unset(void **state)
{
	struct test_env *env = *state;
	struct test_peer p;

	/* RFC 868: a server that does not know the time closes without a word. */
	ss_clock_set(&env->worker.clock, 86400);
	test_peer_init(&p, env, 0, NULL, 40000, TIME, 1);
	test_peer_connect(&p, 1460, -1, 0);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_FIN, p.our_iss + 1, 2, 0);
}

static void
test_simultaneous_close(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us, fin;

	/* The peer's FIN crosses ours: CLOSING, then TIME-WAIT on the ACK of ours. */
	test_peer_init(&p, env, 0, NULL, 40000, DAYTIME, 100);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	fin = us + DAYTIME_LEN;
	assert_int_equal(drain(env), 1);
	assert_int_equal(test_peer_data(&p, F_FIN, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(c->state, SS_TCP_CLOSING);
	expect_ack(env, fin + 1, 102);
	/* Its FIN again (our ACK lost) in CLOSING: ACKed again. */
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_FIN | F_ACK,
							 SEQ(101),
							 ACK(us) },
					 NULL),
			SS_VERDICT_TCP);
	expect_ack(env, fin + 1, 102);
	assert_int_equal(c->state, SS_TCP_CLOSING);
	p.rcv_nxt = fin + 1;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(c->state, SS_TCP_TIME_WAIT);
	assert_int_equal(drain(env), 0);

	/* FIN that acknowledges our data but not our FIN: CLOSING as well. */
	test_peer_init(&p, env, 0, NULL, 40001, DAYTIME, 100);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	assert_int_equal(drain(env), 1);
	p.rcv_nxt = us + DAYTIME_LEN;
	assert_int_equal(test_peer_data(&p, F_FIN, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(c->state, SS_TCP_CLOSING);
	expect_ack(env, us + DAYTIME_LEN + 1, 102);
	p.rcv_nxt++;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(c->state, SS_TCP_TIME_WAIT);

	/* FIN with the ACK of everything, in FIN-WAIT-1: straight to TIME-WAIT. */
	test_peer_init(&p, env, 0, NULL, 40002, DAYTIME, 100);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	assert_int_equal(drain(env), 1);
	p.rcv_nxt = us + DAYTIME_LEN + 1;
	assert_int_equal(test_peer_data(&p, F_FIN, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(c->state, SS_TCP_TIME_WAIT);
	expect_ack(env, us + DAYTIME_LEN + 1, 102);
	assert_int_equal(env->worker.tcp.table.tw_count, 3);
	assert_int_equal(test_tcp_ctr(env, SS_SVC_DAYTIME, 0)->closed, 3);
}

/*
 * RST and SYN in every state (RFC 9293 3.10.7.4, RFC 5961 3 and 4).
 */

enum target {
	AT_SYN_RECEIVED,
	AT_ESTABLISHED,
	AT_FIN_WAIT_1,
	AT_FIN_WAIT_2,
	AT_CLOSE_WAIT,
	AT_CLOSING,
	AT_LAST_ACK,
	AT_TIME_WAIT,
	AT_MAX,
};

static const uint8_t target_state[AT_MAX] = {
	SS_TCP_SYN_RECEIVED,
	SS_TCP_ESTABLISHED,
	SS_TCP_FIN_WAIT_1,
	SS_TCP_FIN_WAIT_2,
	SS_TCP_CLOSE_WAIT,
	SS_TCP_CLOSING,
	SS_TCP_LAST_ACK,
	SS_TCP_TIME_WAIT,
};

/* A connection from port sport in state t; drains what it sent. */
static struct ss_tcp_conn *
reach(struct test_env *env, struct test_peer *p, enum target t, uint16_t sport)
{
	static const uint16_t port[AT_MAX] = { ECHO, ECHO, DAYTIME, DAYTIME, CHARGEN, DAYTIME, ECHO,
		DAYTIME };
	struct ss_tcp_conn *c;

	test_peer_init(p, env, 0, NULL, sport, port[t], 0x10000);
	if (t == AT_SYN_RECEIVED) {
		test_peer_syn(p, 1460, -1, 0, NULL);
	} else {
		test_peer_connect(p, 1460, -1, 0);
		drain(env);
	}
	c = test_peer_conn(p);
	switch (t) {
	case AT_FIN_WAIT_2:
		p->rcv_nxt = c->snd_max;
		assert_int_equal(test_peer_data(p, 0, NULL, 0), SS_VERDICT_TCP);
		break;
	case AT_CLOSE_WAIT:
	case AT_CLOSING:
	case AT_LAST_ACK:
		assert_int_equal(test_peer_data(p, F_FIN, NULL, 0), SS_VERDICT_TCP);
		break;
	case AT_TIME_WAIT:
		p->rcv_nxt = c->snd_max;
		assert_int_equal(test_peer_data(p, F_FIN, NULL, 0), SS_VERDICT_TCP);
		break;
	default:
		break;
	}
	drain(env);
	assert_int_equal(c->state, target_state[t]);
	return c;
}

static void
test_rst_each_state(void **state)
{
	struct test_env *env = *state;
	struct test_peer p;
	struct ss_tcp_conn *c;
	uint64_t resets = 0;
	enum target t;

	for (t = 0; t < AT_MAX; t++) {
		uint32_t rcv, snd;
		enum ss_svc svc;

		c = reach(env, &p, t, 41000 + t);
		rcv = c->rcv_nxt;
		snd = c->snd_nxt;
		svc = c->svc;
		resets = test_tcp_ctr(env, svc, 0)->reset;

		/* Out of the window: ignored, not even an ACK. */
		assert_int_equal(test_peer_seg(&p,
						 &(struct test_seg_spec){ .flags = F_RST,
								 SEQ(rcv + 70000) },
						 NULL),
				SS_VERDICT_TCP);
		assert_int_equal(test_peer_seg(&p,
						 &(struct test_seg_spec){ .flags = F_RST | F_ACK,
								 SEQ(rcv - 1),
								 ACK(snd) },
						 NULL),
				SS_VERDICT_TCP);
		assert_int_equal(drain(env), 0);
		assert_int_equal(c->state, target_state[t]);

		/* In the window but not at RCV.NXT: a challenge ACK, the connection stays. */
		assert_int_equal(test_peer_seg(&p,
						 &(struct test_seg_spec){ .flags = F_RST,
								 SEQ(rcv + 1) },
						 NULL),
				SS_VERDICT_TCP);
		assert_int_equal(drain(env), 1);
		if (t == AT_SYN_RECEIVED)
			test_check_seg(&segs[0], F_SYN | F_ACK, p.our_iss, rcv, 0);
		else
			test_check_seg(&segs[0], F_ACK, snd, rcv, 0);
		assert_int_equal(c->state, target_state[t]);
		assert_int_equal(test_tcp_ctr(env, svc, 0)->reset, resets);

		/* At RCV.NXT: the end, unanswered. */
		assert_int_equal(test_peer_seg(&p,
						 &(struct test_seg_spec){ .flags = t % 2 ?
										 F_RST | F_ACK :
										 F_RST,
								 SEQ(rcv),
								 ACK(snd) },
						 NULL),
				SS_VERDICT_TCP);
		assert_null(test_peer_conn(&p));
		assert_int_equal(drain(env), 0);
		/* Only connections that were open count as reset. */
		assert_int_equal(test_tcp_ctr(env, svc, 0)->reset,
				resets + (t != AT_SYN_RECEIVED && t != AT_TIME_WAIT));
	}
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_CHALLENGE_ACK), AT_MAX);
	assert_int_equal(env->worker.tcp.table.used, 0);
	assert_int_equal(env->worker.tcp.table.half_open, 0);
	assert_int_equal(env->worker.tcp.table.tw_count, 0);
}

static void
test_syn_each_state(void **state)
{
	struct test_env *env = *state;
	struct test_peer p;
	struct ss_tcp_conn *c;
	enum target t;

	for (t = AT_ESTABLISHED; t < AT_TIME_WAIT; t++) {
		uint32_t rcv, snd;

		c = reach(env, &p, t, 42000 + t);
		rcv = c->rcv_nxt;
		snd = c->snd_nxt;
		/* A SYN in the window, or at the old ISN: challenge ACK (RFC 5961 4.2). */
		assert_int_equal(test_peer_seg(&p,
						 &(struct test_seg_spec){ .flags = F_SYN,
								 SEQ(rcv + 5) },
						 NULL),
				SS_VERDICT_TCP);
		assert_int_equal(drain(env), 1);
		test_check_seg(&segs[0], F_ACK, snd, rcv, 0);
		/* (One challenge ACK per connection per invalid_ack_interval_ms.) */
		test_tcp_advance(env, 500);
		assert_int_equal(test_peer_seg(&p,
						 &(struct test_seg_spec){ .flags = F_SYN,
								 SEQ(p.iss) },
						 NULL),
				SS_VERDICT_TCP);
		assert_int_equal(drain(env), 1);
		test_check_seg(&segs[0], F_ACK, snd, rcv, 0);
		assert_ptr_equal(test_peer_conn(&p), c);
		assert_int_equal(c->state, target_state[t]);
		assert_int_equal(c->rcv_nxt, rcv);
		/* Its timers must not fire into the next round's count. */
		ss_tcp_close(&env->worker, c);
	}
}

/*
 * Issue 8, defect 2: SYNs spoofed to A from B:19 and to B from A:7 left
 * two SYN-RECEIVED entries whose SYN-ACKs drew challenge ACKs, which in
 * that state are SYN-ACKs again: they bounced until the limiter ran dry.
 * A SYN in SYN-RECEIVED now frees the entry (RFC 9293 3.10.7.4).
 */
static void
test_synack_bounce(void **state)
{
	struct test_env *env = *state;
	uint8_t opt[40], buf[9100], synack_a[9100], synack_b[9100];
	size_t n, opt_len, len_a = sizeof(synack_a), len_b = sizeof(synack_b);
	struct test_frame f;

	test_tcp_mirror_setup(env);
	opt_len = test_syn_options(opt, 1460, -1, 0);
	/* To "A" (192.0.2.1:7) from "B" (192.0.2.2:19), and the other way round. */
	test_frame_defaults(&f, 0);
	f.proto = IPPROTO_TCP;
	f.src = "192.0.2.2";
	f.dst = "192.0.2.1";
	n = test_build_tcp_opt(buf, &f, CHARGEN, ECHO, F_SYN, 1000, 0, 65535, opt, opt_len, NULL,
			0);
	assert_int_equal(test_input(env, buf, n, synack_a, &len_a), SS_VERDICT_TX);
	f.src = "192.0.2.1";
	f.dst = "192.0.2.2";
	n = test_build_tcp_opt(buf, &f, ECHO, CHARGEN, F_SYN, 2000, 0, 65535, opt, opt_len, NULL,
			0);
	assert_int_equal(test_input(env, buf, n, synack_b, &len_b), SS_VERDICT_TX);
	assert_int_equal(env->worker.tcp.table.half_open, 2);
	/* Each SYN-ACK reaches the other entry, which goes; nothing is sent back. */
	assert_int_equal(test_tcp_bounce(env, synack_a, len_a, 1000), 1);
	assert_int_equal(test_tcp_bounce(env, synack_b, len_b, 1000), 1);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SYN_IN_SYN_RECEIVED), 2);
	assert_int_equal(env->worker.tcp.table.used, 0);
	assert_int_equal(env->worker.tcp.table.half_open, 0);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_CHALLENGE_ACK), 0);
}

static void
test_after_close_rst(void **state)
{
	struct test_env *env = *state;
	struct test_seg rst;
	struct test_peer p;
	uint32_t snd;

	/* Closed from LAST-ACK, a late segment finds a listener: RST <SEQ=SEG.ACK>. */
	reach(env, &p, AT_LAST_ACK, 40000);
	snd = test_peer_conn(&p)->snd_max;
	p.rcv_nxt = snd;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_null(test_peer_conn(&p));
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK | F_PSH,
							 ACK(snd),
							 .data = "late",
							 .len = 4 },
					 &rst),
			SS_VERDICT_TX);
	test_check_seg(&rst, F_RST, snd, 0, 0);
	/* A RST for it: dropped, never answered. */
	assert_int_equal(test_peer_seg(&p, &(struct test_seg_spec){ .flags = F_RST }, NULL),
			SS_DROP_TCP_RST_IN);
}

/*
 * Sequence and acknowledgment acceptability (RFC 9293 3.10.7.4, RFC 5961 5).
 */

static void
test_out_of_window(void **state)
{
	struct test_env *env = *state;
	uint8_t data[100];
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us, rcv;

	test_fill_pattern(data, sizeof(data), 0);
	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 1000);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	rcv = 1001;
	/* Beyond the window: ACK, nothing taken. */
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK,
							 SEQ(rcv + 65536),
							 ACK(us),
							 .data = data,
							 .len = 100 },
					 NULL),
			SS_VERDICT_TCP);
	expect_ack(env, us, rcv);
	/* Entirely old (a duplicate): ACK, nothing taken (data is always answered). */
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK,
							 SEQ(rcv - 100),
							 ACK(us),
							 .data = data,
							 .len = 100 },
					 NULL),
			SS_VERDICT_TCP);
	expect_ack(env, us, rcv);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_OUT_OF_WINDOW), 2);
	assert_int_equal(c->rcv_nxt, rcv);
	assert_int_equal(test_svc_ctr(env, SS_SVC_ECHO, 0)->bytes_in, 0);
	/* Half old, half new: only the new half is taken (and echoed). */
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK,
							 SEQ(rcv - 50),
							 ACK(us),
							 .data = data,
							 .len = 100 },
					 NULL),
			SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH, us, rcv + 50, 50);
	assert_memory_equal(segs[0].data, data + 50, 50);
	assert_int_equal(test_svc_ctr(env, SS_SVC_ECHO, 0)->bytes_in, 50);
}

static void
test_ack_too_new_too_old(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us;

	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 1000);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	/* ACK of data never sent: ACK back, the segment (and its data) dropped. */
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK,
							 SEQ(1001),
							 ACK(us + 1),
							 .data = "abc",
							 .len = 3 },
					 NULL),
			SS_VERDICT_TCP);
	expect_ack(env, us, 1001);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_ACK_TOO_NEW), 1);
	assert_int_equal(c->rcv_nxt, 1001);
	/* Far behind SND.UNA - MAX.SND.WND: dropped with an ACK (RFC 5961 5.2). */
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK,
							 SEQ(1001),
							 ACK(us - 70000),
							 .data = "abc",
							 .len = 3 },
					 NULL),
			SS_VERDICT_TCP);
	expect_ack(env, us, 1001);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_ACK_TOO_OLD), 1);
	assert_int_equal(c->rcv_nxt, 1001);
	/* A little behind: an old duplicate, the data is taken. */
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK,
							 SEQ(1001),
							 ACK(us - 1000),
							 .data = "abc",
							 .len = 3 },
					 NULL),
			SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH, us, 1004, 3);
	assert_int_equal(c->snd_una, us);
	/* No ACK flag at all: dropped. */
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_PSH,
							 SEQ(1004),
							 .data = "zzz",
							 .len = 3 },
					 NULL),
			SS_VERDICT_TCP);
	assert_int_equal(drain(env), 0);
	assert_int_equal(c->rcv_nxt, 1004);
	assert_int_equal(test_svc_ctr(env, SS_SVC_ECHO, 0)->bytes_in, 3);
}

/*
 * RFC 9293 3.10.7.4: a shut window refuses data, not the ACK it carries.
 * An echo client's segments must free what echo holds for it, or neither
 * side moves until a probe.
 */
static void
test_zero_window_takes_acks(void **state)
{
	struct test_env *env = *state;
	uint8_t data[1024];
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us, rcv;

	test_fill_pattern(data, sizeof(data), 9);
	test_tcp_reconfigure(env, "echo_buffer", "1024");
	test_peer_init(&p, env, 0, NULL, 40001, ECHO, 1000);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	rcv = 1001 + 1024;
	assert_int_equal(test_peer_data(&p, F_PSH, data, 1024), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	assert_int_equal(segs[0].win, 0);
	/* More data, acknowledging all the echo: the data is refused, the ACK is not. */
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK | F_PSH,
							 SEQ(rcv),
							 ACK(us + 1024),
							 .data = "z",
							 .len = 1 },
					 NULL),
			SS_VERDICT_TCP);
	assert_int_equal(c->snd_una, us + 1024);
	assert_int_equal(c->hold_bytes, 0);
	assert_int_equal(c->rcv_nxt, rcv);
	/* Our answer: the refused byte not acknowledged, the window open again; no resend. */
	expect_ack(env, us + 1024, rcv);
	assert_int_equal(segs[0].win, 1024);
	assert_int_equal(test_tcp_ctr(env, SS_SVC_ECHO, 0)->retransmits, 0);
}

static void
test_zero_window(void **state)
{
	struct test_env *env = *state;
	uint8_t data[1024];
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us, rcv;

	test_fill_pattern(data, sizeof(data), 5);
	test_tcp_reconfigure(env, "echo_buffer", "1024");
	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 1000);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	rcv = 1001 + 1024;
	/* 1024 bytes held until acknowledged: the window is shut. */
	assert_int_equal(test_peer_data(&p, F_PSH, data, 1024), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH, us, rcv, 1024);
	assert_int_equal(segs[0].win, 0);
	/* Data into a zero window: not acceptable, ACK with the window. */
	assert_int_equal(test_peer_data(&p, F_PSH, "x", 1), SS_VERDICT_TCP);
	p.snd_nxt--;
	expect_ack(env, us + 1024, rcv);
	assert_int_equal(segs[0].win, 0);
	assert_int_equal(c->rcv_nxt, rcv);
	/* A bare segment past RCV.NXT: not acceptable either. */
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK,
							 SEQ(rcv + 1),
							 ACK(us) },
					 NULL),
			SS_VERDICT_TCP);
	expect_ack(env, us + 1024, rcv);
	/* A bare ACK at RCV.NXT is: it acknowledges half, the window opens by that. */
	p.rcv_nxt = us + 512;
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK,
							 SEQ(rcv),
							 ACK(us + 512) },
					 NULL),
			SS_VERDICT_TCP);
	assert_int_equal(c->snd_una, us + 512);
	assert_int_equal(c->hold_bytes, 512);
	/* The window update (RFC 9293 3.8.6.2.2): the peer needs not probe for it. */
	expect_ack(env, us + 1024, rcv);
	assert_int_equal(segs[0].win, 512);
	assert_int_equal(test_peer_data(&p, F_PSH, "y", 1), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH, us + 1024, rcv + 1, 1);
	assert_int_equal(segs[0].data[0], 'y');
	assert_int_equal(segs[0].win, 511);
	/* Shut again; a RST at RCV.NXT is acceptable with any window. */
	assert_int_equal(test_peer_data(&p, 0, data, 511), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	assert_int_equal(segs[0].win, 0);
	assert_int_equal(test_peer_seg(&p, &(struct test_seg_spec){ .flags = F_RST }, NULL),
			SS_VERDICT_TCP);
	assert_null(test_peer_conn(&p));
}

static void
test_window_trim(void **state)
{
	struct test_env *env = *state;
	uint8_t data[1400];
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us;

	test_fill_pattern(data, sizeof(data), 2);
	test_tcp_reconfigure(env, "echo_buffer", "1024");
	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 1000);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	/* More than the window, with a FIN: the window's worth is taken, not the FIN. */
	assert_int_equal(test_peer_data(&p, F_PSH | F_FIN, data, 1400), SS_VERDICT_TCP);
	assert_int_equal(c->rcv_nxt, 1001 + 1024);
	assert_int_equal(c->state, SS_TCP_ESTABLISHED);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH, us, 1001 + 1024, 1024);
	assert_memory_equal(segs[0].data, data, 1024);
}

static void
test_out_of_order_sack(void **state)
{
	struct test_env *env = *state;
	uint8_t data[1200];
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us, rcv;

	test_fill_pattern(data, sizeof(data), 7);
	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 0xfffffe8f);
	test_peer_connect(&p, 1460, -1, 1);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	rcv = 0xfffffe90;
	/* Bytes 300..599 and 900..1199 ahead of holes (the second across the wrap). */
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK,
							 SEQ(rcv + 300),
							 ACK(us),
							 .data = data + 300,
							 .len = 300 },
					 NULL),
			SS_VERDICT_TCP);
	expect_ack(env, us, rcv);
	assert_int_equal(segs[0].n_sack, 1);
	assert_int_equal(segs[0].sack[0][0], rcv + 300);
	assert_int_equal(segs[0].sack[0][1], rcv + 600);
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK,
							 SEQ(rcv + 900),
							 ACK(us),
							 .data = data + 900,
							 .len = 300 },
					 NULL),
			SS_VERDICT_TCP);
	expect_ack(env, us, rcv);
	assert_int_equal(segs[0].n_sack, 2);
	assert_int_equal(segs[0].sack[0][0], rcv + 300);
	assert_int_equal(segs[0].sack[0][1], rcv + 600);
	assert_int_equal(segs[0].sack[1][0], rcv + 900);
	assert_int_equal(segs[0].sack[1][1], rcv + 1200);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_OUT_OF_ORDER), 2);
	assert_int_equal(c->rcv_nxt, rcv);
	assert_int_equal(test_svc_ctr(env, SS_SVC_ECHO, 0)->bytes_in, 0);
	/* The first hole fills: 0..599 delivered, echoed in order; one block left. */
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK,
							 SEQ(rcv),
							 ACK(us),
							 .data = data,
							 .len = 300 },
					 NULL),
			SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH, us, rcv + 600, 600);
	assert_memory_equal(segs[0].data, data, 600);
	assert_int_equal(segs[0].n_sack, 0); /* data segments carry no SACK */
	/* The second, overlapping both sides: the rest in order. */
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK,
							 SEQ(rcv + 450),
							 ACK(us),
							 .data = data + 450,
							 .len = 600 },
					 NULL),
			SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH, us + 600, rcv + 1200, 600);
	assert_memory_equal(segs[0].data, data + 600, 600);
	assert_int_equal(c->rcv_nxt, rcv + 1200);
	assert_int_equal(c->ooo_count, 0);
	assert_int_equal(c->mbufs, 1); /* the echo data, waiting for its ACK */
	assert_int_equal(test_svc_ctr(env, SS_SVC_ECHO, 0)->bytes_in, 1200);
}

static void
test_out_of_order_fin(void **state)
{
	struct test_env *env = *state;
	uint8_t data[200];
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us, rcv;

	test_fill_pattern(data, sizeof(data), 11);
	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 5000);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	rcv = 5001;
	/* Data and FIN ahead of a hole: held; no SACK (not permitted), a dup ACK. */
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK | F_FIN,
							 SEQ(rcv + 100),
							 ACK(us),
							 .data = data + 100,
							 .len = 100 },
					 NULL),
			SS_VERDICT_TCP);
	expect_ack(env, us, rcv);
	assert_int_equal(segs[0].n_sack, 0);
	assert_int_equal(c->state, SS_TCP_ESTABLISHED);
	/* The hole fills: all of it, then the FIN: echo closes after echoing. */
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK,
							 SEQ(rcv),
							 ACK(us),
							 .data = data,
							 .len = 100 },
					 NULL),
			SS_VERDICT_TCP);
	assert_int_equal(c->state, SS_TCP_CLOSE_WAIT);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH | F_FIN, us, rcv + 201, 200);
	assert_memory_equal(segs[0].data, data, 200);
	assert_int_equal(c->state, SS_TCP_LAST_ACK);
}

/*
 * Sequence numbers across 2^32, on both sides.
 */

/* Choose the SYN-cookie secret so that the SYN of p gets an ISN in [lo, hi]. */
static void
secret_for_iss(struct test_peer *p, uint16_t mss, uint8_t ws, bool sack, uint32_t lo, uint32_t hi)
{
	struct ss_tcp_key k;
	uint64_t i;

	test_peer_key(p, &k);
	for (i = 1; i < UINT64_C(1) << 26; i++) {
		uint8_t key[SS_TCP_COOKIE_KEY_LEN] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd,
			0xef };
		uint32_t iss;

		memcpy(key + 8, &i, sizeof(i));
		ss_tcp_cookie_secret_set(&ss_tcp_secret, key, true);
		iss = ss_tcp_cookie_make(&ss_tcp_secret, &k, p->iss, T0, mss, ws, sack);
		if (iss - lo <= hi - lo)
			return;
	}
	fail_msg("no secret found");
}

static void
test_wrap_echo(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_cookie_secret saved = ss_tcp_secret;
	uint8_t data[3000];
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us, left;
	unsigned int i, n;
	uint64_t got = 0;

	test_fill_pattern(data, sizeof(data), 13);
	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 0xfffffff0);
	secret_for_iss(&p, 1460, SS_TCP_COOKIE_NO_WSCALE, false, 0xffffffff - 2900,
			0xffffffff - 600);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	left = 0u - us; /* bytes of ours before the wrap */
	assert_true(left >= 600 && left <= 2900);
	/* The peer's 3000 bytes cross its wrap at 15; ours cross at left. */
	assert_int_equal(test_peer_data(&p, F_PSH, data, 1460), SS_VERDICT_TCP);
	assert_int_equal(test_peer_data(&p, F_PSH, data + 1460, 1460), SS_VERDICT_TCP);
	assert_int_equal(test_peer_data(&p, F_PSH | F_FIN, data + 2920, 80), SS_VERDICT_TCP);
	assert_int_equal(c->rcv_nxt, 0xfffffff1u + 3001);
	n = drain(env);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		assert_int_equal(segs[i].seq, (uint32_t)(us + got));
		assert_int_equal(segs[i].ack, 0xfffffff1u + 3001);
		assert_memory_equal(segs[i].data, data + got, segs[i].len);
		got += segs[i].len;
	}
	assert_int_equal(got, 3000);
	assert_int_equal(segs[2].flags, F_ACK | F_PSH | F_FIN);
	assert_int_equal(c->state, SS_TCP_LAST_ACK);
	/* ACKs across our wrap: first part, then all with the FIN. */
	p.rcv_nxt = us + left + 10;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(c->snd_una, us + left + 10);
	assert_true(c->snd_una < 3000);
	assert_int_equal(c->una_off, left + 10);
	assert_int_equal(c->hold_bytes, 3000 - left - 10);
	p.rcv_nxt = us + 3001;
	assert_true(p.rcv_nxt < 0x10000);
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_null(test_peer_conn(&p));
	ss_tcp_secret = saved;
}

static void
test_wrap_chargen(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_cookie_secret saved = ss_tcp_secret;
	struct ss_tcp_conn *c;
	struct test_peer p;
	unsigned int i;
	uint32_t us;

	test_peer_init(&p, env, 1, NULL, 40000, CHARGEN, 0x7ffffff0);
	secret_for_iss(&p, 1440, SS_TCP_COOKIE_NO_WSCALE, false, 0xffffffff - 12000,
			0xffffffff - 2000);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	assert_int_equal(drain(env), 10);
	for (i = 0; i < 10; i++) {
		assert_int_equal(segs[i].seq, us + i * 1440);
		test_chargen_check(segs[i].data, i * 1440, 1440);
	}
	/* Acknowledged across the wrap: the offsets carry on. */
	p.rcv_nxt = us + 10 * 1440;
	assert_true(p.rcv_nxt < 20000);
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(c->una_off, 14400);
	assert_int_equal(drain(env), 11);
	for (i = 0; i < 11; i++) {
		assert_int_equal(segs[i].seq, us + (10 + i) * 1440);
		test_chargen_check(segs[i].data, (10 + i) * 1440, 1440);
	}
	ss_tcp_secret = saved;
}

/*
 * Loss recovery driven by ACKs: fast retransmit, NewReno, limited
 * transmit, early retransmit, SACK (RFC 5681, 6582, 3042, 5827, 6675).
 */

static void
test_fast_retransmit_newreno(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us;
	unsigned int i;

	test_peer_init(&p, env, 0, NULL, 40000, CHARGEN, 5000);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	assert_int_equal(drain(env), 10);
	/* Limited transmit: one new segment on each of the first two duplicates. */
	test_peer_dupack(&p, us, NULL, 0);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK, us + 10 * 1460, 5001, 1460);
	test_chargen_check(segs[0].data, 10 * 1460, 1460);
	test_peer_dupack(&p, us, NULL, 0);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK, us + 11 * 1460, 5001, 1460);
	/* The third: the first segment again, the same bytes; recovery begins. */
	test_peer_dupack(&p, us, NULL, 0);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH, us, 5001, 1460);
	test_chargen_check(segs[0].data, 0, 1460);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_FAST_RETRANSMIT), 1);
	assert_int_equal(test_tcp_ctr(env, SS_SVC_CHARGEN, 0)->retransmits, 1);
	assert_true(c->flags & SS_TCP_F_RECOVERY);
	assert_int_equal(c->ssthresh, 6 * 1460);
	assert_int_equal(c->cwnd, 9 * 1460);
	assert_int_equal(c->recover, us + 12 * 1460);
	/* More duplicates inflate the window, one segment each, until new data fits. */
	for (i = 0; i < 3; i++) {
		test_peer_dupack(&p, us, NULL, 0);
		assert_int_equal(drain(env), 0);
	}
	test_peer_dupack(&p, us, NULL, 0);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK, us + 12 * 1460, 5001, 1460);
	assert_int_equal(c->cwnd, 13 * 1460);
	/* A partial ACK (RFC 6582): the next hole goes out at once, the window deflates. */
	p.rcv_nxt = us + 3 * 1460;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 2);
	test_check_seg(&segs[0], F_ACK | F_PSH, us + 3 * 1460, 5001, 1460);
	test_chargen_check(segs[0].data, 3 * 1460, 1460);
	assert_int_equal(c->cwnd, 11 * 1460);
	/* ... and with ten in flight, one new one. */
	test_check_seg(&segs[1], F_ACK, us + 13 * 1460, 5001, 1460);
	/* Karn: the ACK covers a retransmitted segment, so no RTT sample. */
	assert_int_equal(c->srtt, 0);
	assert_true(c->flags & SS_TCP_F_RECOVERY);
	assert_int_equal(test_tcp_ctr(env, SS_SVC_CHARGEN, 0)->retransmits, 2);
	/* The full ACK ends recovery: cwnd = ssthresh, and new data flows. */
	p.rcv_nxt = us + 12 * 1460;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_false(c->flags & SS_TCP_F_RECOVERY);
	assert_int_equal(c->cwnd, 6 * 1460);
	assert_int_equal(c->dupacks, 0);
	assert_int_equal(drain(env), 4);
	test_check_seg(&segs[0], F_ACK, us + 14 * 1460, 5001, 1460);
	test_chargen_check(segs[3].data, 17 * 1460, 1460);
}

static void
test_limited_transmit_undo(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us;

	test_peer_init(&p, env, 0, NULL, 40000, CHARGEN, 5000);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	assert_int_equal(drain(env), 10);
	test_peer_dupack(&p, us, NULL, 0);
	test_peer_dupack(&p, us, NULL, 0);
	assert_int_equal(drain(env), 2);
	assert_int_equal(c->cwnd, 12 * 1460);
	/* New data acknowledged after two duplicates: the two extra segments are taken back. */
	p.rcv_nxt = us + 1460;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(c->cwnd, 11 * 1460);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_FAST_RETRANSMIT), 0);
	/* A window change is not a duplicate ACK. */
	p.win = 60000;
	test_peer_dupack(&p, us + 1460, NULL, 0);
	assert_int_equal(c->dupacks, 0);
}

static void
test_early_retransmit(void **state)
{
	struct test_env *env = *state;
	uint8_t data[2920];
	struct test_peer p;
	uint32_t us;

	test_fill_pattern(data, sizeof(data), 17);
	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 5000);
	test_peer_connect(&p, 1460, -1, 0);
	us = p.our_iss + 1;
	assert_int_equal(test_peer_data(&p, 0, data, 1460), SS_VERDICT_TCP);
	assert_int_equal(test_peer_data(&p, F_PSH, data + 1460, 1460), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 2);
	/* Two segments out, nothing new to send: one duplicate is enough (RFC 5827). */
	test_peer_dupack(&p, us, NULL, 0);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH, us, 5001 + 2920, 1460);
	assert_memory_equal(segs[0].data, data, 1460);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_FAST_RETRANSMIT), 1);
}

static void
test_sack_recovery(void **state)
{
	struct test_env *env = *state;
	uint32_t blocks[2][2];
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us;

	test_peer_init(&p, env, 0, NULL, 40000, CHARGEN, 5000);
	test_peer_connect(&p, 1460, -1, 1);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	assert_int_equal(drain(env), 10);
	/* Segments 0 and 5 lost: the peer SACKs 1..4 and 6..7. */
	blocks[0][0] = us + 1460;
	blocks[0][1] = us + 3 * 1460;
	test_peer_dupack(&p, us, blocks, 1);
	blocks[0][1] = us + 4 * 1460;
	test_peer_dupack(&p, us, blocks, 1);
	assert_int_equal(drain(env), 2); /* limited transmit */
	blocks[0][1] = us + 5 * 1460;
	blocks[1][0] = us + 6 * 1460;
	blocks[1][1] = us + 7 * 1460;
	test_peer_dupack(&p, us, blocks, 2);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH, us, 5001, 1460);
	assert_true(c->flags & SS_TCP_F_RECOVERY);
	/* The next duplicate shows the second hole: resent at once. */
	blocks[1][1] = us + 8 * 1460;
	test_peer_dupack(&p, us, blocks, 2);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH, us + 5 * 1460, 5001, 1460);
	test_chargen_check(segs[0].data, 5 * 1460, 1460);
	/* And no hole left below the highest SACKed byte: nothing more. */
	test_peer_dupack(&p, us, blocks, 2);
	assert_int_equal(drain(env), 0);
	assert_int_equal(test_tcp_ctr(env, SS_SVC_CHARGEN, 0)->retransmits, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_answered, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_bad_data_offset, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_data_offset_whole_segment, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_bad_checksum, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_rx_cksum_flags, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_rx_cksum_flag_none, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_rst_never_answered, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_broadcast_syn_dropped, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_syn_repeated, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_syn_received_bad_ack, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_final_ack_with_data_or_fin, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_peer_window_scaled, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_echo, test_tcp_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_echo_fin_with_data, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_echo_fin_pending, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_discard, test_tcp_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_chargen, test_tcp_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_chargen_ignores_input, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_daytime, test_tcp_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_time, test_tcp_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_qotd, test_tcp_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_daytime_clock_unset, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_simultaneous_close, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_rst_each_state, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_syn_each_state, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_synack_bounce, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_after_close_rst, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_out_of_window, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ack_too_new_too_old, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_zero_window, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_zero_window_takes_acks, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_window_trim, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_out_of_order_sack, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_out_of_order_fin, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_wrap_echo, test_tcp_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_wrap_chargen, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_fast_retransmit_newreno, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_limited_transmit_undo, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_early_retransmit, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_sack_recovery, test_tcp_setup,
				test_env_teardown),
	};

	return cmocka_run_group_tests_name("tcp_input", tests, NULL, NULL);
}
