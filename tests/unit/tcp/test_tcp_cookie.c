/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcp_cookie.c: SYN cookies. What a cookie carries (MSS, window scale,
 * SACK) comes back out; any change to the cookie, the tuple, the peer's
 * ISN or the secret makes it fail; it is good for the period it was made
 * in and the next (64 to 128 s) and no longer; MSS values round down to
 * what a cookie can carry. All of it twice: with SipHash-2-4 as the PRF,
 * and with AES-128-CMAC (skipped on a CPU without AES instructions).
 */
#include "harness.h"

#include <string.h>

#include "tcp_cookie.h"

#define NOW 1668772998 /* Fri 2022-11-18 12:03:18 UTC */

static const uint8_t key[SS_TCP_COOKIE_KEY_LEN] = { 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
	0x00, 0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99 };

static struct ss_tcp_cookie_secret secret;

static int
setup_siphash(void **state)
{
	(void)state;
	ss_tcp_cookie_secret_set(&secret, key, false);
	return secret.aes ? -1 : 0;
}

static int
setup_aes(void **state)
{
	(void)state;
	ss_tcp_cookie_secret_set(&secret, key, true);
	return secret.aes ? 0 : -1;
}

static void
make_key(struct ss_tcp_key *k)
{
	memset(k, 0, sizeof(*k));
	k->raddr[10] = k->raddr[11] = 0xff;
	k->raddr[12] = 192;
	k->raddr[14] = 2;
	k->raddr[15] = 254;
	k->laddr[10] = k->laddr[11] = 0xff;
	k->laddr[12] = 192;
	k->laddr[14] = 2;
	k->laddr[15] = 1;
	k->rport = rte_cpu_to_be_16(40000);
	k->lport = rte_cpu_to_be_16(13);
}

static bool
check(const struct ss_tcp_cookie_secret *s, const struct ss_tcp_key *k, uint32_t isn,
		uint32_t cookie, uint64_t now)
{
	uint16_t mss = 0;
	uint8_t ws = 0;
	bool sack = false;

	return ss_tcp_cookie_check(s, k, isn, cookie, now, &mss, &ws, &sack);
}

static void
test_round_trip(void **state)
{
	static const uint16_t msses[] = { 536, 1220, 1300, 1380, 1420, 1440, 1452, 1460 };
	struct ss_tcp_key k;
	unsigned int i, ws, sack;

	(void)state;
	make_key(&k);
	for (i = 0; i < RTE_DIM(msses); i++) {
		/* Window scales 0..14, and "none" (15). */
		for (ws = 0; ws <= SS_TCP_COOKIE_NO_WSCALE; ws++) {
			for (sack = 0; sack <= 1; sack++) {
				uint32_t isn = 0x9e3779b9u * (i + 1) + ws * 7 + sack;
				uint32_t c = ss_tcp_cookie_make(&secret, &k, isn, NOW, msses[i], ws,
						sack);
				uint16_t mss = 0;
				uint8_t got_ws = 0xff;
				bool got_sack = !sack;

				assert_true(ss_tcp_cookie_check(&secret, &k, isn, c, NOW, &mss,
						&got_ws, &got_sack));
				assert_int_equal(mss, msses[i]);
				assert_int_equal(got_ws, ws);
				assert_int_equal(got_sack, sack);
			}
		}
	}
}

static void
test_mss_rounding(void **state)
{
	static const uint16_t in[][2] = {
		{ 9000, 1460 },
		{ 1461, 1460 },
		{ 1460, 1460 },
		{ 1459, 1452 },
		{ 1452, 1452 },
		{ 1441, 1440 },
		{ 1440, 1440 },
		{ 1400, 1380 },
		{ 1380, 1380 },
		{ 1300, 1300 },
		{ 1299, 1220 },
		{ 1220, 1220 },
		{ 1219, 536 },
		{ 536, 536 },
	};
	struct ss_tcp_key k;
	unsigned int i;

	(void)state;
	make_key(&k);
	for (i = 0; i < RTE_DIM(in); i++) {
		uint32_t c = ss_tcp_cookie_make(&secret, &k, 1, NOW, in[i][0], 0, false);
		uint16_t mss;
		uint8_t ws;
		bool sack;

		assert_int_equal(ss_tcp_cookie_mss(in[i][0]), in[i][1]);
		assert_true(ss_tcp_cookie_check(&secret, &k, 1, c, NOW, &mss, &ws, &sack));
		assert_int_equal(mss, in[i][1]);
	}
}

