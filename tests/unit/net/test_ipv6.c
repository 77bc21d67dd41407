/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ipv6.c: header checks, padding, the extension-header walk (and their
 * removal from replies), which destinations and sources are answered.
 */
#include "harness.h"

#include <netinet/in.h>
#include <string.h>

#include <rte_ip.h>

#include "stats.h"

#define L3 14
#define L4 (L3 + 40)

/* A UDP echo request with payload "ping6" from src to dst (NULL: the defaults). */
static size_t
echo6(uint8_t *buf, const char *src, const char *dst)
{
	struct test_frame f;

	test_frame_defaults(&f, 1);
	if (src != NULL)
		f.src = src;
	if (dst != NULL)
		f.dst = dst;
	return test_build_udp(buf, &f, 40000, 7, "ping6", 5);
}

/* The echo reply from src to dst: no extension header left, all fields right. */
static void
check_echo_reply(const uint8_t *out, size_t out_len, const char *src, const char *dst)
{
	assert_int_equal(out_len, L4 + 8 + 5);
	test_check_ip_reply(out, L3, 1, src, dst, IPPROTO_UDP, 8 + 5);
	assert_int_equal(test_be16(out, L4), 7);
	assert_int_equal(test_be16(out, L4 + 2), 40000);
	assert_int_equal(test_be16(out, L4 + 4), 13);
	assert_memory_equal(out + L4 + 8, "ping6", 5);
	assert_true(test_l4_cksum_ok(out, out_len, L3, 1));
}

static void
test_truncated(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len = echo6(buf, NULL, NULL);

	(void)len;
	assert_int_equal(test_input(env, buf, L3, NULL, NULL), SS_DROP_IP6_TRUNCATED);
	assert_int_equal(test_input(env, buf, L3 + 39, NULL, NULL), SS_DROP_IP6_TRUNCATED);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP6_TRUNCATED], 2);
}

static void
test_bad_version(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len = echo6(buf, NULL, NULL);
	const uint8_t v[] = { 0x40, 0x00, 0x70, 0xf0 };
	unsigned int i;

	for (i = 0; i < RTE_DIM(v); i++) {
		buf[L3] = v[i];
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_VERSION);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP6_VERSION], RTE_DIM(v));
}

static void
test_payload_length_past_frame(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len = echo6(buf, NULL, NULL);

	assert_int_equal(test_input(env, buf, len - 1, NULL, NULL), SS_DROP_IP6_TRUNCATED);
	buf[L3 + 4] = 0xff;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_TRUNCATED);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP6_TRUNCATED], 2);
}

static void
test_padding_trimmed(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len = echo6(buf, NULL, NULL), out_len = sizeof(out);

	memset(buf + len, 0xee, 64);
	assert_int_equal(test_input(env, buf, len + 64, out, &out_len), SS_VERDICT_TX);
	check_echo_reply(out, out_len, TEST_IP6_US, TEST_IP6_PEER);
}

static void
test_traffic_class_flow_label(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len = echo6(buf, NULL, NULL), out_len = sizeof(out);

	/* Traffic class and flow label do not matter to acceptance. */
	buf[L3] = 0x6b;
	buf[L3 + 1] = 0x8f;
	buf[L3 + 2] = 0x12;
	buf[L3 + 3] = 0x34;
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_echo_reply(out, out_len, TEST_IP6_US, TEST_IP6_PEER);
}

/* Extension headers, 8 bytes each; byte 0 (next header) is set when inserted. */
static const uint8_t ext_padn[8] = { 0, 0, 1, 4, 0, 0, 0, 0 };
static const uint8_t ext_router_alert[8] = { 0, 0, 5, 2, 0, 0, 1, 0 };
static const uint8_t ext_pad1[8] = { 0, 0, 0, 0, 0, 0, 0, 0 };
static const uint8_t ext_unknown_skip[8] = { 0, 0, 0x1e, 4, 1, 2, 3, 4 };
static const uint8_t ext_routing_done[8] = { 0, 0, 4, 0, 0, 0, 0, 0 };
static const uint8_t ext_routing_left[8] = { 0, 0, 4, 1, 0, 0, 0, 0 };
static const uint8_t ext_frag_atomic[8] = { 0, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef };
static const uint8_t ext_frag_more[8] = { 0, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef };
static const uint8_t ext_frag_offset[8] = { 0, 0, 0, 8, 0xde, 0xad, 0xbe, 0xef };
static const uint8_t ext_frag_last[8] = { 0, 0, 0x05, 0x08, 0xde, 0xad, 0xbe, 0xef };

