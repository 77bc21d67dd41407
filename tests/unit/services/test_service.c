/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The service table (names, ports, lookups) and ss_svc_udp_reply's
 * dispatch: each service answers with its own bytes and keeps its own state.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "chargen.h"
#include "cksum.h"
#include "clock.h"
#include "config.h"
#include "daytime.h"
#include "qotd.h"
#include "service.h"
#include "stats.h"

#define T_2022_11_18 1668772998 /* Fri 2022-11-18 12:03:18 UTC */

static struct ss_config *cfg;
static struct ss_clock clk;
static struct ss_svc_state st;

static int
setup(void **state)
{
	char err[256];

	(void)state;
	cfg = malloc(sizeof(*cfg));
	if (cfg == NULL)
		return -1;
	ss_config_defaults(cfg);
	if (ss_config_set(cfg, "port0", "ipv4", "192.0.2.1/24", err, sizeof(err)) != 0 ||
			ss_config_finish(cfg, err, sizeof(err)) != 0)
		return -1;
	ss_daytime_apply_timezone(&cfg->daytime);
	ss_clock_init(&clk, &cfg->daytime, cfg->abuse.clock_min_year, 1000000);
	ss_clock_set(&clk, T_2022_11_18);
	memset(&st, 0, sizeof(st));
	st.cfg = cfg;
	st.clock = &clk;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(cfg);
	cfg = NULL;
	return 0;
}

static void
test_table(void **state)
{
	static const struct {
		enum ss_svc svc;
		const char *name;
		uint16_t port;
	} want[] = {
		{ SS_SVC_ECHO, "echo", 7 },
		{ SS_SVC_DISCARD, "discard", 9 },
		{ SS_SVC_DAYTIME, "daytime", 13 },
		{ SS_SVC_QOTD, "qotd", 17 },
		{ SS_SVC_CHARGEN, "chargen", 19 },
		{ SS_SVC_TIME, "time", 37 },
	};
	unsigned int i;

	(void)state;
	assert_int_equal(RTE_DIM(want), SS_SVC_MAX);
	for (i = 0; i < RTE_DIM(want); i++) {
		assert_string_equal(ss_svc_name(want[i].svc), want[i].name);
		assert_int_equal(ss_svc_default_port(want[i].svc), want[i].port);
		assert_int_equal(ss_svc_by_name(want[i].name), want[i].svc);
	}
	assert_string_equal(ss_svc_name(SS_SVC_NONE), "none");
	assert_int_equal(ss_svc_default_port(SS_SVC_NONE), 0);
	assert_int_equal(ss_svc_by_name(""), SS_SVC_NONE);
	assert_int_equal(ss_svc_by_name("Echo"), SS_SVC_NONE);
	assert_int_equal(ss_svc_by_name("echo "), SS_SVC_NONE);
	assert_int_equal(ss_svc_by_name("none"), SS_SVC_NONE);
	assert_int_equal(ss_svc_by_name("chargenx"), SS_SVC_NONE);
	assert_string_equal(ss_transport_name(SS_UDP), "udp");
	assert_string_equal(ss_transport_name(SS_TCP), "tcp");
	assert_string_equal(ss_family_name(SS_AF4), "ipv4");
	assert_string_equal(ss_family_name(SS_AF6), "ipv6");
}

static void
test_echo(void **state)
{
	uint8_t req[100], out[100];

	(void)state;
	memcpy(req, "hello, echo", 11);
	memset(out, 0, sizeof(out));
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_ECHO, req, 11, out, sizeof(out)), 11);
	assert_memory_equal(out, "hello, echo", 11);
	assert_int_equal(out[11], 0);
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_ECHO, req, 11, req, sizeof(req)), 11);
	assert_memory_equal(req, "hello, echo", 11);
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_ECHO, req, 0, out, sizeof(out)), 0);
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_ECHO, req, 11, out, 10),
			-SS_DROP_REPLY_TOO_BIG);
}

static void
test_discard(void **state)
{
	uint8_t req[8] = "discard", out[8] = { 0 };

	(void)state;
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_DISCARD, req, 7, out, sizeof(out)),
			-SS_DROP_UDP_DISCARD);
	assert_int_equal(out[0], 0);
}

static void
test_daytime(void **state)
{
	static const char want[] = "Fri Nov 18 12:03:18 2022\r\n";
	uint8_t out[200] = { 0 };

	(void)state;
	/* The request's content does not matter, an empty one included. */
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_DAYTIME, out, 0, out, sizeof(out)), 26);
	assert_memory_equal(out, want, 26);
	memcpy(out, "help\r\n\r\n", 8);
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_DAYTIME, out, 8, out, sizeof(out)), 26);
	assert_memory_equal(out, want, 26);
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_DAYTIME, out, 0, out, 25),
			-SS_DROP_REPLY_TOO_BIG);
}

static void
test_time(void **state)
{
	uint8_t out[16] = { 0 };

	(void)state;
	memset(out, 0, sizeof(out));
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_TIME, out, 0, out, sizeof(out)), 4);
	assert_memory_equal(out, ((const uint8_t[]){ 0xe7, 0x21, 0xf3, 0x06, 0 }), 5);
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_TIME, out, 1, out, 3),
			-SS_DROP_REPLY_TOO_BIG);
}

static void
test_clock_unset(void **state)
{
	uint8_t out[200] = { 0 };

	(void)state;
	ss_clock_set(&clk, 644198400); /* 1990: before clock_min_year 2000 */
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_DAYTIME, out, 0, out, sizeof(out)),
			-SS_DROP_CLOCK_UNSET);
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_TIME, out, 0, out, sizeof(out)),
			-SS_DROP_CLOCK_UNSET);
	/* The others do not depend on the clock. */
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_ECHO, out, 3, out, sizeof(out)), 3);
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_CHARGEN, out, 0, out, sizeof(out)), 74);
	ss_clock_set(&clk, T_2022_11_18);
}

