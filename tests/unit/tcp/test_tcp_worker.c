/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcp_worker.c: the clock and the timers of a worker's TCP, and the ends
 * of a connection's life. The clock is driven by hand (test_tcp_set_tick):
 * SYN-ACK retransmission with back-off and its limit, the retransmission
 * timeout (RFC 6298: back-off, go-back-N that regenerates the same bytes,
 * the limit and its RST), RTT samples and Karn's rule, window probes and
 * the zero-window timeout, the idle and FIN-WAIT-2 timeouts, TIME-WAIT
 * (expiry, restart, reuse by a new SYN, taken when the table is full).
 * The table and per-source caps are test_tcp_listen.c's.
 */
#include "harness.h"

#include <netinet/in.h>
#include <string.h>

#include <rte_tcp.h>

#include "clock.h"
#include "stats.h"
#include "tcp_priv.h"
#include "tcp_harness.h"

static struct test_seg segs[TEST_SEGS_MAX];

static unsigned int
drain(struct test_env *env)
{
	return test_tcp_drain(env, segs, TEST_SEGS_MAX);
}

/* Nothing may happen before tick at; then exactly n segments. */
static void
quiet_until(struct test_env *env, uint32_t at, unsigned int n)
{
	test_tcp_set_tick(env, at - 1);
	assert_int_equal(drain(env), 0);
	test_tcp_set_tick(env, at);
	assert_int_equal(drain(env), n);
}

static void
test_clock(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp *tcp = &env->worker.tcp;

	/* Ticks are milliseconds of the TSC, from 1 at start-up. */
	assert_true(tcp->cycles_per_tick >= 1);
	assert_int_equal(tcp->cycles_per_tick, env->worker.hz / 1000);
	env->worker.now = tcp->tsc_base + 5 * tcp->cycles_per_tick - 1;
	ss_tcp_timers(&env->worker);
	assert_int_equal(tcp->tick, 5);
	env->worker.now = tcp->tsc_base + 5 * tcp->cycles_per_tick;
	ss_tcp_timers(&env->worker);
	assert_int_equal(tcp->tick, 6);
}

static void
test_synack_retransmit(void **state)
{
	struct test_env *env = *state;
	const uint32_t at[] = { 1001, 3001, 7001, 15001, 31001 };
	struct test_seg first;
	struct test_peer p;
	unsigned int i;

	/* Daytime speaks first: a lost SYN-ACK must not leave the client waiting. */
	test_peer_init(&p, env, 0, NULL, 40000, DAYTIME, 700);
	test_peer_syn(&p, 1460, 7, 1, &first);
	for (i = 0; i < RTE_DIM(at); i++) {
		/* Again after the RTO, doubled each time (RFC 6298 5.5). */
		quiet_until(env, at[i], 1);
		test_check_seg(&segs[0], F_SYN | F_ACK, first.seq, 701, 0);
		assert_int_equal(segs[0].mss, first.mss);
		assert_int_equal(segs[0].wscale, first.wscale);
		assert_int_equal(segs[0].sack_ok, 1);
		assert_int_equal(segs[0].win, 65535);
		assert_int_equal(test_tcp_event(env, SS_TCP_EV_SYNACK_RETRANSMIT), i + 1);
	}
	/* syn_retries (5) spent: the entry goes, silently. */
	quiet_until(env, 63001, 0);
	assert_null(test_peer_conn(&p));
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_HANDSHAKE_TIMEOUT), 1);
	assert_int_equal(env->worker.tcp.table.half_open, 0);
	assert_int_equal(env->worker.tcp.table.used, 0);
	assert_int_equal(test_tcp_ctr(env, SS_SVC_DAYTIME, 0)->closed, 0);
}

