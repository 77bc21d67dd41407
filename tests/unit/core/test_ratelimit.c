/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * GCRA rate limits, driven with a fake clock: exactly `burst` events back
 * to back, then one per interval; rate 0 is no limit; a per-worker share;
 * the per-source table (independent sources, IPv6 sources by prefix, a
 * shared slot that is never reset for a newcomer).
 */
#include "harness.h"

#include <string.h>

#include "ratelimit.h"
#include "source.h"

#define HZ UINT64_C(1000000) /* a fake TSC: 1 MHz */
#define T0 UINT64_C(5000000000)

/* Events allowed at one instant, up to limit tries. */
static unsigned int
count_at(const struct ss_gcra *g, uint64_t *tat, uint64_t now, unsigned int limit)
{
	unsigned int n = 0;

	while (n < limit && ss_gcra_allow(g, tat, now))
		n++;
	return n;
}

static void
test_init_values(void **state)
{
	struct ss_rate_cfg r = { .rate = 100, .burst = 10 };
	struct ss_gcra g;

	(void)state;
	ss_gcra_init(&g, &r, 1, HZ);
	assert_int_equal(g.interval, HZ / 100);
	assert_int_equal(g.tolerance, 9 * (HZ / 100));
	r.rate = 0;
	ss_gcra_init(&g, &r, 1, HZ);
	assert_int_equal(g.interval, 0);
	assert_true(g.tolerance == UINT64_MAX);
}

static void
test_burst_exact(void **state)
{
	static const uint32_t bursts[] = { 1, 2, 10, 100, 1000 };
	struct ss_gcra g;
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(bursts); i++) {
		struct ss_rate_cfg r = { .rate = 100, .burst = bursts[i] };
		uint64_t tat = 0;

		ss_gcra_init(&g, &r, 1, HZ);
		if (count_at(&g, &tat, T0, 100000) != bursts[i])
			fail_msg("burst %u: wrong number allowed at once", bursts[i]);
		/* Refusals leave the schedule alone: still nothing at T0. */
		assert_int_equal(count_at(&g, &tat, T0, 1000), 0);
	}
}

static void
test_refill(void **state)
{
	struct ss_rate_cfg r = { .rate = 100, .burst = 10 };
	const uint64_t iv = HZ / 100;
	struct ss_gcra g;
	uint64_t tat = 0;

	(void)state;
	ss_gcra_init(&g, &r, 1, HZ);
	assert_int_equal(count_at(&g, &tat, T0, 1000), 10);
	/* One event per interval once the burst is spent. */
	assert_int_equal(count_at(&g, &tat, T0 + iv - 1, 1000), 0);
	assert_int_equal(count_at(&g, &tat, T0 + iv, 1000), 1);
	assert_int_equal(count_at(&g, &tat, T0 + 2 * iv - 1, 1000), 0);
	assert_int_equal(count_at(&g, &tat, T0 + 5 * iv, 1000), 4); /* 4 intervals since T0 + iv */
	/* A long pause refills the burst, never more than the burst. */
	assert_int_equal(count_at(&g, &tat, T0 + 1000 * iv, 1000), 10);
	assert_int_equal(count_at(&g, &tat, T0 + 1000 * iv, 1000), 0);
}

static void
test_steady_rate(void **state)
{
	struct ss_rate_cfg r = { .rate = 1000, .burst = 5 };
	const uint64_t iv = HZ / 1000;
	struct ss_gcra g;
	uint64_t tat = 0, now;
	unsigned int allowed = 0, i;

	(void)state;
	ss_gcra_init(&g, &r, 1, HZ);
	/* At the rate: every one passes. */
	for (i = 0, now = T0; i < 10000; i++, now += iv)
		assert_true(ss_gcra_allow(&g, &tat, now));
	/* Offered at 4x the rate for 10 s: the rate plus the burst pass. */
	now += 1000 * iv;
	for (i = 0; i < 40000; i++, now += iv / 4)
		allowed += ss_gcra_allow(&g, &tat, now);
	assert_in_range(allowed, 10000, 10000 + 5);
}

