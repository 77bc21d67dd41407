/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * icmp6.c: echo replies, neighbour solicitations answered with
 * advertisements (RFC 4861 7.1.1 checks, DAD), what is ignored, port
 * unreachable and parameter problem (contents, size cap, rate limit), and
 * the port's own link-local address.
 */
#include "harness.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ip.h>

#include "addr.h"
#include "stats.h"

#define L3 14
#define L4 (L3 + 40)

static const uint8_t mac_us[6] = TEST_MAC_US;
static const uint8_t mac_peer[6] = TEST_MAC_PEER;
static const uint8_t mac_all_nodes[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t mac_snm_us[6] = { 0x33, 0x33, 0xff, 0x00, 0x00, 0x01 };
#define SNM_US "ff02::1:ff00:1"
#define ICMP6_ECHO_REQUEST_TYPE 128

/* Fail unless the 16 bytes at at hold the IPv6 address addr. */
static void
check_addr(const uint8_t *at, const char *addr)
{
	test_check_addr(at, 1, addr);
}

/* ---- echo ---- */

static void
test_echo_reply(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len = test_build_ping(buf, 1, NULL, 0xabcd, 7, "hello, world", 12);
	size_t out_len = sizeof(out);

	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	test_check_echo_reply(out, out_len, 1, TEST_IP6_US, 0xabcd, 7, "hello, world", 12);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP6_ECHO], 1);
}

static void
test_echo_reply_many(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100], data[1400];
	size_t len, out_len, n, k;
	unsigned int i;

	srand(11);
	for (i = 0; i < 300; i++) {
		uint16_t id = rand(), seq = rand();

		n = i == 0 ? 0 : (size_t)rand() % 1400;
		for (k = 0; k < n; k++)
			data[k] = i % 3 == 0 ? 0 : rand();
		len = test_build_ping(buf, 1, NULL, id, seq, data, n);
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
		test_check_echo_reply(out, out_len, 1, TEST_IP6_US, id, seq, data, n);
	}
}

static void
test_echo_from_address_pinged(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	test_env_set(env, "port0", "ipv6", "2001:db8::1/64,2001:db8:5::5/64");
	len = test_build_ping(buf, 1, "2001:db8:5::5", 1, 2, "abc", 3);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	test_check_echo_reply(out, out_len, 1, "2001:db8:5::5", 1, 2, "abc", 3);
}

static void
test_echo_multicast_not_answered(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	const char *groups[] = { "ff02::1", SNM_US, "ff05::1" };
	unsigned int i;
	size_t len;

	for (i = 0; i < RTE_DIM(groups); i++) {
		len = test_build_ping(buf, 1, groups[i], 1, 1, "x", 1);
		memcpy(buf, mac_all_nodes, 6);
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_DST_MULTICAST);
	}
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP6_ECHO], 0);
}

static void
test_echo_from_unspecified(void **state)
{
	struct test_env *env = *state;
	uint8_t body[8] = { 0, 1, 0, 1, 'x', 'y', 'z', 0 };
	uint8_t buf[9100];
	struct test_frame f;
	size_t len;

	test_frame_defaults(&f, 1);
	f.proto = IPPROTO_ICMPV6;
	f.src = "::";
	len = test_build_icmp(buf, &f, 128, 0, body, sizeof(body));
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_SRC_INVALID);
}

static void
test_echo_too_big(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100], data[1400];
	size_t len, out_len = sizeof(out);

	memset(data, 'q', sizeof(data));
	test_env_set(env, "port0", "mtu", "1280");
	len = test_build_ping(buf, 1, NULL, 1, 1, data, 1280 - 48);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, L3 + 1280);
	len = test_build_ping(buf, 1, NULL, 1, 1, data, 1280 - 47);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_REPLY_TOO_BIG);
}

