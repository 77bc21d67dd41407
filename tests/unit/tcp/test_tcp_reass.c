/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcp_reass.c: segments held ahead of a hole. Kept in sequence order
 * whatever order they come in, announced as merged SACK blocks (at most
 * as many as asked), handed back trimmed to RCV.NXT once the hole is
 * filled (with the FIN that followed them), duplicates freed, a cap on
 * what is held, and all of it across the 2^32 wrap. What a peer's small
 * segments may pin (issue 8, defect 9): one that continues a held segment
 * is copied behind it, one that does not is not held; every mbuf held is
 * charged to the connection, its source and the worker, and given back.
 */
#include "harness.h"

#include <string.h>

#include <rte_mempool.h>

#include "tcp_conn.h"
#include "tcp_mem.h"
#include "tcp_priv.h"
#include "tcp_reass.h"

#define HDR 54 /* what the caller cuts off: Ethernet, IPv4, TCP */
#define U 300  /* a segment long enough to be held alone */

/* The payload byte at sequence number seq. */
static uint8_t
byte_at(uint32_t seq)
{
	return (uint8_t)(seq * 13 + 7);
}

/* An mbuf with HDR bytes of header then len payload bytes for seq. */
static struct rte_mbuf *
seg(struct test_env *env, uint32_t seq, uint16_t len)
{
	uint8_t frame[HDR + 4000];
	uint16_t i;

	memset(frame, 0xee, HDR);
	for (i = 0; i < len; i++)
		frame[HDR + i] = byte_at(seq + i);
	return test_mbuf(env, frame, HDR + len);
}

/* Offer the segment; true when the queue took the mbuf. */
static bool
offer(struct test_env *env, struct ss_tcp_conn *c, uint32_t seq, uint16_t len, bool fin)
{
	struct rte_mbuf *m = seg(env, seq, len);

	if (ss_tcp_ooo_insert(&env->worker, c, m, HDR, seq, len, fin))
		return true;
	rte_pktmbuf_free(m);
	return false;
}

static void
hold(struct test_env *env, struct ss_tcp_conn *c, uint32_t seq, uint16_t len, bool fin)
{
	assert_true(offer(env, c, seq, len, fin));
}

/* The next segment must start at rcv_nxt with n bytes of the right data. */
static void
pop_expect(struct test_env *env, struct ss_tcp_conn *c, uint16_t n, bool want_fin)
{
	bool fin = !want_fin;
	struct rte_mbuf *m = ss_tcp_ooo_pop(&env->worker, c, &fin);
	const uint8_t *d;
	uint16_t i;

	assert_non_null(m);
	assert_int_equal(m->data_len, n);
	assert_int_equal(fin, want_fin);
	assert_null(m->next);
	d = rte_pktmbuf_mtod(m, const uint8_t *);
	for (i = 0; i < n; i++)
		assert_int_equal(d[i], byte_at(c->rcv_nxt + i));
	c->rcv_nxt += n;
	rte_pktmbuf_free(m);
	ss_tcp_mem_uncharge(&env->worker, c, 1);
}

/* Nothing held, nothing charged, every mbuf back in the pool. */
static void
check_empty(struct test_env *env, const struct ss_tcp_conn *c, unsigned int avail)
{
	assert_null(c->ooo);
	assert_int_equal(c->ooo_count, 0);
	assert_int_equal(c->mbufs, 0);
	assert_int_equal(env->worker.tcp.mem.mbufs, 0);
	assert_int_equal(env->worker.tcp.table.sources[c->src_slot].mbufs, 0);
	assert_int_equal(rte_mempool_avail_count(env->pool), avail);
}

static void
check_sack(const struct ss_tcp_conn *c, unsigned int max, const uint32_t want[][2], unsigned int n)
{
	uint32_t b[4][2];
	unsigned int i;

	assert_int_equal(ss_tcp_ooo_sack(c, b, max), n);
	for (i = 0; i < n; i++) {
		assert_int_equal(b[i][0], want[i][0]);
		assert_int_equal(b[i][1], want[i][1]);
	}
}

