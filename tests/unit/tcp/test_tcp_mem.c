/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcp_mem.c: what connections hold, charged whole mbufs to the connection,
 * its source and the worker (issue 8, defects 8 and 9). One source's echo
 * connections stop at max_held_per_source while another source's go on;
 * the worker's share of the pool bounds them all; what is refused is not
 * acknowledged, windows shut while a budget is spent and open when it is
 * given back; everything is given back when connections end.
 */
#include "harness.h"

#include <string.h>

#include <rte_mempool.h>

#include "tcp_mem.h"
#include "tcp_priv.h"
#include "tcp_harness.h"

static struct test_seg segs[TEST_SEGS_MAX];

static unsigned int
drain(struct test_env *env)
{
	return test_tcp_drain(env, segs, TEST_SEGS_MAX);
}

/* An echo client that writes and never acknowledges what comes back. */
static void
writer(struct test_env *env, struct test_peer *p, const char *addr, uint16_t port)
{
	test_peer_init(p, env, 0, addr, port, ECHO, 1000);
	test_peer_connect(p, 1460, -1, 0);
}

/* n bytes from p; returns the window of our answer (-1: no answer). */
static int
write_some(struct test_env *env, struct test_peer *p, uint16_t n)
{
	uint8_t data[1400];
	unsigned int k;

	test_fill_pattern(data, n, p->sport);
	assert_int_equal(test_peer_data(p, F_PSH, data, n), SS_VERDICT_TCP);
	k = drain(env);
	return k == 0 ? -1 : segs[k - 1].win;
}

/* Does the stack take n more bytes from p? (If not, p will send them again.) */
static bool
taken(struct test_env *env, struct test_peer *p, uint16_t n)
{
	uint32_t rcv = test_peer_conn(p)->rcv_nxt;

	write_some(env, p, n);
	if (test_peer_conn(p)->rcv_nxt != rcv)
		return true;
	p->snd_nxt -= n;
	return false;
}

/*
 * Defect 9: about 145 connections of one source, each pinning its mbufs,
 * took the pool to its reserve, and then every client's echo window shut.
 * The source now stops at its budget; others do not notice.
 */
static void
test_source_budget(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_mem *mem = &env->worker.tcp.mem;
	struct test_peer a[16], b;
	unsigned int i, n;

	/* The least budget there is: 64 KB, six of the unit pool's 10 KB mbufs. */
	test_tcp_reconfigure(env, "max_held_per_source", "65536");
	n = mem->source_max;
	assert_true(n >= 2 && n + 2 <= RTE_DIM(a));
	/* Each connection's first segment takes an mbuf; the source has n of them. */
	for (i = 0; i < n + 2; i++) {
		writer(env, &a[i], "192.0.2.10", 41000 + i);
		assert_int_equal(taken(env, &a[i], 1200), i < n);
	}
	assert_int_equal(env->worker.tcp.table.sources[test_peer_conn(&a[0])->src_slot].mbufs, n);
	/* Its windows are all shut now... */
	for (i = 0; i < n + 2; i++)
		assert_int_equal(ss_tcp_rcv_window(&env->worker, test_peer_conn(&a[i])), 0);
	/* ... another source's are not, and it is echoed. */
	writer(env, &b, "192.0.2.20", 42000);
	assert_int_equal(write_some(env, &b, 1200), 65536 - 1200); /* echo_buffer less it */
	test_check_seg(&segs[0], F_ACK | F_PSH, b.our_iss + 1, b.snd_nxt, 1200);
	/* One of the source's connections ends: what it held is given back. */
	assert_int_equal(test_peer_seg(&a[0], &(struct test_seg_spec){ .flags = F_RST }, NULL),
			SS_VERDICT_TCP);
	assert_int_equal(env->worker.tcp.table.sources[test_peer_conn(&a[1])->src_slot].mbufs,
			n - 1);
	assert_true(taken(env, &a[n], 1200));
}

/* The worker's share of the pool bounds all sources together. */
static void
test_worker_budget(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_mem *mem = &env->worker.tcp.mem;
	char addr[12][32];
	struct test_peer p[12];
	unsigned int i;

	mem->held_max = 10;
	for (i = 0; i < RTE_DIM(p); i++) {
		snprintf(addr[i], sizeof(addr[i]), "192.0.2.%u", 30 + i);
		writer(env, &p[i], addr[i], 43000 + i);
		assert_int_equal(taken(env, &p[i], 1200), i < 10);
	}
	assert_int_equal(mem->mbufs, 10);
	/* Every echo window is shut now, whichever source. */
	for (i = 0; i < RTE_DIM(p); i++)
		assert_true(ss_tcp_mem_short(&env->worker, test_peer_conn(&p[i])));
	/* Acknowledged back: given back, the windows open again, and say so. */
	p[0].rcv_nxt = test_peer_conn(&p[0])->snd_max;
	assert_int_equal(test_peer_data(&p[0], 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(mem->mbufs, 9);
	assert_false(ss_tcp_mem_short(&env->worker, test_peer_conn(&p[0])));
	assert_int_equal(drain(env), 1);
	assert_true(segs[0].win > 0);
}

/*
 * A connection whose segments ahead of a hole took its source's budget
 * must still take the segment that fills the hole: what is ahead goes
 * (as Linux prunes its out-of-order queue), and the peer sends it again.
 */
static void
test_gap_fills_with_budget_spent(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_mem *mem = &env->worker.tcp.mem;
	uint8_t data[1000];
	struct ss_tcp_conn *c;
	struct test_peer p;
	unsigned int i, n;
	uint32_t rcv;

	test_tcp_reconfigure(env, "max_held_per_source", "65536");
	n = mem->source_max;
	test_peer_init(&p, env, 0, NULL, 47000, ECHO, 1000);
	test_peer_connect(&p, 1460, -1, 1);
	c = test_peer_conn(&p);
	rcv = c->rcv_nxt;
	test_fill_pattern(data, sizeof(data), 3);
	for (i = 0; i < n + 2; i++)
		test_peer_seg(&p,
				&(struct test_seg_spec){ .flags = F_ACK,
						SEQ(rcv + 1000 * (i + 1)),
						.data = data,
						.len = 300 },
				NULL);
	drain(env);
	assert_int_equal(c->mbufs, n);
	assert_true(ss_tcp_mem_short(&env->worker, c));
	/* The window stays open for what fills the hole, and it is taken. */
	assert_true(ss_tcp_rcv_window(&env->worker, c) > 0);
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK | F_PSH,
							 SEQ(rcv),
							 .data = data,
							 .len = 1000 },
					 NULL),
			SS_VERDICT_TCP);
	assert_int_equal(c->rcv_nxt, rcv + 1000);
	assert_null(c->ooo);
	assert_int_equal(c->mbufs, 1);
	assert_int_equal(mem->mbufs, 1);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH, p.our_iss + 1, rcv + 1000, 1000);
}

