/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The per-worker clock: answers cached per second, validity against
 * clock_min_year (RFC 868: stay silent when the time is not known), and
 * the TSC gate on reading the wall clock.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "daytime.h"
#include "stats.h"
#include "timeproto.h"

#define HZ 1000000 /* a fake TSC: 1000 cycles per millisecond */

static void
utc_bsd(struct ss_daytime_cfg *d)
{
	char err[128];

	memset(d, 0, sizeof(*d));
	assert_int_equal(ss_daytime_set_style(d, "bsd", err, sizeof(err)), 0);
	assert_int_equal(ss_daytime_set_timezone(d, "UTC", err, sizeof(err)), 0);
	ss_daytime_apply_timezone(d);
}

static void
check_valid(uint32_t min_year, int64_t sec, bool expect)
{
	struct ss_daytime_cfg d;
	struct ss_clock c;

	utc_bsd(&d);
	ss_clock_init(&c, &d, min_year, HZ);
	ss_clock_set(&c, sec);
	if (c.valid != expect)
		fail_msg("min_year %u, time %lld: valid %d, expected %d", min_year, (long long)sec,
				c.valid, expect);
}

static void
test_min_year(void **state)
{
	(void)state;
	check_valid(2000, 644198400, false); /* 1990-06-01: a clock never set */
	check_valid(2000, 0, false);         /* the epoch, as after a dead RTC */
	check_valid(2000, 946684799, false); /* 1999-12-31T23:59:59Z */
	check_valid(2000, 946684800, true);  /* 2000-01-01T00:00:00Z */
	check_valid(2000, 1668772998, true);
	check_valid(1970, 0, true);
	check_valid(1970, -1, false);
	/* Leap years in between: 2024 starts at 1704067200. */
	check_valid(2024, 1704067199, false);
	check_valid(2024, 1704067200, true);
	/* 2100 is not a leap year (and 2000 is): 2101 starts at 4133980800. */
	check_valid(2101, 4133980799, false);
	check_valid(2101, 4133980800, true);
}

static void
test_set_caches_answers(void **state)
{
	static const char line1[] = "Fri Nov 18 12:03:18 2022\r\n";
	static const char line2[] = "Thu Nov 26 10:36:15 2026\r\n";
	struct ss_daytime_cfg d;
	struct ss_clock c;

	(void)state;
	utc_bsd(&d);
	ss_clock_init(&c, &d, 2000, HZ);
	ss_clock_set(&c, 1668772998);
	assert_int_equal(c.sec, 1668772998);
	assert_true(c.valid);
	assert_memory_equal(c.time_be, ((const uint8_t[]){ 0xe7, 0x21, 0xf3, 0x06 }), 4);
	assert_int_equal(c.daytime_len, sizeof(line1) - 1);
	assert_memory_equal(c.daytime, line1, sizeof(line1) - 1);
	ss_clock_set(&c, 1795689375);
	assert_int_equal(c.sec, 1795689375);
	assert_int_equal(c.daytime_len, sizeof(line2) - 1);
	assert_memory_equal(c.daytime, line2, sizeof(line2) - 1);
	assert_int_equal(ss_time_value(1795689375),
			((uint32_t)c.time_be[0] << 24) | ((uint32_t)c.time_be[1] << 16) |
					((uint32_t)c.time_be[2] << 8) | c.time_be[3]);
}

static void
test_empty_format_invalidates(void **state)
{
	struct ss_daytime_cfg d;
	struct ss_clock c;

	(void)state;
	utc_bsd(&d);
	d.pattern[0] = '\0'; /* strftime gives nothing: no daytime to send */
	ss_clock_init(&c, &d, 2000, HZ);
	ss_clock_set(&c, 1668772998);
	assert_false(c.valid);
	assert_int_equal(c.daytime_len, 0);
}

