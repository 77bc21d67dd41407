/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * source.c: who a source is. IPv4 addresses and IPv6 prefixes give keys
 * that never collide across families; every bit inside the prefix counts,
 * none outside it; the keys depend on the secret (an attacker who does not
 * know it cannot tell which sources share a slot).
 */
#include "harness.h"

#include <string.h>

#include "source.h"

static void
test_keys4(void **state)
{
	uint32_t a4, m;
	uint8_t m6[16];

	(void)state;
	test_addr("192.0.2.1", 0, (uint8_t *)&a4);
	test_addr("::ffff:192.0.2.1", 1, m6);
	assert_true(ss_source_key4(a4) == ss_source_key4(a4));
	assert_true(ss_source_key4(a4) != ss_source_key4(a4 ^ rte_cpu_to_be_32(1)));
	assert_true(ss_source_key4(0) != ss_source_key4(UINT32_MAX));
	/* The tuple's mapped form is the same source as the address. */
	assert_true(ss_source_key_mapped(m6, 64) == ss_source_key4(a4));
	/* An IPv6 address is never taken for the IPv4 one it maps, as a key. */
	assert_true(ss_source_key6(m6, 128) != ss_source_key4(a4));
	for (m = 1; m != 0; m <<= 1)
		assert_true(ss_source_key4(a4 ^ m) != ss_source_key4(a4));
}

static void
test_keys6_prefix(void **state)
{
	uint8_t a6[16], b6[16];
	unsigned int i, len;

	(void)state;
	test_addr("2001:db8:1:2:3:4:5:6", 1, a6);
	for (len = 1; len <= 128; len++) {
		for (i = 0; i < 128; i++) {
			bool inside = i < len;

			memcpy(b6, a6, 16);
			b6[i / 8] ^= 0x80 >> (i % 8);
			if ((ss_source_key6(b6, len) != ss_source_key6(a6, len)) != inside)
				fail_msg("/%u: bit %u %s", len, i, inside ? "ignored" : "counted");
		}
	}
	/* /64 by default: the interface identifier is the host's own to choose. */
	test_addr("2001:db8:1:2::1", 1, b6);
	assert_true(ss_source_key6(a6, 64) == ss_source_key6(b6, 64));
	assert_true(ss_source_key6(a6, 128) != ss_source_key6(b6, 128));
}

static void
test_keyed(void **state)
{
	struct ss_siphash_key saved = ss_source_secret;
	uint64_t k1, k2;
	uint32_t a4;

	(void)state;
	test_addr("198.51.100.7", 0, (uint8_t *)&a4);
	k1 = ss_source_key4(a4);
	ss_source_secret.k0 ^= 1;
	k2 = ss_source_key4(a4);
	ss_source_secret = saved;
	assert_true(k1 != k2);
	/* Drawn once: a second init keeps it (workers share one secret). */
	assert_int_equal(ss_source_init(), 0);
	assert_true(ss_source_key4(a4) == k1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys4),
		cmocka_unit_test(test_keys6_prefix),
		cmocka_unit_test(test_keyed),
	};

	test_eal_init();
	if (ss_source_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("source", tests, NULL, NULL);
}
