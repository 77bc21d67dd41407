/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ip.c and ip.h: what UDP and TCP ask of IP, family-blind. Fresh headers
 * (ss_ip_push) with every field right for both families, the IPv4
 * identification taken and advanced; a packet's addresses in the tuple's
 * form; its source key (IPv6 by prefix); the pseudo-header sum either way.
 * And cksum.h's sums and fold against RFC 1071 16 bits at a time, at every
 * length, alignment and carry.
 */
#include "harness.h"

#include <netinet/in.h>
#include <string.h>

#include <rte_ip.h>

#include "cksum.h"
#include "ip.h"
#include "source.h"

static void
mapped(const char *a4, uint8_t *out)
{
	memset(out, 0, 16);
	out[10] = out[11] = 0xff;
	test_addr(a4, 0, out + 12);
}

/* RFC 1071 as written: 16-bit words, the carries folded in one by one. */
static uint16_t
ref_cksum(const uint8_t *p, uint32_t len, uint32_t sum)
{
	uint16_t h;

	for (; len >= 2; p += 2, len -= 2) {
		memcpy(&h, p, 2);
		sum += h;
		sum = (sum & 0xffff) + (sum >> 16);
	}
	if (len > 0)
		sum += *p;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static void
test_cksum_reference(void **state)
{
	static const uint64_t edges[] = { 0, 1, 0xffff, 0x10000, 0xffffffff, 0x100000000ull,
		0xffff0001ull, 0xfffffffffffffffeull, UINT64_MAX, 0x8000000080000000ull };
	static const uint64_t seeds[] = { 0, 0x1fffe, (UINT64_C(1) << 33) - 1, UINT64_MAX };
	static uint8_t buf[700];
	unsigned int i, fill, off, len, k;
	uint64_t s;

	(void)state;
	for (i = 0; i < RTE_DIM(edges); i++) {
		s = edges[i];
		/* The same residue modulo 0xffff; zero only for zero. */
		assert_int_equal(ss_cksum_fold(s) % 0xffff, s % 0xffff);
		assert_true((ss_cksum_fold(s) == 0) == (s == 0));
	}
	/* Random bytes, then all ones (every add carries), then all zero. */
	for (fill = 0; fill < 3; fill++) {
		for (i = 0; i < sizeof(buf); i++)
			buf[i] = fill == 0 ? rand() : fill == 1 ? 0xff : 0;
		for (k = 0; k < RTE_DIM(seeds); k++)
			for (off = 0; off < 8; off++)
				for (len = 0; len + off <= sizeof(buf); len += len < 80 ? 1 : 37) {
					s = ss_cksum_add(buf + off, len, seeds[k]);
					/* Below 2^34: room for the caller's plain adds. */
					assert_true(s < UINT64_C(1) << 34);
					assert_int_equal(ss_cksum_fold(s),
							ref_cksum(buf + off, len,
									ss_cksum_fold(seeds[k])));
				}
	}
}

static void
test_push4(void **state)
{
	uint8_t buf[64], local[16], remote[16];
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)buf;
	uint16_t id = 0xfffe;

	(void)state;
	mapped(TEST_IP4_US, local);
	mapped(TEST_IP4_PEER, remote);
	assert_int_equal(ss_ip_push(buf, SS_AF4, local, remote, IPPROTO_TCP, 100, &id, false), 20);
	assert_int_equal(ip->version_ihl, 0x45);
	assert_int_equal(rte_be_to_cpu_16(ip->total_length), 120);
	assert_int_equal(rte_be_to_cpu_16(ip->packet_id), 0xfffe);
	assert_int_equal(id, 0xffff);
	assert_int_equal(rte_be_to_cpu_16(ip->fragment_offset), RTE_IPV4_HDR_DF_FLAG);
	assert_int_equal(ip->time_to_live, SS_REPLY_TTL);
	assert_int_equal(ip->next_proto_id, IPPROTO_TCP);
	test_check_addr((uint8_t *)&ip->src_addr, 0, TEST_IP4_US);
	test_check_addr((uint8_t *)&ip->dst_addr, 0, TEST_IP4_PEER);
	assert_true(test_ip4_cksum_ok(buf, 0));
	/* The identification goes on across the 16-bit wrap. */
	ss_ip_push(buf, SS_AF4, local, remote, IPPROTO_TCP, 0, &id, false);
	ss_ip_push(buf, SS_AF4, local, remote, IPPROTO_TCP, 0, &id, false);
	assert_int_equal(rte_be_to_cpu_16(ip->packet_id), 0);
	assert_int_equal(ss_ip_hdr_len(SS_AF4), 20);
}

