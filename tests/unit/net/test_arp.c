/* SPDX-License-Identifier: BSD-3-Clause */
/* arp.c: replies to requests for our addresses, and every reason not to reply. */
#include "harness.h"

#include <string.h>

#include <rte_arp.h>
#include <rte_ether.h>

#include "stats.h"

static const uint8_t mac_us[6] = TEST_MAC_US;
static const uint8_t mac_peer[6] = TEST_MAC_PEER;

/* Offsets in an untagged ARP frame. */
#define ARP_OFF 14
#define ARP_HTYPE (ARP_OFF + 0)
#define ARP_PTYPE (ARP_OFF + 2)
#define ARP_HLEN (ARP_OFF + 4)
#define ARP_PLEN (ARP_OFF + 5)
#define ARP_OP (ARP_OFF + 6)
#define ARP_SHA (ARP_OFF + 8)
#define ARP_SPA (ARP_OFF + 14)
#define ARP_THA (ARP_OFF + 18)
#define ARP_TPA (ARP_OFF + 24)
#define ARP_END (ARP_OFF + 28)

static void
ip4(const char *s, uint8_t *out)
{
	test_addr(s, 0, out);
}

/* The reply to a request from sha/spa for tpa, every field. */
static void
check_reply(const uint8_t *out, size_t out_len, const uint8_t *sha, const uint8_t *spa,
		const uint8_t *tpa)
{
	assert_int_equal(out_len, ARP_END);
	assert_memory_equal(out, sha, 6);        /* to the requester */
	assert_memory_equal(out + 6, mac_us, 6); /* from us */
	assert_int_equal(test_be16(out, 12), RTE_ETHER_TYPE_ARP);
	assert_int_equal(test_be16(out, ARP_HTYPE), RTE_ARP_HRD_ETHER);
	assert_int_equal(test_be16(out, ARP_PTYPE), RTE_ETHER_TYPE_IPV4);
	assert_int_equal(out[ARP_HLEN], 6);
	assert_int_equal(out[ARP_PLEN], 4);
	assert_int_equal(test_be16(out, ARP_OP), RTE_ARP_OP_REPLY);
	assert_memory_equal(out + ARP_SHA, mac_us, 6);
	assert_memory_equal(out + ARP_SPA, tpa, 4);
	assert_memory_equal(out + ARP_THA, sha, 6);
	assert_memory_equal(out + ARP_TPA, spa, 4);
}

static void
test_request_for_us(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100], us[4], peer[4];
	size_t len = test_build_arp_request(buf, TEST_IP4_US), out_len = sizeof(out);

	ip4(TEST_IP4_US, us);
	ip4(TEST_IP4_PEER, peer);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_reply(out, out_len, mac_peer, peer, us);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ARP], 1);
}

static void
test_request_unicast(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100], us[4], peer[4];
	size_t len = test_build_arp_request(buf, TEST_IP4_US), out_len = sizeof(out);

	/* A unicast poll (RFC 1122 2.3.2.1) is answered the same way. */
	memcpy(buf, mac_us, 6);
	ip4(TEST_IP4_US, us);
	ip4(TEST_IP4_PEER, peer);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_reply(out, out_len, mac_peer, peer, us);
}

static void
test_request_second_address(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100], us2[4], peer[4];
	size_t len, out_len = sizeof(out);
	char err[256];

	assert_int_equal(ss_config_set(&env->cfg, "port0", "ipv4", "192.0.2.1/24,198.51.100.7/24",
					 err, sizeof(err)),
			0);
	test_env_apply(env);
	len = test_build_arp_request(buf, "198.51.100.7");
	ip4("198.51.100.7", us2);
	ip4(TEST_IP4_PEER, peer);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_reply(out, out_len, mac_peer, peer, us2);
}

