/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 867 daytime: every named style, custom patterns, time zones (UTC, a
 * zoneinfo name, a POSIX TZ string), what the checks refuse, the UDP reply.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "daytime.h"
#include "stats.h"

#define T_2022_11_18 1668772998 /* Fri 2022-11-18 12:03:18 UTC */
#define T_2026_11_26 1795689375 /* Thu 2026-11-26 10:36:15 UTC */
#define T_2026_11_01 1793520309 /* Sun 2026-11-01 08:05:09 UTC */
#define T_2022_07_04 1656936000 /* Mon 2022-07-04 12:00:00 UTC (summer time in Europe) */
/* 1982-02-22 17:37:43 PST, RFC 867's example (which calls that Monday a Tuesday). */
#define T_1982_02_23 383276263

static void
setup(struct ss_daytime_cfg *d, const char *style, const char *tz)
{
	char err[256] = "";

	memset(d, 0, sizeof(*d));
	if (ss_daytime_set_style(d, style, err, sizeof(err)) != 0)
		fail_msg("style %s: %s", style, err);
	if (ss_daytime_set_timezone(d, tz, err, sizeof(err)) != 0)
		fail_msg("timezone %s: %s", tz, err);
	ss_daytime_apply_timezone(d);
}

/* Format sec in style and tz and compare with expect (CR LF added here). */
static void
check(const char *style, const char *tz, int64_t sec, const char *expect)
{
	struct ss_daytime_cfg d;
	char buf[SS_DAYTIME_MAX + 8], want[SS_DAYTIME_MAX];
	size_t n;

	setup(&d, style, tz);
	snprintf(want, sizeof(want), "%s\r\n", expect);
	memset(buf, 0, sizeof(buf));
	n = ss_daytime_format(&d, sec, buf, SS_DAYTIME_MAX);
	if (n != strlen(want) || memcmp(buf, want, n) != 0)
		fail_msg("%s in %s at %lld: got \"%.*s\" (%zu), expected \"%s\"", style, tz,
				(long long)sec, (int)n, buf, n, expect);
}

static void
test_bsd(void **state)
{
	(void)state;
	check("bsd", "UTC", T_2026_11_26, "Thu Nov 26 10:36:15 2026");
	/* ctime pads the day with a space. */
	check("bsd", "UTC", T_2026_11_01, "Sun Nov  1 08:05:09 2026");
	check("bsd", "UTC", T_2022_11_18, "Fri Nov 18 12:03:18 2022");
	check("bsd", "UTC", 0, "Thu Jan  1 00:00:00 1970");
}

static void
test_cisco_rfc867(void **state)
{
	(void)state;
	check("cisco", "UTC", T_2022_11_18, "Friday, November 18, 2022 12:03:18-UTC");
	check("rfc867", "UTC", T_2022_11_18, "Friday, November 18, 2022 12:03:18-UTC");
	/* The day is not padded at all. */
	check("cisco", "UTC", T_2026_11_01, "Sunday, November 1, 2026 08:05:09-UTC");
	check("rfc867", "PST8PDT", T_1982_02_23, "Monday, February 22, 1982 17:37:43-PST");
}

static void
test_xinetd(void **state)
{
	(void)state;
	check("xinetd", "UTC", T_2022_11_18, "18 NOV 2022 12:03:18 UTC");
	check("xinetd", "UTC", T_2026_11_01, "01 NOV 2026 08:05:09 UTC");
	check("xinetd", "Europe/Berlin", T_2022_07_04, "04 JUL 2022 14:00:00 CEST");
}

static void
test_custom(void **state)
{
	struct ss_daytime_cfg d;
	char buf[SS_DAYTIME_MAX];

	(void)state;
	/* format = custom alone gives ISO 8601. */
	check("custom", "UTC", T_2022_11_18, "2022-11-18T12:03:18+0000");
	check("custom", "Europe/Berlin", T_2022_11_18, "2022-11-18T13:03:18+0100");
	setup(&d, "custom", "UTC");
	strcpy(d.pattern, "%s");
	assert_int_equal(ss_daytime_format(&d, T_2022_11_18, buf, sizeof(buf)), 12);
	assert_memory_equal(buf, "1668772998\r\n", 12);
	strcpy(d.pattern, "It is %H:%M, %j");
	assert_int_equal(ss_daytime_format(&d, T_2022_11_18, buf, sizeof(buf)), 18);
	assert_memory_equal(buf, "It is 12:03, 322\r\n", 18);
	strcpy(d.pattern, "plain");
	assert_int_equal(ss_daytime_format(&d, T_2022_11_18, buf, sizeof(buf)), 7);
	assert_memory_equal(buf, "plain\r\n", 7);
}