static void
test_bad_checksum(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len;

	len = test_build_ping(buf, 1, NULL, 1, 1, "data", 4);
	buf[L4 + 3] ^= 0x10;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP6_CKSUM);
	/* The pseudo header counts: a checksum made for another destination. */
	len = test_build_ping(buf, 1, "2001:db8::2", 1, 1, "data", 4);
	check_addr(buf + L3 + 24, "2001:db8::2");
	buf[L3 + 39] = 0x01;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP6_CKSUM);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ICMP6_CKSUM], 2);
}

static void
test_truncated(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	struct test_frame f;
	size_t len, n;

	test_frame_defaults(&f, 1);
	f.proto = IPPROTO_ICMPV6;
	for (n = 0; n < 4; n++) {
		len = test_build_icmp(buf, &f, 128, 0, "\0\0\0", n);
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP6_TRUNCATED);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ICMP6_TRUNCATED], 4);
}

static void
test_other_types_ignored(void **state)
{
	struct test_env *env = *state;
	const uint8_t types[] = { 1, 2, 3, 4, 129, 130, 131, 132, 133, 134, 136, 137, 143, 200 };
	uint8_t body[40] = { 0 };
	uint8_t buf[9100];
	struct test_frame f;
	unsigned int i;
	size_t len;

	test_frame_defaults(&f, 1);
	f.proto = IPPROTO_ICMPV6;
	f.ttl = 255;
	for (i = 0; i < RTE_DIM(types); i++) {
		len = test_build_icmp(buf, &f, types[i], 0, body, sizeof(body));
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP6_IGNORED);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ICMP6_IGNORED], RTE_DIM(types));
}

static void
test_mld_ignored(void **state)
{
	struct test_env *env = *state;
	const uint8_t hbh[8] = { 0, 0, 5, 2, 0, 0, 1, 0 }; /* router alert: MLD */
	uint8_t body[20] = { 0 };
	uint8_t buf[9100];
	struct test_frame f;
	size_t len;

	/* An MLDv1 query to all nodes from a router's link-local address. */
	test_frame_defaults(&f, 1);
	f.proto = IPPROTO_ICMPV6;
	f.ttl = 1;
	f.src = "fe80::1";
	f.dst = "ff02::1";
	memcpy(f.dst_mac, mac_all_nodes, 6);
	len = test_build_icmp(buf, &f, 130, 0, body, sizeof(body));
	len = test_ip6_add_ext(buf, len, L3, IPPROTO_HOPOPTS, hbh, sizeof(hbh));
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP6_IGNORED);
	/* An MLDv2 report to ff02::16. */
	f.dst = "ff02::16";
	f.src = "fe80::fe";
	len = test_build_icmp(buf, &f, 143, 0, body, sizeof(body));
	len = test_ip6_add_ext(buf, len, L3, IPPROTO_HOPOPTS, hbh, sizeof(hbh));
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP6_IGNORED);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ICMP6_IGNORED], 2);
}

/* ---- neighbour discovery ---- */

/*
 * A neighbour solicitation for target from src to dst (frame to dst_mac);
 * with_slla adds the source link-layer address option.
 */
static size_t
ns(uint8_t *buf, const char *src, const char *dst, const uint8_t *dst_mac, const char *target,
		int with_slla)
{
	uint8_t body[4 + 16 + 8] = { 0 };
	struct test_frame f;

	test_frame_defaults(&f, 1);
	f.proto = IPPROTO_ICMPV6;
	f.ttl = 255;
	f.src = src;
	f.dst = dst;
	memcpy(f.dst_mac, dst_mac, 6);
	test_addr(target, 1, body + 4);
	body[20] = 1;
	body[21] = 1;
	memcpy(body + 22, mac_peer, 6);
	return test_build_icmp(buf, &f, 135, 0, body, with_slla ? 28 : 20);
}

