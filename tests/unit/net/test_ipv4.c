/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ipv4.c: header checks (length, version, IHL, checksum and its RX offload
 * flags, fragments), options and padding, which destinations and sources
 * are answered, and the reply's header.
 */
#include "harness.h"

#include <netinet/in.h>
#include <string.h>

#include <rte_ip.h>

#include "stats.h"

#define L3 14
#define L4 (L3 + 20)

/* A UDP echo request with payload "ping!" from src to dst. */
static size_t
echo4(uint8_t *buf, const char *src, const char *dst)
{
	struct test_frame f;

	test_frame_defaults(&f, 0);
	if (src != NULL)
		f.src = src;
	if (dst != NULL)
		f.dst = dst;
	return test_build_udp(buf, &f, 40000, 7, "ping!", 5);
}

static void
test_truncated(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len = echo4(buf, NULL, NULL);

	(void)len;
	assert_int_equal(test_input(env, buf, L3, NULL, NULL), SS_DROP_IP4_TRUNCATED);
	assert_int_equal(test_input(env, buf, L3 + 1, NULL, NULL), SS_DROP_IP4_TRUNCATED);
	assert_int_equal(test_input(env, buf, L3 + 19, NULL, NULL), SS_DROP_IP4_TRUNCATED);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP4_TRUNCATED], 3);
}

static void
test_total_length_past_frame(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len = echo4(buf, NULL, NULL), out_len = sizeof(out);

	/* The frame ends one byte before the total length says. */
	assert_int_equal(test_input(env, buf, len - 1, NULL, NULL), SS_DROP_IP4_TRUNCATED);
	/* Total length larger than the frame, header checksum made right. */
	buf[L3 + 3] += 1;
	test_fix_ip4_cksum(buf, L3);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_TRUNCATED);
	buf[L3 + 2] = 0xff;
	test_fix_ip4_cksum(buf, L3);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_TRUNCATED);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP4_TRUNCATED], 3);
	/* As built it is whole. */
	len = echo4(buf, NULL, NULL);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
}

static void
test_bad_version(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len = echo4(buf, NULL, NULL);
	const uint8_t vhl[] = { 0x65, 0x05, 0x45 + 0x10, 0xf5 };
	unsigned int i;

	for (i = 0; i < RTE_DIM(vhl); i++) {
		buf[L3] = vhl[i];
		test_fix_ip4_cksum(buf, L3);
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_VERSION);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP4_VERSION], RTE_DIM(vhl));
}

static void
test_ihl_too_small(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len = echo4(buf, NULL, NULL);
	unsigned int ihl;

	for (ihl = 0; ihl < 5; ihl++) {
		buf[L3] = 0x40 | ihl;
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_HDRLEN);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP4_HDRLEN], 5);
}

static void
test_ihl_past_total_length(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len;

	/* IHL 15 (60 bytes) in a datagram whose total length is 33. */
	len = echo4(buf, NULL, NULL);
	buf[L3] = 0x4f;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_HDRLEN);
	/* IHL 6 with a total length of 20: the header runs past the datagram. */
	len = echo4(buf, NULL, NULL);
	buf[L3] = 0x46;
	buf[L3 + 2] = 0;
	buf[L3 + 3] = 20;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_HDRLEN);
	/* Total length shorter than any header. */
	len = echo4(buf, NULL, NULL);
	buf[L3 + 2] = 0;
	buf[L3 + 3] = 19;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_HDRLEN);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP4_HDRLEN], 3);
}

static void
test_bad_checksum(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len = echo4(buf, NULL, NULL);

	buf[L3 + 10] ^= 0x01;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_CKSUM);
	/* A header byte changed behind the checksum's back. */
	len = echo4(buf, NULL, NULL);
	buf[L3 + 8] = 63; /* TTL */
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_CKSUM);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP4_CKSUM], 2);
}

static void
test_rx_cksum_flags(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	/* The port vouches for a header whose checksum field we spoil: believed. */
	len = echo4(buf, NULL, NULL);
	buf[L3 + 10] ^= 0x5a;
	assert_int_equal(test_input_flags(env, buf, len, RTE_MBUF_F_RX_IP_CKSUM_GOOD, out,
					 &out_len),
			SS_VERDICT_TX);
	/* The reply's own checksum is computed afresh. */
	assert_true(test_ip4_cksum_ok(out, L3));
	/* The port says bad, though the checksum is right: dropped. */
	len = echo4(buf, NULL, NULL);
	assert_int_equal(test_input_flags(env, buf, len, RTE_MBUF_F_RX_IP_CKSUM_BAD, NULL, NULL),
			SS_DROP_IP4_CKSUM);
	/* Unknown: checked in software, both ways. */
	out_len = sizeof(out);
	assert_int_equal(test_input_flags(env, buf, len, RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN, out,
					 &out_len),
			SS_VERDICT_TX);
	buf[L3 + 10] ^= 0x5a;
	assert_int_equal(test_input_flags(env, buf, len, RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN, NULL,
					 NULL),
			SS_DROP_IP4_CKSUM);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP4_CKSUM], 2);
}