static void
test_timezones(void **state)
{
	(void)state;
	/* A zoneinfo name: CET in winter, CEST in summer. */
	check("bsd", "Europe/Berlin", T_2022_11_18, "Fri Nov 18 13:03:18 2022");
	check("cisco", "Europe/Berlin", T_2022_11_18, "Friday, November 18, 2022 13:03:18-CET");
	check("cisco", "Europe/Berlin", T_2022_07_04, "Monday, July 4, 2022 14:00:00-CEST");
	/* POSIX TZ strings. */
	check("cisco", "EST5EDT,M3.2.0,M11.1.0", T_2022_11_18,
			"Friday, November 18, 2022 07:03:18-EST");
	check("cisco", "EST5EDT,M3.2.0,M11.1.0", T_2022_07_04, "Monday, July 4, 2022 08:00:00-EDT");
	check("cisco", "CET-1CEST,M3.5.0,M10.5.0/3", T_2022_07_04,
			"Monday, July 4, 2022 14:00:00-CEST");
	check("xinetd", "<+05>-5", T_2022_11_18, "18 NOV 2022 17:03:18 +05");
	/* Back to UTC: nothing of the previous zone sticks. */
	check("cisco", "UTC", T_2022_07_04, "Monday, July 4, 2022 12:00:00-UTC");
}

static void
check_tz(const char *tz, bool good)
{
	struct ss_daytime_cfg d;
	char err[256] = "";
	int r;

	memset(&d, 0, sizeof(d));
	strcpy(d.timezone, "UTC");
	r = ss_daytime_set_timezone(&d, tz, err, sizeof(err));
	if (good) {
		if (r != 0)
			fail_msg("time zone \"%s\" refused: %s", tz, err);
		assert_string_equal(d.timezone, tz);
	} else {
		if (r != -1)
			fail_msg("time zone \"%s\" accepted", tz);
		assert_true(err[0] != '\0');
		assert_string_equal(d.timezone, "UTC"); /* left as it was */
	}
}

static void
test_timezone_check(void **state)
{
	char too_long[SS_TZ_MAX + 1];

	(void)state;
	check_tz("UTC", true);
	check_tz("Europe/Berlin", true);
	check_tz("America/New_York", true);
	check_tz("Etc/GMT+5", true);
	check_tz("CET-1CEST,M3.5.0,M10.5.0/3", true);
	check_tz("EST5EDT", true);
	check_tz("UTC0", true);
	check_tz("<+05>-5", true);
	check_tz("", false);
	check_tz("Europe", false);   /* a directory, not a zone */
	check_tz("zone.tab", false); /* a file there, but not a zone file */
	check_tz("Not/AZone", false);
	check_tz("Europe/Atlantis", false);
	check_tz("../../../etc/passwd", false);
	check_tz("Europe/../Europe/Berlin", false);
	check_tz("/usr/share/zoneinfo/Europe/Berlin", false);
	check_tz("X", false);
	check_tz("12345", false);
	check_tz("CET-1CEST,", false);
	check_tz("Europe/Berlin ", false);
	memset(too_long, 'A', SS_TZ_MAX);
	too_long[SS_TZ_MAX] = '\0';
	check_tz(too_long, false);
}

static void
test_style_names(void **state)
{
	static const struct {
		const char *name;
		enum ss_daytime_style style;
		const char *pattern;
		bool upper;
	} good[] = {
		{ "bsd", SS_DAYTIME_BSD, "%a %b %e %H:%M:%S %Y", false },
		{ "cisco", SS_DAYTIME_CISCO, "%A, %B %-d, %Y %H:%M:%S-%Z", false },
		{ "xinetd", SS_DAYTIME_XINETD, "%d %b %Y %H:%M:%S %Z", true },
		{ "rfc867", SS_DAYTIME_RFC867, "%A, %B %-d, %Y %H:%M:%S-%Z", false },
		{ "custom", SS_DAYTIME_CUSTOM, "%Y-%m-%dT%H:%M:%S%z", false },
	};
	static const char *const bad[] = { "", "iso", "bsd ", "ctime", "cisco2", "xinet" };
	struct ss_daytime_cfg d;
	char err[256];
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(good); i++) {
		memset(&d, 0, sizeof(d));
		d.upper_case = !good[i].upper;
		assert_int_equal(ss_daytime_set_style(&d, good[i].name, err, sizeof(err)), 0);
		assert_int_equal(d.style, good[i].style);
		assert_string_equal(d.pattern, good[i].pattern);
		assert_int_equal(d.upper_case, good[i].upper);
	}
	for (i = 0; i < RTE_DIM(bad); i++) {
		setup(&d, "xinetd", "UTC");
		err[0] = '\0';
		if (ss_daytime_set_style(&d, bad[i], err, sizeof(err)) != -1)
			fail_msg("style \"%s\" accepted", bad[i]);
		assert_non_null(strstr(err, "bsd"));
		assert_int_equal(d.style, SS_DAYTIME_XINETD);
		assert_true(d.upper_case);
	}
}

static void
check_pattern(const char *pattern, bool good)
{
	struct ss_daytime_cfg d;
	char err[256] = "";
	int r;

	setup(&d, "custom", "UTC");
	strcpy(d.pattern, pattern);
	r = ss_daytime_check(&d, err, sizeof(err));
	if (good && r != 0)
		fail_msg("pattern \"%s\" refused: %s", pattern, err);
	if (!good && (r != -1 || err[0] == '\0'))
		fail_msg("pattern \"%s\" accepted", pattern);
}

