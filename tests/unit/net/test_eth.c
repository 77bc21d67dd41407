/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * eth.c: what frames get past the Ethernet layer (runts, foreign and bad
 * MACs, VLAN tags, EtherTypes, chained mbufs) and how a reply is addressed.
 */
#include "harness.h"

#include <netinet/in.h>
#include <string.h>

#include <rte_ether.h>

#include "stats.h"

static const uint8_t mac_us[6] = TEST_MAC_US;
static const uint8_t mac_peer[6] = TEST_MAC_PEER;

/* A UDP echo request of a few bytes, peer to us, optionally tagged. */
static size_t
echo_frame(uint8_t *buf, int vlan)
{
	struct test_frame f;

	test_frame_defaults(&f, 0);
	f.vlan = vlan;
	return test_build_udp(buf, &f, 40000, 7, "hello", 5);
}

static void
test_runt(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len = echo_frame(buf, -1);

	(void)len;
	assert_int_equal(test_input(env, buf, 0, NULL, NULL), SS_DROP_ETH_RUNT);
	assert_int_equal(test_input(env, buf, 1, NULL, NULL), SS_DROP_ETH_RUNT);
	assert_int_equal(test_input(env, buf, RTE_ETHER_HDR_LEN - 1, NULL, NULL), SS_DROP_ETH_RUNT);
	/* A header alone passes Ethernet; IPv4 then finds nothing behind it. */
	assert_int_equal(test_input(env, buf, RTE_ETHER_HDR_LEN, NULL, NULL),
			SS_DROP_IP4_TRUNCATED);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ETH_RUNT], 3);
}

static void
test_runt_vlan(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];

	echo_frame(buf, 5);
	/* The tag is cut: the frame ends inside it. */
	assert_int_equal(test_input(env, buf, RTE_ETHER_HDR_LEN + 2, NULL, NULL), SS_DROP_ETH_RUNT);
	assert_int_equal(test_input(env, buf, RTE_ETHER_HDR_LEN + 3, NULL, NULL), SS_DROP_ETH_RUNT);
	assert_int_equal(test_input(env, buf, RTE_ETHER_HDR_LEN + 4, NULL, NULL),
			SS_DROP_IP4_TRUNCATED);
}

static void
test_unicast_other_mac(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len = echo_frame(buf, -1), out_len = sizeof(out);

	buf[5] = 0x02; /* 02:00:00:00:00:02 */
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ETH_NOT_OURS);
	buf[5] = 0x01;
	buf[0] = 0x06; /* locally administered, unicast, not ours */
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ETH_NOT_OURS);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ETH_NOT_OURS], 2);
	/* Our own MAC: the same frame is answered. */
	buf[0] = 0x02;
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
}

static void
test_bad_source_mac(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len = echo_frame(buf, -1);

	/* Multicast source (group bit set). */
	buf[6] = 0x03;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ETH_SRC_INVALID);
	/* Broadcast source. */
	memset(buf + 6, 0xff, 6);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ETH_SRC_INVALID);
	/* Zero source. */
	memset(buf + 6, 0, 6);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ETH_SRC_INVALID);
	/* An IPv6 multicast MAC as source. */
	memcpy(buf + 6, (const uint8_t[]){ 0x33, 0x33, 0, 0, 0, 1 }, 6);
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ETH_SRC_INVALID);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ETH_SRC_INVALID], 4);
}

static void
test_broadcast_arp_accepted(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len = test_build_arp_request(buf, TEST_IP4_US), out_len = sizeof(out);

	assert_memory_equal(buf, ((const uint8_t[]){ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }), 6);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	/* Answered to the requester, from us. */
	assert_memory_equal(out, mac_peer, 6);
	assert_memory_equal(out + 6, mac_us, 6);
	assert_int_equal(test_be16(out, 12), RTE_ETHER_TYPE_ARP);
}

static void
test_reply_addressing(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len = echo_frame(buf, -1), out_len = sizeof(out);

	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, len);
	assert_memory_equal(out, mac_peer, 6);
	assert_memory_equal(out + 6, mac_us, 6);
	assert_int_equal(test_be16(out, 12), RTE_ETHER_TYPE_IPV4);
}

static void
test_vlan_kept(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	/* Priority 5, DEI set, VLAN 0x123: every TCI bit must come back. */
	const int tci = (5 << 13) | (1 << 12) | 0x123;
	size_t len = echo_frame(buf, tci), out_len = sizeof(out);
	struct test_frame f;

	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, len);
	assert_memory_equal(out, mac_peer, 6);
	assert_memory_equal(out + 6, mac_us, 6);
	assert_int_equal(test_be16(out, 12), RTE_ETHER_TYPE_VLAN);
	assert_int_equal(test_be16(out, 14), tci);
	assert_int_equal(test_be16(out, 16), RTE_ETHER_TYPE_IPV4);
	/* The IP and UDP headers sit behind the tag, payload intact. */
	test_frame_defaults(&f, 0);
	f.vlan = tci;
	assert_true(test_ip4_cksum_ok(out, test_l3_off(&f)));
	assert_true(test_l4_cksum_ok(out, out_len, test_l3_off(&f), 0));
	assert_memory_equal(out + test_l4_off(&f) + 8, "hello", 5);

	/* IPv6 in a tag, too. */
	test_frame_defaults(&f, 1);
	f.vlan = 42;
	len = test_build_udp(buf, &f, 40000, 7, "v6", 2);
	out_len = sizeof(out);
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(test_be16(out, 12), RTE_ETHER_TYPE_VLAN);
	assert_int_equal(test_be16(out, 14), 42);
	assert_int_equal(test_be16(out, 16), RTE_ETHER_TYPE_IPV6);
	assert_true(test_l4_cksum_ok(out, out_len, test_l3_off(&f), 1));
}

