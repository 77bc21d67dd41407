/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * icmp4.c: echo replies, what is not answered, and port and protocol
 * unreachable (contents, size cap, rate limit).
 */
#include "harness.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ip.h>

#include "stats.h"

#define L3 14
#define L4 (L3 + 20)

static void
test_echo_reply(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	const char data[] = "abcdefghijklmnopqrstuvwabcdefghi";
	size_t len = test_build_ping(buf, 0, NULL, 0x1234, 0x0001, data, 32);
	size_t out_len = sizeof(out);

	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	test_check_echo_reply(out, out_len, 0, TEST_IP4_US, 0x1234, 1, data, 32);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP4_ECHO], 1);
}

static void
test_echo_reply_many(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100], data[1500];
	size_t len, out_len, n;
	unsigned int i;

	/* The checksum is updated incrementally: try many ids, sizes and contents. */
	srand(7);
	for (i = 0; i < 300; i++) {
		uint16_t id = rand(), seq = rand();

		n = i == 0 ? 0 : (size_t)rand() % 1400;
		for (size_t k = 0; k < n; k++)
			data[k] = i % 3 == 0 ? 0xff : rand();
		len = test_build_ping(buf, 0, NULL, id, seq, data, n);
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
		test_check_echo_reply(out, out_len, 0, TEST_IP4_US, id, seq, data, n);
	}
}

static void
test_echo_from_address_pinged(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	test_env_set(env, "port0", "ipv4", "192.0.2.1/24,198.51.100.7/24");
	len = test_build_ping(buf, 0, "198.51.100.7", 9, 9, "x", 1);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	test_check_echo_reply(out, out_len, 0, "198.51.100.7", 9, 9, "x", 1);
}

static void
test_bad_checksum(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len;

	len = test_build_ping(buf, 0, NULL, 1, 1, "data", 4);
	buf[L4 + 2] ^= 0x40;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP4_CKSUM);
	/* Data changed behind the checksum's back. */
	len = test_build_ping(buf, 0, NULL, 1, 1, "data", 4);
	buf[len - 1] ^= 1;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP4_CKSUM);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ICMP4_CKSUM], 2);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP4_ECHO], 0);
}

static void
test_truncated(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	struct test_frame f;
	size_t len, n;

	test_frame_defaults(&f, 0);
	f.proto = IPPROTO_ICMP;
	/* 4, 5, 6 and 7 bytes of ICMP: less than the 8-byte header. */
	for (n = 0; n < 4; n++) {
		len = test_build_icmp(buf, &f, 8, 0, "\0\0\0", n);
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP4_TRUNCATED);
	}
	/* Nothing at all behind the IP header. */
	len = test_build_icmp(buf, &f, 8, 0, NULL, 0);
	buf[L3 + 3] = 20;
	test_fix_ip4_cksum(buf, L3);
	assert_int_equal(test_input(env, buf, L4, NULL, NULL), SS_DROP_ICMP4_TRUNCATED);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ICMP4_TRUNCATED], 5);
}

static void
test_other_types_ignored(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	const uint8_t types[] = { 0 /* echo reply */, 3, 4, 5, 11, 12, 13, 14, 17, 9, 10, 42 };
	const uint8_t body[28] = { 0 };
	struct test_frame f;
	unsigned int i;
	size_t len;

	test_frame_defaults(&f, 0);
	f.proto = IPPROTO_ICMP;
	for (i = 0; i < RTE_DIM(types); i++) {
		len = test_build_icmp(buf, &f, types[i], 0, body, sizeof(body));
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP4_IGNORED);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ICMP4_IGNORED], RTE_DIM(types));
}

static void
test_echo_too_big(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100], data[1400];
	size_t len, out_len = sizeof(out);

	memset(data, 'z', sizeof(data));
	test_env_set(env, "port0", "mtu", "1280");
	/* 20 + 8 + 1252 = 1280: fits. */
	len = test_build_ping(buf, 0, NULL, 1, 1, data, 1252);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, L3 + 1280);
	len = test_build_ping(buf, 0, NULL, 1, 2, data, 1253);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_REPLY_TOO_BIG);
	len = test_build_ping(buf, 0, NULL, 1, 3, data, 1400);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_REPLY_TOO_BIG);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_REPLY_TOO_BIG], 2);
}

/* Fail unless out is the destination unreachable of code for req, from from. */
static void
check_unreach_code(const uint8_t *out, size_t out_len, const uint8_t *req, size_t req_len,
		const char *from, size_t l2, uint8_t code)
{
	size_t quoted = RTE_MIN(req_len - l2, (size_t)(576 - 28));
	size_t l3 = l2, l4 = l2 + 20;

	assert_int_equal(out_len, l2 + 28 + quoted);
	test_check_ip_reply(out, l3, 0, from, TEST_IP4_PEER, IPPROTO_ICMP, 8 + quoted);
	assert_true(test_be16(out, l3 + 2) <= 576);
	assert_int_equal(out[l4], 3); /* destination unreachable */
	assert_int_equal(out[l4 + 1], code);
	assert_int_equal(test_be32(out, l4 + 4), 0); /* unused */
	/* The original IP header and data, byte for byte. */
	assert_memory_equal(out + l4 + 8, req + l2, quoted);
	assert_true(test_l4_cksum_ok(out, out_len, l3, 0));
}

