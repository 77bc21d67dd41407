/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcp_cc.c: the retransmission timer's arithmetic (RFC 6298: first and
 * later RTT samples, clamping, back-off) and congestion control (RFC 6928
 * initial window, RFC 5681 slow start and congestion avoidance, loss
 * window, RFC 3042 limited transmit and its undo, RFC 5827 early
 * retransmit thresholds, RFC 6582 recovery entry), on a bare connection.
 */
#include "harness.h"

#include <string.h>

#include "tcp_priv.h"

static struct ss_tcp_cfg cfg;

static int
setup(void **state)
{
	struct ss_config *c = calloc(1, sizeof(*c));

	(void)state;
	assert_non_null(c);
	ss_config_defaults(c);
	cfg = c->tcp;
	free(c);
	return 0;
}

/* A connection with mss, and flight bytes outstanding from 1000. */
static void
conn(struct ss_tcp_conn *c, uint16_t mss, uint32_t flight)
{
	memset(c, 0, sizeof(*c));
	c->mss = mss;
	c->snd_una = 1000;
	c->snd_nxt = c->snd_max = 1000 + flight;
	ss_tcp_cc_init(c, &cfg);
}

static void
test_initial_window(void **state)
{
	struct ss_tcp_conn c;

	(void)state;
	/* RFC 6928: min(10 MSS, max(2 MSS, 14600)). */
	conn(&c, 1460, 0);
	assert_int_equal(c.cwnd, 14600);
	conn(&c, 536, 0);
	assert_int_equal(c.cwnd, 5360);
	conn(&c, 1220, 0);
	assert_int_equal(c.cwnd, 12200);
	conn(&c, 8960, 0);
	assert_int_equal(c.cwnd, 17920);
	assert_true(c.ssthresh >= UINT32_MAX / 4); /* "arbitrarily high" */
	assert_int_equal(c.rto, 1000);
	assert_int_equal(c.srtt, 0);
	/* The initial RTO is capped by the maximum. */
	cfg.rto_initial_ms = 5000;
	cfg.rto_max_ms = 3000;
	conn(&c, 1460, 0);
	assert_int_equal(c.rto, 3000);
}

static void
test_rtt_samples(void **state)
{
	struct ss_tcp_conn c;

	(void)state;
	conn(&c, 1460, 0);
	/* RFC 6298 2.2: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 RTTVAR (kept x8 and x4). */
	ss_tcp_cc_rtt_sample(&c, 100, &cfg);
	assert_int_equal(c.srtt, 800);
	assert_int_equal(c.rttvar, 200);
	assert_int_equal(c.rto, 300);
	/* 2.3: RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R|, SRTT = 7/8 SRTT + 1/8 R. */
	ss_tcp_cc_rtt_sample(&c, 200, &cfg);
	assert_int_equal(c.srtt, 900);   /* 112.5 */
	assert_int_equal(c.rttvar, 250); /* 62.5 */
	assert_int_equal(c.rto, 362);    /* 112.5 + 250 */
	/* A smaller sample: RTTVAR takes |delta| too. */
	ss_tcp_cc_rtt_sample(&c, 50, &cfg);
	assert_int_equal(c.srtt, 837);   /* 7/8 112.5 + 1/8 50 = 104.69 */
	assert_int_equal(c.rttvar, 250); /* 3/4 62.5 + 1/4 62.5 = 62.5 */
	assert_int_equal(c.rto, 104 + 250);
}

static void
test_rto_bounds(void **state)
{
	struct ss_tcp_conn c;

	(void)state;
	/* A LAN: sub-millisecond samples count as one tick; the floor is rto_min. */
	conn(&c, 1460, 0);
	ss_tcp_cc_rtt_sample(&c, 0, &cfg);
	assert_int_equal(c.srtt, 8);
	assert_int_equal(c.rttvar, 2);
	assert_int_equal(c.rto, 200);
	cfg.rto_min_ms = 1;
	conn(&c, 1460, 0);
	ss_tcp_cc_rtt_sample(&c, 10, &cfg);
	assert_int_equal(c.rto, 10 + 20);
	/* Huge samples: capped where srtt x8 fits 16 bits, and by rto_max. */
	conn(&c, 1460, 0);
	ss_tcp_cc_rtt_sample(&c, 100000, &cfg);
	assert_int_equal(c.srtt, 8000 * 8);
	assert_int_equal(c.rto, 8000 + 16000);
	cfg.rto_max_ms = 10000;
	conn(&c, 1460, 0);
	ss_tcp_cc_rtt_sample(&c, 5000, &cfg);
	assert_int_equal(c.rto, 10000);
}

static void
test_timeout(void **state)
{
	struct ss_tcp_conn c;
	unsigned int i;

	(void)state;
	conn(&c, 1460, 20 * 1460);
	c.dupacks = 2;
	c.flags |= SS_TCP_F_RECOVERY;
	/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 SMSS); cwnd = 1 SMSS. */
	ss_tcp_cc_timeout(&c, &cfg);
	assert_int_equal(c.ssthresh, 10 * 1460);
	assert_int_equal(c.cwnd, 1460);
	assert_false(c.flags & SS_TCP_F_RECOVERY);
	assert_int_equal(c.dupacks, 0);
	/* RFC 6298 5.5: the RTO doubles, up to rto_max. */
	assert_int_equal(c.rto, 2000);
	for (i = 0; i < 10; i++)
		ss_tcp_cc_timeout(&c, &cfg);
	assert_int_equal(c.rto, 60000);
	/* A small flight: the floor of 2 SMSS. */
	conn(&c, 1460, 1460);
	ss_tcp_cc_timeout(&c, &cfg);
	assert_int_equal(c.ssthresh, 2 * 1460);
}

