/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fastpath.c: every frame of a table, good ones and each way of being not
 * quite good, goes through a worker with the fast path and one without:
 * the verdicts, the replies byte for byte and every counter must be the
 * same; the fast path must have taken exactly the frames it is for.
 */
#include "harness.h"
#include "tcp_harness.h"

#include <netinet/in.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "clock.h"
#include "fastpath.h"
#include "stats.h"

#define L3 14

struct pair {
	struct test_env *fast; /* [general] fast_path = on (the default) */
	struct test_env *slow; /* off */
};

static int
setup(void **state)
{
	struct pair *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	p->fast = test_env_new();
	p->slow = test_env_new();
	test_env_set(p->slow, "general", "fast_path", "off");
	test_env_set(p->fast, "qotd", "udp", "on");
	test_env_set(p->slow, "qotd", "udp", "on");
	assert_true(p->fast->cfg.fast_path && !p->slow->cfg.fast_path);
	*state = p;
	return 0;
}

static int
teardown(void **state)
{
	struct pair *p = *state;

	test_env_free(p->fast);
	test_env_free(p->slow);
	free(p);
	return 0;
}

/* One frame through env's worker, as a burst of one; its reply into out. */
static uint16_t
run(struct test_env *env, const uint8_t *frame, size_t len, uint64_t ol_flags, uint8_t *out,
		size_t *out_len)
{
	/* The same clock and IP identification on both sides: the same reply. */
	struct rte_mbuf *m = test_answer(env, frame, len, ol_flags, 4321);

	*out_len = 0;
	if (m == NULL)
		return 0;
	*out_len = m->data_len;
	memcpy(out, rte_pktmbuf_mtod(m, const void *), m->data_len);
	rte_pktmbuf_free(m);
	return 1;
}

/* The frame on both sides: the same outcome; taken by the fast path or not, as want. */
static void
check_same(struct pair *p, const char *what, const uint8_t *frame, size_t len, uint64_t ol_flags,
		bool want_fast)
{
	static uint8_t out_fast[9100], out_slow[9100];
	struct ss_stats fast_before = p->fast->worker.stats[0], fast_after, slow_after;
	size_t fast_len, slow_len;
	uint16_t nf, ns;

	nf = run(p->fast, frame, len, ol_flags, out_fast, &fast_len);
	ns = run(p->slow, frame, len, ol_flags, out_slow, &slow_len);
	if (nf != ns || fast_len != slow_len || memcmp(out_fast, out_slow, fast_len) != 0)
		fail_msg("%s: the fast path answers otherwise (%u/%zu bytes against %u/%zu)", what,
				nf, fast_len, ns, slow_len);
	fast_after = p->fast->worker.stats[0];
	slow_after = p->slow->worker.stats[0];
	if ((fast_after.rx_fast != fast_before.rx_fast) != want_fast)
		fail_msg("%s: the fast path %s it", what, want_fast ? "did not take" : "took");
	/* Every counter alike, but the fast path's own. */
	fast_after.rx_fast = slow_after.rx_fast;
	if (memcmp(&fast_after, &slow_after, sizeof(fast_after)) != 0)
		fail_msg("%s: the counters differ", what);
}

static size_t
udp(uint8_t *buf, int ipv6, uint16_t sport, uint16_t dport, const char *payload)
{
	struct test_frame f;

	test_frame_defaults(&f, ipv6);
	return test_build_udp(buf, &f, sport, dport, payload, payload ? strlen(payload) : 0);
}

/*
 * TCP to our address: taken and handed to the TCP layer, whatever it then
 * makes of the segment (the same SYN-ACK: one secret, one clock).
 */