static void
test_synack_retransmit_then_ack(void **state)
{
	struct test_env *env = *state;
	struct test_peer p;

	test_peer_init(&p, env, 0, NULL, 40000, DAYTIME, 700);
	test_peer_syn(&p, 1460, -1, 0, NULL);
	quiet_until(env, 1001, 1);
	/* The retransmitted SYN-ACK gets through: the line and the FIN at once. */
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH | F_FIN, p.our_iss + 1, 701, DAYTIME_LEN);
	assert_memory_equal(segs[0].data, DAYTIME_T0, DAYTIME_LEN);
	/* No handshake timer left behind. */
	test_tcp_set_tick(env, 3001 + 1);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SYNACK_RETRANSMIT), 1);
}

static void
test_syn_retries_zero(void **state)
{
	struct test_env *env = *state;
	struct test_peer p;

	test_tcp_reconfigure(env, "syn_retries", "0");
	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 700);
	test_peer_syn(&p, 1460, -1, 0, NULL);
	quiet_until(env, 1001, 0);
	assert_null(test_peer_conn(&p));
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_HANDSHAKE_TIMEOUT), 1);
}

static void
test_rto_backoff_limit(void **state)
{
	struct test_env *env = *state;
	const uint32_t at[] = { 1001, 3001, 7001, 15001, 31001, 63001, 123001, 183001 };
	struct ss_tcp_conn *c;
	struct test_peer p;
	unsigned int i;
	uint32_t us;

	test_peer_init(&p, env, 0, NULL, 40000, CHARGEN, 700);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	assert_int_equal(drain(env), 10);
	/* Nothing acknowledged: the first segment again, the same bytes, back-off to 60 s. */
	for (i = 0; i < RTE_DIM(at); i++) {
		quiet_until(env, at[i], 1);
		test_check_seg(&segs[0], F_ACK, us, 701, 1460);
		test_chargen_check(segs[0].data, 0, 1460);
		assert_int_equal(test_tcp_event(env, SS_TCP_EV_RTO), i + 1);
		assert_int_equal(test_tcp_ctr(env, SS_SVC_CHARGEN, 0)->retransmits, i + 1);
		assert_int_equal(c->cwnd, 1460);
		assert_int_equal(c->ssthresh, 7300);
	}
	assert_int_equal(c->rto, 60000);
	/* max_retries (8) spent: RST, and the connection is gone. */
	quiet_until(env, 243001, 1);
	assert_int_equal(segs[0].flags, F_RST | F_ACK);
	assert_true(segs[0].seq - us <= 1460);
	assert_null(test_peer_conn(&p));
	assert_int_equal(test_tcp_ctr(env, SS_SVC_CHARGEN, 0)->timed_out, 1);
	assert_int_equal(test_tcp_ctr(env, SS_SVC_CHARGEN, 0)->closed, 1);
	assert_int_equal(env->worker.tcp.table.used, 0);
}

static void
test_rto_go_back_n(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_peer p;
	unsigned int i;
	uint32_t us;

	test_peer_init(&p, env, 0, NULL, 40000, CHARGEN, 700);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	assert_int_equal(drain(env), 10);
	quiet_until(env, 1001, 1);
	/* The resent segment is acknowledged: slow start resends what follows. */
	p.rcv_nxt = us + 1460;
	test_tcp_set_tick(env, 1100);
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 2);
	for (i = 0; i < 2; i++) {
		test_check_seg(&segs[i], F_ACK, us + (1 + i) * 1460, 701, 1460);
		test_chargen_check(segs[i].data, (1 + i) * 1460, 1460);
	}
	assert_int_equal(test_tcp_ctr(env, SS_SVC_CHARGEN, 0)->retransmits, 3);
	/* Karn: nothing timed across the retransmission. */
	assert_int_equal(c->srtt, 0);
	assert_int_equal(c->rto, 2000);
	p.rcv_nxt = us + 3 * 1460;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 3);
	test_check_seg(&segs[2], F_ACK, us + 5 * 1460, 701, 1460);
	test_chargen_check(segs[2].data, 5 * 1460, 1460);
	assert_int_equal(test_tcp_ctr(env, SS_SVC_CHARGEN, 0)->retransmits, 6);
	/* The peer had the rest: past what was sent before the timeout, all is new. */
	p.rcv_nxt = us + 10 * 1460;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 4);
	assert_int_equal(test_tcp_ctr(env, SS_SVC_CHARGEN, 0)->retransmits, 6);
	test_check_seg(&segs[0], F_ACK, us + 10 * 1460, 701, 1460);
	test_check_seg(&segs[3], F_ACK, us + 13 * 1460, 701, 1460);
	test_chargen_check(segs[3].data, 13 * 1460, 1460);
}