static void
test_rx_cksum_flag_none(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);

	/*
	 * NONE: "the IP checksum is not correct in the packet data, but the
	 * integrity of the IP header is verified" (rte_mbuf_core.h). Accepted,
	 * and the reply gets a checksum of its own.
	 */
	len = echo4(buf, NULL, NULL);
	buf[L3 + 10] ^= 0x5a;
	assert_int_equal(test_input_flags(env, buf, len, RTE_MBUF_F_RX_IP_CKSUM_NONE, out,
					 &out_len),
			SS_VERDICT_TX);
	assert_true(test_ip4_cksum_ok(out, L3));
	assert_true(test_l4_cksum_ok(out, out_len, L3, 0));
	assert_memory_equal(out + L4 + 8, "ping!", 5);
}

static void
test_fragments(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len, out_len = sizeof(out);
	const uint16_t frag[] = { RTE_IPV4_HDR_MF_FLAG, 1, 185, RTE_IPV4_HDR_OFFSET_MASK,
		RTE_IPV4_HDR_MF_FLAG | 1, RTE_IPV4_HDR_DF_FLAG | 8 };
	unsigned int i;

	/* With reassembly off (test_ip_reasm.c has it on). */
	test_env_set(env, "ip", "reassembly_datagrams", "0");
	for (i = 0; i < RTE_DIM(frag); i++) {
		len = echo4(buf, NULL, NULL);
		buf[L3 + 6] = frag[i] >> 8;
		buf[L3 + 7] = frag[i] & 0xff;
		test_fix_ip4_cksum(buf, L3);
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_FRAGMENT);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP4_FRAGMENT], RTE_DIM(frag));
	/* Don't Fragment alone is a whole datagram. */
	len = echo4(buf, NULL, NULL);
	buf[L3 + 6] = RTE_IPV4_HDR_DF_FLAG >> 8;
	test_fix_ip4_cksum(buf, L3);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(test_be16(out, L3 + 6) & (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK),
			0);
}

/* Echo through options of opt_len bytes: stripped, payload intact. */
static void
options_stripped(struct test_env *env, const uint8_t *opt, size_t opt_len)
{
	uint8_t buf[9100], out[9100];
	size_t len = echo4(buf, NULL, NULL), out_len = sizeof(out);

	len = test_ip4_add_options(buf, len, L3, opt, opt_len);
	assert_int_equal(buf[L3] & 0xf, 5 + opt_len / 4);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, L4 + 8 + 5);
	assert_int_equal(out[L3], 0x45);
	assert_int_equal(test_be16(out, L3 + 2), 20 + 8 + 5);
	assert_true(test_ip4_cksum_ok(out, L3));
	assert_int_equal(test_be16(out, L4), 7);
	assert_int_equal(test_be16(out, L4 + 2), 40000);
	assert_int_equal(test_be16(out, L4 + 4), 8 + 5);
	assert_memory_equal(out + L4 + 8, "ping!", 5);
	assert_true(test_l4_cksum_ok(out, out_len, L3, 0));
}

static void
test_options_stripped(void **state)
{
	struct test_env *env = *state;
	const uint8_t router_alert[] = { 0x94, 0x04, 0x00, 0x00 };
	const uint8_t nops[] = { 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00 };
	uint8_t longest[40];

	options_stripped(env, router_alert, sizeof(router_alert));
	options_stripped(env, nops, sizeof(nops));
	/* IHL 15: 40 bytes of options (a record route). */
	memset(longest, 0, sizeof(longest));
	longest[0] = 0x07;
	longest[1] = 39;
	longest[2] = 4;
	options_stripped(env, longest, sizeof(longest));
}

