/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The single-value parsers behind every configuration key: booleans,
 * bounded numbers, IPv4/IPv6 prefixes (host addresses only) and lists.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "config_parse.h"

static void
expect_err(const char *what, const char *input, const char *err, const char *reason)
{
	if (strstr(err, reason) == NULL)
		fail_msg("%s(\"%s\"): error \"%s\" does not say \"%s\"", what, input, err, reason);
}

static void
test_bool(void **state)
{
	static const char *const yes[] = { "on", "yes", "true", "1", "ON", "Yes", "TRUE", "oN" };
	static const char *const no[] = { "off", "no", "false", "0", "OFF", "No", "False" };
	static const char *const bad[] = { "", "2", "onn", "of", "y", "n", "enable", " on", "on ",
		"truefalse", "-1", "00" };
	char err[128];
	unsigned int i;
	bool b;

	(void)state;
	for (i = 0; i < RTE_DIM(yes); i++) {
		b = false;
		assert_int_equal(ss_parse_bool(yes[i], &b, err, sizeof(err)), 0);
		assert_true(b);
	}
	for (i = 0; i < RTE_DIM(no); i++) {
		b = true;
		assert_int_equal(ss_parse_bool(no[i], &b, err, sizeof(err)), 0);
		assert_false(b);
	}
	for (i = 0; i < RTE_DIM(bad); i++) {
		b = true;
		err[0] = '\0';
		if (ss_parse_bool(bad[i], &b, err, sizeof(err)) != -1)
			fail_msg("bool \"%s\" accepted", bad[i]);
		assert_true(b); /* untouched */
		expect_err("bool", bad[i], err, "not a boolean");
	}
}

static void
uint_ok(const char *s, uint64_t min, uint64_t max, uint64_t want)
{
	char err[128] = "";
	uint64_t v = 12345;

	if (ss_parse_uint(s, min, max, &v, err, sizeof(err)) != 0)
		fail_msg("uint \"%s\" in %llu..%llu refused: %s", s, (unsigned long long)min,
				(unsigned long long)max, err);
	assert_true(v == want);
}

static void
uint_bad(const char *s, uint64_t min, uint64_t max, const char *reason)
{
	char err[128] = "";
	uint64_t v = 12345;

	if (ss_parse_uint(s, min, max, &v, err, sizeof(err)) != -1)
		fail_msg("uint \"%s\" in %llu..%llu accepted", s, (unsigned long long)min,
				(unsigned long long)max);
	assert_true(v == 12345);
	expect_err("uint", s, err, reason);
}

static void
test_uint(void **state)
{
	(void)state;
	uint_ok("0", 0, 10, 0);
	uint_ok("10", 0, 10, 10);
	uint_ok("007", 0, 10, 7);
	uint_ok("65535", 1, 65535, 65535);
	uint_ok("18446744073709551615", 0, UINT64_MAX, UINT64_MAX);
	uint_bad("11", 0, 10, "must be 0..10");
	uint_bad("0", 1, 65535, "must be 1..65535");
	uint_bad("65536", 1, 65535, "must be 1..65535");
	uint_bad("", 0, 10, "not a number");
	uint_bad("abc", 0, 10, "not a number");
	uint_bad("-1", 0, 10, "not a number");
	uint_bad("+1", 0, 10, "not a number");
	uint_bad(" 1", 0, 10, "not a number");
	uint_bad("1 ", 0, 10, "not a number");
	uint_bad("1x", 0, 10, "not a number");
	uint_bad("0x10", 0, 100, "not a number");
	uint_bad("1.5", 0, 10, "not a number");
	uint_bad("1e3", 0, 10000, "not a number");
	uint_bad("18446744073709551616", 0, UINT64_MAX, "not a number");
	uint_bad("99999999999999999999999", 0, UINT64_MAX, "not a number");
}