static void
test_tamper(void **state)
{
	struct ss_tcp_key k, k2;
	uint32_t isn = 0x01020304, c;
	unsigned int bit;

	(void)state;
	make_key(&k);
	c = ss_tcp_cookie_make(&secret, &k, isn, NOW, 1460, 7, true);
	assert_true(check(&secret, &k, isn, c, NOW));
	/*
	 * Any bit of the cookie but the option bits 19..26: as in Linux, those
	 * are under the keyed offset only, so the holder of a valid cookie can
	 * change its own MSS, scale or SACK (and nothing else: the MAC and the
	 * period still have to match).
	 */
	for (bit = 0; bit < 32; bit++) {
		uint16_t mss;
		uint8_t ws;
		bool sack;

		if (bit >= 19 && bit <= 26) {
			if (ss_tcp_cookie_check(&secret, &k, isn, c ^ (1u << bit), NOW, &mss, &ws,
					    &sack))
				assert_true(mss != 1460 || ws != 7 || !sack);
			continue;
		}
		assert_false(check(&secret, &k, isn, c ^ (1u << bit), NOW));
	}
	/* Any bit of the peer's ISN. */
	for (bit = 0; bit < 32; bit++)
		assert_false(check(&secret, &k, isn ^ (1u << bit), c, NOW));
	/* Any byte of the tuple. */
	for (bit = 0; bit < 8 * sizeof(k); bit += 5) {
		k2 = k;
		((uint8_t *)&k2)[bit / 8] ^= 1u << (bit % 8);
		assert_false(check(&secret, &k2, isn, c, NOW));
	}
	/* Another secret. */
	for (bit = 0; bit < 128; bit += 3) {
		struct ss_tcp_cookie_secret s2;
		uint8_t k2b[SS_TCP_COOKIE_KEY_LEN];

		memcpy(k2b, key, sizeof(k2b));
		k2b[bit / 8] ^= 1u << (bit % 8);
		ss_tcp_cookie_secret_set(&s2, k2b, secret.aes);
		assert_false(check(&s2, &k, isn, c, NOW));
	}
}

static void
test_expiry(void **state)
{
	const uint64_t start = (NOW / 64) * 64;
	struct ss_tcp_key k;
	uint32_t c;

	(void)state;
	make_key(&k);
	/* Made when a period begins: good to the end of the next one. */
	c = ss_tcp_cookie_make(&secret, &k, 5, start, 1460, 0, false);
	assert_true(check(&secret, &k, 5, c, start));
	assert_true(check(&secret, &k, 5, c, start + 63));
	assert_true(check(&secret, &k, 5, c, start + 64));
	assert_true(check(&secret, &k, 5, c, start + 127));
	assert_false(check(&secret, &k, 5, c, start + 128));
	assert_false(check(&secret, &k, 5, c, start + 1000));
	/* Not before it was made. */
	assert_false(check(&secret, &k, 5, c, start - 1));
	/* Made at a period's end: 65 seconds. */
	c = ss_tcp_cookie_make(&secret, &k, 5, start + 63, 1460, 0, false);
	assert_true(check(&secret, &k, 5, c, start + 127));
	assert_false(check(&secret, &k, 5, c, start + 128));
	/* 32 periods on, the period's 5 bits are the same again: still refused. */
	assert_false(check(&secret, &k, 5, c, start + 32 * 64));
	assert_false(check(&secret, &k, 5, c, start + 32 * 64 + 63));
}

static void
test_period_wrap(void **state)
{
	struct ss_tcp_key k;
	uint64_t t;
	uint32_t c;

	(void)state;
	make_key(&k);
	/* Periods whose low 5 bits wrap from 31 to 0 in between. */
	t = (NOW / 2048) * 2048 + 31 * 64;
	c = ss_tcp_cookie_make(&secret, &k, 5, t, 1460, 0, false);
	assert_true(check(&secret, &k, 5, c, t + 64));
	assert_false(check(&secret, &k, 5, c, t + 128));
}

static void
test_unpredictable(void **state)
{
	struct ss_tcp_key k;
	uint32_t a, b;
	struct ss_tcp_cookie_secret s1, s2;

	(void)state;
	make_key(&k);
	/* RFC 6528: the ISN depends on the tuple and the secret. */
	a = ss_tcp_cookie_make(&secret, &k, 5, NOW, 1460, 0, false);
	k.rport = rte_cpu_to_be_16(40001);
	b = ss_tcp_cookie_make(&secret, &k, 5, NOW, 1460, 0, false);
	/* Without the keyed offset the top 13 bits (period, MSS, scale, SACK) would match. */
	assert_true((a ^ b) >> 19 != 0);
	/* A fresh secret is random: two draws, two secrets. */
	test_eal_init();
	assert_int_equal(ss_tcp_cookie_init(&s1), 0);
	assert_int_equal(ss_tcp_cookie_init(&s2), 0);
	assert_true(s1.set && s1.aes == ss_aes_cmac_available());
	/* Two draws make two secrets: the same request, other cookies. */
	a = ss_tcp_cookie_make(&s1, &k, 5, NOW, 1460, 0, false);
	b = ss_tcp_cookie_make(&s2, &k, 5, NOW, 1460, 0, false);
	assert_int_not_equal(a, b);
}

static void
test_skip_aes(void **state)
{
	(void)state;
	skip();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_mss_rounding),
		cmocka_unit_test(test_tamper),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_period_wrap),
		cmocka_unit_test(test_unpredictable),
	};
	int failed = cmocka_run_group_tests_name("tcp_cookie", tests, setup_siphash, NULL);

	if (!ss_aes_cmac_available()) {
		/* Said, not passed: the AES group's cases as skipped. */
		const struct CMUnitTest skipped[] = { cmocka_unit_test(test_skip_aes) };

		return failed | cmocka_run_group_tests_name("tcp_cookie_aes", skipped, NULL, NULL);
	}
	return failed | cmocka_run_group_tests_name("tcp_cookie_aes", tests, setup_aes, NULL);
}