static void
test_rate_zero_unlimited(void **state)
{
	struct ss_rate_cfg r = { .rate = 0, .burst = 1 };
	struct ss_gcra g;
	uint64_t tat = 0;

	(void)state;
	ss_gcra_init(&g, &r, 1, HZ);
	assert_int_equal(count_at(&g, &tat, T0, 1000000), 1000000);
	assert_int_equal(count_at(&g, &tat, 0, 1000), 1000);
	ss_gcra_init(&g, &r, 8, HZ);
	assert_int_equal(count_at(&g, &tat, T0, 1000), 1000);
}

static void
test_rate_above_hz(void **state)
{
	/* More events a second than clock ticks: still a limit, not "unlimited". */
	struct ss_rate_cfg r = { .rate = 100000000, .burst = 5 };
	struct ss_gcra g;
	uint64_t tat = 0;

	(void)state;
	ss_gcra_init(&g, &r, 1, HZ);
	assert_int_equal(g.interval, 1);
	assert_int_equal(count_at(&g, &tat, T0, 1000), 5);
	assert_int_equal(count_at(&g, &tat, T0 + 1, 1000), 1);
}

static void
test_share(void **state)
{
	struct ss_rate_cfg r = { .rate = 1000, .burst = 100 };
	struct ss_gcra g;
	uint64_t tat = 0;

	(void)state;
	/* Four workers: each gets 250/s and a burst of 25. */
	ss_gcra_init(&g, &r, 4, HZ);
	assert_int_equal(g.interval, HZ / 250);
	assert_int_equal(count_at(&g, &tat, T0, 1000), 25);
	assert_int_equal(count_at(&g, &tat, T0 + HZ / 250, 1000), 1);
	/* Shares 0 and 1 are the whole limit. */
	tat = 0;
	ss_gcra_init(&g, &r, 1, HZ);
	assert_int_equal(count_at(&g, &tat, T0, 1000), 100);
	tat = 0;
	ss_gcra_init(&g, &r, 0, HZ);
	assert_int_equal(count_at(&g, &tat, T0, 1000), 100);
	/* More workers than the rate or burst: each still gets 1/s, burst 1. */
	r = (struct ss_rate_cfg){ .rate = 3, .burst = 2 };
	tat = 0;
	ss_gcra_init(&g, &r, 4, HZ);
	assert_int_equal(g.interval, HZ);
	assert_int_equal(count_at(&g, &tat, T0, 1000), 1);
	assert_int_equal(count_at(&g, &tat, T0 + HZ - 1, 1000), 0);
	assert_int_equal(count_at(&g, &tat, T0 + HZ, 1000), 1);
}

static uint32_t
slot_of(const struct ss_src_limiter *l, uint64_t key)
{
	return key & l->mask;
}

/* The other slot a key may use (ratelimit.c's src_slot2). */
static uint32_t
slot2_of(const struct ss_src_limiter *l, uint64_t key)
{
	uint32_t second = (key >> 32) & l->mask;

	return second != slot_of(l, key) ? second : slot_of(l, key) ^ 1;
}

enum overlap { NEITHER, FIRST_ONLY, BOTH };

static enum overlap
overlap_of(const struct ss_src_limiter *l, uint64_t a, uint64_t b)
{
	bool first = slot_of(l, a) == slot_of(l, b);
	bool second = slot2_of(l, a) == slot2_of(l, b);

	if (first && second)
		return BOTH;
	if (first && slot2_of(l, a) != slot_of(l, b) && slot_of(l, a) != slot2_of(l, b))
		return FIRST_ONLY;
	if (!first && !second && slot_of(l, a) != slot2_of(l, b) && slot2_of(l, a) != slot_of(l, b))
		return NEITHER;
	return -1;
}