static void
test_rto_daytime_same_bytes(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us;

	test_peer_init(&p, env, 0, NULL, 40000, DAYTIME, 700);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	assert_int_equal(drain(env), 1);
	/* Seconds later the line is made again for the time of the handshake. */
	ss_clock_set(&env->worker.clock, T0 + 5);
	quiet_until(env, 1001, 1);
	test_check_seg(&segs[0], F_ACK | F_PSH | F_FIN, us, 701, DAYTIME_LEN);
	assert_memory_equal(segs[0].data, DAYTIME_T0, DAYTIME_LEN);
	assert_int_equal(c->state, SS_TCP_FIN_WAIT_1);
	assert_int_equal(test_tcp_ctr(env, SS_SVC_DAYTIME, 0)->retransmits, 1);
	/* Only the data acknowledged: the FIN alone goes again. */
	p.rcv_nxt = us + DAYTIME_LEN;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 0);
	quiet_until(env, 1001 + 2000, 1);
	test_check_seg(&segs[0], F_ACK | F_FIN, us + DAYTIME_LEN, 701, 0);
}

static void
test_last_ack_fin_retransmit(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us;

	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 700);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	test_tcp_set_tick(env, 10);
	assert_int_equal(test_peer_data(&p, F_FIN, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	assert_int_equal(c->state, SS_TCP_LAST_ACK);
	quiet_until(env, 1010, 1);
	test_check_seg(&segs[0], F_ACK | F_FIN, us, 702, 0);
	assert_int_equal(c->state, SS_TCP_LAST_ACK);
	p.rcv_nxt = us + 1;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_null(test_peer_conn(&p));
}

static void
test_rtt_samples(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us;

	test_peer_init(&p, env, 0, NULL, 40000, CHARGEN, 700);
	test_peer_connect(&p, 1460, -1, 0);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	assert_int_equal(drain(env), 10);
	assert_int_equal(c->rto, 1000);
	/* First sample, 100 ms (RFC 6298 2.2): SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 RTTVAR. */
	test_tcp_set_tick(env, 101);
	p.rcv_nxt = us + 1460;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(c->srtt, 100 * 8);
	assert_int_equal(c->rttvar, 50 * 4);
	assert_int_equal(c->rto, 300);
	assert_int_equal(drain(env), 2);
	/* The next segment timed is the first sent now; 200 ms (RFC 6298 2.3). */
	test_tcp_set_tick(env, 301);
	p.rcv_nxt = us + 12 * 1460;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(c->srtt, 900);   /* 7/8 100 + 1/8 200 = 112.5 ms */
	assert_int_equal(c->rttvar, 250); /* 3/4 50 + 1/4 100 = 62.5 ms */
	assert_int_equal(c->rto, 362);
	assert_int_equal(drain(env), 12);
	/* A timeout: back-off, and no sample from what was resent (Karn). */
	quiet_until(env, 301 + 362, 1);
	assert_int_equal(c->rto, 724);
	test_tcp_set_tick(env, 900);
	p.rcv_nxt = us + 13 * 1460;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(c->srtt, 900);
	assert_int_equal(c->rttvar, 250);
	assert_int_equal(c->rto, 724);
}

static void
test_window_probe(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t us;

	test_peer_init(&p, env, 0, NULL, 40000, CHARGEN, 700);
	test_peer_syn(&p, 1460, -1, 0, NULL);
	p.win = 0;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	c = test_peer_conn(&p);
	us = p.our_iss + 1;
	/* A shut window: nothing goes, but a probe after the RTO, backing off. */
	assert_int_equal(drain(env), 0);
	quiet_until(env, 1001, 1);
	test_check_seg(&segs[0], F_ACK, us - 1, 701, 0);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_WINDOW_PROBE), 1);
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP); /* still shut */
	assert_int_equal(drain(env), 0);
	quiet_until(env, 3001, 1);
	test_check_seg(&segs[0], F_ACK, us - 1, 701, 0);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_WINDOW_PROBE), 2);
	/* It opens a little before the next probe: the stream flows... */
	test_tcp_set_tick(env, 7000);
	p.win = 65535;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 10);
	test_chargen_check(segs[0].data, 0, 1460);
	/* ... and the probe's deadline is not taken for the new data's RTO. */
	test_tcp_set_tick(env, 7000 + c->rto - 1);
	assert_int_equal(drain(env), 0);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_WINDOW_PROBE), 2);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_RTO), 0);
}

