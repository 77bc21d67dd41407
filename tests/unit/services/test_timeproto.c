/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 868 time: the vectors of docs/protocols.md, "time (RFC 868)", the 2036 rollover, UDP. */
#include "harness.h"

#include <string.h>

#include "clock.h"
#include "stats.h"
#include "timeproto.h"

static void
vector(int64_t unix_sec, const uint8_t expect[4])
{
	uint8_t out[4];

	ss_time_encode(unix_sec, out);
	assert_memory_equal(out, expect, 4);
}

static void
test_vectors(void **state)
{
	(void)state;
	vector(0, (const uint8_t[]){ 0x83, 0xaa, 0x7e, 0x80 });          /* 1970-01-01 */
	vector(946684800, (const uint8_t[]){ 0xbc, 0x17, 0xc2, 0x00 });  /* 2000-01-01 */
	vector(1668772998, (const uint8_t[]){ 0xe7, 0x21, 0xf3, 0x06 }); /* 2022-11-18T12:03:18Z */
}

static void
test_rollover_2036(void **state)
{
	(void)state;
	vector(2085978495, (const uint8_t[]){ 0xff, 0xff, 0xff, 0xff }); /* 2036-02-07T06:28:15Z */
	vector(2085978496, (const uint8_t[]){ 0x00, 0x00, 0x00, 0x00 }); /* 2036-02-07T06:28:16Z */
	vector(2147483648, (const uint8_t[]){ 0x03, 0xaa, 0x7e, 0x80 }); /* 2038-01-19T03:14:08Z */
}

static void
test_before_1970(void **state)
{
	(void)state;
	/* The RFC 868 era starts in 1900: times before 1970 still encode. */
	vector(-2208988800, (const uint8_t[]){ 0x00, 0x00, 0x00, 0x00 }); /* 1900-01-01 */
	vector(-1, (const uint8_t[]){ 0x83, 0xaa, 0x7e, 0x7f });
	assert_int_equal(ss_time_value(-2208988799), 1);
	assert_int_equal(ss_time_value(0), SS_TIME_EPOCH_OFFSET);
}

static void
test_udp_room(void **state)
{
	struct ss_daytime_cfg dcfg = { 0 };
	struct ss_clock c;
	uint8_t out[8];

	(void)state;
	strcpy(dcfg.pattern, "%Y");
	ss_clock_init(&c, &dcfg, 2000, 1000000);
	ss_clock_set(&c, 946684800);
	memset(out, 0xee, sizeof(out));
	/* Exactly 4 bytes, never 8 (GNU inetutils 2.4 on 64-bit sends 8). */
	assert_int_equal(ss_time_udp(&c, out, 4), 4);
	assert_memory_equal(out, ((const uint8_t[]){ 0xbc, 0x17, 0xc2, 0x00, 0xee }), 5);
	memset(out, 0xee, sizeof(out));
	assert_int_equal(ss_time_udp(&c, out, 0), -SS_DROP_REPLY_TOO_BIG);
	assert_int_equal(out[0], 0xee);
	/* The first second of clock_min_year is valid, the last before it not. */
	ss_clock_set(&c, 946684799);
	assert_int_equal(ss_time_udp(&c, out, 4), -SS_DROP_CLOCK_UNSET);
	assert_int_equal(out[0], 0xee);
}

static void
test_udp_reply(void **state)
{
	struct ss_daytime_cfg dcfg = { 0 };
	struct ss_clock c;
	uint8_t out[8];

	(void)state;
	strcpy(dcfg.pattern, "%Y");
	ss_clock_init(&c, &dcfg, 2000, 1000000);
	ss_clock_set(&c, 1668772998);
	assert_int_equal(ss_time_udp(&c, out, sizeof(out)), 4);
	assert_memory_equal(out, ((const uint8_t[]){ 0xe7, 0x21, 0xf3, 0x06 }), 4);
	assert_int_equal(ss_time_udp(&c, out, 3), -SS_DROP_REPLY_TOO_BIG);
	/* RFC 868: a server that does not know the time stays silent. */
	ss_clock_set(&c, 86400);
	assert_int_equal(ss_time_udp(&c, out, sizeof(out)), -SS_DROP_CLOCK_UNSET);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_rollover_2036),
		cmocka_unit_test(test_before_1970),
		cmocka_unit_test(test_udp_room),
		cmocka_unit_test(test_udp_reply),
	};

	return cmocka_run_group_tests_name("timeproto", tests, NULL, NULL);
}