static void
check_na(const uint8_t *out, size_t out_len, const uint8_t *eth_dst, const char *target,
		const char *dst, uint8_t flags)
{
	assert_int_equal(out_len, L4 + 32);
	assert_memory_equal(out, eth_dst, 6);
	assert_memory_equal(out + 6, mac_us, 6);
	assert_int_equal(test_be16(out, 12), 0x86dd);
	assert_int_equal(out[L3] >> 4, 6);
	assert_int_equal(test_be16(out, L3 + 4), 32);
	assert_int_equal(out[L3 + 6], IPPROTO_ICMPV6);
	assert_int_equal(out[L3 + 7], 255);
	check_addr(out + L3 + 8, target);
	check_addr(out + L3 + 24, dst);
	assert_int_equal(out[L4], 136);
	assert_int_equal(out[L4 + 1], 0);
	assert_int_equal(out[L4 + 4], flags);
	assert_int_equal(out[L4 + 5], 0);
	assert_int_equal(out[L4 + 6], 0);
	assert_int_equal(out[L4 + 7], 0);
	check_addr(out + L4 + 8, target);
	assert_int_equal(out[L4 + 24], 2); /* target link-layer address */
	assert_int_equal(out[L4 + 25], 1);
	assert_memory_equal(out + L4 + 26, mac_us, 6);
	assert_true(test_l4_cksum_ok(out, out_len, L3, 1));
}

#define NA_S_O 0x60
#define NA_O 0x20

static void
test_ns_unicast(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	len = ns(buf, TEST_IP6_PEER, TEST_IP6_US, mac_us, TEST_IP6_US, 1);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_na(out, out_len, mac_peer, TEST_IP6_US, TEST_IP6_PEER, NA_S_O);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ND_ADVERT], 1);
	/* Without the option (allowed for unicast solicitations). */
	len = ns(buf, TEST_IP6_PEER, TEST_IP6_US, mac_us, TEST_IP6_US, 0);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_na(out, out_len, mac_peer, TEST_IP6_US, TEST_IP6_PEER, NA_S_O);
}

static void
test_ns_solicited_node(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	len = ns(buf, TEST_IP6_PEER, SNM_US, mac_snm_us, TEST_IP6_US, 1);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	/* Unicast back to the solicitor, from the target. */
	check_na(out, out_len, mac_peer, TEST_IP6_US, TEST_IP6_PEER, NA_S_O);
	/* From a link-local address. */
	len = ns(buf, "fe80::fe", SNM_US, mac_snm_us, TEST_IP6_US, 1);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_na(out, out_len, mac_peer, TEST_IP6_US, "fe80::fe", NA_S_O);
}

static void
test_ns_second_address(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	const uint8_t snm_mac[6] = { 0x33, 0x33, 0xff, 0x00, 0x00, 0x05 };
	size_t len, out_len = sizeof(out);

	test_env_set(env, "port0", "ipv6", "2001:db8::1/64,2001:db8:5::5/64");
	len = ns(buf, TEST_IP6_PEER, "ff02::1:ff00:5", snm_mac, "2001:db8:5::5", 1);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_na(out, out_len, mac_peer, "2001:db8:5::5", TEST_IP6_PEER, NA_S_O);
}

static void
test_ns_dad(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	/* RFC 4861 7.2.4: answer to all nodes, Solicited flag clear. */
	len = ns(buf, "::", SNM_US, mac_snm_us, TEST_IP6_US, 0);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_na(out, out_len, mac_all_nodes, TEST_IP6_US, "ff02::1", NA_O);
}

static void
ns_invalid(struct test_env *env, uint8_t *buf, size_t len)
{
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ND_INVALID);
}

