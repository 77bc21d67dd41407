/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcp_reass.c: segments held ahead of a hole. Kept in sequence order
 * whatever order they come in, announced as merged SACK blocks (at most
 * as many as asked), handed back trimmed to RCV.NXT once the hole is
 * filled (with the FIN that followed them), duplicates freed, a cap on
 * what is held, and all of it across the 2^32 wrap.
 */
#include "harness.h"

#include <string.h>

#include <rte_mempool.h>

#include "tcp_conn.h"
#include "tcp_reass.h"

#define HDR 54 /* what the caller cuts off: Ethernet, IPv4, TCP */

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
	uint8_t frame[HDR + 2000];
	uint16_t i;

	memset(frame, 0xee, HDR);
	for (i = 0; i < len; i++)
		frame[HDR + i] = byte_at(seq + i);
	return test_mbuf(env, frame, HDR + len);
}

static void
hold(struct test_env *env, struct ss_tcp_conn *c, uint32_t seq, uint16_t len, bool fin)
{
	assert_true(ss_tcp_ooo_insert(c, seg(env, seq, len), HDR, seq, len, fin));
}

/* The next segment must start at rcv_nxt with n bytes of the right data. */
static void
pop_expect(struct ss_tcp_conn *c, uint16_t n, bool want_fin)
{
	bool fin = !want_fin;
	struct rte_mbuf *m = ss_tcp_ooo_pop(c, &fin);
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
}

static void
check_sack(const struct ss_tcp_conn *c, unsigned int max, const uint32_t want[][2],
	unsigned int n)
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

	memset(&c, 0, sizeof(c));
	c.rcv_nxt = base;
	/* Three islands, arriving out of order. */
	hold(env, &c, base + 500, 100, false);
	hold(env, &c, base + 100, 100, false);
	hold(env, &c, base + 300, 100, false);
	assert_int_equal(c.ooo_count, 3);
	{
		const uint32_t w[3][2] = { { base + 100, base + 200 }, { base + 300, base + 400 },
			{ base + 500, base + 600 } };

		check_sack(&c, 3, w, 3);
		check_sack(&c, 2, w, 2); /* no room for more */
	}
	/* Adjacent and overlapping ones merge in the blocks. */
	hold(env, &c, base + 200, 100, false);
	hold(env, &c, base + 350, 200, false);
	{
		const uint32_t w[1][2] = { { base + 100, base + 600 } };

		check_sack(&c, 3, w, 1);
	}
	/* The hole is still there: nothing to hand back. */
	{
		bool fin;

		assert_null(ss_tcp_ooo_pop(&c, &fin));
	}
	/* Filled (by the caller): each byte once, in order, from RCV.NXT. */
	c.rcv_nxt = base + 100;
	pop_expect(&c, 100, false);           /* 100..199 */
	pop_expect(&c, 100, false);           /* 200..299 */
	pop_expect(&c, 100, false);           /* 300..399 */
	pop_expect(&c, 150, false);           /* 400..549 of 350..549 */
	pop_expect(&c, 50, false);            /* 550..599 of 500..599 */
	assert_int_equal(c.rcv_nxt, base + 600);
	assert_int_equal(c.ooo_count, 0);
	assert_null(c.ooo);
	assert_int_equal(rte_mempool_avail_count(env->pool), avail);
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
	c.rcv_nxt = 0xfffffff0;
	hold(env, &c, 0x10, 0x20, true);        /* the last data, then FIN */
	hold(env, &c, 0xfffffff8, 0x10, false); /* across the wrap */
	hold(env, &c, 0xfffffff8, 0x08, false); /* a duplicate of its start */
	/* The hole below is filled: the duplicate goes, the rest comes in order. */
	c.rcv_nxt = 0xfffffff8;
	pop_expect(&c, 0x10, false);
	assert_int_equal(c.rcv_nxt, 0x08);
	assert_null(ss_tcp_ooo_pop(&c, &fin)); /* 0x08..0x0f still missing */
	c.rcv_nxt = 0x10;
	pop_expect(&c, 0x20, true);
	assert_int_equal(c.ooo_count, 0);
	assert_int_equal(rte_mempool_avail_count(env->pool), avail);

	/* Wholly before RCV.NXT by then: freed on the way, not handed back. */
	c.rcv_nxt = 100;
	hold(env, &c, 150, 50, false);
	hold(env, &c, 300, 10, false);
	c.rcv_nxt = 250;
	assert_null(ss_tcp_ooo_pop(&c, &fin));
	assert_int_equal(c.ooo_count, 1);
	c.rcv_nxt = 300;
	pop_expect(&c, 10, false);
	/* A FIN-only end: a held segment that ends at RCV.NXT with its FIN. */
	c.rcv_nxt = 400;
	hold(env, &c, 390, 10, true);
	fin = false;
	{
		struct rte_mbuf *m = ss_tcp_ooo_pop(&c, &fin);

		assert_non_null(m);
		assert_int_equal(m->data_len, 0);
		assert_true(fin);
		rte_pktmbuf_free(m);
	}
	assert_int_equal(rte_mempool_avail_count(env->pool), avail);
}

static void
test_cap_and_drop(void **state)
{
	struct test_env *env = *state;
	unsigned int avail = rte_mempool_avail_count(env->pool), i;
	struct ss_tcp_conn c;
	struct rte_mbuf *m;

	memset(&c, 0, sizeof(c));
	c.rcv_nxt = 0;
	for (i = 0; i < SS_TCP_OOO_MAX; i++)
		hold(env, &c, 10 + 20 * i, 10, false);
	/* Full: refused, the caller keeps (and frees) it. */
	m = seg(env, 5000, 10);
	assert_false(ss_tcp_ooo_insert(&c, m, HDR, 5000, 10, false));
	rte_pktmbuf_free(m);
	{
		uint32_t b[3][2];

		assert_int_equal(ss_tcp_ooo_sack(&c, b, 3), 3);
		assert_int_equal(b[2][0], 50);
	}
	ss_tcp_ooo_drop(&c);
	assert_null(c.ooo);
	assert_int_equal(c.ooo_count, 0);
	assert_int_equal(rte_mempool_avail_count(env->pool), avail);
	ss_tcp_ooo_drop(&c); /* empty: harmless */
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
	};

	return cmocka_run_group_tests_name("tcp_reass", tests, NULL, NULL);
}
