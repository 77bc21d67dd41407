/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcp_hold.c: what a connection keeps of what it received, for a service
 * that sends it back. Segments of up to half a buffer are copied behind the
 * last held mbuf, larger ones kept as they came; the bytes form the stream
 * from snd_una's offset, read back at any offset; acknowledged bytes go,
 * whole mbufs freed and counted; nothing is left when it is dropped.
 */
#include "harness.h"

#include <string.h>

#include <rte_mempool.h>

#include "tcp_hold.h"

#define HDR 54

static struct rte_mbuf *
seg(struct test_env *env, const uint8_t *data, uint16_t len)
{
	uint8_t frame[HDR + 8192];

	memset(frame, 0xee, HDR);
	memcpy(frame + HDR, data, len);
	return test_mbuf(env, frame, HDR + len);
}

/* Offer len bytes of data at the stream's end; true when the mbuf was kept. */
static bool
offer(struct test_env *env, struct ss_tcp_conn *c, const uint8_t *data, uint16_t len)
{
	struct rte_mbuf *m = seg(env, data, len);

	if (ss_tcp_hold_append(c, m, HDR, len)) {
		rte_pktmbuf_free(m);
		return false;
	}
	ss_tcp_hold_keep(c, m, HDR, len);
	return true;
}

static void
test_pack_and_read_back(void **state)
{
	struct test_env *env = *state;
	unsigned int avail = rte_mempool_avail_count(env->pool), i;
	uint8_t data[6000], out[6000];
	struct ss_tcp_conn c;
	uint16_t half;

	memset(&c, 0, sizeof(c));
	c.una_off = 1000;
	test_fill_pattern(data, sizeof(data), 5);
	/* The first is kept (nothing to copy behind), the small ones after it copied. */
	assert_true(offer(env, &c, data, 100));
	for (i = 0; i < 10; i++)
		assert_false(offer(env, &c, data + 100 + 10 * i, 10));
	assert_int_equal(rte_mempool_avail_count(env->pool), avail - 1);
	/* One of more than half a buffer is kept as it came. */
	half = c.hold_tail->buf_len / 2;
	assert_true(offer(env, &c, data + 200, half + 1));
	assert_int_equal(rte_mempool_avail_count(env->pool), avail - 2);
	assert_int_equal(c.hold_bytes, 200 + half + 1);
	assert_int_equal(ss_tcp_hold_stream_len(&c), 1000 + 200 + half + 1);
	/* Read back from any offset, across the two mbufs. */
	ss_tcp_hold_fill(&c, 1000, out, 200 + half + 1);
	assert_memory_equal(out, data, 200 + half + 1);
	ss_tcp_hold_fill(&c, 1150, out, 100);
	assert_memory_equal(out, data + 150, 100);
	/* Acknowledged: bytes from the front, a whole mbuf freed once all of it is. */
	assert_int_equal(ss_tcp_hold_release(&c, 150), 0);
	c.una_off += 150;
	assert_int_equal(c.hold_bytes, 50 + half + 1);
	ss_tcp_hold_fill(&c, 1150, out, 60);
	assert_memory_equal(out, data + 150, 60);
	assert_int_equal(ss_tcp_hold_release(&c, 50), 1);
	assert_int_equal(rte_mempool_avail_count(env->pool), avail - 1);
	/* More than is held: all of it, no more. */
	assert_int_equal(ss_tcp_hold_release(&c, 100000), 1);
	assert_int_equal(c.hold_bytes, 0);
	assert_null(c.hold_head);
	assert_null(c.hold_tail);
	assert_int_equal(rte_mempool_avail_count(env->pool), avail);
}

static void
test_drop(void **state)
{
	struct test_env *env = *state;
	unsigned int avail = rte_mempool_avail_count(env->pool);
	uint8_t data[6000];
	struct ss_tcp_conn c;

	memset(&c, 0, sizeof(c));
	test_fill_pattern(data, sizeof(data), 6);
	/* More than half a buffer each (the unit pool's are 10 KB): an mbuf each. */
	assert_true(offer(env, &c, data, 6000));
	assert_true(offer(env, &c, data, 6000));
	assert_true(offer(env, &c, data, 6000));
	assert_int_equal(ss_tcp_hold_drop(&c), 3);
	assert_int_equal(c.hold_bytes, 0);
	assert_null(c.hold_head);
	assert_int_equal(rte_mempool_avail_count(env->pool), avail);
	assert_int_equal(ss_tcp_hold_drop(&c), 0); /* empty: harmless */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pack_and_read_back, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_drop, test_env_setup, test_env_teardown),
	};

	return cmocka_run_group_tests_name("tcp_hold", tests, NULL, NULL);
}