static void
test_ns_invalid(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len;

	/* Hop limit other than 255: it crossed a router. */
	len = ns(buf, TEST_IP6_PEER, TEST_IP6_US, mac_us, TEST_IP6_US, 1);
	buf[L3 + 7] = 254;
	ns_invalid(env, buf, len);
	len = ns(buf, TEST_IP6_PEER, SNM_US, mac_snm_us, TEST_IP6_US, 1);
	buf[L3 + 7] = 64;
	ns_invalid(env, buf, len);
	/* Code other than 0. */
	len = ns(buf, TEST_IP6_PEER, TEST_IP6_US, mac_us, TEST_IP6_US, 1);
	buf[L4 + 1] = 1;
	test_fix_l4_cksum(buf, L3, 1);
	ns_invalid(env, buf, len);
	/* Multicast target. */
	len = ns(buf, TEST_IP6_PEER, TEST_IP6_US, mac_us, "ff02::1", 1);
	ns_invalid(env, buf, len);
	len = ns(buf, TEST_IP6_PEER, TEST_IP6_US, mac_us, SNM_US, 1);
	ns_invalid(env, buf, len);
	/* An option of length zero. */
	len = ns(buf, TEST_IP6_PEER, TEST_IP6_US, mac_us, TEST_IP6_US, 1);
	buf[L4 + 25] = 0;
	test_fix_l4_cksum(buf, L3, 1);
	ns_invalid(env, buf, len);
	/* An option running past the message. */
	len = ns(buf, TEST_IP6_PEER, TEST_IP6_US, mac_us, TEST_IP6_US, 1);
	buf[L4 + 25] = 2;
	test_fix_l4_cksum(buf, L3, 1);
	ns_invalid(env, buf, len);
	/* A source link-layer address from :: (DAD must not carry one). */
	len = ns(buf, "::", SNM_US, mac_snm_us, TEST_IP6_US, 1);
	ns_invalid(env, buf, len);
	/* DAD must go to the solicited-node group, not to the address itself. */
	len = ns(buf, "::", TEST_IP6_US, mac_us, TEST_IP6_US, 0);
	ns_invalid(env, buf, len);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ND_INVALID], 9);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ND_ADVERT], 0);
}

static void
test_ns_truncated(void **state)
{
	struct test_env *env = *state;
	uint8_t body[20] = { 0 };
	uint8_t buf[9100];
	struct test_frame f;
	size_t len;

	/* 4 + 12 bytes: the target address cut short. */
	test_frame_defaults(&f, 1);
	f.proto = IPPROTO_ICMPV6;
	f.ttl = 255;
	len = test_build_icmp(buf, &f, 135, 0, body, 16);
	ns_invalid(env, buf, len);
	len = test_build_icmp(buf, &f, 135, 0, body, 4);
	ns_invalid(env, buf, len);
	/* Option bytes after the target that are not a whole option header. */
	len = test_build_icmp(buf, &f, 135, 0,
			(const uint8_t[21]){ [4] = 0x20,
					[5] = 0x01,
					[6] = 0x0d,
					[7] = 0xb8,
					[19] = 1,
					[20] = 1 },
			21);
	ns_invalid(env, buf, len);
}

static void
test_ns_not_ours(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	const uint8_t snm_other[6] = { 0x33, 0x33, 0xff, 0x00, 0x00, 0x02 };
	size_t len;

	len = ns(buf, TEST_IP6_PEER, TEST_IP6_US, mac_us, "2001:db8::2", 1);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ND_NOT_OURS);
	len = ns(buf, TEST_IP6_PEER, "ff02::1:ff00:2", snm_other, "2001:db8::2", 1);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ND_NOT_OURS);
	len = ns(buf, "::", "ff02::1:ff00:2", snm_other, "2001:db8::2", 0);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ND_NOT_OURS);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ND_NOT_OURS], 3);
}

/* ---- port unreachable ---- */

static void
check_unreachable6(const uint8_t *out, size_t out_len, const uint8_t *req, size_t req_len,
		const char *from)
{
	size_t quoted = RTE_MIN(req_len - L3, (size_t)(1280 - 48));

	assert_int_equal(out_len, L4 + 8 + quoted);
	assert_true(out_len - L3 <= 1280);
	test_check_ip_reply(out, L3, 1, from, TEST_IP6_PEER, IPPROTO_ICMPV6, 8 + quoted);
	assert_int_equal(out[L4], 1);     /* destination unreachable */
	assert_int_equal(out[L4 + 1], 4); /* port unreachable */
	assert_int_equal(test_be32(out, L4 + 4), 0);
	assert_memory_equal(out + L4 + 8, req + L3, quoted);
	assert_true(test_l4_cksum_ok(out, out_len, L3, 1));
}