static void
test_slow_start_and_avoidance(void **state)
{
	struct ss_tcp_conn c;
	uint32_t before;

	(void)state;
	conn(&c, 1000, 0);
	assert_int_equal(c.cwnd, 10000);
	/* Slow start: by what is acknowledged, at most one SMSS an ACK (RFC 5681 (2)). */
	ss_tcp_cc_acked(&c, 500);
	assert_int_equal(c.cwnd, 10500);
	ss_tcp_cc_acked(&c, 3000);
	assert_int_equal(c.cwnd, 11500);
	/* Congestion avoidance: SMSS*SMSS/cwnd an ACK, about one SMSS a window (3). */
	c.ssthresh = 11000;
	ss_tcp_cc_acked(&c, 1000);
	assert_int_equal(c.cwnd, 11500 + 1000 * 1000 / 11500);
	before = c.cwnd;
	ss_tcp_cc_acked(&c, 1000);
	assert_int_equal(c.cwnd, before + 1000 * 1000 / before);
	/* Never less than a byte. */
	c.cwnd = 2000000;
	ss_tcp_cc_acked(&c, 1000);
	assert_int_equal(c.cwnd, 2000001);
	/* In recovery the input path deflates; cc_acked leaves it. */
	c.flags |= SS_TCP_F_RECOVERY;
	ss_tcp_cc_acked(&c, 1000);
	assert_int_equal(c.cwnd, 2000001);
}

static void
test_dupacks(void **state)
{
	struct ss_tcp_conn c;

	(void)state;
	/* Ten segments out: three duplicates (RFC 5681), two limited transmits first. */
	conn(&c, 1460, 10 * 1460);
	assert_false(ss_tcp_cc_dupack(&c, false));
	assert_int_equal(c.cwnd, 11 * 1460);
	assert_false(ss_tcp_cc_dupack(&c, false));
	assert_int_equal(c.cwnd, 12 * 1460);
	assert_true(ss_tcp_cc_dupack(&c, false));
	assert_int_equal(c.ssthresh, 5 * 1460);
	assert_int_equal(c.cwnd, 8 * 1460);
	assert_int_equal(c.recover, 1000 + 10 * 1460);
	assert_true(c.flags & SS_TCP_F_RECOVERY);
	/* In recovery each one inflates by a segment and triggers nothing. */
	assert_false(ss_tcp_cc_dupack(&c, false));
	assert_int_equal(c.cwnd, 9 * 1460);
	/* Undo of limited transmit does nothing in recovery. */
	ss_tcp_cc_undo_limited(&c);
	assert_int_equal(c.cwnd, 9 * 1460);
}

static void
test_limited_transmit_undo(void **state)
{
	struct ss_tcp_conn c;

	(void)state;
	conn(&c, 1460, 10 * 1460);
	assert_false(ss_tcp_cc_dupack(&c, false));
	assert_false(ss_tcp_cc_dupack(&c, false));
	assert_int_equal(c.cwnd, 12 * 1460);
	ss_tcp_cc_undo_limited(&c);
	assert_int_equal(c.cwnd, 10 * 1460);
	/* One duplicate only: one segment back. */
	conn(&c, 1460, 10 * 1460);
	assert_false(ss_tcp_cc_dupack(&c, false));
	ss_tcp_cc_undo_limited(&c);
	assert_int_equal(c.cwnd, 10 * 1460);
	/* Never below one segment. */
	conn(&c, 1460, 10 * 1460);
	c.cwnd = 1460;
	c.dupacks = 2;
	ss_tcp_cc_undo_limited(&c);
	assert_int_equal(c.cwnd, 1460);
}

static void
test_early_retransmit(void **state)
{
	struct ss_tcp_conn c;

	(void)state;
	/* RFC 5827: fewer than four out and nothing new to send: out - 1 duplicates. */
	conn(&c, 1460, 3 * 1460);
	assert_false(ss_tcp_cc_dupack(&c, false));
	assert_true(ss_tcp_cc_dupack(&c, false));
	conn(&c, 1460, 2 * 1460);
	assert_true(ss_tcp_cc_dupack(&c, false));
	conn(&c, 1460, 1460);
	assert_true(ss_tcp_cc_dupack(&c, false));
	assert_int_equal(c.ssthresh, 2 * 1460);
	/* A partial segment counts as one. */
	conn(&c, 1460, 1460 + 100);
	assert_true(ss_tcp_cc_dupack(&c, false));
	/* Something new could go: the usual three. */
	conn(&c, 1460, 2 * 1460);
	assert_false(ss_tcp_cc_dupack(&c, true));
	assert_false(ss_tcp_cc_dupack(&c, true));
	assert_true(ss_tcp_cc_dupack(&c, true));
	/* Four or more out: three. */
	conn(&c, 1460, 4 * 1460);
	assert_false(ss_tcp_cc_dupack(&c, false));
	assert_false(ss_tcp_cc_dupack(&c, false));
	assert_true(ss_tcp_cc_dupack(&c, false));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_initial_window, setup),
		cmocka_unit_test_setup(test_rtt_samples, setup),
		cmocka_unit_test_setup(test_rto_bounds, setup),
		cmocka_unit_test_setup(test_timeout, setup),
		cmocka_unit_test_setup(test_slow_start_and_avoidance, setup),
		cmocka_unit_test_setup(test_dupacks, setup),
		cmocka_unit_test_setup(test_limited_transmit_undo, setup),
		cmocka_unit_test_setup(test_early_retransmit, setup),
	};

	return cmocka_run_group_tests_name("tcp_cc", tests, NULL, NULL);
}