static void
test_options_icmp_echo(void **state)
{
	struct test_env *env = *state;
	const uint8_t opt[] = { 0x94, 0x04, 0x00, 0x00 };
	uint8_t buf[9100], out[9100];
	const uint8_t body[] = { 0x12, 0x34, 0x00, 0x01, 'a', 'b', 'c', 'd' };
	struct test_frame f;
	size_t len, out_len = sizeof(out);

	test_frame_defaults(&f, 0);
	f.proto = IPPROTO_ICMP;
	len = test_build_icmp(buf, &f, 8, 0, body, sizeof(body));
	len = test_ip4_add_options(buf, len, L3, opt, sizeof(opt));
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, L4 + 4 + sizeof(body));
	assert_int_equal(out[L3], 0x45);
	assert_int_equal(test_be16(out, L3 + 2), 20 + 4 + sizeof(body));
	assert_true(test_ip4_cksum_ok(out, L3));
	assert_int_equal(out[L4], 0);
	assert_memory_equal(out + L4 + 4, body, sizeof(body));
	assert_true(test_l4_cksum_ok(out, out_len, L3, 0));
}

static void
test_padding_trimmed(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	struct test_frame f;
	size_t len, out_len = sizeof(out);

	test_frame_defaults(&f, 0);
	len = test_build_udp(buf, &f, 40000, 7, "x", 1);
	assert_int_equal(len, 43);
	/* Padded to the Ethernet minimum with junk, then some more. */
	memset(buf + len, 0xee, 100);
	assert_int_equal(test_input(env, buf, 60, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, 43);
	assert_int_equal(test_be16(out, L3 + 2), 29);
	assert_int_equal(out[L4 + 8], 'x');
	assert_true(test_l4_cksum_ok(out, out_len, L3, 0));
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, 143, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, 43);
}

static void
test_dst_broadcast(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len;

	/* Fraggle: to the subnet's directed broadcast, in an L2 broadcast. */
	len = echo4(buf, NULL, "192.0.2.255");
	memset(buf, 0xff, 6);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_DST_BROADCAST);
	/* Limited broadcast. */
	len = echo4(buf, NULL, "255.255.255.255");
	memset(buf, 0xff, 6);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_DST_BROADCAST);
	/* Directed broadcast in a unicast frame (a router forwarded it). */
	len = echo4(buf, NULL, "192.0.2.255");
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_DST_BROADCAST);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP4_DST_BROADCAST], 3);
}

static void
test_dst_broadcast_icmp(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	const uint8_t body[] = { 0, 1, 0, 1 };
	struct test_frame f;
	size_t len;

	/* Smurf: an echo request to the broadcast address. */
	test_frame_defaults(&f, 0);
	f.proto = IPPROTO_ICMP;
	f.dst = "192.0.2.255";
	memset(f.dst_mac, 0xff, 6);
	len = test_build_icmp(buf, &f, 8, 0, body, sizeof(body));
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_DST_BROADCAST);
}

static void
test_dst_multicast(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	const char *groups[] = { "224.0.0.1", "239.255.255.250", "224.0.0.251" };
	const uint8_t mcast_mac[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	unsigned int i;
	size_t len;

	for (i = 0; i < RTE_DIM(groups); i++) {
		len = echo4(buf, NULL, groups[i]);
		memcpy(buf, mcast_mac, 6);
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_DST_MULTICAST);
	}
	/* Multicast IP in a unicast frame. */
	len = echo4(buf, NULL, "224.0.0.1");
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_DST_MULTICAST);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP4_DST_MULTICAST], RTE_DIM(groups) + 1);
}

static void
test_dst_not_ours(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	const char *dsts[] = { "192.0.2.2", "192.0.2.0", "198.51.100.1", "203.0.113.1", "0.0.0.0" };
	unsigned int i;
	size_t len;

	for (i = 0; i < RTE_DIM(dsts); i++) {
		len = echo4(buf, NULL, dsts[i]);
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_DST_NOT_OURS);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP4_DST_NOT_OURS], RTE_DIM(dsts));
}

static void
test_l2_broadcast_unicast_ip(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	const uint8_t mcast_mac[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	size_t len;

	/* RFC 1122 3.3.6: our unicast address in a link-layer broadcast. */
	len = echo4(buf, NULL, NULL);
	memset(buf, 0xff, 6);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_L2_BROADCAST);
	len = echo4(buf, NULL, NULL);
	memcpy(buf, mcast_mac, 6);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_L2_BROADCAST);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP4_L2_BROADCAST], 2);
}

static const char *const martians[] = {
	"0.0.0.0", "0.1.2.3", "127.0.0.1", "127.255.255.254", "224.0.0.1", "239.1.2.3", "240.0.0.1",
	"255.255.255.254", "255.255.255.255", "192.0.2.255", /* our subnet's broadcast */
	TEST_IP4_US,                                         /* ourselves */
};