static void
test_port_unreachable(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	len = test_build_closed_port(buf, 1, NULL, 20);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_unreachable6(out, out_len, buf, len, TEST_IP6_US);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP6_UNREACH], 1);
	/* From the address the datagram was sent to. */
	test_env_set(env, "port0", "ipv6", "2001:db8::1/64,2001:db8:5::5/64");
	len = test_build_closed_port(buf, 1, "2001:db8:5::5", 0);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_unreachable6(out, out_len, buf, len, "2001:db8:5::5");
}

static void
test_port_unreachable_capped(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	len = test_build_closed_port(buf, 1, NULL, 1400);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, L3 + 1280);
	check_unreachable6(out, out_len, buf, len, TEST_IP6_US);
	/* Exactly at the cap. */
	len = test_build_closed_port(buf, 1, NULL, 1232 - 48);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, L3 + 1280);
	check_unreachable6(out, out_len, buf, len, TEST_IP6_US);
}

static void
test_port_unreachable_ext_headers(void **state)
{
	struct test_env *env = *state;
	const uint8_t padn[8] = { 0, 0, 1, 4, 0, 0, 0, 0 };
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	/* The quote is the datagram as it came, extension header included. */
	len = test_build_closed_port(buf, 1, NULL, 5);
	len = test_ip6_add_ext(buf, len, L3, IPPROTO_DSTOPTS, padn, sizeof(padn));
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_unreachable6(out, out_len, buf, len, TEST_IP6_US);
	assert_int_equal(out[L4 + 8 + 6], IPPROTO_DSTOPTS);
}

static void
test_port_unreachable_ratelimit(void **state)
{
	struct test_env *env = *state;
	uint8_t buf4[9100], buf[9100], out[9100];
	struct test_frame f;
	size_t len, len4, out_len;
	unsigned int i;

	test_env_set(env, "abuse", "icmp_error_rate", "5");
	test_env_set(env, "abuse", "icmp_error_burst", "4");
	len = test_build_closed_port(buf, 1, NULL, 4);
	for (i = 0; i < 3; i++) {
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	}
	/* One limit for both families: an IPv4 error takes the last token. */
	test_frame_defaults(&f, 0);
	len4 = test_build_udp(buf4, &f, 40000, 4444, "x", 1);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf4, len4, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP6_RATELIMIT);
	assert_int_equal(test_input(env, buf4, len4, NULL, NULL), SS_DROP_ICMP4_RATELIMIT);
	/* Neighbour discovery and echo are not errors. */
	len4 = ns(buf4, TEST_IP6_PEER, TEST_IP6_US, mac_us, TEST_IP6_US, 1);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf4, len4, out, &out_len), SS_VERDICT_TX);
	len4 = test_build_ping(buf4, 1, NULL, 1, 1, "x", 1);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf4, len4, out, &out_len), SS_VERDICT_TX);
	/* A fifth of a second later, one more. */
	env->worker.now += env->worker.hz / 5;
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP6_RATELIMIT);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ICMP6_RATELIMIT], 2);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP6_UNREACH], 4);
}

/* ---- parameter problem: unrecognized next header ---- */

/* The closed-port datagram of len bytes with next header nh instead of UDP. */
static size_t
build_nh(uint8_t *buf, uint8_t nh, size_t len)
{
	len = test_build_closed_port(buf, 1, NULL, len);
	buf[L3 + 6] = nh;
	return len;
}

/* Fail unless out is the parameter problem, code 1, for req, pointing at pointer. */
static void
check_param_problem(const uint8_t *out, size_t out_len, const uint8_t *req, size_t req_len,
		uint32_t pointer)
{
	size_t quoted = RTE_MIN(req_len - L3, (size_t)(1280 - 48));

	assert_int_equal(out_len, L4 + 8 + quoted);
	test_check_ip_reply(out, L3, 1, TEST_IP6_US, TEST_IP6_PEER, IPPROTO_ICMPV6, 8 + quoted);
	assert_int_equal(out[L4], 4);     /* parameter problem */
	assert_int_equal(out[L4 + 1], 1); /* unrecognized next header type */
	assert_int_equal(test_be32(out, L4 + 4), pointer);
	assert_memory_equal(out + L4 + 8, req + L3, quoted);
	assert_true(test_l4_cksum_ok(out, out_len, L3, 1));
}

