/* SPDX-License-Identifier: BSD-3-Clause */
#include "clock.h"
#include "tcp_harness.h"

int
test_tcp_setup(void **state)
{
	struct test_env *env = test_env_new();

	ss_clock_set(&env->worker.clock, T0);
	test_tcp_set_tick(env, 1);
	*state = env;
	return 0;
}

void
test_tcp_reconfigure(struct test_env *env, const char *key, const char *value)
{
	test_env_set(env, "tcp", key, value);
	ss_clock_set(&env->worker.clock, T0);
	test_tcp_set_tick(env, 1);
}

void
test_check_seg(const struct test_seg *s, uint8_t flags, uint32_t seq, uint32_t ack, size_t len)
{
	assert_int_equal(s->flags, flags);
	assert_int_equal(s->seq, seq);
	assert_int_equal(s->ack, ack);
	assert_int_equal(s->len, len);
}

struct ss_tcp_counters *
test_tcp_ctr(struct test_env *env, enum ss_svc svc, int ipv6)
{
	return &env->worker.stats[0].tcp[svc][ipv6 ? SS_AF6 : SS_AF4];
}

uint64_t
test_tcp_event(struct test_env *env, enum ss_tcp_event e)
{
	return env->worker.stats[0].tcp_event[e];
}