/* Echo through the chain types[0], types[1], ... (outermost first). */
static enum ss_verdict
echo_through(struct test_env *env, const uint8_t *types, const uint8_t *const *exts, unsigned int n,
		uint8_t *out, size_t *out_len)
{
	uint8_t buf[9100];
	size_t len = echo6(buf, NULL, NULL);
	unsigned int i;

	for (i = n; i-- > 0;)
		len = test_ip6_add_ext(buf, len, L3, types[i], exts[i], 8);
	return test_input(env, buf, len, out, out_len);
}

static void
ext_ok(struct test_env *env, const uint8_t *types, const uint8_t *const *exts, unsigned int n)
{
	uint8_t out[9100];
	size_t out_len = sizeof(out);

	assert_int_equal(echo_through(env, types, exts, n, out, &out_len), SS_VERDICT_TX);
	check_echo_reply(out, out_len, TEST_IP6_US, TEST_IP6_PEER);
}

static void
test_ext_hop_by_hop(void **state)
{
	struct test_env *env = *state;

	ext_ok(env, (const uint8_t[]){ IPPROTO_HOPOPTS }, (const uint8_t *const[]){ ext_padn }, 1);
	ext_ok(env, (const uint8_t[]){ IPPROTO_HOPOPTS },
			(const uint8_t *const[]){ ext_router_alert }, 1);
	ext_ok(env, (const uint8_t[]){ IPPROTO_HOPOPTS }, (const uint8_t *const[]){ ext_pad1 }, 1);
}

static void
test_ext_hop_by_hop_not_first(void **state)
{
	struct test_env *env = *state;

	assert_int_equal(echo_through(env, (const uint8_t[]){ IPPROTO_DSTOPTS, IPPROTO_HOPOPTS },
					 (const uint8_t *const[]){ ext_padn, ext_padn }, 2, NULL,
					 NULL),
			SS_DROP_IP6_EXTHDR);
	assert_int_equal(echo_through(env, (const uint8_t[]){ IPPROTO_HOPOPTS, IPPROTO_HOPOPTS },
					 (const uint8_t *const[]){ ext_padn, ext_padn }, 2, NULL,
					 NULL),
			SS_DROP_IP6_EXTHDR);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP6_EXTHDR], 2);
}

static void
test_ext_destination_options(void **state)
{
	struct test_env *env = *state;

	ext_ok(env, (const uint8_t[]){ IPPROTO_DSTOPTS }, (const uint8_t *const[]){ ext_padn }, 1);
	/* An unknown option whose type says "skip" is skipped. */
	ext_ok(env, (const uint8_t[]){ IPPROTO_DSTOPTS },
			(const uint8_t *const[]){ ext_unknown_skip }, 1);
	ext_ok(env, (const uint8_t[]){ IPPROTO_HOPOPTS, IPPROTO_DSTOPTS },
			(const uint8_t *const[]){ ext_router_alert, ext_padn }, 2);
}

