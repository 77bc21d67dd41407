/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcp_challenge.c: answers to segments that were not acceptable (issue 8,
 * defects 3 and 4). One challenge ACK per connection per interval however
 * many RSTs and SYNs come; a global budget drawn at random each second;
 * two appliances on mirrored tuples that refuse each other's segments stop
 * at once; data out of the window is always answered.
 */
#include "harness.h"

#include <string.h>

#include "tcp_priv.h"
#include "tcp_harness.h"

static struct test_seg segs[TEST_SEGS_MAX];

static unsigned int
drain(struct test_env *env)
{
	return test_tcp_drain(env, segs, TEST_SEGS_MAX);
}

/* An established echo connection from port sport; drains what it sent. */
static struct ss_tcp_conn *
established(struct test_env *env, struct test_peer *p, uint16_t sport)
{
	test_peer_init(p, env, 0, NULL, sport, ECHO, 0x10000);
	test_peer_connect(p, 1460, -1, 0);
	drain(env);
	return test_peer_conn(p);
}

/*
 * RFC 5961 7 and issue 8, defect 4: one challenge ACK per connection per
 * invalid_ack_interval_ms, however many RSTs and SYNs come in the window.
 */
static void
test_challenge_ack_per_connection(void **state)
{
	struct test_env *env = *state;
	struct test_peer p;
	struct ss_tcp_conn *c;
	unsigned int i;

	c = established(env, &p, 40000);
	for (i = 0; i < 100; i++) {
		assert_int_equal(test_peer_seg(&p,
						 &(struct test_seg_spec){ .flags = i % 2 ? F_SYN :
											   F_RST,
								 SEQ(c->rcv_nxt + 1 + i) },
						 NULL),
				SS_VERDICT_TCP);
		assert_int_equal(drain(env), i == 0 ? 1 : 0);
	}
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_CHALLENGE_ACK), 1);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_INVALID_ACK_LIMITED), 99);
	/* 499 ms on, still none; at 500 ms, one more. */
	test_tcp_advance(env, 499);
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_RST,
							 SEQ(c->rcv_nxt + 1) },
					 NULL),
			SS_VERDICT_TCP);
	assert_int_equal(drain(env), 0);
	test_tcp_advance(env, 1);
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_RST,
							 SEQ(c->rcv_nxt + 1) },
					 NULL),
			SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_CHALLENGE_ACK), 2);
	assert_int_equal(c->state, SS_TCP_ESTABLISHED);
	/* invalid_ack_interval_ms = 0: no limit of the connection's own. */
	test_tcp_reconfigure(env, "invalid_ack_interval_ms", "0");
	c = established(env, &p, 40001);
	for (i = 0; i < 10; i++) {
		assert_int_equal(test_peer_seg(&p,
						 &(struct test_seg_spec){ .flags = F_RST,
								 SEQ(c->rcv_nxt + 1) },
						 NULL),
				SS_VERDICT_TCP);
		assert_int_equal(drain(env), 1);
	}
}

/*
 * Issue 8, defect 4 (CVE-2016-5696): the global budget was one
 * deterministic bucket, so an attacker's own connection could count what
 * was left of it and learn whether its RSTs had hit a live tuple. Now
 * each second's budget is drawn at random around challenge_ack_rate, and
 * RSTs aimed at one connection spend at most one unit of it.
 */
