/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcp_ack.c against a hostile peer (issue 8): SACK blocks that lie (one
 * duplicate ACK used to hang the worker), window updates from old ACKs, an
 * RTT sample for a segment that ends at sequence 0, and a window that
 * duplicate ACKs may inflate only so far. The ordinary paths (NewReno,
 * limited and early retransmit, SACK recovery) are in test_tcp_input.c.
 */
#include "harness.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "tcp_priv.h"
#include "tcp_harness.h"

static struct test_seg segs[TEST_SEGS_MAX];

static unsigned int
drain(struct test_env *env)
{
	return test_tcp_drain(env, segs, TEST_SEGS_MAX);
}

/* A chargen connection with SACK, ten segments out, in fast recovery after three duplicates. */
static struct ss_tcp_conn *
chargen_in_recovery(struct test_env *env, struct test_peer *p, uint32_t *us)
{
	struct ss_tcp_conn *c;
	unsigned int i;

	test_peer_init(p, env, 0, NULL, 40000, CHARGEN, 5000);
	test_peer_connect(p, 1460, -1, 1);
	c = test_peer_conn(p);
	*us = p->our_iss + 1;
	assert_int_equal(drain(env), 10);
	for (i = 0; i < 3; i++)
		test_peer_dupack(p, *us, NULL, 0);
	drain(env);
	assert_true(c->flags & SS_TCP_F_RECOVERY);
	return c;
}

/*
 * Defect 1: in recovery, one duplicate ACK with the blocks [U, U+2^31-1),
 * [U+2^31-1, U+2^32-2), [U+2^32-2, U+2^31-3): modulo 2^32 the hole went
 * round them for ever. They lie outside (SND.UNA, SND.MAX]: ignored now,
 * and the loop is bounded whatever blocks it is given. A hang here is
 * ended by the alarm (the test then fails).
 */
static void
test_sack_cycle_no_hang(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us, blocks[3][2];

	c = chargen_in_recovery(env, &p, &us);
	blocks[0][0] = us;
	blocks[0][1] = us + 0x7fffffff;
	blocks[1][0] = us + 0x7fffffff;
	blocks[1][1] = us + 0xfffffffe;
	blocks[2][0] = us + 0xfffffffe;
	blocks[2][1] = us + 0x7ffffffd;
	alarm(10);
	test_peer_dupack(&p, us, blocks, 3);
	alarm(0);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SACK_IGNORED), 3);
	/* Nothing was resent on their word; the connection goes on. */
	assert_int_equal(drain(env), 0);
	assert_int_equal(c->state, SS_TCP_ESTABLISHED);
	p.rcv_nxt = c->snd_max;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_false(c->flags & SS_TCP_F_RECOVERY);
	assert_true(drain(env) > 0);
}

/* Blocks below SND.UNA (a D-SACK, RFC 2883), past SND.MAX, or empty: ignored. */
static void
test_sack_blocks_checked(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us, blocks[4][2];

	c = chargen_in_recovery(env, &p, &us);
	blocks[0][0] = us - 100; /* a D-SACK of old data */
	blocks[0][1] = us;
	blocks[1][0] = us + 2 * 1460; /* past what was sent */
	blocks[1][1] = c->snd_max + 1;
	blocks[2][0] = us + 3 * 1460; /* empty */
	blocks[2][1] = us + 3 * 1460;
	blocks[3][0] = us + 4 * 1460; /* backwards */
	blocks[3][1] = us + 3 * 1460;
	test_peer_dupack(&p, us, blocks, 4);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SACK_IGNORED), 4);
	assert_int_equal(drain(env), 0);
	/*
	 * A good block among bad ones still counts: the hole below it, past
	 * what the fast retransmit sent, goes again.
	 */
	blocks[0][0] = us + 2 * 1460;
	blocks[0][1] = c->snd_max;
	test_peer_dupack(&p, us, blocks, 2);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SACK_IGNORED), 5);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH, us + 1460, 5001, 1460);
}

/* Defect 10: an ACK below SND.UNA says nothing of the window now (RFC 9293 3.10.7.4). */
static void
test_old_ack_no_window_update(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us;

	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 1000);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	assert_int_equal(test_peer_data(&p, F_PSH, "abcd", 4), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	/* Data that acknowledges the echo: SND.UNA moves on, the window is set by it. */
	p.rcv_nxt = us + 4;
	assert_int_equal(test_peer_data(&p, F_PSH, "ijkl", 4), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	assert_int_equal(c->snd_una, us + 4);
	assert_int_equal(c->snd_wnd, 65535);
	/* Newer data, an older ACK, a shut window: the data is taken, the window is not. */
	p.win = 0;
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK | F_PSH,
							 ACK(us),
							 .data = "efgh",
							 .len = 4 },
					 NULL),
			SS_VERDICT_TCP);
	assert_int_equal(c->rcv_nxt, p.snd_nxt + 4);
	assert_int_equal(c->snd_wnd, 65535);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH, us + 8, p.snd_nxt + 4, 4);
}

/*
 * Defect 10: rtt_seq 0 meant "nothing timed", though 0 is a sequence
 * number like any other: a segment ending at 0 gave no RTT sample.
 */
static void
test_rtt_sample_at_zero(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_peer p;

	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 1000);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	/* Move our side of the stream to just below 2^32 (nothing is in flight). */
	c->snd_una = c->snd_nxt = c->snd_max = 0xfffffff0;
	c->snd_wl2 = 0xfffffff0;
	p.rcv_nxt = 0xfffffff0;
	assert_int_equal(test_peer_data(&p, F_PSH, "0123456789abcdef", 16), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH, 0xfffffff0, p.snd_nxt, 16);
	assert_true(c->flags & SS_TCP_F_RTT);
	assert_int_equal(c->rtt_seq, 0);
	test_tcp_advance(env, 5);
	p.rcv_nxt = 0;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_false(c->flags & SS_TCP_F_RTT);
	assert_int_equal(c->srtt, 5 << 3);
}

/* Defect 10: duplicates in recovery inflated the window without end. */
static void
test_inflation_bounded(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us, most;
	unsigned int i;

	c = chargen_in_recovery(env, &p, &us);
	for (i = 0; i < 100000; i++) {
		test_peer_dupack(&p, us, NULL, 0);
		if (i % 64 == 0)
			drain(env);
	}
	drain(env);
	most = c->ssthresh + (c->snd_max - c->snd_una) + 3 * c->mss;
	assert_true(c->cwnd <= most);
	/* What it sent meanwhile is what the peer's window allows, no more. */
	assert_true(c->snd_max - c->snd_una <= 65535);
	assert_true(c->flags & SS_TCP_F_RECOVERY);
	assert_int_equal(c->dupacks, UINT8_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sack_cycle_no_hang, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_sack_blocks_checked, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_old_ack_no_window_update, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_sample_at_zero, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_inflation_bounded, test_tcp_setup,
				test_env_teardown),
	};

	return cmocka_run_group_tests_name("tcp_ack", tests, NULL, NULL);
}
