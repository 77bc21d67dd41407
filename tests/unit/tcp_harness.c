/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>
#include <string.h>

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

struct ss_svc_counters *
test_svc_ctr(struct test_env *env, enum ss_svc svc, int ipv6)
{
	return &env->worker.stats[0].svc[svc][SS_TCP][ipv6 ? SS_AF6 : SS_AF4];
}

uint64_t
test_tcp_event(struct test_env *env, enum ss_tcp_event e)
{
	return env->worker.stats[0].tcp_event[e];
}

void
test_peer_dupack(struct test_peer *p, uint32_t ack, const uint32_t blocks[][2], unsigned int n)
{
	uint8_t opt[40];
	size_t len = n > 0 ? test_sack_option(opt, blocks, n) : 0;

	assert_int_equal(test_peer_seg(p,
					 &(struct test_seg_spec){ .flags = F_ACK,
							 ACK(ack),
							 .opt = opt,
							 .opt_len = len },
					 NULL),
			SS_VERDICT_TCP);
}

struct ss_tcp_conn *
test_tcp_fin_wait_2(struct test_env *env, struct test_peer *p, const char *addr, uint16_t sport)
{
	struct ss_tcp_conn *c;
	struct test_seg s;

	test_peer_init(p, env, 0, addr, sport, DAYTIME, 700);
	test_peer_connect(p, 1460, -1, 0);
	c = test_peer_conn(p);
	assert_int_equal(test_tcp_drain(env, &s, 1), 1);
	p->rcv_nxt = c->snd_max;
	assert_int_equal(test_peer_data(p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(c->state, SS_TCP_FIN_WAIT_2);
	return c;
}

struct ss_tcp_conn *
test_tcp_time_wait(struct test_env *env, struct test_peer *p, const char *addr, uint16_t sport)
{
	struct ss_tcp_conn *c = test_tcp_fin_wait_2(env, p, addr, sport);
	struct test_seg s;

	assert_int_equal(test_peer_data(p, F_FIN, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(test_tcp_drain(env, &s, 1), 1);
	assert_int_equal(c->state, SS_TCP_TIME_WAIT);
	return c;
}

/* A copy of each frame a test bounces between the stack and itself. */
#define BOUNCE_FRAME 256
#define BOUNCE_QUEUE 16

struct bounce {
	uint8_t frame[BOUNCE_QUEUE][BOUNCE_FRAME];
	size_t len[BOUNCE_QUEUE];
	unsigned int head, tail;
};

static void
bounce_push(struct bounce *b, const uint8_t *frame, size_t len)
{
	assert_true(len <= BOUNCE_FRAME);
	assert_true(b->tail - b->head < BOUNCE_QUEUE);
	memcpy(b->frame[b->tail % BOUNCE_QUEUE], frame, len);
	b->len[b->tail % BOUNCE_QUEUE] = len;
	b->tail++;
}

unsigned int
test_tcp_bounce(struct test_env *env, const uint8_t *first, size_t len, unsigned int max)
{
	static const uint8_t us[6] = TEST_MAC_US, peer[6] = TEST_MAC_PEER;
	struct ss_txbuf *tx = &env->worker.txbuf[0];
	uint8_t frame[BOUNCE_FRAME], out[9100];
	struct bounce *b = calloc(1, sizeof(*b));
	unsigned int n = 0, i;

	assert_non_null(b);
	bounce_push(b, first, len);
	while (b->head != b->tail && n < max) {
		size_t out_len = sizeof(out);

		len = b->len[b->head % BOUNCE_QUEUE];
		memcpy(frame, b->frame[b->head % BOUNCE_QUEUE], len);
		b->head++;
		n++;
		memcpy(frame, us, 6);
		memcpy(frame + 6, peer, 6);
		if (test_input(env, frame, len, out, &out_len) == SS_VERDICT_TX)
			bounce_push(b, out, out_len);
		ss_tcp_flush(&env->worker);
		for (i = 0; i < tx->n; i++) {
			bounce_push(b, rte_pktmbuf_mtod(tx->pkts[i], uint8_t *),
					tx->pkts[i]->data_len);
			rte_pktmbuf_free(tx->pkts[i]);
		}
		tx->n = 0;
	}
	free(b);
	return n;
}

void
test_tcp_mirror_setup(struct test_env *env)
{
	test_env_set(env, "port0", "ipv4", "192.0.2.1/24 192.0.2.2/24");
	test_env_set(env, "abuse", "source_check", "off");
	ss_clock_set(&env->worker.clock, T0);
	test_tcp_set_tick(env, 1);
}

struct rte_mbuf *
test_answer(struct test_env *env, const void *frame, size_t len, uint64_t ol_flags, uint16_t ip_id)
{
	struct rte_mbuf *m = test_mbuf(env, frame, len);

	m->ol_flags |= ol_flags;
	ss_clock_set(&env->worker.clock, T0);
	env->worker.ip_id = ip_id;
	return ss_worker_process(&env->worker, 0, &m, 1) == 1 ? m : NULL;
}