/* One source cannot take a worker's whole budget: it takes eight (issue 8 review). */
static void
test_source_share_of_worker(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_mem *mem = &env->worker.tcp.mem;
	uint8_t data[300];
	struct test_peer p, q;
	uint32_t rcv;
	unsigned int i;

	test_tcp_reconfigure(env, "max_connections", "16");
	assert_int_equal(mem->held_max, 64);
	assert_int_equal(mem->source_max, 8);
	test_fill_pattern(data, sizeof(data), 4);
	test_peer_init(&p, env, 0, "192.0.2.10", 48000, DISCARD, 1000);
	test_peer_connect(&p, 1460, -1, 1);
	rcv = test_peer_conn(&p)->rcv_nxt;
	for (i = 0; i < 64; i++)
		test_peer_seg(&p,
				&(struct test_seg_spec){ .flags = F_ACK,
						SEQ(rcv + 1000 * (i + 1)),
						.data = data,
						.len = 300 },
				NULL);
	drain(env);
	assert_int_equal(mem->mbufs, 8);
	writer(env, &q, "192.0.2.20", 48001);
	assert_true(write_some(env, &q, 100) > 0);
}

/* Small segments are packed: a thousand 1-byte writes pin one mbuf, not a thousand. */
static void
test_small_segments_packed(void **state)
{
	struct test_env *env = *state;
	struct test_peer p;
	unsigned int i;

	writer(env, &p, NULL, 44000);
	for (i = 0; i < 1000; i++)
		assert_int_equal(test_peer_data(&p, F_PSH, "x", 1), SS_VERDICT_TCP);
	drain(env);
	assert_int_equal(test_peer_conn(&p)->hold_bytes, 1000);
	assert_int_equal(test_peer_conn(&p)->mbufs, 1);
	assert_int_equal(env->worker.tcp.mem.mbufs, 1);
}

/* Everything held comes back when the worker goes: no mbuf, no charge left. */
static void
test_all_given_back(void **state)
{
	struct test_env *env = *state;
	unsigned int avail = rte_mempool_avail_count(env->pool), i;
	struct test_peer p[4];

	for (i = 0; i < RTE_DIM(p); i++) {
		writer(env, &p[i], NULL, 45000 + i);
		write_some(env, &p[i], 1200);
		/* and something ahead of a hole */
		assert_int_equal(
				test_peer_seg(&p[i],
						&(struct test_seg_spec){ .flags = F_ACK,
								SEQ(p[i].snd_nxt + 5000),
								.data = "0123456789012345678901234567890123456789",
								.len = 40 },
						NULL),
				SS_VERDICT_TCP);
		drain(env);
	}
	assert_int_equal(env->worker.tcp.mem.mbufs, 2 * RTE_DIM(p));
	for (i = 0; i < RTE_DIM(p); i++)
		assert_int_equal(test_peer_seg(&p[i], &(struct test_seg_spec){ .flags = F_RST },
						 NULL),
				SS_VERDICT_TCP);
	assert_int_equal(env->worker.tcp.mem.mbufs, 0);
	assert_int_equal(env->worker.tcp.table.sources[0].mbufs, 0);
	assert_int_equal(rte_mempool_avail_count(env->pool), avail);
}

/* The pool itself, looked at each tick: under its reserve, nothing is held. */
static void
test_pool_low(void **state)
{
	struct test_env *env = *state;
	struct rte_mbuf *taken[1024];
	unsigned int n = 0;
	struct test_peer p;

	writer(env, &p, NULL, 46000);
	while (rte_mempool_avail_count(env->pool) >= env->worker.tcp.mem.pool_reserve)
		taken[n++] = rte_pktmbuf_alloc(env->pool);
	test_tcp_advance(env, 1);
	assert_true(env->worker.tcp.mem.pool_low);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_POOL_LOW), 1);
	assert_int_equal(write_some(env, &p, 1200), 0);
	assert_int_equal(test_peer_conn(&p)->mbufs, 0);
	rte_pktmbuf_free_bulk(taken, n);
	test_tcp_advance(env, 1);
	assert_false(env->worker.tcp.mem.pool_low);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_source_budget, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_worker_budget, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_gap_fills_with_budget_spent, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_source_share_of_worker, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_small_segments_packed, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_all_given_back, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_pool_low, test_tcp_setup, test_env_teardown),
	};

	return cmocka_run_group_tests_name("tcp_mem", tests, NULL, NULL);
}
