/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 862 echo over UDP: in place and copied, empty datagrams, never truncated. */
#include "harness.h"

#include <string.h>

#include "service.h"
#include "stats.h"

static void
test_in_place(void **state)
{
	uint8_t buf[2000], want[2000];

	(void)state;
	test_fill_pattern(buf, sizeof(buf), 3);
	memcpy(want, buf, sizeof(buf));
	assert_int_equal(ss_echo_udp_reply(NULL, buf, 1472, buf, 1472), 1472);
	assert_memory_equal(buf, want, sizeof(buf));
	/* nmap's UDP probe for port 7 comes back exactly. */
	memcpy(buf, "\r\n\r\n", 4);
	assert_int_equal(ss_echo_udp_reply(NULL, buf, 4, buf, 1472), 4);
	assert_memory_equal(buf, "\r\n\r\n", 4);
}

static void
test_copy(void **state)
{
	uint8_t req[9000], out[9100];
	static const uint16_t lens[] = { 1, 2, 17, 512, 1472, 8952, 9000 };
	unsigned int i;

	(void)state;
	test_fill_pattern(req, sizeof(req), 11);
	for (i = 0; i < RTE_DIM(lens); i++) {
		memset(out, 0xee, sizeof(out));
		assert_int_equal(ss_echo_udp_reply(NULL, req, lens[i], out, sizeof(out)), lens[i]);
		assert_memory_equal(out, req, lens[i]);
		/* Nothing beyond the payload is written. */
		for (size_t j = lens[i]; j < sizeof(out); j++)
			if (out[j] != 0xee)
				fail_msg("len %u: byte %zu written", lens[i], j);
	}
}

static void
test_overlap(void **state)
{
	uint8_t buf[300], want[200];

	(void)state;
	/* The reply may start before the request in one buffer (headers shrink). */
	test_fill_pattern(buf, sizeof(buf), 5);
	memcpy(want, buf + 40, 200);
	assert_int_equal(ss_echo_udp_reply(NULL, buf + 40, 200, buf, 300), 200);
	assert_memory_equal(buf, want, 200);
	test_fill_pattern(buf, sizeof(buf), 9);
	memcpy(want, buf, 200);
	assert_int_equal(ss_echo_udp_reply(NULL, buf, 200, buf + 40, 260), 200);
	assert_memory_equal(buf + 40, want, 200);
}

static void
test_empty(void **state)
{
	uint8_t out[4] = { 0xaa, 0xaa, 0xaa, 0xaa }, req[1] = { 0x55 };

	(void)state;
	/* An empty datagram gets an empty reply, not silence (unlike busybox). */
	assert_int_equal(ss_echo_udp_reply(NULL, out, 0, out, 1472), 0);
	assert_int_equal(ss_echo_udp_reply(NULL, req, 0, out, 0), 0);
	assert_int_equal(out[0], 0xaa);
}

static void
test_too_big(void **state)
{
	uint8_t req[1500], out[1500];

	(void)state;
	test_fill_pattern(req, sizeof(req), 1);
	memset(out, 0, sizeof(out));
	/* Never truncated: what does not fit is refused whole. */
	assert_int_equal(ss_echo_udp_reply(NULL, req, 1473, out, 1472), -SS_DROP_REPLY_TOO_BIG);
	assert_int_equal(out[0], 0);
	assert_int_equal(ss_echo_udp_reply(NULL, req, 1, out, 0), -SS_DROP_REPLY_TOO_BIG);
	assert_int_equal(ss_echo_udp_reply(NULL, req, 1472, out, 1472), 1472);
	assert_int_equal(ss_echo_udp_reply(NULL, req, UINT16_MAX, out, UINT16_MAX - 1),
			-SS_DROP_REPLY_TOO_BIG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_place),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_too_big),
	};

	return cmocka_run_group_tests_name("echo", tests, NULL, NULL);
}