static void
test_zero_window_timeout(void **state)
{
	struct test_env *env = *state;
	struct test_peer p;
	unsigned int n, i;

	test_peer_init(&p, env, 0, NULL, 40000, CHARGEN, 700);
	test_peer_syn(&p, 1460, -1, 0, NULL);
	p.win = 0;
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	/* The peer answers every probe, with its window still shut. */
	for (i = 2; i <= 60000; i += 1000) {
		test_tcp_set_tick(env, i);
		n = drain(env);
		if (n > 0) {
			assert_int_equal(n, 1);
			assert_int_equal(segs[0].flags, F_ACK);
			assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
		}
	}
	test_tcp_set_tick(env, 60000);
	assert_int_equal(drain(env), 0);
	assert_non_null(test_peer_conn(&p));
	/* zero_window_timeout_ms after it shut: RST. */
	test_tcp_set_tick(env, 60001);
	assert_int_equal(drain(env), 1);
	assert_int_equal(segs[0].flags, F_RST | F_ACK);
	assert_null(test_peer_conn(&p));
	assert_int_equal(test_tcp_ctr(env, SS_SVC_CHARGEN, 0)->timed_out, 1);
	assert_true(test_tcp_event(env, SS_TCP_EV_WINDOW_PROBE) >= 5);
}

static void
test_idle_timeout(void **state)
{
	struct test_env *env = *state;
	const uint16_t ports[] = { ECHO, DISCARD };
	struct test_peer p;
	unsigned int i;

	for (i = 0; i < RTE_DIM(ports); i++) {
		uint32_t t = 1000 + 400000 * i;

		test_tcp_set_tick(env, t - 500);
		test_peer_init(&p, env, 0, NULL, 40000 + i, ports[i], 700);
		test_peer_connect(&p, 1460, -1, 0);
		test_tcp_set_tick(env, t);
		assert_int_equal(test_peer_data(&p, F_PSH, "x", 1), SS_VERDICT_TCP);
		assert_int_equal(drain(env), 1);
		p.rcv_nxt = test_peer_conn(&p)->snd_max;
		assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
		assert_int_equal(drain(env), 0);
		/* idle_timeout_ms after the last segment from the peer: RST. */
		test_tcp_set_tick(env, t + 300000 - 1);
		assert_int_equal(drain(env), 0);
		assert_non_null(test_peer_conn(&p));
		test_tcp_set_tick(env, t + 300000);
		assert_int_equal(drain(env), 1);
		test_check_seg(&segs[0], F_RST | F_ACK, p.rcv_nxt, p.snd_nxt, 0);
		assert_null(test_peer_conn(&p));
		assert_int_equal(test_tcp_ctr(env, ports[i] == ECHO ? SS_SVC_ECHO : SS_SVC_DISCARD,
						 0)
						 ->timed_out,
				1);
	}
}