static void
check_unreachable(const uint8_t *out, size_t out_len, const uint8_t *req, size_t req_len,
		const char *from, size_t l2)
{
	check_unreach_code(out, out_len, req, req_len, from, l2, 3); /* port unreachable */
}

static void
test_port_unreachable(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	len = test_build_closed_port(buf, 0, NULL, 10);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_unreachable(out, out_len, buf, len, TEST_IP4_US, L3);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP4_UNREACH], 1);
	/* An empty datagram. */
	len = test_build_closed_port(buf, 0, NULL, 0);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_unreachable(out, out_len, buf, len, TEST_IP4_US, L3);
}

static void
test_port_unreachable_padded(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	/* Ethernet padding is not part of the datagram, so it is not quoted. */
	len = test_build_closed_port(buf, 0, NULL, 1);
	assert_int_equal(len, 43);
	memset(buf + len, 0xee, 17);
	assert_int_equal(test_input(env, buf, 60, out, &out_len), SS_VERDICT_TX);
	check_unreachable(out, out_len, buf, len, TEST_IP4_US, L3);
}

static void
test_port_unreachable_capped(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	len = test_build_closed_port(buf, 0, NULL, 1400);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, L3 + 576);
	check_unreachable(out, out_len, buf, len, TEST_IP4_US, L3);
	/* Just at the cap: 548 bytes of datagram quoted whole. */
	len = test_build_closed_port(buf, 0, NULL, 548 - 28);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, L3 + 576);
	check_unreachable(out, out_len, buf, len, TEST_IP4_US, L3);
}

static void
test_port_unreachable_options_vlan(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	const uint8_t opt[] = { 0x94, 0x04, 0x00, 0x00 };
	struct test_frame f;
	size_t len, out_len = sizeof(out);

	/* A second address, a VLAN tag, IP options: quoted as received, from that address. */
	test_env_set(env, "port0", "ipv4", "192.0.2.1/24,198.51.100.7/24");
	test_frame_defaults(&f, 0);
	f.vlan = 12;
	f.dst = "198.51.100.7";
	len = test_build_udp(buf, &f, 40000, 4444, "abc", 3);
	len = test_ip4_add_options(buf, len, 18, opt, sizeof(opt));
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(test_be16(out, 12), 0x8100);
	assert_int_equal(test_be16(out, 14), 12);
	assert_int_equal(test_be16(out, 16), 0x0800);
	check_unreachable(out, out_len, buf, len, "198.51.100.7", 18);
	assert_int_equal(out[18 + 28], 0x46); /* the quoted header keeps its options */
}

static void
test_port_unreachable_ratelimit(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len;
	unsigned int i;
	uint64_t hz;

	test_env_set(env, "abuse", "icmp_error_rate", "10");
	test_env_set(env, "abuse", "icmp_error_burst", "3");
	hz = env->worker.hz;
	len = test_build_closed_port(buf, 0, NULL, 4);
	for (i = 0; i < 3; i++) {
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	}
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP4_RATELIMIT);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP4_RATELIMIT);
	/* Echo replies are not errors: not limited. */
	out_len = sizeof(out);
	len = test_build_ping(buf, 0, NULL, 1, 1, "x", 1);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	/* A tenth of a second later, one more. */
	len = test_build_closed_port(buf, 0, NULL, 4);
	env->worker.now += hz / 10;
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP4_RATELIMIT);
	/* After a quiet second, a full burst again, and no more. */
	env->worker.now += hz;
	for (i = 0; i < 3; i++) {
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	}
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP4_RATELIMIT);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ICMP4_RATELIMIT], 4);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP4_UNREACH], 7);
}

static void
test_port_unreachable_unlimited(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len;
	unsigned int i;

	test_env_set(env, "abuse", "icmp_error_rate", "0");
	len = test_build_closed_port(buf, 0, NULL, 4);
	for (i = 0; i < 500; i++) {
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ICMP4_RATELIMIT], 0);
}

/* ---- protocol unreachable ---- */

/* The closed-port datagram of len bytes with IP protocol proto instead of UDP. */
static size_t
build_proto(uint8_t *buf, uint8_t proto, size_t len)
{
	len = test_build_closed_port(buf, 0, NULL, len);
	buf[L3 + 9] = proto;
	test_fix_ip4_cksum(buf, L3);
	return len;
}