static void
test_ext_unknown_option(void **state)
{
	struct test_env *env = *state;
	const uint8_t types[] = { 0x40, 0x80, 0xc0, 0x7f, 0xff };
	uint8_t ext[8] = { 0, 0, 0, 4, 1, 2, 3, 4 };
	unsigned int i;

	/* RFC 8200 4.2: high bits 01, 10, 11 on an unknown option: do not process. */
	for (i = 0; i < RTE_DIM(types); i++) {
		ext[2] = types[i];
		assert_int_equal(echo_through(env, (const uint8_t[]){ IPPROTO_DSTOPTS },
						 (const uint8_t *const[]){ ext }, 1, NULL, NULL),
				SS_DROP_IP6_EXTHDR);
		assert_int_equal(echo_through(env, (const uint8_t[]){ IPPROTO_HOPOPTS },
						 (const uint8_t *const[]){ ext }, 1, NULL, NULL),
				SS_DROP_IP6_EXTHDR);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP6_EXTHDR], 2 * RTE_DIM(types));
}

static void
test_ext_option_overruns(void **state)
{
	struct test_env *env = *state;
	/* PadN claiming 10 bytes in a header with 6 left. */
	const uint8_t overrun[8] = { 0, 0, 1, 10, 0, 0, 0, 0 };
	/* An option type in the last byte, its length byte missing. */
	const uint8_t no_len[8] = { 0, 0, 1, 3, 0, 0, 0, 0x1e };

	assert_int_equal(echo_through(env, (const uint8_t[]){ IPPROTO_DSTOPTS },
					 (const uint8_t *const[]){ overrun }, 1, NULL, NULL),
			SS_DROP_IP6_EXTHDR);
	assert_int_equal(echo_through(env, (const uint8_t[]){ IPPROTO_HOPOPTS },
					 (const uint8_t *const[]){ no_len }, 1, NULL, NULL),
			SS_DROP_IP6_EXTHDR);
}

static void
test_ext_past_payload(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	uint8_t ext[8] = { 0, 2, 1, 4, 0, 0, 0, 0 };
	size_t len;

	/* The header says 24 bytes; 8 + the 13-byte datagram behind it are 21. */
	len = echo6(buf, NULL, NULL);
	len = test_ip6_add_ext(buf, len, L3, IPPROTO_DSTOPTS, ext, 8);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_EXTHDR);
	/* A payload too short for even the first 8 bytes of an extension header. */
	len = echo6(buf, NULL, NULL);
	buf[L3 + 6] = IPPROTO_DSTOPTS;
	buf[L3 + 4] = 0;
	buf[L3 + 5] = 6;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_EXTHDR);
	len = echo6(buf, NULL, NULL);
	buf[L3 + 6] = IPPROTO_FRAGMENT;
	buf[L3 + 4] = 0;
	buf[L3 + 5] = 7;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_EXTHDR);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP6_EXTHDR], 3);
}

static void
test_ext_routing(void **state)
{
	struct test_env *env = *state;

	/* Segments left 0: we are the final destination. */
	ext_ok(env, (const uint8_t[]){ IPPROTO_ROUTING },
			(const uint8_t *const[]){ ext_routing_done }, 1);
	/* Segments left: we would have to forward it. */
	assert_int_equal(echo_through(env, (const uint8_t[]){ IPPROTO_ROUTING },
					 (const uint8_t *const[]){ ext_routing_left }, 1, NULL,
					 NULL),
			SS_DROP_IP6_EXTHDR);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP6_EXTHDR], 1);
}

static void
test_ext_fragment(void **state)
{
	struct test_env *env = *state;

	/* RFC 6946 atomic fragment: a whole datagram. */
	ext_ok(env, (const uint8_t[]){ IPPROTO_FRAGMENT },
			(const uint8_t *const[]){ ext_frag_atomic }, 1);
	ext_ok(env, (const uint8_t[]){ IPPROTO_HOPOPTS, IPPROTO_FRAGMENT, IPPROTO_DSTOPTS },
			(const uint8_t *const[]){ ext_padn, ext_frag_atomic, ext_padn }, 3);
	/* First, middle and last fragments of a real one, with reassembly off (test_ip_reasm.c). */
	test_env_set(env, "ip", "reassembly_datagrams", "0");
	assert_int_equal(echo_through(env, (const uint8_t[]){ IPPROTO_FRAGMENT },
					 (const uint8_t *const[]){ ext_frag_more }, 1, NULL, NULL),
			SS_DROP_IP6_FRAGMENT);
	assert_int_equal(echo_through(env, (const uint8_t[]){ IPPROTO_FRAGMENT },
					 (const uint8_t *const[]){ ext_frag_offset }, 1, NULL,
					 NULL),
			SS_DROP_IP6_FRAGMENT);
	assert_int_equal(echo_through(env, (const uint8_t[]){ IPPROTO_FRAGMENT },
					 (const uint8_t *const[]){ ext_frag_last }, 1, NULL, NULL),
			SS_DROP_IP6_FRAGMENT);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP6_FRAGMENT], 3);
}

