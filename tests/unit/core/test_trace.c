/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trace.c, through ss_worker_process(): off, a burst leaves no entry; armed,
 * the first packets of a burst get an entry each (the frame, its verdict,
 * its reply) while the burst's replies and counters are what they are
 * untraced; arming spans bursts and saturates; a full array counts what it
 * could not keep and rewrites nothing; traced TCP segments' entries have
 * their connection's state and what the burst queued for it.
 */
#include "harness.h"
#include "tcp_harness.h"

#include <netinet/in.h>
#include <string.h>

#include <rte_tcp.h>

#include "stats.h"
#include "trace.h"
#include "trace_decode.h"

/* The frames of a burst, and what each becomes untraced. */
enum kind { K_ECHO4, K_BAD_UDP, K_ARP, K_DISCARD6, K_RUNT, K_DAYTIME, K_MAX };

static const enum ss_verdict expect[K_MAX] = {
	[K_ECHO4] = SS_VERDICT_TX,
	[K_BAD_UDP] = SS_DROP_UDP_CKSUM,
	[K_ARP] = SS_VERDICT_TX,
	[K_DISCARD6] = SS_DROP_UDP_DISCARD,
	[K_RUNT] = SS_DROP_ETH_RUNT,
	[K_DAYTIME] = SS_VERDICT_TX,
};

static size_t
frame_bytes(enum kind k, uint8_t *buf)
{
	struct test_frame f;
	size_t len = 0;

	test_frame_defaults(&f, k == K_DISCARD6);
	switch (k) {
	case K_ECHO4:
		len = test_build_udp(buf, &f, 40000, 7, "echo", 4);
		break;
	case K_BAD_UDP:
		len = test_build_udp(buf, &f, 40000, 7, "bad", 3);
		buf[len - 1] ^= 1;
		break;
	case K_ARP:
		len = test_build_arp_request(buf, TEST_IP4_US);
		break;
	case K_DISCARD6:
		len = test_build_udp(buf, &f, 40000, 9, "gone", 4);
		break;
	case K_RUNT:
		test_build_udp(buf, &f, 40000, 7, "echo", 4);
		len = 10;
		break;
	case K_DAYTIME:
		len = test_build_udp(buf, &f, 40000, 13, NULL, 0);
		break;
	default:
		fail();
	}
	return len;
}

/* n frames cycling through the kinds from kind first. */
static void
burst(struct test_env *env, struct rte_mbuf **pkts, uint16_t n, unsigned int first)
{
	uint8_t buf[9100];
	uint16_t i;

	for (i = 0; i < n; i++) {
		enum kind k = (first + i) % K_MAX;

		pkts[i] = test_mbuf(env, buf, frame_bytes(k, buf));
	}
}

static const struct ss_trace *
trace_of(struct test_env *env)
{
	return &env->worker.trace;
}

static void
test_off(void **state)
{
	struct test_env *env = *state;
	struct rte_mbuf *pkts[K_MAX];
	uint16_t nb_tx;

	assert_int_equal(ss_trace_pending(trace_of(env)), 0);
	burst(env, pkts, K_MAX, 0);
	nb_tx = ss_worker_process(&env->worker, 0, pkts, K_MAX);
	assert_int_equal(nb_tx, 3);
	assert_int_equal(ss_trace_count(trace_of(env)), 0);
	assert_int_equal(ss_trace_missed(trace_of(env)), 0);
	rte_pktmbuf_free_bulk(pkts, nb_tx);
}

/*
 * Armed for 4, a burst of 2 * K_MAX: the first four get entries, in order,
 * each with its frame, verdict and (answered) reply; the burst's replies are
 * all of them, in order, and the counters those of an untraced burst.
 */
