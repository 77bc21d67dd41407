/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcp_conn.c: the connection table. Lookup, insert and free on a chained
 * hash (with chains forced by a tiny table), the free list, a full table,
 * the TIME-WAIT FIFO (order, removal from the middle, the oldest taken
 * when the table is full) and the per-source counts.
 */
#include "harness.h"

#include <string.h>

#include "source.h"
#include "tcp_conn.h"

static int
setup(void **state)
{
	struct ss_tcp_table *t = calloc(1, sizeof(*t));

	test_eal_init();
	assert_non_null(t);
	assert_int_equal(ss_tcp_table_init(t, 4, 64, SOCKET_ID_ANY), 0);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	ss_tcp_table_free(*state);
	free(*state);
	return 0;
}

static struct ss_tcp_key
key(unsigned int src, uint16_t rport)
{
	struct ss_tcp_key k;

	memset(&k, 0, sizeof(k));
	k.raddr[10] = k.raddr[11] = 0xff;
	k.raddr[12] = 198;
	k.raddr[13] = 51;
	k.raddr[14] = 100;
	k.raddr[15] = src;
	k.laddr[10] = k.laddr[11] = 0xff;
	k.laddr[12] = 192;
	k.laddr[14] = 2;
	k.laddr[15] = 1;
	k.rport = rte_cpu_to_be_16(rport);
	k.lport = rte_cpu_to_be_16(7);
	return k;
}

static struct ss_tcp_conn *
add(struct ss_tcp_table *t, unsigned int src, uint16_t rport)
{
	struct ss_tcp_key k = key(src, rport);
	bool evicted = true;
	struct ss_tcp_conn *c = ss_tcp_conn_new(t, &k, ss_tcp_source_slot(t, &k), &evicted);

	assert_non_null(c);
	assert_false(evicted);
	c->state = SS_TCP_ESTABLISHED;
	return c;
}

static struct ss_tcp_conn *
find(struct ss_tcp_table *t, unsigned int src, uint16_t rport)
{
	struct ss_tcp_key k = key(src, rport);

	return ss_tcp_lookup(t, &k);
}

static void
test_insert_lookup_free(void **state)
{
	struct ss_tcp_table *t = *state;
	struct ss_tcp_conn *c[4];
	struct ss_tcp_key k;
	bool evicted;
	unsigned int i;

	assert_int_equal(t->capacity, 4);
	assert_null(find(t, 1, 1000));
	for (i = 0; i < 4; i++) {
		c[i] = add(t, 1, 1000 + i);
		/* Fresh: zeroed but for its key and hash link. */
		assert_int_equal(c[i]->timer_at, 0);
		assert_int_equal(c[i]->snd_una, 0);
		assert_null(c[i]->hold_head);
	}
	assert_int_equal(t->used, 4);
	/* Four keys in four buckets or fewer: chains, all found. */
	for (i = 0; i < 4; i++) {
		assert_ptr_equal(find(t, 1, 1000 + i), c[i]);
		assert_true(ss_tcp_conn_index(t, c[i]) >= 1 && ss_tcp_conn_index(t, c[i]) <= 4);
	}
	assert_null(find(t, 1, 999));
	assert_null(find(t, 2, 1000));
	/* Full, and nothing in TIME-WAIT. */
	k = key(9, 9);
	assert_null(ss_tcp_conn_new(t, &k, ss_tcp_source_slot(t, &k), &evicted));
	assert_false(evicted);
	/* Out of the middle of whatever chain it is on. */
	ss_tcp_conn_free(t, c[1]);
	assert_int_equal(c[1]->state, SS_TCP_CLOSED);
	assert_int_equal(t->used, 3);
	assert_null(find(t, 1, 1001));
	assert_ptr_equal(find(t, 1, 1000), c[0]);
	assert_ptr_equal(find(t, 1, 1002), c[2]);
	assert_ptr_equal(find(t, 1, 1003), c[3]);
	/* Its slot is reused, zeroed. */
	c[1]->snd_una = 1234;
	assert_ptr_equal(add(t, 3, 3000), c[1]);
	assert_int_equal(c[1]->snd_una, 0);
	assert_ptr_equal(find(t, 3, 3000), c[1]);
	for (i = 0; i < 4; i++)
		ss_tcp_conn_free(t, c[i]);
	assert_int_equal(t->used, 0);
	for (i = 0; i < 4; i++)
		assert_null(find(t, 1, 1000 + i));
}