static void
test_ext_too_many(void **state)
{
	struct test_env *env = *state;
	const uint8_t types[16] = { IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS,
		IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS,
		IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS,
		IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS };
	const uint8_t *exts[16];
	unsigned int i;

	for (i = 0; i < RTE_DIM(exts); i++)
		exts[i] = ext_padn;
	/* A long but plausible chain is walked... */
	ext_ok(env, types, exts, 7);
	/* ...an absurd one is not. */
	assert_int_equal(echo_through(env, types, exts, 9, NULL, NULL), SS_DROP_IP6_EXTHDR);
	assert_int_equal(echo_through(env, types, exts, 16, NULL, NULL), SS_DROP_IP6_EXTHDR);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP6_EXTHDR], 2);
}

static void
test_ext_stripped_icmp6_echo(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	const uint8_t body[] = { 0xbe, 0xef, 0x00, 0x07, 'p', 'i', 'n', 'g' };
	struct test_frame f;
	size_t len, out_len = sizeof(out);

	test_frame_defaults(&f, 1);
	f.proto = IPPROTO_ICMPV6;
	len = test_build_icmp(buf, &f, 128, 0, body, sizeof(body));
	len = test_ip6_add_ext(buf, len, L3, IPPROTO_DSTOPTS, ext_padn, 8);
	len = test_ip6_add_ext(buf, len, L3, IPPROTO_HOPOPTS, ext_padn, 8);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, L4 + 4 + sizeof(body));
	assert_int_equal(out[L3 + 6], IPPROTO_ICMPV6);
	assert_int_equal(test_be16(out, L3 + 4), 4 + sizeof(body));
	assert_int_equal(out[L4], 129);
	assert_memory_equal(out + L4 + 4, body, sizeof(body));
	assert_true(test_l4_cksum_ok(out, out_len, L3, 1));
}

static void
test_unknown_next_header(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t out_len;
	const uint8_t protos[] = { 4, 41, 1 /* ICMP for IPv4 */, 132, 255 };
	unsigned int i;
	size_t len;

	/* Each gets a parameter problem (test_icmp6.c looks at it closely)... */
	for (i = 0; i < RTE_DIM(protos); i++) {
		len = echo6(buf, NULL, NULL);
		buf[L3 + 6] = protos[i];
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
		assert_int_equal(out[L4], 4);
		assert_int_equal(out[L4 + 1], 1);
		assert_int_equal(test_be32(out, L4 + 4), 6);
	}
	/* ...but "no next header", before an extension header or behind one. */
	len = echo6(buf, NULL, NULL);
	buf[L3 + 6] = 59;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_PROTO);
	len = echo6(buf, NULL, NULL);
	len = test_ip6_add_ext(buf, len, L3, IPPROTO_DSTOPTS, ext_padn, 8);
	buf[L4] = 59;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_PROTO);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP6_PROTO], 2);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP6_PARAM_PROBLEM], RTE_DIM(protos));
}

static void
test_dst_multicast_udp_tcp(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	const char *groups[] = { "ff02::1", "ff05::2", "ff02::1:ff00:1", "ff0e::101" };
	struct test_frame f;
	unsigned int i;
	size_t len;

	for (i = 0; i < RTE_DIM(groups); i++) {
		test_frame_defaults(&f, 1);
		f.dst = groups[i];
		memcpy(f.dst_mac, (const uint8_t[]){ 0x33, 0x33, 0, 0, 0, 1 }, 6);
		len = test_build_udp(buf, &f, 40000, 7, "x", 1);
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_DST_MULTICAST);
		f.proto = IPPROTO_TCP;
		len = test_build_tcp(buf, &f, 40000, 7, 0x02, 1000, 0, NULL, 0);
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_DST_MULTICAST);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP6_DST_MULTICAST], 2 * RTE_DIM(groups));
}