static void
test_armed_burst(void **state)
{
	struct test_env *env = *state;
	const struct ss_stats *st = &env->worker.stats[0];
	struct rte_mbuf *pkts[2 * K_MAX], *orig[2 * K_MAX];
	unsigned int avail = rte_mempool_avail_count(env->pool);
	uint8_t buf[9100];
	uint16_t i, j, nb_tx;

	test_env_set(env, "general", "trace", "4");
	assert_int_equal(ss_trace_pending(trace_of(env)), 4);
	burst(env, pkts, 2 * K_MAX, 0);
	memcpy(orig, pkts, sizeof(pkts));
	nb_tx = ss_worker_process(&env->worker, 0, pkts, 2 * K_MAX);
	assert_int_equal(nb_tx, 6);
	for (i = 0, j = 0; i < 2 * K_MAX; i++)
		if (expect[i % K_MAX] == SS_VERDICT_TX)
			assert_ptr_equal(pkts[j++], orig[i]);
	assert_int_equal(st->rx_pkts, 2 * K_MAX);
	assert_int_equal(st->rx_answered, 6);
	assert_int_equal(st->drop[SS_DROP_UDP_CKSUM], 2);
	assert_int_equal(st->drop[SS_DROP_ETH_RUNT], 2);
	assert_int_equal(st->drop[SS_DROP_UDP_DISCARD], 2);

	assert_int_equal(ss_trace_pending(trace_of(env)), 0);
	assert_int_equal(ss_trace_count(trace_of(env)), 4);
	for (i = 0; i < 4; i++) {
		const struct ss_trace_entry *e = ss_trace_entry(trace_of(env), i);
		size_t len = frame_bytes(i, buf);

		assert_int_equal(e->seq, i + 1);
		assert_int_equal(e->verdict, expect[i]);
		assert_int_equal(e->rx_len, len);
		assert_int_equal(e->req_n, RTE_MIN(len, (size_t)SS_TRACE_REQ_BYTES));
		assert_memory_equal(e->req, buf, e->req_n);
		assert_int_equal(e->flags, 0);
		if (expect[i] == SS_VERDICT_TX) {
			const struct rte_mbuf *r = orig[i];

			assert_int_equal(e->rep_len, r->pkt_len);
			assert_int_equal(e->rep_n, RTE_MIN(r->data_len, SS_TRACE_REP_BYTES));
			assert_true(e->rep_n > 0);
			assert_memory_equal(e->rep, rte_pktmbuf_mtod(r, const void *), e->rep_n);
		} else {
			assert_int_equal(e->rep_len, 0);
			assert_int_equal(e->rep_n, 0);
		}
	}
	rte_pktmbuf_free_bulk(pkts, nb_tx);
	assert_int_equal(rte_mempool_avail_count(env->pool), avail);
}

/* Arming spans bursts, adds up, and never passes its cap. */
static void
test_arm_spans_bursts(void **state)
{
	struct test_env *env = *state;
	struct ss_trace *t = &env->worker.trace;
	struct rte_mbuf *pkts[3];
	uint16_t nb_tx, b;

	assert_int_equal(ss_trace_arm(t, 2), 2);
	assert_int_equal(ss_trace_arm(t, 3), 5);
	for (b = 0; b < 2; b++) {
		burst(env, pkts, 3, 3 * b);
		nb_tx = ss_worker_process(&env->worker, 0, pkts, 3);
		rte_pktmbuf_free_bulk(pkts, nb_tx);
	}
	assert_int_equal(ss_trace_count(t), 5);
	assert_int_equal(ss_trace_pending(t), 0);
	for (b = 0; b < 5; b++) {
		assert_int_equal(ss_trace_entry(t, b)->seq, b + 1);
		assert_int_equal(ss_trace_entry(t, b)->verdict, expect[b]);
	}
	/* The sixth packet went untraced. */
	assert_int_equal(env->worker.stats[0].rx_pkts, 6);
	assert_int_equal(ss_trace_arm(t, UINT32_MAX), SS_TRACE_LEFT_MAX);
	assert_int_equal(ss_trace_arm(t, 1), SS_TRACE_LEFT_MAX);
	ss_trace_reset(t);
	assert_int_equal(ss_trace_pending(t), 0);
	assert_int_equal(ss_trace_count(t), 0);
}