static void
test_challenge_ack_budget_random(void **state)
{
	struct test_env *env = *state;
	struct test_peer p[40], victim;
	unsigned int i, sec, n, first = 0;
	bool varied = false;

	test_tcp_reconfigure(env, "challenge_ack_rate", "20");
	for (i = 0; i < RTE_DIM(p); i++)
		established(env, &p[i], 30000 + i);
	established(env, &victim, 29999);
	for (sec = 0; sec < 8; sec++) {
		uint64_t before = test_tcp_event(env, SS_TCP_EV_CHALLENGE_ACK);
		struct ss_tcp_conn *v = test_peer_conn(&victim);

		test_tcp_advance(env, 1000);
		drain(env);
		/* A blind attacker's hundred RSTs at the victim cost the budget one. */
		for (i = 0; i < 100; i++)
			test_peer_seg(&victim,
					&(struct test_seg_spec){ .flags = F_RST,
							SEQ(v->rcv_nxt + 1 + i) },
					NULL);
		assert_int_equal(drain(env), 1);
		/* What is left of this second's budget, as the attacker would count it. */
		for (i = 0; i < RTE_DIM(p); i++) {
			struct ss_tcp_conn *c = test_peer_conn(&p[i]);

			test_peer_seg(&p[i],
					&(struct test_seg_spec){ .flags = F_RST,
							SEQ(c->rcv_nxt + 1) },
					NULL);
		}
		drain(env);
		n = test_tcp_event(env, SS_TCP_EV_CHALLENGE_ACK) - before;
		/* Between half and one and a half times the mean, never the same every second. */
		assert_true(n >= 10 && n <= 30);
		if (sec == 0)
			first = n;
		else if (n != first)
			varied = true;
	}
	assert_true(varied);
}

/*
 * Issue 8, defect 3: two connections on mirrored tuples, each finding the
 * other's sequence numbers unacceptable, exchanged 200 009 ACKs and went
 * on. Each ACK to an unacceptable segment is now rate-limited per
 * connection: the exchange stops at once, and is counted.
 */
static void
test_ack_loop_bounded(void **state)
{
	struct test_env *env = *state;
	struct ss_txbuf *tx = &env->worker.txbuf[0];
	struct test_peer a, b;
	uint8_t first[TEST_BOUNCE_FRAME];
	unsigned int i;
	size_t len;

	test_tcp_mirror_setup(env);
	/* Discard at both ends: "A" has 192.0.2.2:9 to 192.0.2.1:9, "B" the mirror. */
	test_peer_init(&a, env, 0, "192.0.2.2", DISCARD, DISCARD, 1000);
	test_peer_connect(&a, 1460, -1, 0);
	test_peer_init(&b, env, 0, "192.0.2.1", DISCARD, DISCARD, 500000);
	b.f.dst = "192.0.2.2";
	test_peer_connect(&b, 1460, -1, 0);
	drain(env);
	/* Something out of A's window: A answers with an ACK, which B finds unacceptable. */
	assert_int_equal(test_peer_seg(&a,
					 &(struct test_seg_spec){ .flags = F_ACK,
							 SEQ(a.snd_nxt + 100000),
							 .data = "x",
							 .len = 1 },
					 NULL),
			SS_VERDICT_TCP);
	ss_tcp_flush(&env->worker);
	assert_int_equal(tx->n, 1);
	len = tx->pkts[0]->data_len;
	memcpy(first, rte_pktmbuf_mtod(tx->pkts[0], uint8_t *), len);
	rte_pktmbuf_free(tx->pkts[0]);
	tx->n = 0;
	/* A's ACK to B, B's to A, A's to B, and B stays silent (it answered one just now). */
	assert_int_equal(test_tcp_bounce(env, first, len, 1000), 3);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_INVALID_ACK_LIMITED), 1);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_OUT_OF_WINDOW), 4);
	/* Half a second on: each answers once more, no more. */
	test_tcp_advance(env, 500);
	assert_int_equal(test_tcp_bounce(env, first, len, 1000), 3);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_INVALID_ACK_LIMITED), 2);
	assert_non_null(test_peer_conn(&a));
	assert_non_null(test_peer_conn(&b));
	/* Data out of the window is always answered: it is no part of a loop (as Linux). */
	for (i = 0; i < 5; i++) {
		assert_int_equal(test_peer_seg(&a,
						 &(struct test_seg_spec){ .flags = F_ACK,
								 SEQ(a.snd_nxt + 100000),
								 .data = "x",
								 .len = 1 },
						 NULL),
				SS_VERDICT_TCP);
		assert_int_equal(drain(env), 1);
	}
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_INVALID_ACK_LIMITED), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_challenge_ack_per_connection, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_challenge_ack_budget_random, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ack_loop_bounded, test_tcp_setup,
				test_env_teardown),
	};

	return cmocka_run_group_tests_name("tcp_challenge", tests, NULL, NULL);
}