static void
test_taken_tcp(struct pair *p)
{
	static const uint8_t mss[4] = { 2, 4, 0x05, 0xb4 };
	struct test_frame f;
	uint8_t buf[9100];
	unsigned int af;
	size_t len;

	for (af = 0; af < 2; af++) {
		test_frame_defaults(&f, af);
		f.proto = IPPROTO_TCP;
		len = test_build_tcp(buf, &f, 40000, 13, RTE_TCP_SYN_FLAG, 1, 0, NULL, 0);
		check_same(p, "tcp syn", buf, len, 0, true);
		len = test_build_tcp_opt(buf, &f, 40001, 7, RTE_TCP_SYN_FLAG, 9, 0, 65535, mss,
				sizeof(mss), NULL, 0);
		check_same(p, "tcp syn with mss", buf, len, 0, true);
		len = test_build_tcp(buf, &f, 40002, 9999, RTE_TCP_SYN_FLAG, 1, 0, NULL, 0);
		check_same(p, "tcp syn, closed port", buf, len, 0, true);
		len = test_build_tcp(buf, &f, 40003, 13, RTE_TCP_ACK_FLAG, 1, 77, "data", 4);
		check_same(p, "tcp ack, no connection", buf, len, 0, true);
		len = test_build_tcp(buf, &f, 40004, 13, RTE_TCP_RST_FLAG, 1, 0, NULL, 0);
		check_same(p, "tcp rst, no connection", buf, len, 0, true);
		len = test_build_tcp(buf, &f, 40005, 13, RTE_TCP_SYN_FLAG, 1, 0, NULL, 0);
		buf[len - 1] ^= 1;
		check_same(p, "tcp syn, sum wrong", buf, len, 0, true);
	}
}

/* The frames the fast path is for: each service, both families, every checksum flag. */
static void
test_taken(void **state)
{
	static const uint16_t ports[] = { 7, 13, 17, 19, 37 };
	static const uint64_t flags[] = { 0,
		RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD,
		RTE_MBUF_F_RX_L4_CKSUM_NONE, RTE_MBUF_F_RX_IP_CKSUM_NONE };
	struct pair *p = *state;
	uint8_t buf[9100];
	unsigned int i, j, af;
	char what[64];
	size_t len;

	for (af = 0; af < 2; af++)
		for (i = 0; i < RTE_DIM(ports); i++)
			for (j = 0; j < RTE_DIM(flags); j++) {
				len = udp(buf, af, 40000 + i, ports[i], "a request");
				snprintf(what, sizeof(what), "udp%s port %u flags %u",
						af ? "6" : "4", ports[i], j);
				check_same(p, what, buf, len, flags[j], true);
			}
	/* Echo of nothing, of a full frame, and over IPv4 without a checksum. */
	len = udp(buf, 0, 40000, 7, NULL);
	check_same(p, "empty echo", buf, len, 0, true);
	{
		static uint8_t data[1400];
		struct test_frame f;

		memset(data, 'x', sizeof(data));
		test_frame_defaults(&f, 1);
		len = test_build_udp(buf, &f, 40000, 7, data, sizeof(data));
	}
	check_same(p, "1400-byte echo", buf, len, 0, true);
	/* Taken, then refused by its service, as the general path refuses it. */
	for (af = 0; af < 2; af++) {
		len = udp(buf, af, 40000, 9, "discard");
		check_same(p, "discard", buf, len, 0, true);
	}
	/* Checksum flags one at a time, the sums wrong where a flag vouches for them. */
	len = udp(buf, 0, 40000, 7, "l4 unknown");
	check_same(p, "ip good, l4 unknown", buf, len, RTE_MBUF_F_RX_IP_CKSUM_GOOD, true);
	buf[len - 1] ^= 1;
	check_same(p, "l4 good, sum wrong", buf, len, RTE_MBUF_F_RX_L4_CKSUM_GOOD, true);
	check_same(p, "l4 none, sum wrong", buf, len, RTE_MBUF_F_RX_L4_CKSUM_NONE, true);
	len = udp(buf, 0, 40000, 7, "zero sum, flagged bad");
	buf[L3 + 20 + 6] = buf[L3 + 20 + 7] = 0;
	check_same(p, "zero sum, l4 flagged bad", buf, len, RTE_MBUF_F_RX_L4_CKSUM_BAD, true);
	len = udp(buf, 0, 40000, 7, "no sum");
	buf[L3 + 20 + 6] = buf[L3 + 20 + 7] = 0;
	check_same(p, "ipv4 zero checksum", buf, len, 0, true);
	/* Ethernet padding, and bytes past the UDP length within the IP packet. */
	len = udp(buf, 0, 40000, 7, "pad");
	memset(buf + len, 0, 16);
	check_same(p, "padded", buf, len + 16, 0, true);
	/* (No checksum: the builder's would cover the whole IP payload.) */
	len = udp(buf, 0, 40000, 7, "trailer");
	buf[L3 + 20 + 4] = 0, buf[L3 + 20 + 5] = 8 + 3;
	buf[L3 + 20 + 6] = buf[L3 + 20 + 7] = 0;
	check_same(p, "udp length short of the ip payload", buf, len, 0, true);
	test_taken_tcp(p);
}