/* Past the array's end: counted as missed, the entries kept as they were. */
static void
test_full(void **state)
{
	struct test_env *env = *state;
	struct ss_trace *t = &env->worker.trace;
	struct rte_mbuf *pkts[K_MAX];
	unsigned int i, rounds = SS_TRACE_ENTRIES / K_MAX + 2;
	struct ss_trace_entry first;
	uint16_t nb_tx;

	ss_trace_arm(t, rounds * K_MAX);
	for (i = 0; i < rounds; i++) {
		burst(env, pkts, K_MAX, 0);
		nb_tx = ss_worker_process(&env->worker, 0, pkts, K_MAX);
		assert_int_equal(nb_tx, 3);
		rte_pktmbuf_free_bulk(pkts, nb_tx);
		if (i == 0)
			memcpy(&first, ss_trace_entry(t, 0), sizeof(first));
	}
	assert_int_equal(ss_trace_count(t), SS_TRACE_ENTRIES);
	assert_int_equal(ss_trace_missed(t), rounds * K_MAX - SS_TRACE_ENTRIES);
	assert_int_equal(ss_trace_pending(t), 0);
	assert_memory_equal(ss_trace_entry(t, 0), &first, sizeof(first));
	assert_int_equal(ss_trace_entry(t, SS_TRACE_ENTRIES - 1)->seq, SS_TRACE_ENTRIES);
	assert_int_equal(env->worker.stats[0].rx_answered, rounds * 3);
}

/*
 * A traced SYN, answered in place: its connection half open and the SYN-ACK
 * as its reply; then the handshake's ACK, which TCP takes, with the
 * connection established and the echo's nothing queued.
 */
static void
test_tcp_handshake(void **state)
{
	struct test_env *env = *state;
	struct ss_trace *t = &env->worker.trace;
	const struct ss_trace_entry *e;
	struct ss_trace_text text;
	struct rte_mbuf *pkts[1];
	uint8_t buf[9100], opt[40];
	struct test_frame f;
	struct test_seg synack;
	uint16_t nb_tx;

	test_frame_defaults(&f, 0);
	f.proto = IPPROTO_TCP;
	ss_trace_arm(t, 2);
	pkts[0] = test_mbuf(env, buf,
			test_build_tcp_opt(buf, &f, 40000, 7, RTE_TCP_SYN_FLAG, 1000, 0, 65535, opt,
					test_syn_options(opt, 1460, 7, 1), NULL, 0));
	nb_tx = ss_worker_process(&env->worker, 0, pkts, 1);
	assert_int_equal(nb_tx, 1);
	test_tcp_parse(rte_pktmbuf_mtod(pkts[0], const uint8_t *), pkts[0]->data_len, &synack);
	assert_int_equal(synack.flags, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG);
	rte_pktmbuf_free(pkts[0]);
	assert_int_equal(ss_trace_count(t), 1);
	e = ss_trace_entry(t, 0);
	assert_int_equal(e->verdict, SS_VERDICT_TX);
	assert_int_equal(e->flags, SS_TRACE_F_TCP | SS_TRACE_F_CONN);
	assert_int_equal(e->conn_state, SS_TCP_SYN_RECEIVED);
	ss_trace_format(e, 0, &env->cfg, &text);
	assert_string_equal(text.part[text.n - 1].key, "conn");
	assert_string_equal(text.part[text.n - 1].text, "SYN-RECEIVED, nothing queued for it");

	pkts[0] = test_mbuf(env, buf,
			test_build_tcp(buf, &f, 40000, 7, RTE_TCP_ACK_FLAG, 1001, synack.seq + 1,
					NULL, 0));
	assert_int_equal(ss_worker_process(&env->worker, 0, pkts, 1), 0);
	assert_int_equal(ss_trace_count(t), 2);
	e = ss_trace_entry(t, 1);
	assert_int_equal(e->verdict, SS_VERDICT_TCP);
	assert_int_equal(e->conn_state, SS_TCP_ESTABLISHED);
	assert_int_equal(e->n_segs, 0);
	ss_trace_format(e, 0, &env->cfg, &text);
	assert_string_equal(text.part[text.n - 1].text, "ESTABLISHED, nothing queued for it");
}