static void
run_reorder(struct test_env *env, uint32_t base)
{
	struct ss_tcp_conn c;
	unsigned int avail = rte_mempool_avail_count(env->pool);
	bool fin;

	memset(&c, 0, sizeof(c));
	c.rcv_nxt = base;
	/* Three islands, arriving out of order. */
	hold(env, &c, base + 5 * U, U, false);
	hold(env, &c, base + U, U, false);
	hold(env, &c, base + 3 * U, U, false);
	assert_int_equal(c.ooo_count, 3);
	assert_int_equal(c.mbufs, 3);
	{
		const uint32_t w[3][2] = { { base + U, base + 2 * U },
			{ base + 3 * U, base + 4 * U }, { base + 5 * U, base + 6 * U } };

		check_sack(&c, 3, w, 3);
		check_sack(&c, 2, w, 2); /* no room for more */
	}
	/* One that continues a held one is copied behind it: no new mbuf. */
	assert_false(offer(env, &c, base + 2 * U, U, false));
	assert_int_equal(c.ooo_count, 3);
	/* An overlapping one is held as it is; the blocks merge. */
	hold(env, &c, base + 3 * U + U / 2, 2 * U, false);
	assert_int_equal(c.mbufs, 4);
	{
		const uint32_t w[1][2] = { { base + U, base + 6 * U } };

		check_sack(&c, 3, w, 1);
	}
	/* The hole is still there: nothing to hand back. */
	assert_null(ss_tcp_ooo_pop(&env->worker, &c, &fin));
	/* Filled (by the caller): each byte once, in order, from RCV.NXT. */
	c.rcv_nxt = base + U;
	pop_expect(env, &c, 2 * U, false);     /* U..3U, two segments in one mbuf */
	pop_expect(env, &c, U, false);         /* 3U..4U */
	pop_expect(env, &c, 3 * U / 2, false); /* 4U..5.5U of 3.5U..5.5U */
	pop_expect(env, &c, U / 2, false);     /* 5.5U..6U of 5U..6U */
	assert_int_equal(c.rcv_nxt, base + 6 * U);
	check_empty(env, &c, avail);
}

static void
test_reorder(void **state)
{
	run_reorder(*state, 1000);
}

static void
test_reorder_wrap(void **state)
{
	/* The islands straddle 2^32. */
	run_reorder(*state, 0xfffffe50);
	run_reorder(*state, 0xffffffff - 350);
}

static void
test_fin_and_duplicates(void **state)
{
	struct test_env *env = *state;
	unsigned int avail = rte_mempool_avail_count(env->pool);
	struct ss_tcp_conn c;
	bool fin;

	memset(&c, 0, sizeof(c));
	c.rcv_nxt = 0xfffffc00;
	hold(env, &c, 0x100, U, true);                  /* the last data, then FIN */
	hold(env, &c, 0xfffffe00, 0x200 + 0x80, false); /* across the wrap */
	/* A duplicate of its start, held already: not kept twice. */
	assert_false(offer(env, &c, 0xfffffe00, U, false));
	assert_false(offer(env, &c, 0xfffffe10, U, false));
	assert_int_equal(c.mbufs, 2);
	/* The hole below is filled: the rest comes in order. */
	c.rcv_nxt = 0xfffffe00;
	pop_expect(env, &c, 0x280, false);
	assert_int_equal(c.rcv_nxt, 0x80);
	assert_null(ss_tcp_ooo_pop(&env->worker, &c, &fin)); /* 0x80..0xff still missing */
	assert_int_equal(c.mbufs, 1);
	c.rcv_nxt = 0x100;
	pop_expect(env, &c, U, true);
	check_empty(env, &c, avail);

	/* Wholly before RCV.NXT by then: freed on the way, not handed back. */
	c.rcv_nxt = 100;
	hold(env, &c, 1000, U, false);
	hold(env, &c, 2000, U, false);
	c.rcv_nxt = 1500;
	assert_null(ss_tcp_ooo_pop(&env->worker, &c, &fin));
	assert_int_equal(c.ooo_count, 1);
	assert_int_equal(c.mbufs, 1);
	c.rcv_nxt = 2000;
	pop_expect(env, &c, U, false);
	/* A FIN-only end: a held segment that ends at RCV.NXT with its FIN. */
	c.rcv_nxt = 3000;
	hold(env, &c, 3000 - U, U, true);
	fin = false;
	{
		struct rte_mbuf *m = ss_tcp_ooo_pop(&env->worker, &c, &fin);

		assert_non_null(m);
		assert_int_equal(m->data_len, 0);
		assert_true(fin);
		rte_pktmbuf_free(m);
		ss_tcp_mem_uncharge(&env->worker, &c, 1);
	}
	check_empty(env, &c, avail);
}

static void
test_cap_and_drop(void **state)
{
	struct test_env *env = *state;
	unsigned int avail = rte_mempool_avail_count(env->pool), i;
	struct ss_tcp_conn c;

	memset(&c, 0, sizeof(c));
	c.rcv_nxt = 0;
	for (i = 0; i < SS_TCP_OOO_MAX; i++)
		hold(env, &c, 10 + 2 * U * i, U, false);
	/* Full: refused, the caller keeps (and frees) it. */
	assert_false(offer(env, &c, 1000000, U, false));
	assert_int_equal(c.ooo_count, SS_TCP_OOO_MAX);
	{
		uint32_t b[3][2];

		assert_int_equal(ss_tcp_ooo_sack(&c, b, 3), 3);
		assert_int_equal(b[2][0], 10 + 4 * U);
	}
	ss_tcp_mem_uncharge(&env->worker, &c, ss_tcp_ooo_drop(&c));
	check_empty(env, &c, avail);
	assert_int_equal(ss_tcp_ooo_drop(&c), 0); /* empty: harmless */
}

/*
 * Issue 8, defect 9: each 1-byte segment ahead of a hole pinned an mbuf of
 * its own. Now tiny ones that continue a held segment are copied, and the
 * others are not held at all.
 */
