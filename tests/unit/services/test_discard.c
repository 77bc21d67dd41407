/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 863 discard over UDP: whatever comes in, nothing goes out, and it is
 * counted; nor does it spend the amplification budget. (The datagram path
 * to port 9 and back off is test_udp.c's.)
 */
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
}

/* A datagram from the test peer's port 40000 to dport, through the data path. */
static enum ss_verdict
send_udp(struct test_env *env, uint16_t dport, const void *data, size_t len)
{
	uint8_t buf[9100];
	struct test_frame f;
	size_t n;

	test_frame_defaults(&f, 0);
	n = test_build_udp(buf, &f, 40000, dport, data, len);
	return test_input(env, buf, n, NULL, NULL);
}

/*
 * Discard answers nothing, so it must spend none of the source's
 * amplification budget: a flood of it leaves a chargen request its reply.
 */
static void
test_spends_no_budget(void **state)
{
	struct test_env *env = *state;
	static uint8_t data[1000];
	struct ss_svc_counters *c = &env->worker.stats[0].svc[SS_SVC_DISCARD][SS_UDP][SS_AF4];
	unsigned int i;

	test_env_set(env, "abuse", "amplify_rate_per_source", "1");
	test_env_set(env, "abuse", "amplify_burst_per_source", "1");
	for (i = 0; i < 100; i++)
		assert_int_equal(send_udp(env, 9, data, i % 3 == 0 ? 0 : 1000),
				SS_DROP_UDP_DISCARD);
	assert_int_equal(c->requests, 100);
	assert_int_equal(c->bytes_in, 66 * 1000);
	assert_int_equal(c->replies, 0);
	assert_int_equal(c->bytes_out, 0);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_UDP_DISCARD], 100);
	/* The budget is whole, and it is spent by what amplifies. */
	assert_int_equal(send_udp(env, 19, "x", 1), SS_VERDICT_TX);
	assert_int_equal(send_udp(env, 19, "x", 1), SS_DROP_UDP_RATELIMIT_SOURCE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_never_replies),
		cmocka_unit_test_setup_teardown(test_spends_no_budget, test_env_setup,
				test_env_teardown),
	};

	return cmocka_run_group_tests_name("discard", tests, NULL, NULL);
}
