/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 863 discard over UDP: whatever comes in, nothing goes out, and it is counted. */
#include "harness.h"

#include <string.h>

#include "discard.h"
#include "service.h"
#include "stats.h"

static void
test_never_replies(void **state)
{
	static uint8_t big[9000];
	static const uint16_t lens[] = { 0, 1, 4, 512, 1472, 9000 };
	unsigned int i;

	(void)state;
	memset(big, 'x', sizeof(big));
	for (i = 0; i < RTE_DIM(lens); i++)
		assert_int_equal(ss_discard_udp(big, lens[i]), -SS_DROP_UDP_DISCARD);
	assert_int_equal(ss_discard_udp(NULL, 0), -SS_DROP_UDP_DISCARD);
	/* The request is not touched. */
	for (i = 0; i < sizeof(big); i++)
		assert_int_equal(big[i], 'x');
}

static void
test_verdict_is_a_drop(void **state)
{
	(void)state;
	/* A negative verdict, never a length: the caller must not send. */
	assert_true(-SS_DROP_UDP_DISCARD < 0);
	assert_true(SS_DROP_UDP_DISCARD != SS_VERDICT_TX);
	assert_string_equal(ss_drop_name(SS_DROP_UDP_DISCARD), "udp_discard_service");
}

static void
test_via_dispatch(void **state)
{
	struct ss_svc_state st;
	uint8_t buf[64];

	(void)state;
	memset(&st, 0, sizeof(st));
	memset(buf, 'y', sizeof(buf));
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_DISCARD, buf, 10, buf, sizeof(buf)),
		-SS_DROP_UDP_DISCARD);
	assert_int_equal(buf[0], 'y');
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_DISCARD, buf, 0, buf, sizeof(buf)),
		-SS_DROP_UDP_DISCARD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_never_replies),
		cmocka_unit_test(test_verdict_is_a_drop),
		cmocka_unit_test(test_via_dispatch),
	};

	return cmocka_run_group_tests_name("discard", tests, NULL, NULL);
}