static void
test_push6(void **state)
{
	uint8_t buf[64], local[16], remote[16];
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)buf;
	uint16_t id = 7;

	(void)state;
	test_addr(TEST_IP6_US, 1, local);
	test_addr(TEST_IP6_PEER, 1, remote);
	assert_int_equal(ss_ip_push(buf, SS_AF6, local, remote, IPPROTO_UDP, 100, &id, false), 40);
	assert_int_equal(rte_be_to_cpu_32(ip->vtc_flow), 6u << 28);
	assert_int_equal(rte_be_to_cpu_16(ip->payload_len), 100);
	assert_int_equal(ip->proto, IPPROTO_UDP);
	assert_int_equal(ip->hop_limits, SS_REPLY_HOP_LIMIT);
	test_check_addr(ip->src_addr, 1, TEST_IP6_US);
	test_check_addr(ip->dst_addr, 1, TEST_IP6_PEER);
	assert_int_equal(id, 7); /* IPv6 has no identification to take */
	assert_int_equal(ss_ip_hdr_len(SS_AF6), 40);
}

/* A packet as the data path has it after L3: its addresses, its source key, its sum. */
static void
check_packet(struct test_env *env, int v6)
{
	uint8_t frame[9100], src[16], dst[16], want[16];
	struct test_frame f;
	struct ss_pkt p = { .w = &env->worker, .iface = &env->iface };
	size_t len;

	test_frame_defaults(&f, v6);
	len = test_build_udp(frame, &f, 40000, 7, "abcd", 4);
	p.m = test_mbuf(env, frame, len);
	p.af = v6 ? SS_AF6 : SS_AF4;
	p.l2_len = 14;
	p.l3_len = v6 ? 40 : 20;
	p.l4_len = 12;
	ss_ip_addrs(&p, src, dst);
	if (v6) {
		test_addr(TEST_IP6_PEER, 1, want);
		assert_memory_equal(src, want, 16);
		assert_int_equal(ss_ip_source_key(&p, 64), ss_source_key6(want, 64));
		assert_int_equal(ss_ip_phdr_sum(&p, IPPROTO_UDP, 12),
				ss_ip6_phdr_sum(ss_pkt_l3(&p), IPPROTO_UDP, 12));
	} else {
		mapped(TEST_IP4_PEER, want);
		assert_memory_equal(src, want, 16);
		mapped(TEST_IP4_US, want);
		assert_memory_equal(dst, want, 16);
		assert_int_equal(ss_ip_source_key(&p, 64), ss_source_key_mapped(src, 64));
		assert_int_equal(ss_ip_phdr_sum(&p, IPPROTO_UDP, 12),
				ss_ip4_phdr_sum(ss_pkt_l3(&p), IPPROTO_UDP, 12));
	}
	/* The datagram as built: its checksum checks out through the family-blind call. */
	assert_int_equal(ss_cksum_fold(ss_cksum_add(ss_pkt_l4(&p), 12,
					 ss_ip_phdr_sum(&p, IPPROTO_UDP, 12))),
			0xffff);
	rte_pktmbuf_free(p.m);
}

static void
test_packet_fields(void **state)
{
	check_packet(*state, 0);
	check_packet(*state, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cksum_reference),
		cmocka_unit_test(test_push4),
		cmocka_unit_test(test_push6),
		cmocka_unit_test_setup_teardown(test_packet_fields, test_env_setup,
				test_env_teardown),
	};

	test_eal_init();
	if (ss_source_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("ip", tests, NULL, NULL);
}