/* Data on it: the echo queued for the connection, seen in the entry. */
static void
test_tcp_data(void **state)
{
	struct test_env *env = *state;
	struct ss_trace *t = &env->worker.trace;
	const struct ss_trace_entry *e;
	struct ss_trace_text text;
	struct test_peer peer;
	struct test_seg segs[4];
	struct rte_mbuf *pkts[1];
	uint8_t buf[9100];

	test_peer_init(&peer, env, 0, NULL, 40000, 7, 1000);
	test_peer_connect(&peer, 1460, 7, 1);
	ss_trace_arm(t, 1);
	pkts[0] = test_mbuf(env, buf,
			test_build_tcp(buf, &peer.f, 40000, 7, RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG,
					peer.snd_nxt, peer.rcv_nxt, "hello", 5));
	assert_int_equal(ss_worker_process(&env->worker, 0, pkts, 1), 0);
	assert_int_equal(ss_trace_count(t), 1);
	e = ss_trace_entry(t, 0);
	assert_int_equal(e->verdict, SS_VERDICT_TCP);
	assert_int_equal(e->conn_state, SS_TCP_ESTABLISHED);
	assert_int_equal(e->n_segs, 1);
	assert_int_equal(e->seg[0].flags, RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG);
	assert_int_equal(e->seg[0].len, 5);
	ss_trace_format(e, 0, &env->cfg, &text);
	assert_string_equal(text.part[text.n - 1].text,
			"ESTABLISHED, 1 segment queued for it: [PA] 5B");
	/* The trace only looked: the echo is still there to send. */
	assert_int_equal(test_tcp_drain(env, segs, 4), 1);
	assert_int_equal(segs[0].len, 5);
	assert_memory_equal(segs[0].data, "hello", 5);
}

/*
 * A burst that mixes what TCP takes (data it holds, an ACK it frees) with
 * replies and drops: each entry's verdict is its own packet's, whatever
 * became of the mbufs around it.
 */
static void
test_mixed_verdicts(void **state)
{
	static const enum ss_verdict want[] = { SS_VERDICT_TCP, SS_VERDICT_TX, SS_DROP_UDP_CKSUM,
		SS_VERDICT_TCP, SS_VERDICT_TX, SS_DROP_ETH_RUNT };
	struct test_env *env = *state;
	struct ss_trace *t = &env->worker.trace;
	struct rte_mbuf *pkts[RTE_DIM(want)];
	struct test_seg segs[8];
	struct test_peer peer;
	struct test_frame f;
	uint8_t buf[9100];
	unsigned int i;
	uint16_t nb_tx;

	test_peer_init(&peer, env, 0, NULL, 40000, 7, 1000);
	test_peer_connect(&peer, 1460, 7, 1);
	test_frame_defaults(&f, 0);
	pkts[0] = test_mbuf(env, buf,
			test_build_tcp(buf, &peer.f, 40000, 7, RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG,
					peer.snd_nxt, peer.rcv_nxt, "hello", 5));
	pkts[1] = test_mbuf(env, buf, frame_bytes(K_ECHO4, buf));
	pkts[2] = test_mbuf(env, buf, frame_bytes(K_BAD_UDP, buf));
	pkts[3] = test_mbuf(env, buf,
			test_build_tcp(buf, &peer.f, 40000, 7, RTE_TCP_ACK_FLAG, peer.snd_nxt + 5,
					peer.rcv_nxt, NULL, 0));
	f.proto = IPPROTO_TCP;
	pkts[4] = test_mbuf(env, buf,
			test_build_tcp(buf, &f, 40001, 4444, RTE_TCP_SYN_FLAG, 9, 0, NULL, 0));
	pkts[5] = test_mbuf(env, buf, frame_bytes(K_RUNT, buf));
	ss_trace_arm(t, RTE_DIM(want));
	nb_tx = ss_worker_process(&env->worker, 0, pkts, RTE_DIM(want));
	assert_int_equal(nb_tx, 2);
	assert_int_equal(ss_trace_count(t), RTE_DIM(want));
	for (i = 0; i < RTE_DIM(want); i++)
		assert_int_equal(ss_trace_entry(t, i)->verdict, want[i]);
	assert_int_equal(ss_trace_entry(t, 0)->flags, SS_TRACE_F_TCP | SS_TRACE_F_CONN);
	assert_int_equal(ss_trace_entry(t, 3)->flags, SS_TRACE_F_TCP | SS_TRACE_F_CONN);
	/* The SYN to a closed port: answered (a RST), no connection. */
	assert_int_equal(ss_trace_entry(t, 4)->flags, SS_TRACE_F_TCP);
	rte_pktmbuf_free_bulk(pkts, nb_tx);
	test_tcp_drain(env, segs, RTE_DIM(segs));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_off, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_armed_burst, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_arm_spans_bursts, test_env_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_full, test_env_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_tcp_handshake, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_tcp_data, test_tcp_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_mixed_verdicts, test_tcp_setup,
				test_env_teardown),
	};

	return cmocka_run_group_tests_name("trace", tests, NULL, NULL);
}