static void
test_dst_not_ours(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	const char *dsts[] = { "2001:db8::2", "2001:db8:1::1", "fe80::1", "::1", "::" };
	unsigned int i;
	size_t len;

	for (i = 0; i < RTE_DIM(dsts); i++) {
		len = echo6(buf, NULL, dsts[i]);
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_DST_NOT_OURS);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP6_DST_NOT_OURS], RTE_DIM(dsts));
}

static void
test_l2_multicast_unicast_dst(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len;

	len = echo6(buf, NULL, NULL);
	memcpy(buf, (const uint8_t[]){ 0x33, 0x33, 0, 0, 0, 1 }, 6);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_L2_MULTICAST);
	len = echo6(buf, NULL, NULL);
	memset(buf, 0xff, 6);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_L2_MULTICAST);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP6_L2_MULTICAST], 2);
}

static const char *const martians[] = {
	"::",
	"::1",
	"ff02::1",
	"ff0e::1",
	"ff02::1:ff00:fe",
	"::ffff:192.0.2.254",
	"::ffff:0.0.0.0",
	TEST_IP6_US,
};

static void
test_martian_sources(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	unsigned int i;
	size_t len, out_len;

	for (i = 0; i < RTE_DIM(martians); i++) {
		len = echo6(buf, martians[i], NULL);
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_SRC_INVALID);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP6_SRC_INVALID], RTE_DIM(martians));
	/* Honest ones: link-local, another subnet, one next to ours. */
	out_len = sizeof(out);
	len = echo6(buf, "fe80::2", NULL);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	out_len = sizeof(out);
	len = echo6(buf, "2001:db8:ffff::9", NULL);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_echo_reply(out, out_len, TEST_IP6_US, "2001:db8:ffff::9");
	out_len = sizeof(out);
	len = echo6(buf, "2001:db8::2", NULL);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
}

static void
test_source_check_off(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	unsigned int i;
	size_t len, out_len;

	test_env_set(env, "abuse", "source_check", "off");
	/* "::" aside: ICMPv6 treats it as duplicate address detection (see test_icmp6). */
	for (i = 1; i < RTE_DIM(martians); i++) {
		len = echo6(buf, martians[i], NULL);
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
		check_echo_reply(out, out_len, TEST_IP6_US, martians[i]);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP6_SRC_INVALID], 0);
	/* But nothing goes back to "::": a reply there goes nowhere. */
	len = echo6(buf, "::", NULL);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_SRC_INVALID);
}

static void
test_reply_from_address_asked(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	test_env_set(env, "port0", "ipv6", "2001:db8::1/64,2001:db8:5::5/64");
	len = echo6(buf, "2001:db8:9::9", "2001:db8:5::5");
	buf[L3 + 7] = 3; /* the request's hop limit does not carry over */
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_echo_reply(out, out_len, "2001:db8:5::5", "2001:db8:9::9");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_truncated, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_bad_version, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_payload_length_past_frame, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_padding_trimmed, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_traffic_class_flow_label, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ext_hop_by_hop, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ext_hop_by_hop_not_first, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ext_destination_options, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ext_unknown_option, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ext_option_overruns, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ext_past_payload, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ext_routing, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ext_fragment, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ext_too_many, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ext_stripped_icmp6_echo, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_next_header, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_dst_multicast_udp_tcp, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_dst_not_ours, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_l2_multicast_unicast_dst, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_martian_sources, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_source_check_off, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_reply_from_address_asked, test_env_setup,
				test_env_teardown),
	};

	return cmocka_run_group_tests_name("ipv6", tests, NULL, NULL);
}