static void
test_fin_wait_2_timeout(void **state)
{
	struct test_env *env = *state;
	struct test_peer p;

	test_tcp_set_tick(env, 10);
	test_tcp_fin_wait_2(env, &p, NULL, 40000);
	test_tcp_set_tick(env, 10 + 60000 - 1);
	assert_int_equal(drain(env), 0);
	assert_non_null(test_peer_conn(&p));
	/* fin_wait2_timeout_ms: gone without a word (the peer has our FIN). */
	test_tcp_set_tick(env, 10 + 60000);
	assert_int_equal(drain(env), 0);
	assert_null(test_peer_conn(&p));
	assert_int_equal(test_tcp_ctr(env, SS_SVC_DAYTIME, 0)->timed_out, 1);
	assert_int_equal(test_tcp_ctr(env, SS_SVC_DAYTIME, 0)->closed, 1);
}

static void
test_time_wait_expiry(void **state)
{
	struct test_env *env = *state;
	struct test_peer p1, p2;

	test_tcp_set_tick(env, 10);
	test_tcp_time_wait(env, &p1, NULL, 40001);
	test_tcp_set_tick(env, 20);
	test_tcp_time_wait(env, &p2, NULL, 40002);
	assert_int_equal(env->worker.tcp.table.tw_count, 2);
	/* time_wait_ms each, the oldest first. */
	test_tcp_set_tick(env, 10 + 60000 - 1);
	assert_non_null(test_peer_conn(&p1));
	test_tcp_set_tick(env, 10 + 60000);
	assert_null(test_peer_conn(&p1));
	assert_non_null(test_peer_conn(&p2));
	test_tcp_set_tick(env, 20 + 60000);
	assert_null(test_peer_conn(&p2));
	assert_int_equal(env->worker.tcp.table.tw_count, 0);
	assert_int_equal(env->worker.tcp.table.used, 0);
	assert_int_equal(drain(env), 0);
	/* Open, then closed: counted once. */
	assert_int_equal(test_tcp_ctr(env, SS_SVC_DAYTIME, 0)->closed, 2);
}

static void
test_time_wait_restart(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_peer p;
	uint32_t fin;

	test_tcp_set_tick(env, 10);
	c = test_tcp_time_wait(env, &p, NULL, 40000);
	fin = p.snd_nxt - 1;
	/* Its FIN again (our ACK was lost): ACKed, and TIME-WAIT starts over. */
	test_tcp_set_tick(env, 30000);
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_FIN | F_ACK,
							 SEQ(fin) },
					 NULL),
			SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK, c->snd_max, fin + 1, 0);
	test_tcp_set_tick(env, 10 + 60000);
	assert_ptr_equal(test_peer_conn(&p), c);
	assert_int_equal(c->state, SS_TCP_TIME_WAIT);
	test_tcp_set_tick(env, 30000 + 60000);
	assert_null(test_peer_conn(&p));
}