static void
test_many_chained(void **state)
{
	struct ss_tcp_table *t = *state;
	struct ss_tcp_conn *c;
	unsigned int i, round;

	/* Insert and free in every order: nothing lost, nothing found twice. */
	for (round = 0; round < 50; round++) {
		for (i = 0; i < 4; i++)
			add(t, round, (uint16_t)(round * 7 + i));
		for (i = 0; i < 4; i++) {
			unsigned int j = (i + round) % 4;

			c = find(t, round, (uint16_t)(round * 7 + j));
			assert_non_null(c);
			ss_tcp_conn_free(t, c);
			assert_null(find(t, round, (uint16_t)(round * 7 + j)));
		}
		assert_int_equal(t->used, 0);
	}
}

static void
tw(struct ss_tcp_table *t, struct ss_tcp_conn *c)
{
	c->state = SS_TCP_TIME_WAIT;
	ss_tcp_tw_push(t, c);
}

static void
test_time_wait_fifo(void **state)
{
	struct ss_tcp_table *t = *state;
	struct ss_tcp_conn *c[4], *n;
	struct ss_tcp_key k;
	bool evicted;
	unsigned int i;

	for (i = 0; i < 4; i++)
		c[i] = add(t, 1, 1000 + i);
	assert_null(ss_tcp_tw_oldest(t));
	tw(t, c[2]);
	tw(t, c[0]);
	tw(t, c[3]);
	assert_int_equal(t->tw_count, 3);
	assert_ptr_equal(ss_tcp_tw_oldest(t), c[2]);
	/* A restart moves it to the end. */
	ss_tcp_tw_remove(t, c[2]);
	ss_tcp_tw_push(t, c[2]);
	assert_ptr_equal(ss_tcp_tw_oldest(t), c[0]);
	/* Out of the middle: c[0], c[3], c[2] -> c[0], c[2]. */
	ss_tcp_tw_remove(t, c[3]);
	c[3]->state = SS_TCP_ESTABLISHED;
	assert_int_equal(t->tw_count, 2);
	/* Full: a new connection takes the oldest in TIME-WAIT. */
	k = key(7, 7000);
	n = ss_tcp_conn_new(t, &k, ss_tcp_source_slot(t, &k), &evicted);
	assert_non_null(n);
	assert_true(evicted);
	assert_ptr_equal(n, c[0]);
	assert_null(find(t, 1, 1000));
	assert_ptr_equal(find(t, 7, 7000), n);
	assert_int_equal(n->state, SS_TCP_CLOSED);
	assert_int_equal(t->tw_count, 1);
	assert_ptr_equal(ss_tcp_tw_oldest(t), c[2]);
	assert_int_equal(t->used, 4);
	/* Freeing a TIME-WAIT connection takes it off the FIFO. */
	ss_tcp_conn_free(t, c[2]);
	assert_int_equal(t->tw_count, 0);
	assert_null(ss_tcp_tw_oldest(t));
	k = key(8, 8000);
	assert_non_null(ss_tcp_conn_new(t, &k, ss_tcp_source_slot(t, &k), &evicted));
	assert_false(evicted);
	k = key(9, 9000);
	assert_null(ss_tcp_conn_new(t, &k, ss_tcp_source_slot(t, &k), &evicted));
}