static void
test_unknown_next_header(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	/* The IPv6 header's own next header field: offset 6. */
	len = build_nh(buf, 253, 20);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_param_problem(out, out_len, buf, len, 6);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP6_PARAM_PROBLEM], 1);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP6_UNREACH], 0);
	/* Nothing behind the header. */
	len = build_nh(buf, 253, 0);
	test_set_ip_payload_len(buf, L3, 1, 0);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, L4, out, &out_len), SS_VERDICT_TX);
	check_param_problem(out, out_len, buf, L4, 6);
}

static void
test_unknown_next_header_ext(void **state)
{
	struct test_env *env = *state;
	const uint8_t padn[8] = { 0, 0, 1, 4, 0, 0, 0, 0 };
	const uint8_t padn16[16] = { 0, 1, 1, 12 };
	const uint8_t atomic[8] = { 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78 };
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	/* Behind destination options: its first byte, at 40. */
	len = build_nh(buf, 253, 5);
	len = test_ip6_add_ext(buf, len, L3, IPPROTO_DSTOPTS, padn, sizeof(padn));
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_param_problem(out, out_len, buf, len, 40);
	assert_int_equal(out[L4 + 8 + 40], 253);
	/* Hop-by-hop, an atomic fragment, 16 bytes of destination options: at 56. */
	len = build_nh(buf, 253, 5);
	len = test_ip6_add_ext(buf, len, L3, IPPROTO_DSTOPTS, padn16, sizeof(padn16));
	len = test_ip6_add_ext(buf, len, L3, IPPROTO_FRAGMENT, atomic, sizeof(atomic));
	len = test_ip6_add_ext(buf, len, L3, IPPROTO_HOPOPTS, padn, sizeof(padn));
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_param_problem(out, out_len, buf, len, 56);
	assert_int_equal(out[L4 + 8 + 56], 253);
	/* "No next header" behind them names nothing unknown (RFC 8200 4.7). */
	buf[L3 + 56] = IPPROTO_NONE;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_PROTO);
}

static void
test_unknown_next_header_capped(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	len = build_nh(buf, 253, 1400);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, L3 + 1280);
	check_param_problem(out, out_len, buf, len, 6);
}

static void
test_unknown_next_header_not_answered(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	struct test_frame f;
	size_t len;

	/* RFC 4443 2.4 (e): not to a group, not to a unicast address in a group's frame. */
	test_frame_defaults(&f, 1);
	f.dst = "ff02::1";
	memcpy(f.dst_mac, mac_all_nodes, 6);
	len = test_build_udp(buf, &f, 40000, 4444, "x", 1);
	buf[L3 + 6] = 253;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_DST_MULTICAST);
	f.dst = SNM_US;
	memcpy(f.dst_mac, mac_snm_us, 6);
	len = test_build_udp(buf, &f, 40000, 4444, "x", 1);
	buf[L3 + 6] = 253;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_DST_MULTICAST);
	len = build_nh(buf, 253, 1);
	memcpy(buf, mac_all_nodes, 6);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_L2_MULTICAST);
	/* Nor to :: (it goes nowhere). */
	test_frame_defaults(&f, 1);
	f.src = "::";
	len = test_build_udp(buf, &f, 40000, 4444, "x", 1);
	buf[L3 + 6] = 253;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_SRC_INVALID);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP6_PARAM_PROBLEM], 0);
}

static void
test_unknown_next_header_ratelimit(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], udp[9100], out[9100];
	size_t len, udp_len, out_len;

	/* One budget for every ICMP and ICMPv6 error. */
	test_env_set(env, "abuse", "icmp_error_rate", "5");
	test_env_set(env, "abuse", "icmp_error_burst", "3");
	len = build_nh(buf, 253, 4);
	udp_len = test_build_closed_port(udp, 1, NULL, 4);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, udp, udp_len, out, &out_len), SS_VERDICT_TX);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	udp_len = test_build_closed_port(udp, 0, NULL, 4);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, udp, udp_len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP6_RATELIMIT);
	/* A fifth of a second later, one more. */
	env->worker.now += env->worker.hz / 5;
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ICMP6_RATELIMIT);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ICMP6_RATELIMIT], 2);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP6_PARAM_PROBLEM], 2);
}