static void
ip4_ok(const char *s, const char *addr, uint8_t len)
{
	struct ss_ip4_prefix p;
	char err[128] = "";
	uint32_t a;

	if (ss_parse_ip4_prefix(s, &p, err, sizeof(err)) != 0)
		fail_msg("IPv4 \"%s\" refused: %s", s, err);
	test_addr(addr, 0, (uint8_t *)&a);
	assert_int_equal(p.addr, a);
	assert_int_equal(p.len, len);
}

static void
ip4_bad(const char *s, const char *reason)
{
	struct ss_ip4_prefix p;
	char err[128] = "";

	if (ss_parse_ip4_prefix(s, &p, err, sizeof(err)) != -1)
		fail_msg("IPv4 \"%s\" accepted", s);
	expect_err("ip4", s, err, reason);
}

static void
test_ip4_prefix(void **state)
{
	char long_addr[80];

	(void)state;
	ip4_ok("192.0.2.1/24", "192.0.2.1", 24);
	ip4_ok("198.51.100.254/24", "198.51.100.254", 24);
	ip4_ok("203.0.113.9/1", "203.0.113.9", 1);
	/* /31 and /32 have no network or broadcast address: every address is a host. */
	ip4_ok("192.0.2.0/31", "192.0.2.0", 31);
	ip4_ok("192.0.2.1/31", "192.0.2.1", 31);
	ip4_ok("192.0.2.255/32", "192.0.2.255", 32);
	ip4_ok("192.0.2.0/32", "192.0.2.0", 32);
	ip4_bad("192.0.2.1", "missing /prefix-length");
	ip4_bad("192.0.2.1/", "prefix length not a number");
	ip4_bad("192.0.2.1/x", "prefix length not a number");
	ip4_bad("192.0.2.1/24x", "prefix length not a number");
	ip4_bad("192.0.2.1/24/24", "prefix length not a number");
	ip4_bad("192.0.2.1/-1", "prefix length not a number");
	ip4_bad("192.0.2.1/33", "prefix length must be 1..32");
	ip4_bad("192.0.2.1/0", "prefix length must be 1..32");
	ip4_bad("192.0.2/24", "not an IPv4 address");
	ip4_bad("192.0.2.256/24", "not an IPv4 address");
	ip4_bad("192.0.2.1.5/24", "not an IPv4 address");
	ip4_bad("/24", "not an IPv4 address");
	ip4_bad("2001:db8::1/24", "not an IPv4 address");
	ip4_bad("host.example/24", "not an IPv4 address");
	memset(long_addr, '1', 40);
	strcpy(long_addr + 40, "/24");
	ip4_bad(long_addr, "not an address");
	/* Host part all zeros or all ones. */
	ip4_bad("192.0.2.0/24", "network or broadcast");
	ip4_bad("192.0.2.255/24", "network or broadcast");
	ip4_bad("192.0.2.127/25", "network or broadcast");
	ip4_bad("192.0.2.128/25", "network or broadcast");
	ip4_bad("198.51.100.3/30", "network or broadcast");
	/* Martians are no host's address. */
	ip4_bad("0.0.0.0/8", "not a unicast host address");
	ip4_bad("0.1.2.3/8", "not a unicast host address");
	ip4_bad("127.0.0.1/8", "not a unicast host address");
	ip4_bad("224.0.0.1/4", "not a unicast host address");
	ip4_bad("239.1.1.1/32", "not a unicast host address");
	ip4_bad("240.0.0.1/4", "not a unicast host address");
	ip4_bad("255.255.255.255/32", "not a unicast host address");
}

static void
ip6_ok(const char *s, const char *addr, uint8_t len)
{
	struct ss_ip6_prefix p;
	char err[128] = "";
	uint8_t a[16];

	if (ss_parse_ip6_prefix(s, &p, err, sizeof(err)) != 0)
		fail_msg("IPv6 \"%s\" refused: %s", s, err);
	test_addr(addr, 1, a);
	assert_memory_equal(p.addr, a, 16);
	assert_int_equal(p.len, len);
}

static void
ip6_bad(const char *s, const char *reason)
{
	struct ss_ip6_prefix p;
	char err[128] = "";

	if (ss_parse_ip6_prefix(s, &p, err, sizeof(err)) != -1)
		fail_msg("IPv6 \"%s\" accepted", s);
	expect_err("ip6", s, err, reason);
}