static void
test_qotd(void **state)
{
	const char *q = ss_qotd_quote(cfg, 0);
	uint8_t out[600] = { 0 };

	(void)state;
	assert_int_equal(st.qotd_next, 0);
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_QOTD, out, 0, out, sizeof(out)), strlen(q));
	assert_memory_equal(out, q, strlen(q));
	assert_int_equal(st.qotd_next, 1);
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_QOTD, out, 0, out, 10),
			-SS_DROP_REPLY_TOO_BIG);
	assert_int_equal(st.qotd_next, 1);
}

static void
test_chargen(void **state)
{
	uint8_t out[600] = { 0 }, want[74];
	unsigned int i;

	(void)state;
	st.chargen_line = 0;
	cfg->chargen_udp_mode = SS_CHARGEN_UDP_LINE;
	for (i = 0; i < 3; i++) {
		assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_CHARGEN, out, 5, out, sizeof(out)),
				74);
		ss_chargen_fill(want, i * 74, 74);
		assert_memory_equal(out, want, 74);
		assert_int_equal(st.chargen_line, i + 1);
	}
	assert_int_equal(out[0], '"'); /* line 2 starts two past space */
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_CHARGEN, out, 0, out, 73),
			-SS_DROP_REPLY_TOO_BIG);
	/* The configured mode is the one used. */
	cfg->chargen_udp_mode = SS_CHARGEN_UDP_RANDOM;
	for (i = 0; i < 50; i++) {
		int n = ss_svc_udp_reply(&st, SS_SVC_CHARGEN, out, 0, out, sizeof(out));

		assert_in_range(n, 0, SS_CHARGEN_UDP_MAX);
	}
	cfg->chargen_udp_mode = SS_CHARGEN_UDP_LINE;
}

static void
test_states_independent(void **state)
{
	struct ss_svc_state other = { .cfg = NULL, .clock = NULL };
	uint8_t out[600] = { 0 };

	(void)state;
	/* Two workers' states: one's counters do not move the other's. */
	other.cfg = cfg;
	other.clock = &clk;
	st.chargen_line = 7;
	assert_int_equal(ss_svc_udp_reply(&other, SS_SVC_CHARGEN, out, 0, out, sizeof(out)), 74);
	assert_int_equal(other.chargen_line, 1);
	assert_int_equal(st.chargen_line, 7);
	assert_int_equal(out[0], ' ');
}

/* ss_svc_udp_sum() agrees with the bytes of the reply, or declines. */
static void
reply_sum_matches(enum ss_svc svc)
{
	uint8_t out[600] = { 0 };
	uint64_t sum = 0;
	int n;

	n = ss_svc_udp_reply(&st, svc, out, 3, out, sizeof(out));
	assert_true(n >= 0);
	assert_true(ss_svc_udp_sum(&st, svc, n, &sum));
	assert_int_equal(ss_cksum_fold(sum), ss_cksum_fold(ss_cksum_add(out, n, 0)));
}

static void
test_reply_sums(void **state)
{
	uint64_t sum = 0;
	unsigned int i;

	(void)state;
	reply_sum_matches(SS_SVC_DAYTIME);
	reply_sum_matches(SS_SVC_TIME);
	/* chargen: every line of the ring, then odd and even random lengths. */
	cfg->chargen_udp_mode = SS_CHARGEN_UDP_LINE;
	st.chargen_line = 0;
	for (i = 0; i < SS_CHARGEN_RING + 2; i++)
		reply_sum_matches(SS_SVC_CHARGEN);
	cfg->chargen_udp_mode = SS_CHARGEN_UDP_RANDOM;
	for (i = 0; i < 200; i++)
		reply_sum_matches(SS_SVC_CHARGEN);
	cfg->chargen_udp_mode = SS_CHARGEN_UDP_LINE;
	/* A new second: the cached sum follows the new line. */
	ss_clock_set(&clk, T_2022_11_18 + 86400 * 3 + 3600 * 11 + 7);
	reply_sum_matches(SS_SVC_DAYTIME);
	reply_sum_matches(SS_SVC_TIME);
	ss_clock_set(&clk, T_2022_11_18);
	/* echo and qotd are summed from their bytes. */
	assert_false(ss_svc_udp_sum(&st, SS_SVC_ECHO, 3, &sum));
	assert_false(ss_svc_udp_sum(&st, SS_SVC_QOTD, 3, &sum));
}

static void
test_unknown_service(void **state)
{
	uint8_t out[16] = { 0 };

	(void)state;
	assert_int_equal(ss_svc_udp_reply(&st, SS_SVC_NONE, out, 4, out, sizeof(out)),
			-SS_DROP_UDP_DISCARD);
	assert_int_equal(ss_svc_udp_reply(&st, (enum ss_svc)200, out, 4, out, sizeof(out)),
			-SS_DROP_UDP_DISCARD);
	assert_int_equal(out[0], 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_echo),
		cmocka_unit_test(test_discard),
		cmocka_unit_test(test_daytime),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_clock_unset),
		cmocka_unit_test(test_qotd),
		cmocka_unit_test(test_chargen),
		cmocka_unit_test(test_states_independent),
		cmocka_unit_test(test_reply_sums),
		cmocka_unit_test(test_unknown_service),
	};

	/* rte_rand() draws chargen's random lengths. */
	test_eal_init();
	return cmocka_run_group_tests_name("service", tests, setup, teardown);
}