/* Each way of not being one of them: the general path decides, alike. */
static void
test_given_back(void **state)
{
	static const uint8_t opt[4] = { 1, 1, 1, 0 };
	struct pair *p = *state;
	struct test_frame f;
	uint8_t buf[9100];
	unsigned int af;
	size_t len;

	for (af = 0; af < 2; af++) {
		len = udp(buf, af, 40000, 7, "bad");
		buf[len - 1] ^= 1;
		check_same(p, "bad udp checksum", buf, len, 0, false);
		len = udp(buf, af, 40000, 7, "flagged bad");
		check_same(p, "l4 flagged bad", buf, len, RTE_MBUF_F_RX_L4_CKSUM_BAD, false);
		len = udp(buf, af, 40000, 4444, "closed");
		check_same(p, "closed port", buf, len, 0, false);
		len = udp(buf, af, 19, 7, "loop");
		check_same(p, "from a guarded port", buf, len, 0, false);
		len = udp(buf, af, 40000, 7, "runt");
		check_same(p, "truncated", buf, len - 3, 0, false);
		len = udp(buf, af, 40000, 7, "long");
		buf[L3 + (af ? 40 : 20) + 5] += 40;
		check_same(p, "udp length past the packet", buf, len, 0, false);
		test_frame_defaults(&f, af);
		f.dst_mac[0] = 0xff, f.dst_mac[1] = 0xff, f.dst_mac[2] = 0xff;
		f.dst_mac[3] = 0xff, f.dst_mac[4] = 0xff, f.dst_mac[5] = 0xff;
		len = test_build_udp(buf, &f, 40000, 7, "bcast", 5);
		check_same(p, "to the broadcast mac", buf, len, 0, false);
		test_frame_defaults(&f, af);
		f.src_mac[0] |= 1;
		len = test_build_udp(buf, &f, 40000, 7, "mcast src", 9);
		check_same(p, "from a multicast mac", buf, len, 0, false);
		test_frame_defaults(&f, af);
		f.vlan = 5;
		len = test_build_udp(buf, &f, 40000, 7, "tagged", 6);
		check_same(p, "tagged", buf, len, 0, false);
		test_frame_defaults(&f, af);
		f.src = af ? "ff02::1" : "224.0.0.1";
		len = test_build_udp(buf, &f, 40000, 7, "martian", 7);
		check_same(p, "martian source", buf, len, 0, false);
		test_frame_defaults(&f, af);
		f.dst = af ? "2001:db8::99" : "192.0.2.99";
		len = test_build_udp(buf, &f, 40000, 7, "not ours", 8);
		check_same(p, "not our address", buf, len, 0, false);
		test_frame_defaults(&f, af);
		f.proto = IPPROTO_TCP;
		f.dst = af ? "2001:db8::99" : "192.0.2.99";
		len = test_build_tcp(buf, &f, 40000, 7, RTE_TCP_SYN_FLAG, 1, 0, NULL, 0);
		check_same(p, "tcp syn, not our address", buf, len, 0, false);
		len = test_build_ping(buf, af, NULL, 1, 2, "ping", 4);
		check_same(p, "ping", buf, len, 0, false);
	}
	len = udp(buf, 1, 40000, 7, "no sum");
	buf[L3 + 40 + 6] = buf[L3 + 40 + 7] = 0;
	check_same(p, "ipv6 zero checksum", buf, len, 0, false);
	{
		struct test_frame f;

		test_frame_defaults(&f, 0);
		f.proto = IPPROTO_TCP;
		len = test_build_tcp(buf, &f, 40000, 7, RTE_TCP_SYN_FLAG, 1, 0, NULL, 0);
		len = test_ip4_add_options(buf, len, L3, opt, sizeof(opt));
		check_same(p, "tcp syn, ip options", buf, len, 0, false);
	}
	len = udp(buf, 0, 40000, 7, "bad ip");
	buf[L3 + 10] ^= 1;
	check_same(p, "bad ip checksum", buf, len, 0, false);
	check_same(p, "ip flagged bad", buf, len, RTE_MBUF_F_RX_IP_CKSUM_BAD, false);
	len = udp(buf, 0, 40000, 7, "options");
	len = test_ip4_add_options(buf, len, L3, opt, sizeof(opt));
	check_same(p, "ip options", buf, len, 0, false);
	len = udp(buf, 0, 40000, 7, "fragment");
	buf[L3 + 6] = 0x20; /* more fragments */
	test_fix_ip4_cksum(buf, L3);
	check_same(p, "first fragment", buf, len, 0, false);
	len = udp(buf, 0, 40000, 7, "ip total past the frame");
	test_set_ip_payload_len(buf, L3, 0, 400);
	check_same(p, "ip total past the frame", buf, len, 0, false);
	len = udp(buf, 1, 40000, 7, "hop by hop");
	{
		static const uint8_t hbh[8] = { 0, 0, 1, 4, 0, 0, 0, 0 };

		len = test_ip6_add_ext(buf, len, L3, IPPROTO_HOPOPTS, hbh, sizeof(hbh));
	}
	check_same(p, "ipv6 hop-by-hop", buf, len, 0, false);
	len = test_build_arp_request(buf, TEST_IP4_US);
	check_same(p, "arp", buf, len, 0, false);
	test_frame_defaults(&f, 0);
	f.dst = "192.0.2.255";
	len = test_build_udp(buf, &f, 40000, 7, "directed", 8);
	check_same(p, "directed broadcast to our mac", buf, len, 0, false);
	f.dst = "224.0.0.1";
	len = test_build_udp(buf, &f, 40000, 7, "group", 5);
	check_same(p, "ipv4 multicast to our mac", buf, len, 0, false);
	test_frame_defaults(&f, 1);
	f.dst = "ff02::1";
	len = test_build_udp(buf, &f, 40000, 7, "group", 5);
	check_same(p, "ipv6 multicast to our mac", buf, len, 0, false);
	test_frame_defaults(&f, 1);
	f.src = "::";
	len = test_build_udp(buf, &f, 40000, 7, "unspecified", 11);
	check_same(p, "from ::", buf, len, 0, false);
	len = udp(buf, 0, 40000, 7, "ihl");
	buf[L3] = 0x46;
	test_fix_ip4_cksum(buf, L3);
	check_same(p, "ihl 6 without options", buf, len, 0, false);
	len = udp(buf, 0, 40000, 7, "v6 in v4");
	buf[L3] = 0x65;
	test_fix_ip4_cksum(buf, L3);
	check_same(p, "version 6 in an ipv4 frame", buf, len, 0, false);
	for (af = 0; af < 2; af++) {
		static const uint8_t ulen[] = { 0, 7 };
		unsigned int i;

		for (i = 0; i < RTE_DIM(ulen); i++) {
			len = udp(buf, af, 40000, 7, "short udp length");
			buf[L3 + (af ? 40 : 20) + 4] = 0;
			buf[L3 + (af ? 40 : 20) + 5] = ulen[i];
			check_same(p, "udp length under its header", buf, len, 0, false);
		}
	}
	/* Every cut of a good frame. */
	for (af = 0; af < 2; af++) {
		size_t whole = udp(buf, af, 40000, 7, "cut me short"), cut;

		for (cut = 0; cut < whole; cut++)
			check_same(p, "cut short", buf, cut, 0, false);
	}
}