static void
test_init_reads_wall_clock(void **state)
{
	struct ss_daytime_cfg d;
	struct ss_clock c;
	time_t before, after;

	(void)state;
	utc_bsd(&d);
	before = time(NULL);
	ss_clock_init(&c, &d, 2000, HZ);
	after = time(NULL);
	assert_true(c.sec >= before && c.sec <= after);
	assert_true(c.valid); /* this machine's clock is past 2000 */
	assert_int_equal(c.check_cycles, HZ / 1000);
	assert_int_equal(c.next_tsc, HZ / 1000);
	assert_true(c.daytime_len > 2);
}

static void
test_update_gated_by_tsc(void **state)
{
	struct ss_daytime_cfg d;
	struct ss_clock c;
	time_t before, after;

	(void)state;
	utc_bsd(&d);
	ss_clock_init(&c, &d, 2000, HZ);
	/* Pretend the cache holds an old second: only a due update may replace it. */
	ss_clock_set(&c, 1668772998);
	ss_clock_update(&c, c.next_tsc - 1);
	assert_int_equal(c.sec, 1668772998);
	assert_memory_equal(c.daytime, "Fri Nov 18 12:03:18 2022\r\n", 26);
	before = time(NULL);
	ss_clock_update(&c, 5000);
	after = time(NULL);
	assert_true(c.sec >= before && c.sec <= after);
	assert_int_equal(c.next_tsc, 5000 + HZ / 1000);
	/* The answers follow the new second. */
	{
		uint8_t be[4];

		ss_time_encode(c.sec, be);
		assert_memory_equal(c.time_be, be, 4);
	}
	ss_clock_set(&c, 1668772998);
	ss_clock_update(&c, 5000 + HZ / 1000 - 1);
	assert_int_equal(c.sec, 1668772998);
}

static void
test_refresh_same_second_keeps_cache(void **state)
{
	struct ss_daytime_cfg d;
	struct ss_clock c;
	unsigned int tries;

	(void)state;
	utc_bsd(&d);
	ss_clock_init(&c, &d, 2000, HZ);
	/* Within one second the cached line is not formatted again. */
	for (tries = 0; tries < 5; tries++) {
		time_t t0 = time(NULL);

		ss_clock_set(&c, t0);
		c.daytime[0] = '#';
		ss_clock_refresh(&c, 0);
		if (time(NULL) != t0)
			continue; /* crossed a second boundary: try again */
		assert_int_equal(c.sec, t0);
		assert_int_equal(c.daytime[0], '#');
		break;
	}
	assert_true(tries < 5);
	/* A different second is formatted afresh. */
	ss_clock_set(&c, 1668772998);
	c.daytime[0] = '#';
	ss_clock_refresh(&c, 0);
	assert_true(c.daytime[0] != '#');
}

static void
test_unset_clock_silences_udp(void **state)
{
	struct ss_daytime_cfg d;
	struct ss_clock c;
	uint8_t out[SS_DAYTIME_MAX];

	(void)state;
	utc_bsd(&d);
	ss_clock_init(&c, &d, 2000, HZ);
	ss_clock_set(&c, 644198400); /* 1990 */
	memset(out, 0x5a, sizeof(out));
	assert_int_equal(ss_daytime_udp(&c, out, sizeof(out)), -SS_DROP_CLOCK_UNSET);
	assert_int_equal(ss_time_udp(&c, out, sizeof(out)), -SS_DROP_CLOCK_UNSET);
	assert_int_equal(out[0], 0x5a);
	/* Setting it right brings both back. */
	ss_clock_set(&c, 1668772998);
	assert_int_equal(ss_daytime_udp(&c, out, sizeof(out)), 26);
	assert_int_equal(ss_time_udp(&c, out, sizeof(out)), 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_min_year),
		cmocka_unit_test(test_set_caches_answers),
		cmocka_unit_test(test_empty_format_invalidates),
		cmocka_unit_test(test_init_reads_wall_clock),
		cmocka_unit_test(test_update_gated_by_tsc),
		cmocka_unit_test(test_refresh_same_second_keeps_cache),
		cmocka_unit_test(test_unset_clock_silences_udp),
	};

	return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
