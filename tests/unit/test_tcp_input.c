/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcp_input.c: which segments are checked out (truncated, bad data offset,
 * bad checksum, RX offload flags) and that a RST is never answered.
 */
#include "harness.h"

#include <netinet/in.h>
#include <string.h>

#include <rte_tcp.h>

#include "stats.h"

#define L3 14
#define CLOSED 4444

static int
setup(void **state)
{
	*state = test_env_new();
	return 0;
}

static int
teardown(void **state)
{
	test_env_free(*state);
	return 0;
}

static size_t
l4_off(int v6)
{
	return L3 + (v6 ? 40 : 20);
}

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
		assert_int_equal(out[l4_off(v6) + 13] & RTE_TCP_RST_FLAG, RTE_TCP_RST_FLAG);
	}
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_TCP4_RST], 1);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_TCP6_RST], 1);
}

static void
test_truncated(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len, keep;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		/* 0, 8 and 19 bytes of TCP header. */
		const size_t keeps[] = { 0, 8, 19 };
		unsigned int i;

		for (i = 0; i < RTE_DIM(keeps); i++) {
			keep = keeps[i];
			len = segment(buf, v6, RTE_TCP_SYN_FLAG, NULL, 0);
			if (v6) {
				buf[L3 + 4] = 0;
				buf[L3 + 5] = keep;
			} else {
				buf[L3 + 2] = 0;
				buf[L3 + 3] = 20 + keep;
				test_fix_ip4_cksum(buf, L3);
			}
			(void)len;
			assert_int_equal(test_input(env, buf, l4_off(v6) + keep, NULL, NULL),
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
			buf[l4_off(v6) + 12] = doff << 4;
			test_fix_l4_cksum(buf, L3, v6);
			assert_int_equal(test_input(env, buf, len, NULL, NULL),
				SS_DROP_TCP_TRUNCATED);
		}
		/* Past the segment: 8 words (32 bytes) in a 30-byte segment, and 15. */
		len = segment(buf, v6, RTE_TCP_SYN_FLAG, "0123456789", 10);
		buf[l4_off(v6) + 12] = 8 << 4;
		test_fix_l4_cksum(buf, L3, v6);
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_TCP_TRUNCATED);
		len = segment(buf, v6, RTE_TCP_SYN_FLAG, NULL, 0);
		buf[l4_off(v6) + 12] = 15 << 4;
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
		buf[l4_off(v6) + 12] = 7 << 4;
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
		buf[l4_off(v6) + 16] ^= 0x20;
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_TCP_CKSUM);
		len = segment(buf, v6, RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG, "data", 4);
		buf[len - 2] ^= 0x01;
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_TCP_CKSUM);
		/* A zero checksum is not "none" for TCP. */
		len = segment(buf, v6, RTE_TCP_SYN_FLAG, NULL, 0);
		buf[l4_off(v6) + 16] = buf[l4_off(v6) + 17] = 0;
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
		buf[l4_off(v6) + 16] ^= 0x20;
		out_len = sizeof(out);
		assert_int_equal(test_input_flags(env, buf, len, RTE_MBUF_F_RX_L4_CKSUM_GOOD, out,
			&out_len), SS_VERDICT_TX);
		/* The RST's own checksum is computed, not inherited. */
		assert_true(test_l4_cksum_ok(out, out_len, L3, v6));
		len = segment(buf, v6, RTE_TCP_SYN_FLAG, NULL, 0);
		assert_int_equal(test_input_flags(env, buf, len, RTE_MBUF_F_RX_L4_CKSUM_BAD, NULL,
			NULL), SS_DROP_TCP_CKSUM);
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
		buf[l4_off(v6) + 16] ^= 0x20;
		out_len = sizeof(out);
		assert_int_equal(test_input_flags(env, buf, len, RTE_MBUF_F_RX_L4_CKSUM_NONE, out,
			&out_len), SS_VERDICT_TX);
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
		buf[l4_off(v6) + 3] = 7;
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_answered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_data_offset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_offset_whole_segment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_checksum, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_cksum_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_cksum_flag_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rst_never_answered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broadcast_syn_dropped, setup, teardown),
	};

	return cmocka_run_group_tests_name("tcp_input", tests, NULL, NULL);
}