/* With the source check and the loop guard off, the fast path follows. */
static void
test_settings(void **state)
{
	struct pair *p = *state;
	struct test_frame f;
	uint8_t buf[9100];
	size_t len;

	test_env_set(p->fast, "abuse", "source_check", "off");
	test_env_set(p->slow, "abuse", "source_check", "off");
	test_env_set(p->fast, "abuse", "loop_guard", "off");
	test_env_set(p->slow, "abuse", "loop_guard", "off");
	test_frame_defaults(&f, 0);
	f.src = "127.0.0.1";
	len = test_build_udp(buf, &f, 40000, 7, "loopback", 8);
	check_same(p, "loopback source, check off", buf, len, 0, true);
	len = udp(buf, 0, 19, 7, "loop");
	check_same(p, "guarded port, guard off", buf, len, 0, true);
	len = udp(buf, 1, 7, 7, "loop");
	check_same(p, "echo to echo, guard off", buf, len, 0, true);
}

/* A burst of frames, each as its own copy, through env's worker; the replies into out. */
static uint16_t
run_burst(struct test_env *env, uint8_t (*frames)[128], const size_t *lens, uint16_t n,
		uint8_t (*out)[128], size_t *out_lens)
{
	struct rte_mbuf *m[16];
	uint16_t i, nb_tx;

	for (i = 0; i < n; i++)
		m[i] = test_mbuf(env, frames[i], lens[i]);
	ss_clock_set(&env->worker.clock, T0);
	env->worker.ip_id = 4321;
	nb_tx = ss_worker_process(&env->worker, 0, m, n);
	for (i = 0; i < nb_tx; i++) {
		out_lens[i] = m[i]->data_len;
		memcpy(out[i], rte_pktmbuf_mtod(m[i], const void *), m[i]->data_len);
		rte_pktmbuf_free(m[i]);
	}
	return nb_tx;
}