/* Another source address whose key's slots overlap key's as asked; not skip. */
static uint64_t
key4_overlapping(const struct ss_src_limiter *l, uint64_t key, enum overlap want, uint64_t skip)
{
	uint32_t a;

	for (a = 1; a < 1000000; a++) {
		uint64_t k = ss_source_key4(rte_cpu_to_be_32(0xc6336400 + a));

		if (k != key && k != skip && overlap_of(l, key, k) == want)
			return k;
	}
	fail_msg("no such key");
	return 0;
}

static unsigned int
src_count(struct ss_src_limiter *l, uint64_t key, uint64_t now, unsigned int limit)
{
	unsigned int n = 0;

	while (n < limit && ss_src_limiter_allow(l, key, now))
		n++;
	return n;
}

static void
test_src_independent(void **state)
{
	struct ss_rate_cfg r = { .rate = 10, .burst = 3 };
	struct ss_src_limiter l;
	uint64_t a, b;

	(void)state;
	assert_int_equal(ss_src_limiter_init(&l, &r, 64, HZ, SOCKET_ID_ANY), 0);
	assert_int_equal(l.mask, 63);
	a = ss_source_key4(rte_cpu_to_be_32(0xc0000201)); /* 192.0.2.1 */
	b = key4_overlapping(&l, a, NEITHER, a);
	assert_int_equal(src_count(&l, a, T0, 100), 3);
	/* Another source has its own budget; the first stays spent. */
	assert_int_equal(src_count(&l, b, T0, 100), 3);
	assert_int_equal(src_count(&l, a, T0, 100), 0);
	/* Each refills at the rate. */
	assert_int_equal(src_count(&l, a, T0 + HZ / 10, 100), 1);
	assert_int_equal(src_count(&l, b, T0 + HZ / 10 - 1, 100), 0);
	ss_src_limiter_free(&l);
	assert_null(l.slots);
}

/* Issue 8, defect 10: a host that fills its /64 with addresses is one source. */
static void
test_src_ipv6_prefix(void **state)
{
	struct ss_rate_cfg r = { .rate = 10, .burst = 2 };
	struct ss_src_limiter l;
	uint8_t a6[16], b6[16], c6[16];
	uint64_t a, b, c;

	(void)state;
	test_addr("2001:db8:0:1::1", 1, a6);
	test_addr("2001:db8:0:1:ffff:1234:5678:9abc", 1, b6);
	test_addr("2001:db8:0:2::1", 1, c6);
	a = ss_source_key6(a6, 64);
	b = ss_source_key6(b6, 64);
	c = ss_source_key6(c6, 64);
	assert_true(a == b);
	assert_true(a != c);
	assert_int_equal(ss_src_limiter_init(&l, &r, 1u << 16, HZ, SOCKET_ID_ANY), 0);
	assert_int_equal(src_count(&l, a, T0, 100), 2);
	assert_int_equal(src_count(&l, b, T0, 100), 0);
	if (overlap_of(&l, a, c) == NEITHER)
		assert_int_equal(src_count(&l, c, T0, 100), 2);
	ss_src_limiter_free(&l);
}

/*
 * A source whose first slot another has spent keeps a budget of its own in
 * its second: 100 lab clients in 4096 slots would otherwise put about one
 * pair together (the CI flake of test_pcap_ratelimit's ten sources).
 */
static void
test_src_collision_own_budget(void **state)
{
	struct ss_rate_cfg r = { .rate = 10, .burst = 3 };
	struct ss_src_limiter l;
	uint64_t a, c;

	(void)state;
	assert_int_equal(ss_src_limiter_init(&l, &r, 16, HZ, SOCKET_ID_ANY), 0);
	a = ss_source_key4(rte_cpu_to_be_32(0xcb007101));
	c = key4_overlapping(&l, a, FIRST_ONLY, a);
	assert_int_equal(src_count(&l, a, T0, 100), 3);
	assert_int_equal(src_count(&l, c, T0, 100), 3);
	/* Each keeps its slot: neither gets more, and each refills on its own. */
	assert_int_equal(src_count(&l, a, T0, 100), 0);
	assert_int_equal(src_count(&l, c, T0, 100), 0);
	assert_int_equal(src_count(&l, a, T0 + HZ / 10, 100), 1);
	assert_int_equal(src_count(&l, c, T0 + HZ / 10, 100), 1);
	ss_src_limiter_free(&l);
}