static void
test_proto_unreachable(void **state)
{
	struct test_env *env = *state;
	const uint8_t protos[] = { 253, 0, 2 /* IGMP */, 47 /* GRE */, 58 /* ICMPv6 */, 255 };
	uint8_t buf[9100], out[9100];
	size_t len, out_len;
	unsigned int i;

	/* RFC 1122 3.2.2.1: code 2, the datagram quoted as for port unreachable. */
	for (i = 0; i < RTE_DIM(protos); i++) {
		len = build_proto(buf, protos[i], 10 + i);
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
		check_unreach_code(out, out_len, buf, len, TEST_IP4_US, L3, 2);
		assert_int_equal(out[L4 + 8 + 9], protos[i]);
	}
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP4_PROTO_UNREACH], RTE_DIM(protos));
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP4_UNREACH], 0);
	/* Nothing behind the IP header at all. */
	len = build_proto(buf, 253, 0);
	test_set_ip_payload_len(buf, L3, 0, 0);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, L4, out, &out_len), SS_VERDICT_TX);
	check_unreach_code(out, out_len, buf, L4, TEST_IP4_US, L3, 2);
}

static void
test_proto_unreachable_capped(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	len = build_proto(buf, 253, 1400);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, L3 + 576);
	check_unreach_code(out, out_len, buf, len, TEST_IP4_US, L3, 2);
}

static void
test_proto_unreachable_options_vlan(void **state)
{
	struct test_env *env = *state;
	const uint8_t opt[] = { 0x94, 0x04, 0x00, 0x00 };
	uint8_t buf[9100], out[9100];
	struct test_frame f;
	size_t len, out_len = sizeof(out);

	test_env_set(env, "port0", "ipv4", "192.0.2.1/24,198.51.100.7/24");
	test_frame_defaults(&f, 0);
	f.vlan = 12;
	f.dst = "198.51.100.7";
	len = test_build_udp(buf, &f, 40000, 4444, "abc", 3);
	buf[18 + 9] = 253;
	test_fix_ip4_cksum(buf, 18);
	len = test_ip4_add_options(buf, len, 18, opt, sizeof(opt));
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(test_be16(out, 14), 12);
	check_unreach_code(out, out_len, buf, len, "198.51.100.7", 18, 2);
}

static void
test_proto_unreachable_not_to_broadcast(void **state)
{
	struct test_env *env = *state;
	const char *dsts[] = { "192.0.2.255", "255.255.255.255", "224.0.0.1" };
	uint8_t buf[9100];
	struct test_frame f;
	unsigned int i;
	size_t len;

	/* RFC 1122 3.2.2: no ICMP error for a datagram to a broadcast or a group. */
	test_frame_defaults(&f, 0);
	for (i = 0; i < RTE_DIM(dsts); i++) {
		f.dst = dsts[i];
		len = test_build_udp(buf, &f, 40000, 4444, "x", 1);
		buf[L3 + 9] = 253;
		test_fix_ip4_cksum(buf, L3);
		assert_int_not_equal(test_input(env, buf, len, NULL, NULL), SS_VERDICT_TX);
	}
	/* Nor for one of ours in a link-layer broadcast. */
	len = build_proto(buf, 253, 1);
	memset(buf, 0xff, 6);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_L2_BROADCAST);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP4_PROTO_UNREACH], 0);
}

static void
test_proto_unreachable_ratelimit(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], udp[9100], out[9100];
	size_t len, udp_len, out_len;

	/* One budget for every ICMP error: port unreachables spend it too. */
	test_env_set(env, "abuse", "icmp_error_rate", "10");
	test_env_set(env, "abuse", "icmp_error_burst", "3");
	len = build_proto(buf, 253, 4);
	udp_len = test_build_closed_port(udp, 0, NULL, 4);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, udp, udp_len, out, &out_len), SS_VERDICT_TX);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP4_RATELIMIT);
	assert_int_equal(test_input(env, udp, udp_len, NULL, NULL), SS_DROP_ICMP4_RATELIMIT);
	/* A tenth of a second later, one more. */
	env->worker.now += env->worker.hz / 10;
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP4_RATELIMIT);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ICMP4_RATELIMIT], 3);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP4_PROTO_UNREACH], 3);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP4_UNREACH], 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_echo_reply, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_echo_reply_many, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_echo_from_address_pinged, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_bad_checksum, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_other_types_ignored, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_echo_too_big, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_port_unreachable, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_port_unreachable_padded, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_port_unreachable_capped, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_port_unreachable_options_vlan, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_port_unreachable_ratelimit, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_port_unreachable_unlimited, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_proto_unreachable, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_proto_unreachable_capped, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_proto_unreachable_options_vlan, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_proto_unreachable_not_to_broadcast,
				test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_proto_unreachable_ratelimit, test_env_setup,
				test_env_teardown),
	};

	return cmocka_run_group_tests_name("icmp4", tests, NULL, NULL);
}