static void
test_probe_answered(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100], us[4];
	const uint8_t zero[4] = { 0 };
	size_t len = test_build_arp_request(buf, TEST_IP4_US), out_len = sizeof(out);

	/* RFC 5227 probe: sender IP 0.0.0.0, target hardware address zero. */
	memset(buf + ARP_SPA, 0, 4);
	memset(buf + ARP_THA, 0, 6);
	ip4(TEST_IP4_US, us);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	check_reply(out, out_len, mac_peer, zero, us);
}

static void
test_request_not_ours(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	const char *targets[] = { "192.0.2.2", "192.0.2.255" /* our subnet's broadcast */,
		"192.0.2.0", "198.51.100.1", "255.255.255.255", "224.0.0.1", "0.0.0.0" };
	unsigned int i;
	size_t len;

	for (i = 0; i < RTE_DIM(targets); i++) {
		len = test_build_arp_request(buf, targets[i]);
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ARP_NOT_OURS);
	}
	/* A gratuitous ARP from the peer announces its own address. */
	len = test_build_arp_request(buf, TEST_IP4_PEER);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ARP_NOT_OURS);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ARP_NOT_OURS], RTE_DIM(targets) + 1);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_ARP], 0);
}

static void
test_not_request(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	const uint16_t ops[] = { RTE_ARP_OP_REPLY, RTE_ARP_OP_REVREQUEST, RTE_ARP_OP_REVREPLY,
		RTE_ARP_OP_INVREQUEST, 0, 0x0100 };
	unsigned int i;
	size_t len;

	for (i = 0; i < RTE_DIM(ops); i++) {
		/* Even when it names our address: we keep no cache to learn into. */
		len = test_build_arp_request(buf, TEST_IP4_US);
		buf[ARP_OP] = ops[i] >> 8;
		buf[ARP_OP + 1] = ops[i] & 0xff;
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ARP_NOT_REQUEST);
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ARP_NOT_REQUEST], RTE_DIM(ops));
}

static void
malformed(struct test_env *env, size_t off, uint8_t value)
{
	uint8_t buf[9100];
	size_t len = test_build_arp_request(buf, TEST_IP4_US);

	buf[off] = value;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ARP_MALFORMED);
}

static void
test_malformed(void **state)
{
	struct test_env *env = *state;

	malformed(env, ARP_HTYPE + 1, 6);    /* IEEE 802 */
	malformed(env, ARP_HTYPE, 1);        /* 0x0101 */
	malformed(env, ARP_PTYPE, 0x86);     /* 0x8600 */
	malformed(env, ARP_PTYPE + 1, 0xdd); /* 0x08dd */
	malformed(env, ARP_HLEN, 8);
	malformed(env, ARP_HLEN, 0);
	malformed(env, ARP_PLEN, 16);
	malformed(env, ARP_PLEN, 0);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ARP_MALFORMED], 8);
}

static void
test_truncated(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len = test_build_arp_request(buf, TEST_IP4_US), out_len = sizeof(out);
	size_t cut;

	(void)len;
	for (cut = ARP_OFF; cut < ARP_END; cut += 3)
		assert_int_equal(test_input(env, buf, cut, NULL, NULL), SS_DROP_ARP_MALFORMED);
	assert_int_equal(test_input(env, buf, ARP_END - 1, NULL, NULL), SS_DROP_ARP_MALFORMED);
	/* Exactly the ARP packet, no Ethernet padding: enough. */
	assert_int_equal(test_input(env, buf, ARP_END, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, ARP_END);
}

static void
test_padding_trimmed(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len = test_build_arp_request(buf, TEST_IP4_US), out_len = sizeof(out);

	/* Junk in the padding must not travel back. */
	memset(buf + ARP_END, 0xa5, len - ARP_END);
	assert_int_equal(len, 60);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, ARP_END);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_request_for_us, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_request_unicast, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_request_second_address, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_probe_answered, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_request_not_ours, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_not_request, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_malformed, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_padding_trimmed, test_env_setup,
				test_env_teardown),
	};

	return cmocka_run_group_tests_name("arp", tests, NULL, NULL);
}