static void
test_ip6_prefix(void **state)
{
	(void)state;
	ip6_ok("2001:db8::1/64", "2001:db8::1", 64);
	ip6_ok("2001:DB8:0:0:0:0:0:fe/48", "2001:db8::fe", 48);
	ip6_ok("2001:db8::1/128", "2001:db8::1", 128);
	ip6_ok("2001:db8::1/1", "2001:db8::1", 1);
	ip6_ok("fe80::1/64", "fe80::1", 64);
	ip6_bad("2001:db8::1", "missing /prefix-length");
	ip6_bad("2001:db8::1/129", "prefix length must be 1..128");
	ip6_bad("2001:db8::1/0", "prefix length must be 1..128");
	ip6_bad("2001:db8::1/", "prefix length not a number");
	ip6_bad("2001:db8::g/64", "not an IPv6 address");
	ip6_bad("2001:db8:::1/64", "not an IPv6 address");
	ip6_bad("192.0.2.1/24", "not an IPv6 address");
	ip6_bad("[2001:db8::1]/64", "not an IPv6 address");
	ip6_bad("::/128", "not a unicast host address");
	ip6_bad("::1/128", "not a unicast host address");
	ip6_bad("ff02::1/64", "not a unicast host address");
	ip6_bad("ff00::/8", "not a unicast host address");
	ip6_bad("::ffff:192.0.2.1/96", "not a unicast host address");
	ip6_bad("2001:0db8:0000:0000:0000:0000:0000:0000:0000:0000:0001/64", "not an address");
}

static void
test_list(void **state)
{
	char tok[8][64], err[128];
	char long_tok[100];
	int n;

	(void)state;
	n = ss_parse_list("a b,c , d\t,,e", tok, 8, err, sizeof(err));
	assert_int_equal(n, 5);
	assert_string_equal(tok[0], "a");
	assert_string_equal(tok[1], "b");
	assert_string_equal(tok[2], "c");
	assert_string_equal(tok[3], "d");
	assert_string_equal(tok[4], "e");
	assert_int_equal(ss_parse_list("", tok, 8, err, sizeof(err)), 0);
	assert_int_equal(ss_parse_list(" ,\t, ", tok, 8, err, sizeof(err)), 0);
	assert_int_equal(ss_parse_list("1 2 3 4 5 6 7 8", tok, 8, err, sizeof(err)), 8);
	assert_string_equal(tok[7], "8");
	/* Trailing separators do not count as entries. */
	assert_int_equal(ss_parse_list("1 2 3 4 5 6 7 8 , ", tok, 8, err, sizeof(err)), 8);
	assert_int_equal(ss_parse_list("1 2 3 4 5 6 7 8 9", tok, 8, err, sizeof(err)), -1);
	expect_err("list", "1..9", err, "more than 8 entries");
	memset(long_tok, 'z', 64);
	long_tok[64] = '\0';
	assert_int_equal(ss_parse_list(long_tok, tok, 8, err, sizeof(err)), -1);
	expect_err("list", "64 z", err, "entry too long");
	long_tok[63] = '\0';
	assert_int_equal(ss_parse_list(long_tok, tok, 8, err, sizeof(err)), 1);
	assert_int_equal(strlen(tok[0]), 63);
}

static void
test_error_truncation(void **state)
{
	char err[8];
	uint64_t v;

	(void)state;
	/* A short error buffer is cut, not overrun. */
	memset(err, 'x', sizeof(err));
	assert_int_equal(ss_parse_uint("70000", 1, 65535, &v, err, sizeof(err)), -1);
	assert_int_equal(err[7], '\0');
	assert_string_equal(err, "must be");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_uint),
		cmocka_unit_test(test_ip4_prefix),
		cmocka_unit_test(test_ip6_prefix),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_error_truncation),
	};

	return cmocka_run_group_tests_name("config_parse", tests, NULL, NULL);
}