static void
test_half_open_and_source(void **state)
{
	struct ss_tcp_table *t = *state;
	struct ss_tcp_conn *a, *a2, *b, *c;

	/* Per source (the remote address alone, not the port). */
	a = add(t, 1, 1);
	a2 = add(t, 1, 2);
	b = add(t, 2, 1);
	assert_int_equal(a->src_slot, a2->src_slot);
	assert_true(ss_tcp_source_take(t, a, 2));
	assert_true(a->flags & SS_TCP_F_COUNTED);
	assert_true(ss_tcp_source_take(t, a2, 2));
	assert_int_equal(ss_tcp_source_of(t, a)->conns, 2);
	if (b->src_slot != a->src_slot)
		assert_true(ss_tcp_source_take(t, b, 2));
	/* Counted once, released once: a second release changes nothing. */
	ss_tcp_source_release(t, a2);
	ss_tcp_source_release(t, a2);
	assert_false(a2->flags & SS_TCP_F_COUNTED);
	assert_int_equal(ss_tcp_source_of(t, a)->conns, 1);
	assert_true(ss_tcp_source_take(t, a2, 2));
	assert_false(ss_tcp_source_take(t, b->src_slot == a->src_slot ? b : a2, 2));
	ss_tcp_source_release(t, a2);

	/* Freeing a counted connection gives its source's slot back. */
	ss_tcp_conn_free(t, a);
	assert_int_equal(ss_tcp_source_of(t, a2)->conns, 0);
	ss_tcp_conn_free(t, a2);
	ss_tcp_conn_free(t, b);
	/* ... and a SYN-RECEIVED one its half-open count. */
	c = add(t, 3, 5);
	c->state = SS_TCP_SYN_RECEIVED;
	t->half_open = 1;
	ss_tcp_conn_free(t, c);
	assert_int_equal(t->half_open, 0);
}

/* Issue 8, defect 10: IPv6 sources by their /64, in slots an attacker cannot choose. */
static void
test_source_slot(void **state)
{
	struct ss_tcp_table *t = *state;
	struct ss_tcp_key k1, k2, k3;
	struct ss_tcp_conn *c;
	uint16_t s1, s2, s3;
	bool evicted;

	memset(&k1, 0, sizeof(k1));
	test_addr("2001:db8:0:7::1", 1, k1.raddr);
	k1.rport = 1;
	k2 = k1;
	test_addr("2001:db8:0:7:abcd:ef01:2345:6789", 1, k2.raddr);
	k3 = k1;
	test_addr("2001:db8:0:8::1", 1, k3.raddr);
	c = ss_tcp_conn_new(t, &k1, ss_tcp_source_slot(t, &k1), &evicted);
	s1 = c->src_slot;
	ss_tcp_conn_free(t, c);
	c = ss_tcp_conn_new(t, &k2, ss_tcp_source_slot(t, &k2), &evicted);
	s2 = c->src_slot;
	ss_tcp_conn_free(t, c);
	c = ss_tcp_conn_new(t, &k3, ss_tcp_source_slot(t, &k3), &evicted);
	s3 = c->src_slot;
	ss_tcp_conn_free(t, c);
	assert_int_equal(s1, s2);
	/* Another /64 is another source (2^-16 that they share a slot: not with this secret). */
	assert_int_not_equal(s1, s3);
	assert_int_equal(s1, (uint16_t)ss_source_key6(k1.raddr, 64));
}

static void
test_table_sizes(void **state)
{
	struct ss_tcp_table t2;

	(void)state;
	/* Buckets: the power of two at or above the capacity. */
	assert_int_equal(ss_tcp_table_init(&t2, 5, 64, SOCKET_ID_ANY), 0);
	assert_int_equal(t2.mask, 7);
	assert_int_equal(t2.free_head, 1);
	ss_tcp_table_free(&t2);
	assert_null(t2.conns);
	assert_int_equal(ss_tcp_table_init(&t2, 1, 64, SOCKET_ID_ANY), 0);
	assert_int_equal(t2.mask, 0);
	ss_tcp_table_free(&t2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_insert_lookup_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_chained, setup, teardown),
		cmocka_unit_test_setup_teardown(test_time_wait_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_half_open_and_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_source_slot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_sizes, setup, teardown),
	};

	return cmocka_run_group_tests_name("tcp_conn", tests, NULL, NULL);
}