/* ---- the port's own link-local address ---- */

#define LL_US "fe80::ff:fe00:1" /* modified EUI-64 of TEST_MAC_US */
#define LL_PEER "fe80::fe"

/* Give the test port its link-local address, as main.c does at start. */
static void
add_link_local(struct test_env *env)
{
	const struct ss_ip6_prefix *ll = ss_ip6_link_local_add(&env->cfg.port[0], mac_us);

	assert_non_null(ll);
	check_addr(ll->addr, LL_US);
}

/* An echo request from src to dst with id 7, sequence 1 and "ll". */
static size_t
ping_from(uint8_t *buf, const char *src, const char *dst)
{
	const uint8_t body[6] = { 0, 7, 0, 1, 'l', 'l' };
	struct test_frame f;

	test_frame_defaults(&f, 1);
	f.proto = IPPROTO_ICMPV6;
	f.src = src;
	f.dst = dst;
	return test_build_icmp(buf, &f, ICMP6_ECHO_REQUEST_TYPE, 0, body, sizeof(body));
}

static void
test_link_local_ping(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	len = ping_from(buf, LL_PEER, LL_US);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_DST_NOT_OURS);
	add_link_local(env);
	/* From the link-local address, hop limit 64 as every reply. */
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	test_check_ip_reply(out, L3, 1, LL_US, LL_PEER, IPPROTO_ICMPV6, 10);
	assert_int_equal(out[L4], 129);
	assert_memory_equal(out + L4 + 4, buf + L4 + 4, 6);
	assert_true(test_l4_cksum_ok(out, out_len, L3, 1));
	/* The global address still answers, to a link-local peer too. */
	len = ping_from(buf, LL_PEER, TEST_IP6_US);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	test_check_ip_reply(out, L3, 1, TEST_IP6_US, LL_PEER, IPPROTO_ICMPV6, 10);
	/* Our own link-local address as a source is a spoof. */
	len = ping_from(buf, LL_US, TEST_IP6_US);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP6_SRC_INVALID);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP6_ECHO], 2);
}

static void
test_link_local_ns(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	/* Its solicited-node group is the global address's, ff02::1:ff00:1. */
	len = ns(buf, LL_PEER, SNM_US, mac_snm_us, LL_US, 1);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ND_NOT_OURS);
	add_link_local(env);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_na(out, out_len, mac_peer, LL_US, LL_PEER, NA_S_O);
	/* Unicast, as a neighbour cache entry is confirmed. */
	len = ns(buf, LL_PEER, LL_US, mac_us, LL_US, 1);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_na(out, out_len, mac_peer, LL_US, LL_PEER, NA_S_O);
	/* Duplicate address detection: defended, to all nodes. */
	len = ns(buf, "::", SNM_US, mac_snm_us, LL_US, 0);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_na(out, out_len, mac_all_nodes, LL_US, "ff02::1", NA_O);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ND_ADVERT], 3);
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
		cmocka_unit_test_setup_teardown(test_echo_multicast_not_answered, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_echo_from_unspecified, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_echo_too_big, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_bad_checksum, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_other_types_ignored, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_mld_ignored, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ns_unicast, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ns_solicited_node, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ns_second_address, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ns_dad, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ns_invalid, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ns_truncated, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ns_not_ours, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_port_unreachable, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_port_unreachable_capped, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_port_unreachable_ext_headers, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_port_unreachable_ratelimit, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_next_header, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_next_header_ext, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_next_header_capped, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_next_header_not_answered,
				test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_next_header_ratelimit, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_link_local_ping, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_link_local_ns, test_env_setup,
				test_env_teardown),
	};

	return cmocka_run_group_tests_name("icmp6", tests, NULL, NULL);
}