static void
test_vlan_arp(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], out[9100];
	size_t len = test_build_arp_request(buf, TEST_IP4_US), out_len = sizeof(out);

	/* Insert a tag for VLAN 7 in front of the ARP EtherType. */
	memmove(buf + 16, buf + 12, len - 12);
	buf[12] = 0x81;
	buf[13] = 0x00;
	buf[14] = 0x00;
	buf[15] = 0x07;
	len += 4;
	assert_int_equal(test_input(env, buf, len, out, &out_len), SS_VERDICT_TX);
	assert_int_equal(out_len, 14 + 4 + 28);
	assert_int_equal(test_be16(out, 12), RTE_ETHER_TYPE_VLAN);
	assert_int_equal(test_be16(out, 14), 7);
	assert_int_equal(test_be16(out, 16), RTE_ETHER_TYPE_ARP);
	assert_int_equal(test_be16(out, 18 + 6), 2); /* opcode: reply */
}

static void
test_vlan_stacked(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100], inner[9100];
	size_t len = echo_frame(inner, 5);

	/* 802.1Q in 802.1Q. */
	memcpy(buf, inner, 16);
	buf[16] = 0x81;
	buf[17] = 0x00;
	buf[18] = 0x00;
	buf[19] = 0x09;
	memcpy(buf + 20, inner + 16, len - 16);
	assert_int_equal(test_input(env, buf, len + 4, NULL, NULL), SS_DROP_ETH_VLAN_STACKED);
	/* 802.1ad service tag outside. */
	memcpy(buf, inner, len);
	buf[12] = 0x88;
	buf[13] = 0xa8;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ETH_VLAN_STACKED);
	/* 802.1Q carrying an 802.1ad tag. */
	memcpy(buf, inner, 16);
	buf[16] = 0x88;
	buf[17] = 0xa8;
	buf[18] = 0x00;
	buf[19] = 0x09;
	memcpy(buf + 20, inner + 16, len - 16);
	assert_int_equal(test_input(env, buf, len + 4, NULL, NULL), SS_DROP_ETH_VLAN_STACKED);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ETH_VLAN_STACKED], 3);
}

static void
test_unknown_ethertype(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len = echo_frame(buf, -1);
	const uint16_t types[] = { 0x88cc /* LLDP */, 0x8035 /* RARP */, 0x0800 + 1,
		0x0060 /* an 802.3 length */, 0x8847 /* MPLS */ };
	unsigned int i;

	for (i = 0; i < RTE_DIM(types); i++) {
		buf[12] = types[i] >> 8;
		buf[13] = types[i] & 0xff;
		assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ETH_TYPE);
	}
	/* Inside a tag, too. */
	len = echo_frame(buf, 3);
	buf[16] = 0x88;
	buf[17] = 0xcc;
	assert_int_equal(test_input(env, buf, len, NULL, NULL), SS_DROP_ETH_TYPE);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ETH_TYPE], RTE_DIM(types) + 1);
}

static void
test_multiseg(void **state)
{
	struct test_env *env = *state;
	uint8_t buf[9100];
	size_t len = echo_frame(buf, -1);
	struct rte_mbuf *head, *tail;

	head = test_mbuf(env, buf, 30);
	tail = test_mbuf(env, buf + 30, len - 30);
	assert_int_equal(rte_pktmbuf_chain(head, tail), 0);
	assert_int_equal(head->pkt_len, len);
	assert_int_equal(test_input_mbuf(env, head, NULL, NULL), SS_DROP_MBUF_MULTISEG);
	/* Even a runt of a chain: the chain is refused first. */
	head = test_mbuf(env, buf, 4);
	tail = test_mbuf(env, buf + 4, 4);
	assert_int_equal(rte_pktmbuf_chain(head, tail), 0);
	assert_int_equal(test_input_mbuf(env, head, NULL, NULL), SS_DROP_MBUF_MULTISEG);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_MBUF_MULTISEG], 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_runt, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_runt_vlan, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_unicast_other_mac, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_bad_source_mac, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_broadcast_arp_accepted, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_reply_addressing, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_vlan_kept, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_vlan_arp, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_vlan_stacked, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_ethertype, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_multiseg, test_env_setup, test_env_teardown),
	};

	return cmocka_run_group_tests_name("eth", tests, NULL, NULL);
}