static void
test_martian_sources(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	unsigned int i;
	size_t len, out_len = sizeof(out);

	for (i = 0; i < RTE_DIM(martians); i++) {
		len = echo4(buf, martians[i], NULL);
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_SRC_INVALID);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP4_SRC_INVALID], RTE_DIM(martians));
	/* Honest sources on and off our subnet are answered. */
	len = echo4(buf, "198.51.100.9", NULL);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	out_len = sizeof(out);
	len = echo4(buf, "192.0.2.2", NULL);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
}

static void
test_source_check_off(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100], src[4];
	unsigned int i;
	size_t len, out_len;

	test_env_set(env, "abuse", "source_check", "off");
	for (i = 0; i < RTE_DIM(martians); i++) {
		len = echo4(buf, martians[i], NULL);
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
		test_addr(martians[i], 0, src);
		assert_memory_equal(out + L3 + 16, src, 4);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_IP4_SRC_INVALID], 0);
	/* The destination checks stay on. */
	len = echo4(buf, NULL, "192.0.2.255");
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_DST_BROADCAST);
}

static void
test_unknown_protocol(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t out_len;
	const uint8_t protos[] = { 0, 2 /* IGMP */, 4, 41 /* 6in4 */, 47 /* GRE */, 58 /* ICMPv6 */,
		132 /* SCTP */, 255 };
	unsigned int i;
	size_t len;

	/* Each gets a protocol unreachable (test_icmp4.c looks at it closely). */
	for (i = 0; i < RTE_DIM(protos); i++) {
		len = echo4(buf, NULL, NULL);
		buf[L3 + 9] = protos[i];
		test_fix_ip4_cksum(buf, L3);
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
		assert_int_equal(out[L4], 3);
		assert_int_equal(out[L4 + 1], 2);
		assert_int_equal(out[L4 + 8 + 9], protos[i]);
	}
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ICMP4_PROTO_UNREACH], RTE_DIM(protos));
}

static void
test_reply_header(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100], us[4], peer[4];
	const uint8_t ttls[] = { 1, 255, 64 };
	size_t len, out_len;
	unsigned int i;

	test_addr(TEST_IP4_US, 0, us);
	test_addr(TEST_IP4_PEER, 0, peer);
	env->worker.ip_id = 0xfffe;
	for (i = 0; i < RTE_DIM(ttls); i++) {
		len = echo4(buf, NULL, NULL);
		buf[L3 + 1] = 0xb8; /* DSCP EF */
		buf[L3 + 4] = 0xab; /* the request's own ID */
		buf[L3 + 5] = 0xcd;
		buf[L3 + 8] = ttls[i];
		test_fix_ip4_cksum(buf, L3);
		out_len = sizeof(out);
		assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
		assert_int_equal(out[L3], 0x45);
		assert_int_equal(test_be16(out, L3 + 2), 33);
		/* Our ID sequence, wrapping, not the request's. */
		assert_int_equal(test_be16(out, L3 + 4), (uint16_t)(0xfffe + i));
		assert_int_equal(out[L3 + 8], 64);
		assert_int_equal(out[L3 + 9], IPPROTO_UDP);
		assert_true(test_ip4_cksum_ok(out, L3));
		assert_memory_equal(out + L3 + 12, us, 4);
		assert_memory_equal(out + L3 + 16, peer, 4);
	}
}

static void
test_reply_from_address_asked(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100], us2[4], peer[4];
	size_t len, out_len = sizeof(out);

	test_env_set(env, "port0", "ipv4", "192.0.2.1/24,198.51.100.7/24");
	len = echo4(buf, "203.0.113.9", "198.51.100.7");
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	test_addr("198.51.100.7", 0, us2);
	test_addr("203.0.113.9", 0, peer);
	assert_memory_equal(out + L3 + 12, us2, 4);
	assert_memory_equal(out + L3 + 16, peer, 4);
	assert_true(test_ip4_cksum_ok(out, L3));
	assert_true(test_l4_cksum_ok(out, out_len, L3, 0));
	/* Both subnets' broadcasts are broadcasts. */
	len = echo4(buf, NULL, "198.51.100.255");
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_IP4_DST_BROADCAST);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_truncated, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_total_length_past_frame, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_bad_version, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ihl_too_small, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_ihl_past_total_length, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_bad_checksum, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_rx_cksum_flags, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_rx_cksum_flag_none, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_fragments, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_options_stripped, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_options_icmp_echo, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_padding_trimmed, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_dst_broadcast, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_dst_broadcast_icmp, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_dst_multicast, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_dst_not_ours, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_l2_broadcast_unicast_ip, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_martian_sources, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_source_check_off, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_protocol, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_reply_header, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_reply_from_address_asked, test_env_setup,
				test_env_teardown),
	};

	return cmocka_run_group_tests_name("ipv4", tests, NULL, NULL);
}