/*
 * A burst that mixes the frames the fast path takes with those it leaves:
 * each gets its verdict, and the worker's replies come out in the order of
 * their requests, the same bytes (the IPv4 identifications in arrival
 * order) and counters as without it.
 */
static void
test_burst(void **state)
{
	static const uint8_t opt[4] = { 1, 1, 1, 0 };
	static uint8_t frames[8][128], out_fast[8][128], out_slow[8][128];
	struct pair *p = *state;
	struct test_env *env = test_env_new(); /* the pair's counters stay alike */
	size_t lens[8], fast_lens[8], slow_lens[8];
	struct rte_mbuf *m[8];
	uint8_t v[8];
	uint16_t i, nf, ns;

	lens[0] = udp(frames[0], 0, 40000, 7, "first");
	lens[1] = udp(frames[1], 0, 40001, 7, "options");
	lens[1] = test_ip4_add_options(frames[1], lens[1], L3, opt, sizeof(opt));
	lens[2] = udp(frames[2], 1, 40002, 13, "daytime");
	lens[3] = test_build_ping(frames[3], 0, NULL, 1, 2, "ping", 4);
	lens[4] = udp(frames[4], 1, 40004, 7, "fifth");
	lens[5] = udp(frames[5], 0, 40005, 9, "discarded");
	lens[6] = udp(frames[6], 0, 40006, 37, NULL);
	lens[7] = udp(frames[7], 0, 40007, 7, "last");
	frames[7][L3 + 10] ^= 1; /* a wrong IPv4 header checksum: the general path drops it */

	for (i = 0; i < 8; i++)
		m[i] = test_mbuf(env, frames[i], lens[i]);
	ss_fast_burst(&env->worker, &env->worker.ifaces[0], &env->worker.stats[0], m, 8, v);
	for (i = 0; i < 7; i++)
		assert_int_equal(v[i], i == 5 ? SS_DROP_UDP_DISCARD : SS_VERDICT_TX);
	assert_int_equal(v[7], SS_DROP_IP4_CKSUM);
	/* Taken: the five UDP datagrams without options and with their sums right. */
	assert_int_equal(env->worker.stats[0].rx_fast, 5);
	rte_pktmbuf_free_bulk(m, 8);
	test_env_free(env);

	nf = run_burst(p->fast, frames, lens, 8, out_fast, fast_lens);
	ns = run_burst(p->slow, frames, lens, 8, out_slow, slow_lens);
	/* Echo, echo with options, daytime, ping, echo, time: in that order. */
	assert_int_equal(nf, 6);
	assert_int_equal(ns, 6);
	for (i = 0; i < nf; i++) {
		assert_int_equal(fast_lens[i], slow_lens[i]);
		assert_memory_equal(out_fast[i], out_slow[i], fast_lens[i]);
	}
	assert_memory_equal(out_fast[1] + fast_lens[1] - 7, "options", 7);
	assert_memory_equal(out_fast[3] + fast_lens[3] - 4, "ping", 4);
	assert_memory_equal(out_fast[4] + fast_lens[4] - 5, "fifth", 5);
	p->fast->worker.stats[0].rx_fast = p->slow->worker.stats[0].rx_fast;
	assert_memory_equal(&p->fast->worker.stats[0], &p->slow->worker.stats[0],
			sizeof(struct ss_stats));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_taken, setup, teardown),
		cmocka_unit_test_setup_teardown(test_given_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_burst, setup, teardown),
	};

	return cmocka_run_group_tests_name("fastpath", tests, NULL, NULL);
}