static void
test_pattern_check(void **state)
{
	(void)state;
	check_pattern("%Y-%m-%d %H:%M:%S", true);
	check_pattern("%c", true);
	check_pattern("The time is %T", true);
	check_pattern("%A, %B %-d, %Y %H:%M:%S-%Z", true);
	check_pattern("", false);                     /* empty */
	check_pattern("%n", false);                   /* a bare newline */
	check_pattern("%t", false);                   /* a tab */
	check_pattern("%Y%n%m", false);               /* a newline inside */
	check_pattern("\x01%Y", false);               /* control character */
	check_pattern("\x7f%Y", false);               /* DEL */
	check_pattern("\xc3\xa9t\xc3\xa9 %Y", false); /* not ASCII */
	/* Wider than a daytime line can be. */
	check_pattern("%c %c %c %c %c %c %c", false);
	/* Every named style passes. */
	{
		static const char *const styles[] = { "bsd", "cisco", "xinetd", "rfc867" };
		struct ss_daytime_cfg d;
		char err[256];
		unsigned int i;

		for (i = 0; i < RTE_DIM(styles); i++) {
			setup(&d, styles[i], "Europe/Berlin");
			assert_int_equal(ss_daytime_check(&d, err, sizeof(err)), 0);
		}
	}
}

static void
test_format_small_buffers(void **state)
{
	static const char want[] = "Thu Nov 26 10:36:15 2026\r\n";
	struct ss_daytime_cfg d;
	char buf[64];
	size_t len, n;

	(void)state;
	setup(&d, "bsd", "UTC");
	/* Never past len: either the whole line or nothing. */
	for (len = 0; len < 40; len++) {
		memset(buf, '#', sizeof(buf));
		n = ss_daytime_format(&d, T_2026_11_26, buf, len);
		assert_true(n <= len);
		if (n != 0) {
			assert_int_equal(n, 26);
			assert_memory_equal(buf, want, 26);
		}
		for (size_t i = len; i < sizeof(buf); i++)
			if (buf[i] != '#')
				fail_msg("len %zu: byte %zu written", len, i);
	}
	/* Room enough: the line comes out. */
	assert_int_equal(ss_daytime_format(&d, T_2026_11_26, buf, 40), 26);
	assert_int_equal(ss_daytime_format(&d, T_2026_11_26, buf, 2), 0);
}

static void
test_udp_reply(void **state)
{
	static const char want[] = "Fri Nov 18 12:03:18 2022\r\n";
	struct ss_daytime_cfg d;
	struct ss_clock c;
	uint8_t out[SS_DAYTIME_MAX];

	(void)state;
	setup(&d, "bsd", "UTC");
	ss_clock_init(&c, &d, 2000, 1000000);
	ss_clock_set(&c, T_2022_11_18);
	memset(out, 0, sizeof(out));
	assert_int_equal(ss_daytime_udp(&c, out, sizeof(out)), 26);
	assert_memory_equal(out, want, 26);
	assert_int_equal(out[26], 0);
	assert_int_equal(ss_daytime_udp(&c, out, 26), 26);
	memset(out, 0, sizeof(out));
	assert_int_equal(ss_daytime_udp(&c, out, 25), -SS_DROP_REPLY_TOO_BIG);
	assert_int_equal(ss_daytime_udp(&c, out, 0), -SS_DROP_REPLY_TOO_BIG);
	assert_int_equal(out[0], 0);
	/* A clock before clock_min_year answers nothing (RFC 868's rule, for daytime too). */
	ss_clock_set(&c, 644198400);
	assert_int_equal(ss_daytime_udp(&c, out, sizeof(out)), -SS_DROP_CLOCK_UNSET);
	assert_int_equal(out[0], 0);
}

static void
test_udp_reply_styles(void **state)
{
	static const char want[] = "18 NOV 2022 13:03:18 CET\r\n";
	struct ss_daytime_cfg d;
	struct ss_clock c;
	uint8_t out[SS_DAYTIME_MAX];

	(void)state;
	setup(&d, "xinetd", "Europe/Berlin");
	ss_clock_init(&c, &d, 2000, 1000000);
	ss_clock_set(&c, T_2022_11_18);
	assert_int_equal(ss_daytime_udp(&c, out, sizeof(out)), sizeof(want) - 1);
	assert_memory_equal(out, want, sizeof(want) - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bsd),
		cmocka_unit_test(test_cisco_rfc867),
		cmocka_unit_test(test_xinetd),
		cmocka_unit_test(test_custom),
		cmocka_unit_test(test_timezones),
		cmocka_unit_test(test_timezone_check),
		cmocka_unit_test(test_style_names),
		cmocka_unit_test(test_pattern_check),
		cmocka_unit_test(test_format_small_buffers),
		cmocka_unit_test(test_udp_reply),
		cmocka_unit_test(test_udp_reply_styles),
	};

	return cmocka_run_group_tests_name("daytime", tests, NULL, NULL);
}