static void
test_time_wait_zero(void **state)
{
	struct test_env *env = *state;
	struct test_peer p;
	uint32_t fin;

	/* time_wait_ms = 0: no TIME-WAIT, but the FIN is still ACKed. */
	test_tcp_reconfigure(env, "time_wait_ms", "0");
	test_tcp_fin_wait_2(env, &p, NULL, 40000);
	fin = p.snd_nxt;
	assert_int_equal(test_peer_data(&p, F_FIN, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK, p.rcv_nxt, fin + 1, 0);
	assert_null(test_peer_conn(&p));
	assert_int_equal(env->worker.tcp.table.used, 0);
}

static void
test_time_wait_new_syn(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_seg sa;
	struct test_peer p;
	uint32_t rcv, snd;

	c = test_tcp_time_wait(env, &p, NULL, 40000);
	rcv = c->rcv_nxt;
	snd = c->snd_max;
	/* A SYN at or below RCV.NXT is an old duplicate: ACK, TIME-WAIT stays. */
	assert_int_equal(test_peer_seg(&p, &(struct test_seg_spec){ .flags = F_SYN, SEQ(rcv - 1) },
					 NULL),
			SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK, snd, rcv, 0);
	assert_int_equal(c->state, SS_TCP_TIME_WAIT);
	/* Above it (RFC 9293, RFC 6191): a new connection on the same tuple. */
	p.iss = rcv + 100000;
	test_peer_syn(&p, 1460, -1, 0, &sa);
	assert_int_equal(sa.ack, rcv + 100001);
	c = test_peer_conn(&p);
	assert_non_null(c);
	assert_int_equal(c->state, SS_TCP_SYN_RECEIVED);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_TIME_WAIT_REUSED), 1);
	assert_int_equal(env->worker.tcp.table.tw_count, 0);
	assert_int_equal(env->worker.tcp.table.used, 1);
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH | F_FIN, sa.seq + 1, rcv + 100001, DAYTIME_LEN);
}

static void
test_table_full_time_wait(void **state)
{
	struct test_env *env = *state;
	struct test_peer p1, p2, p3;

	/* Two slots, both in TIME-WAIT: a new connection takes the older one. */
	test_tcp_reconfigure(env, "max_connections", "2");
	assert_int_equal(env->worker.tcp.table.capacity, 2);
	test_tcp_set_tick(env, 10);
	test_tcp_time_wait(env, &p1, NULL, 40001);
	test_tcp_set_tick(env, 20);
	test_tcp_time_wait(env, &p2, NULL, 40002);
	test_peer_init(&p3, env, 0, NULL, 40003, ECHO, 1);
	test_peer_syn(&p3, 1460, -1, 0, NULL);
	assert_non_null(test_peer_conn(&p3));
	assert_null(test_peer_conn(&p1));
	assert_non_null(test_peer_conn(&p2));
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_TIME_WAIT_REUSED), 1);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_TABLE_FULL), 0);
	assert_int_equal(env->worker.tcp.table.tw_count, 1);
	assert_int_equal(env->worker.tcp.table.used, 2);
}

static void
test_flush_output_list(void **state)
{
	struct test_env *env = *state;
	struct test_peer p;
	unsigned int i;

	/* Many segments in one burst for one connection: one ACK for them all. */
	test_peer_init(&p, env, 0, NULL, 40000, DISCARD, 1);
	test_peer_connect(&p, 1460, -1, 0);
	for (i = 0; i < 5; i++)
		assert_int_equal(test_peer_data(&p, 0, "abcd", 4), SS_VERDICT_TCP);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK, p.our_iss + 1, 2 + 20, 0);
	assert_int_equal(env->worker.tcp.n_pending, 0);
	/* Marked, then ended before the flush: nothing owed. */
	assert_int_equal(test_peer_data(&p, 0, "abcd", 4), SS_VERDICT_TCP);
	assert_int_equal(env->worker.tcp.n_pending, 1);
	assert_int_equal(test_peer_seg(&p, &(struct test_seg_spec){ .flags = F_RST }, NULL),
			SS_VERDICT_TCP);
	assert_int_equal(drain(env), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_clock, test_tcp_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_synack_retransmit, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_synack_retransmit_then_ack, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_syn_retries_zero, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_rto_backoff_limit, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_rto_go_back_n, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_rto_daytime_same_bytes, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_last_ack_fin_retransmit, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_rtt_samples, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_window_probe, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_zero_window_timeout, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_idle_timeout, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_fin_wait_2_timeout, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_time_wait_expiry, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_time_wait_restart, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_time_wait_zero, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_time_wait_new_syn, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_table_full_time_wait, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_flush_output_list, test_tcp_setup,
				test_env_teardown),
	};

	return cmocka_run_group_tests_name("tcp_worker", tests, NULL, NULL);
}