/*
 * A third source whose two slots two busy sources hold shares their budget:
 * alternating the three never gets more than the two bursts. Before, a
 * newcomer reset a slot, so alternating sources got a full burst each turn.
 */
static void
test_src_slot_shared(void **state)
{
	struct ss_rate_cfg r = { .rate = 10, .burst = 3 };
	struct ss_src_limiter l;
	unsigned int i, n = 0;
	uint64_t k[3];

	(void)state;
	assert_int_equal(ss_src_limiter_init(&l, &r, 16, HZ, SOCKET_ID_ANY), 0);
	k[0] = ss_source_key4(rte_cpu_to_be_32(0xcb007101));
	k[1] = key4_overlapping(&l, k[0], BOTH, k[0]);
	k[2] = key4_overlapping(&l, k[0], BOTH, k[1]);
	for (i = 0; i < 60; i++)
		n += src_count(&l, k[i % 3], T0, 100);
	assert_int_equal(n, 6);
	/* A slot whose bucket has refilled serves whichever comes. */
	assert_int_equal(src_count(&l, k[2], T0 + HZ, 100), 3);
	ss_src_limiter_free(&l);
}

/* An idle slot goes to a newcomer, which starts with a full burst, no more. */
static void
test_src_idle_slot_taken(void **state)
{
	struct ss_rate_cfg r = { .rate = 10, .burst = 3 };
	struct ss_src_limiter l;
	uint64_t a, b, c;

	(void)state;
	assert_int_equal(ss_src_limiter_init(&l, &r, 16, HZ, SOCKET_ID_ANY), 0);
	a = ss_source_key4(rte_cpu_to_be_32(0xcb007101));
	b = key4_overlapping(&l, a, BOTH, a);
	c = key4_overlapping(&l, a, BOTH, b);
	assert_int_equal(src_count(&l, a, T0, 100), 3);
	assert_int_equal(src_count(&l, b, T0, 100), 3);
	/* Both slots refill; a third source takes one and gets a burst. */
	assert_int_equal(src_count(&l, c, T0 + HZ, 100), 3);
	assert_int_equal(src_count(&l, c, T0 + HZ, 100), 0);
	ss_src_limiter_free(&l);
}

static void
test_src_rate_zero(void **state)
{
	struct ss_rate_cfg r = { .rate = 0, .burst = 1 };
	struct ss_src_limiter l;

	(void)state;
	assert_int_equal(ss_src_limiter_init(&l, &r, 16, HZ, SOCKET_ID_ANY), 0);
	assert_int_equal(src_count(&l, ss_source_key4(1), T0, 10000), 10000);
	ss_src_limiter_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_values),
		cmocka_unit_test(test_burst_exact),
		cmocka_unit_test(test_refill),
		cmocka_unit_test(test_steady_rate),
		cmocka_unit_test(test_rate_zero_unlimited),
		cmocka_unit_test(test_rate_above_hz),
		cmocka_unit_test(test_share),
		cmocka_unit_test(test_src_independent),
		cmocka_unit_test(test_src_ipv6_prefix),
		cmocka_unit_test(test_src_collision_own_budget),
		cmocka_unit_test(test_src_slot_shared),
		cmocka_unit_test(test_src_idle_slot_taken),
		cmocka_unit_test(test_src_rate_zero),
	};

	/* The source table lives in rte_malloc memory; the keys need their secret. */
	test_eal_init();
	if (ss_source_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("ratelimit", tests, NULL, NULL);
}