static void
test_tiny_segments(void **state)
{
	struct test_env *env = *state;
	unsigned int avail = rte_mempool_avail_count(env->pool), i;
	struct ss_tcp_conn c;

	memset(&c, 0, sizeof(c));
	c.rcv_nxt = 0;
	/* A byte here and a byte there: the first held (it may be a request's end), no more. */
	for (i = 0; i < 100; i++)
		assert_int_equal(offer(env, &c, 1000 + 2 * i, 1, false), i == 0);
	assert_int_equal(c.ooo_count, 1);
	assert_int_equal(c.mbufs, 1);
	assert_int_equal(env->worker.stats[0].tcp_event[SS_TCP_EV_OOO_TINY], 99);
	ss_tcp_mem_uncharge(&env->worker, &c, ss_tcp_ooo_drop(&c));
	/* Behind a held segment, bytes in a row: copied into it. */
	hold(env, &c, 5000, U, false);
	for (i = 0; i < 100; i++)
		assert_false(offer(env, &c, 5000 + U + i, 1, false));
	assert_int_equal(c.ooo_count, 1);
	assert_int_equal(c.mbufs, 1);
	c.rcv_nxt = 5000;
	pop_expect(env, &c, U + 100, false);
	check_empty(env, &c, avail);
}

/* Issue 8, defects 8 and 9: a connection may hold only what its budgets allow. */
static void
test_budgets(void **state)
{
	struct test_env *env = *state;
	unsigned int avail = rte_mempool_avail_count(env->pool), i;
	struct ss_tcp_mem *mem = &env->worker.tcp.mem;
	struct ss_tcp_conn c, d;

	memset(&c, 0, sizeof(c));
	memset(&d, 0, sizeof(d));
	d.src_slot = 1; /* another source */
	/* The source's budget: 3 mbufs for c's source; d's source is not touched. */
	mem->source_max = 3;
	for (i = 0; i < 5; i++)
		assert_int_equal(offer(env, &c, 1000 + 2 * U * i, U, false), i < 3);
	assert_int_equal(env->worker.stats[0].tcp_event[SS_TCP_EV_HOLD_SOURCE_FULL], 2);
	assert_true(ss_tcp_mem_short(&env->worker, &c));
	assert_false(ss_tcp_mem_short(&env->worker, &d));
	hold(env, &d, 1000, U, false);
	/* The worker's budget: held there in all. */
	mem->source_max = 100;
	mem->held_max = 5;
	assert_true(offer(env, &d, 1000 + 2 * U, U, false));
	assert_false(offer(env, &d, 1000 + 4 * U, U, false));
	assert_int_equal(env->worker.stats[0].tcp_event[SS_TCP_EV_HOLD_FULL], 1);
	assert_true(ss_tcp_mem_short(&env->worker, &d));
	assert_int_equal(mem->mbufs, 5);
	ss_tcp_mem_uncharge(&env->worker, &c, ss_tcp_ooo_drop(&c));
	ss_tcp_mem_uncharge(&env->worker, &d, ss_tcp_ooo_drop(&d));
	check_empty(env, &c, avail);
	check_empty(env, &d, avail);
}

/*
 * Issue 8, defect 8: the pool fell to 39 free mbufs within one tick while
 * nothing noticed. By construction now: what connections may hold is the
 * pool less its reserve, counted exactly where each mbuf is taken.
 */
static void
test_pool_reserve_kept(void **state)
{
	struct test_env *env = *state;
	unsigned int avail = rte_mempool_avail_count(env->pool), low = avail, i, n;
	struct ss_tcp_mem *mem = &env->worker.tcp.mem;
	struct ss_tcp_conn c[64];

	memset(c, 0, sizeof(c));
	assert_true(mem->held_max <= env->pool->size - mem->pool_reserve);
	/* As many connections as it takes, each as full as it may be, on one tick. */
	for (n = 0; n < RTE_DIM(c); n++) {
		c[n].src_slot = n;
		for (i = 0; i < SS_TCP_OOO_MAX; i++) {
			offer(env, &c[n], 1000 + 2 * U * i, U, false);
			low = RTE_MIN(low, rte_mempool_avail_count(env->pool));
		}
	}
	assert_int_equal(mem->mbufs, mem->held_max);
	assert_true(env->worker.stats[0].tcp_event[SS_TCP_EV_HOLD_FULL] > 0);
	assert_true(low + mem->held_max >= avail);
	assert_true(low >= avail - (env->pool->size - mem->pool_reserve));
	for (n = 0; n < RTE_DIM(c); n++)
		ss_tcp_mem_uncharge(&env->worker, &c[n], ss_tcp_ooo_drop(&c[n]));
	assert_int_equal(mem->mbufs, 0);
	assert_int_equal(rte_mempool_avail_count(env->pool), avail);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reorder, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_reorder_wrap, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_fin_and_duplicates, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_cap_and_drop, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_tiny_segments, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_budgets, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_pool_reserve_kept, test_env_setup,
				test_env_teardown),
	};

	return cmocka_run_group_tests_name("tcp_reass", tests, NULL, NULL);
}
