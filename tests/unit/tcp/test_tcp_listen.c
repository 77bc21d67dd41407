/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcp_listen.c: a listening port. The SYN-ACK (its fields, the window
 * scale, SACK and MSS it answers with, what the configuration and the MTU
 * change, the MSS floor), the SYN's options (malformed ones dropped,
 * unknown ones skipped), the other segments a listener gets (SYN with FIN,
 * no ACK, a SYN-ACK), the handshake's end (the entry made ESTABLISHED, a
 * handshake started over and completed by the first cookie), SYN cookies
 * (the connection made from the final ACK alone, forged and expired
 * cookies), and the caps: the table, half-open entries per source, and
 * connections per source (a SYN they refuse gets a RST; a final ACK too,
 * when other handshakes completed since its SYN).
 */
#include "harness.h"

#include <netinet/in.h>
#include <string.h>

#include <rte_tcp.h>

#include "clock.h"
#include "stats.h"
#include "tcp_cookie.h"
#include "tcp_priv.h"
#include "tcp_harness.h"

static struct test_seg segs[TEST_SEGS_MAX];

static unsigned int
drain(struct test_env *env)
{
	return test_tcp_drain(env, segs, TEST_SEGS_MAX);
}

/* The ISN of our SYN-ACK to p: the cookie for these options. */
static uint32_t
expected_cookie(struct test_peer *p, uint16_t mss, uint8_t wscale, bool sack)
{
	struct ss_tcp_key k;

	test_peer_key(p, &k);
	return ss_tcp_cookie_make(&ss_tcp_secret, &k, p->iss, T0, mss, wscale, sack);
}

/*
 * The SYN-ACK
 */

static void
test_synack_fields(void **state)
{
	struct test_env *env = *state;
	const uint8_t mac_us[6] = TEST_MAC_US, mac_peer[6] = TEST_MAC_PEER;
	struct test_seg *sa = &segs[0];
	struct test_peer p;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		uint16_t ours = v6 ? 1440 : 1460;

		/* MSS alone: no window scale, no SACK-permitted in the answer. */
		test_peer_init(&p, env, v6, NULL, 40000, ECHO, 0x12345678);
		test_peer_syn(&p, 1460, -1, 0, sa);
		assert_int_equal(sa->sport, ECHO);
		assert_int_equal(sa->dport, 40000);
		assert_memory_equal(sa->dst_mac, mac_peer, 6);
		assert_memory_equal(sa->src_mac, mac_us, 6);
		test_check_addr(sa->src, v6, test_ip_us[v6]);
		test_check_addr(sa->dst, v6, test_ip_peer[v6]);
		assert_int_equal(sa->seq,
				expected_cookie(&p, ours, SS_TCP_COOKIE_NO_WSCALE, false));
		assert_int_equal(sa->ack, 0x12345679);
		assert_int_equal(sa->mss, ours);
		assert_int_equal(sa->wscale, -1);
		assert_int_equal(sa->sack_ok, 0);
		assert_int_equal(sa->win, 65535);
		assert_int_equal(sa->len, 0);
		assert_int_equal(sa->urp, 0);
		assert_int_equal(sa->opt_len, 4);

		/* Window scale and SACK offered: both answered. */
		test_peer_init(&p, env, v6, NULL, 40001, ECHO, 0xfffffff0);
		test_peer_syn(&p, 1460, 7, 1, sa);
		assert_int_equal(sa->seq, expected_cookie(&p, ours, 7, true));
		assert_int_equal(sa->ack, 0xfffffff1);
		assert_int_equal(sa->mss, ours);
		assert_int_equal(sa->wscale, 0); /* 65535 needs no scaling */
		assert_int_equal(sa->sack_ok, 1);
		assert_int_equal(sa->win, 65535);

		/* SACK alone. */
		test_peer_init(&p, env, v6, NULL, 40002, ECHO, 5);
		test_peer_syn(&p, 1460, -1, 1, sa);
		assert_int_equal(sa->wscale, -1);
		assert_int_equal(sa->sack_ok, 1);

		/* A smaller MSS from the peer: ours is still announced, theirs is used. */
		test_peer_init(&p, env, v6, NULL, 40003, ECHO, 5);
		test_peer_syn(&p, 536, -1, 0, sa);
		assert_int_equal(sa->mss, ours);
		assert_int_equal(test_peer_conn(&p)->mss, 536);

		/* No MSS option: 536 (IPv4) or 1220 (IPv6). */
		test_peer_init(&p, env, v6, NULL, 40004, ECHO, 5);
		test_peer_syn(&p, 0, -1, 0, sa);
		assert_int_equal(sa->mss, ours);
		assert_int_equal(test_peer_conn(&p)->mss, v6 ? 1220 : 536);
		assert_int_equal(test_peer_conn(&p)->state, SS_TCP_SYN_RECEIVED);
	}
	assert_int_equal(env->worker.tcp.table.half_open, 10);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SYNACK_STATEFUL), 10);
	/* SYN-ACKs are in-place replies; nothing else was queued. */
	assert_int_equal(drain(env), 0);
}

static void
test_synack_config(void **state)
{
	struct test_env *env = *state;
	struct test_seg *sa = &segs[0];
	struct test_peer p;
	char err[256];
	int v6;

	/* A big window: scaled in later segments, never in the SYN-ACK. */
	test_tcp_reconfigure(env, "window", "1048576");
	for (v6 = 0; v6 <= 1; v6++) {
		test_peer_init(&p, env, v6, NULL, 40000, DISCARD, 1000);
		test_peer_syn(&p, 1460, 2, 0, sa);
		assert_int_equal(sa->wscale, 5);
		assert_int_equal(sa->win, 65535);
		assert_int_equal(test_peer_data(&p, 0, "x", 1), SS_VERDICT_TCP);
		assert_int_equal(drain(env), 1);
		assert_int_equal(segs[0].win, 1048576 >> 5);
		/* Not offered by the peer: no scaling at all, the window capped. */
		test_peer_init(&p, env, v6, NULL, 40001, DISCARD, 1000);
		test_peer_syn(&p, 1460, -1, 0, sa);
		assert_int_equal(sa->wscale, -1);
		assert_int_equal(test_peer_data(&p, 0, "x", 1), SS_VERDICT_TCP);
		assert_int_equal(drain(env), 1);
		assert_int_equal(segs[0].win, 65535);
	}

	/* The configured MSS, or what the MTU leaves. */
	test_tcp_reconfigure(env, "mss", "1000");
	for (v6 = 0; v6 <= 1; v6++) {
		test_peer_init(&p, env, v6, NULL, 40002, ECHO, 1000);
		test_peer_syn(&p, 1460, -1, 0, sa);
		assert_int_equal(sa->mss, 1000);
	}
	test_tcp_reconfigure(env, "mss", "1460");
	assert_int_equal(ss_config_set(&env->cfg, "port0", "mtu", "1280", err, sizeof(err)), 0);
	test_env_apply(env);
	ss_clock_set(&env->worker.clock, T0);
	for (v6 = 0; v6 <= 1; v6++) {
		test_peer_init(&p, env, v6, NULL, 40003, ECHO, 1000);
		test_peer_syn(&p, 1460, -1, 0, sa);
		assert_int_equal(sa->mss, v6 ? 1220 : 1240);
		assert_int_equal(test_peer_conn(&p)->mss, v6 ? 1220 : 1240);
	}
}

/*
 * Issue 8, defect 6: an MSS of 1 was taken on the stateful path, and
 * chargen sent 1-byte segments. Raised to 48 there (Linux's floor); the
 * cookie path's least is 536, as Linux's.
 */
static void
test_mss_floor(void **state)
{
	struct test_env *env = *state;
	struct test_peer p;

	test_peer_init(&p, env, 0, NULL, 40000, CHARGEN, 1);
	test_peer_connect(&p, 1, -1, 0);
	assert_int_equal(test_peer_conn(&p)->mss, 48);
	assert_int_equal(drain(env), 10);
	test_check_seg(&segs[0], F_ACK, p.our_iss + 1, 2, 48);
	test_check_seg(&segs[9], F_ACK, p.our_iss + 1 + 9 * 48, 2, 48);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_MSS_RAISED), 1);
	/* What is at least 48 is kept as it is. */
	test_peer_init(&p, env, 0, NULL, 40001, CHARGEN, 1);
	test_peer_connect(&p, 100, -1, 0);
	assert_int_equal(test_peer_conn(&p)->mss, 100);
	/* On the cookie path: 536. */
	env->cfg.tcp.max_half_open = 0;
	test_peer_init(&p, env, 0, NULL, 40002, CHARGEN, 1);
	test_peer_connect(&p, 1, -1, 0);
	assert_int_equal(test_peer_conn(&p)->mss, 536);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_MSS_RAISED), 2);
	drain(env);
}

/*
 * The SYN's options
 */

static void
test_syn_bad_options(void **state)
{
	struct test_env *env = *state;
	static const struct {
		uint8_t len;
		uint8_t opt[12];
	} bad[] = {
		{ 4, { 2, 3, 5, 0xb4 } },              /* MSS of length 3 */
		{ 8, { 2, 6, 5, 0xb4, 0, 0, 1, 1 } },  /* MSS of length 6 */
		{ 4, { 3, 4, 7, 0 } },                 /* window scale of length 4 */
		{ 4, { 1, 3, 2, 7 } },                 /* window scale of length 2 */
		{ 4, { 4, 3, 0, 1 } },                 /* SACK-permitted of length 3 */
		{ 4, { 1, 1, 8, 0 } },                 /* length 0 */
		{ 4, { 1, 1, 8, 1 } },                 /* length 1 */
		{ 4, { 1, 1, 1, 8 } },                 /* length byte missing */
		{ 4, { 2, 4, 5, 0xb4 } },              /* (good: the baseline) */
		{ 8, { 2, 4, 5, 0xb4, 8, 10, 0, 0 } }, /* runs past the header */
	};
	struct test_peer p;
	unsigned int i;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		for (i = 0; i < RTE_DIM(bad); i++) {
			enum ss_verdict want = i == 8 ? SS_VERDICT_TX : SS_DROP_TCP_BAD_OPTIONS;

			test_peer_init(&p, env, v6, NULL, 41000 + i, ECHO, 1);
			assert_int_equal(test_peer_seg(&p,
							 &(struct test_seg_spec){ .flags = F_SYN,
									 SEQ(1),
									 .opt = bad[i].opt,
									 .opt_len = bad[i].len },
							 NULL),
					want);
			if (want != SS_VERDICT_TX)
				assert_null(test_peer_conn(&p));
		}
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_TCP_BAD_OPTIONS], 2 * 9);
	assert_int_equal(env->worker.tcp.table.used, 2);
}

static void
test_syn_unknown_options(void **state)
{
	struct test_env *env = *state;
	/* Timestamps, an unknown kind, then EOL and bytes after it: all fine. */
	const uint8_t opt[24] = { 2, 4, 0x05, 0x00, 8, 10, 1, 2, 3, 4, 0, 0, 0, 0, 99, 4, 0, 0, 0,
		0xee, 0xee, 0xee, 0xee, 0xee };
	struct test_seg sa;
	struct test_peer p;

	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 1);
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_SYN,
							 SEQ(1),
							 .opt = opt,
							 .opt_len = sizeof(opt) },
					 &sa),
			SS_VERDICT_TX);
	assert_int_equal(sa.mss, 1460);
	assert_int_equal(test_peer_conn(&p)->mss, 1280);
}

/*
 * Other segments to a listening port
 */

/* SYN with FIN is a probe (nmap's, among others), not a handshake: no SYN-ACK, no state. */
static void
test_syn_fin_dropped(void **state)
{
	struct test_env *env = *state;
	struct test_peer p;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		test_peer_init(&p, env, v6, NULL, 42000, DAYTIME, 1);
		assert_int_equal(test_peer_seg(&p,
						 &(struct test_seg_spec){ .flags = F_SYN | F_FIN,
								 SEQ(1) },
						 NULL),
				SS_DROP_TCP_SYN_FIN);
		assert_null(test_peer_conn(&p));
	}
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_TCP_SYN_FIN], 2);
	assert_int_equal(env->worker.tcp.table.used, 0);
	assert_int_equal(drain(env), 0);
}

static void
test_listen_other_segments(void **state)
{
	struct test_env *env = *state;
	struct test_seg rst;
	struct test_peer p;

	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 1);
	/* No SYN, no ACK: dropped (RFC 9293 3.10.7.2). */
	assert_int_equal(test_peer_seg(&p, &(struct test_seg_spec){ .flags = F_FIN, SEQ(1) }, NULL),
			SS_DROP_TCP_NO_ACK);
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_PSH,
							 SEQ(1),
							 .data = "x",
							 .len = 1 },
					 NULL),
			SS_DROP_TCP_NO_ACK);
	/* SYN-ACK to a listener: <SEQ=SEG.ACK><CTL=RST>. */
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_SYN | F_ACK,
							 SEQ(1),
							 ACK(5555) },
					 &rst),
			SS_VERDICT_TX);
	test_check_seg(&rst, F_RST, 5555, 0, 0);
	assert_int_equal(env->worker.tcp.table.used, 0);
}

/*
 * The end of the handshake
 */

static void
test_handshake_established(void **state)
{
	struct test_env *env = *state;
	struct ss_tcp_conn *c;
	struct test_peer p;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		test_peer_init(&p, env, v6, NULL, 40000 + v6, ECHO, 777);
		test_peer_syn(&p, 1460, 7, 1, NULL);
		c = test_peer_conn(&p);
		assert_non_null(c);
		assert_int_equal(c->state, SS_TCP_SYN_RECEIVED);
		assert_int_equal(env->worker.tcp.table.half_open, 1);
		assert_int_equal(test_svc_ctr(env, SS_SVC_ECHO, v6)->requests, 0);
		assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
		assert_ptr_equal(test_peer_conn(&p), c);
		assert_int_equal(c->state, SS_TCP_ESTABLISHED);
		assert_int_equal(env->worker.tcp.table.half_open, 0);
		assert_int_equal(test_svc_ctr(env, SS_SVC_ECHO, v6)->requests, 1);
		assert_int_equal(c->snd_una, p.our_iss + 1);
		assert_int_equal(c->rcv_nxt, 778);
		assert_int_equal(c->snd_wscale, 7);
		assert_int_equal(c->rcv_wscale, 0);
		assert_true(c->flags & SS_TCP_F_SACK);
		/* Echo has nothing to say yet: not even an ACK of the ACK. */
		assert_int_equal(drain(env), 0);
	}
	assert_int_equal(env->worker.tcp.table.used, 2);
}

/*
 * A SYN with another ISN in SYN-RECEIVED starts the handshake over (RFC
 * 9293 3.10.7.4). Were it a blind attacker's, not the client's, and the
 * client's ACK of our first SYN-ACK lost: daytime speaks first, so the
 * client would wait for ever. Its next ACK (of the first SYN-ACK, as its
 * answer to our second) carries the first cookie: that completes it.
 */
static void
test_handshake_restarted(void **state)
{
	struct test_env *env = *state;
	struct test_peer p, spoof;
	struct test_seg synack;

	test_peer_init(&p, env, 0, NULL, 40000, DAYTIME, 1000);
	test_peer_syn(&p, 1460, -1, 0, NULL);
	/* The client's ACK is lost; a SYN on its tuple with another ISN comes. */
	test_peer_init(&spoof, env, 0, NULL, 40000, DAYTIME, 77777);
	test_peer_syn(&spoof, 1460, -1, 0, &synack);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_HANDSHAKE_RESTARTED), 1);
	assert_int_equal(env->worker.tcp.table.half_open, 1);
	assert_int_not_equal(synack.seq, p.our_iss);
	/* The client answers what it sees as a stray SYN-ACK with its own ACK. */
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_COOKIE_RESYNC), 1);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH | F_FIN, p.our_iss + 1, 1001, DAYTIME_LEN);
	assert_int_equal(test_peer_conn(&p)->state, SS_TCP_FIN_WAIT_1);
	/* An ACK that is neither this handshake's nor a cookie of ours: RST, as before. */
	test_peer_init(&p, env, 0, NULL, 40001, DAYTIME, 1000);
	test_peer_syn(&p, 1460, -1, 0, NULL);
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK,
							 SEQ(1001),
							 ACK(p.our_iss + 12345) },
					 &synack),
			SS_VERDICT_TX);
	assert_int_equal(synack.flags, F_RST);
}

/*
 * SYN cookies: max_half_open = 0 keeps no state before the final ACK.
 */

static void
test_cookie_stateless(void **state)
{
	struct test_env *env = *state;
	struct test_seg sa, rst;
	struct ss_tcp_conn *c;
	struct test_peer p;
	int v6;

	test_tcp_reconfigure(env, "max_half_open", "0");
	for (v6 = 0; v6 <= 1; v6++) {
		test_peer_init(&p, env, v6, NULL, 40000, DAYTIME, 0x80000000u);
		test_peer_syn(&p, 1400, 7, 1, &sa);
		assert_int_equal(sa.seq, expected_cookie(&p, 1400, 7, true));
		assert_int_equal(sa.wscale, 0);
		assert_int_equal(sa.sack_ok, 1);
		assert_null(test_peer_conn(&p));
		assert_int_equal(env->worker.tcp.table.used, 2 * v6);
		assert_int_equal(env->worker.tcp.table.half_open, 0);

		/* The final ACK makes the connection from the cookie alone. */
		assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
		c = test_peer_conn(&p);
		assert_non_null(c);
		assert_int_equal(c->mss, 1380); /* what the cookie can carry */
		assert_int_equal(c->snd_wscale, 7);
		assert_true(c->flags & SS_TCP_F_WSCALE);
		assert_true(c->flags & SS_TCP_F_SACK);
		assert_int_equal(c->rcv_nxt, 0x80000001u);
		assert_int_equal(c->snd_una, sa.seq + 1);
		/* Daytime speaks at once: the line and the FIN in one segment. */
		assert_int_equal(drain(env), 1);
		test_check_seg(&segs[0], F_ACK | F_PSH | F_FIN, sa.seq + 1, 0x80000001u,
				DAYTIME_LEN);
		assert_memory_equal(segs[0].data, DAYTIME_T0, DAYTIME_LEN);
		assert_int_equal(c->state, SS_TCP_FIN_WAIT_1);

		/* A SYN without options: the cookie says so. */
		test_peer_init(&p, env, v6, NULL, 40001, ECHO, 9);
		test_peer_syn(&p, 0, -1, 0, &sa);
		assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
		c = test_peer_conn(&p);
		assert_non_null(c);
		assert_int_equal(c->mss, v6 ? 1220 : 536);
		assert_false(c->flags & SS_TCP_F_WSCALE);
		assert_false(c->flags & SS_TCP_F_SACK);
		assert_int_equal(c->snd_wscale, 0);

		/* A forged ACK: RST, and nothing kept. */
		test_peer_init(&p, env, v6, NULL, 40002, ECHO, 9);
		test_peer_syn(&p, 1460, -1, 0, &sa);
		assert_int_equal(test_peer_seg(&p,
						 &(struct test_seg_spec){ .flags = F_ACK,
								 SEQ(10),
								 ACK(sa.seq + 2) },
						 &rst),
				SS_VERDICT_TX);
		test_check_seg(&rst, F_RST, sa.seq + 2, 0, 0);
		/* The right cookie for another peer ISN. */
		assert_int_equal(test_peer_seg(&p,
						 &(struct test_seg_spec){ .flags = F_ACK,
								 SEQ(11),
								 ACK(sa.seq + 1) },
						 &rst),
				SS_VERDICT_TX);
		test_check_seg(&rst, F_RST, sa.seq + 1, 0, 0);
		assert_null(test_peer_conn(&p));
	}
	assert_int_equal(env->worker.tcp.table.used, 4);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SYNACK_COOKIE), 6);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SYNACK_STATEFUL), 0);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_COOKIE_ACCEPTED), 4);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_COOKIE_REJECTED), 4);
}

static void
test_cookie_expiry(void **state)
{
	struct test_env *env = *state;
	const int64_t start = (T0 / 64) * 64; /* a period begins */
	struct test_seg sa, rst;
	struct test_peer p;

	test_tcp_reconfigure(env, "max_half_open", "0");
	/* Made at the start of a period: good until the end of the next one. */
	ss_clock_set(&env->worker.clock, start);
	test_peer_init(&p, env, 0, NULL, 40000, DISCARD, 1);
	test_peer_syn(&p, 1460, -1, 0, &sa);
	ss_clock_set(&env->worker.clock, start + 127);
	assert_int_equal(test_peer_data(&p, 0, NULL, 0), SS_VERDICT_TCP);
	assert_non_null(test_peer_conn(&p));

	ss_clock_set(&env->worker.clock, start);
	test_peer_init(&p, env, 0, NULL, 40001, DISCARD, 1);
	test_peer_syn(&p, 1460, -1, 0, &sa);
	ss_clock_set(&env->worker.clock, start + 128);
	assert_int_equal(test_peer_seg(&p,
					 &(struct test_seg_spec){ .flags = F_ACK,
							 SEQ(2),
							 ACK(sa.seq + 1) },
					 &rst),
			SS_VERDICT_TX);
	test_check_seg(&rst, F_RST, sa.seq + 1, 0, 0);
	assert_null(test_peer_conn(&p));
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_COOKIE_REJECTED), 1);
}

/*
 * The caps: the table, half-open entries per source, connections per source.
 */

/*
 * A SYN the caps refuse: the RST|ACK of a closed port (RFC 9293 3.10.7.1:
 * sequence 0, acknowledging the SYN), so that the client sees ECONNREFUSED;
 * nothing kept.
 */
static void
syn_refused(struct test_peer *p)
{
	static const uint8_t mss[4] = { 2, 4, 0x05, 0xb4 };
	struct test_seg rst;

	assert_int_equal(test_peer_seg(p,
					 &(struct test_seg_spec){ .flags = F_SYN,
							 SEQ(p->iss),
							 .opt = mss,
							 .opt_len = sizeof(mss) },
					 &rst),
			SS_VERDICT_TX);
	test_check_seg(&rst, F_RST | F_ACK, 0, p->iss + 1, 0);
	assert_int_equal(rst.sport, p->dport);
	assert_int_equal(rst.dport, p->sport);
	assert_null(test_peer_conn(p));
}

/*
 * Issue 10: a SYN to a full table got a cookie SYN-ACK, and its final ACK
 * a RST: the client saw a connection made, then reset. Now the SYN is
 * refused.
 */
static void
test_table_full_refused(void **state)
{
	struct test_env *env = *state;
	struct test_peer p[3];
	unsigned int i;
	int v6;

	test_tcp_reconfigure(env, "max_connections", "2");
	/* Below the caps: SYN-ACKs and connections, as ever. */
	for (i = 0; i < 2; i++) {
		test_peer_init(&p[i], env, 0, NULL, 40000 + i, ECHO, 1);
		test_peer_connect(&p[i], 1460, -1, 0);
	}
	/* Full, nothing in TIME-WAIT: a RST to the SYN, from any source. */
	for (v6 = 0; v6 <= 1; v6++) {
		test_peer_init(&p[2], env, v6, NULL, 40002, ECHO, 0xfffffff0u + v6);
		syn_refused(&p[2]);
		assert_int_equal(test_tcp_ctr(env, SS_SVC_ECHO, v6)->refused, 1);
	}
	test_peer_init(&p[2], env, 0, "192.0.2.10", 40002, DAYTIME, 7);
	syn_refused(&p[2]);
	assert_int_equal(test_tcp_ctr(env, SS_SVC_DAYTIME, 0)->refused, 1);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_TABLE_FULL), 3);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SOURCE_FULL), 0);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SYNACK_COOKIE), 0);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SYNACK_STATEFUL), 2);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_TCP4_RST], 2);
	assert_int_equal(env->worker.stats[0].reply[SS_REPLY_TCP6_RST], 1);
	assert_int_equal(env->worker.tcp.table.used, 2);
	assert_int_equal(env->worker.tcp.table.half_open, 0);
	assert_int_equal(drain(env), 0);
	/* One ends: room again. */
	assert_int_equal(test_peer_seg(&p[0], &(struct test_seg_spec){ .flags = F_RST }, NULL),
			SS_VERDICT_TCP);
	test_peer_init(&p[2], env, 0, NULL, 40003, ECHO, 1);
	test_peer_connect(&p[2], 1460, -1, 0);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_TABLE_FULL), 3);
}

/*
 * A table that handshakes under way fill is not full: SYN-RECEIVED entries
 * end (a SYN flood's, perhaps), so a SYN past them gets a cookie, not a
 * RST; only the final ACK finds whether there is room by then.
 */
static void
test_half_open_fill_not_refused(void **state)
{
	struct test_env *env = *state;
	struct test_peer p, flood, late;
	struct test_seg sa, rst;
	unsigned int i;

	test_tcp_reconfigure(env, "max_connections", "4");
	test_peer_init(&p, env, 0, NULL, 40000, ECHO, 1);
	test_peer_connect(&p, 1460, -1, 0);
	for (i = 0; i < 8; i++) {
		test_peer_init(&flood, env, 0, "192.0.2.10", 30000 + i, ECHO, 100 * i);
		test_peer_syn(&flood, 1460, -1, 0, NULL);
	}
	assert_int_equal(env->worker.tcp.table.used, 4);
	assert_int_equal(env->worker.tcp.table.half_open, 3);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SYNACK_COOKIE), 5);
	/* A client now: a cookie; its ACK while the entries last: no room, a RST. */
	test_peer_init(&late, env, 0, "192.0.2.20", 40001, ECHO, 1);
	test_peer_syn(&late, 1460, -1, 0, &sa);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_TABLE_FULL), 0);
	assert_int_equal(test_tcp_ctr(env, SS_SVC_ECHO, 0)->refused, 0);
	assert_int_equal(test_peer_seg(&late,
					 &(struct test_seg_spec){ .flags = F_ACK,
							 SEQ(2),
							 ACK(sa.seq + 1) },
					 &rst),
			SS_VERDICT_TX);
	test_check_seg(&rst, F_RST, sa.seq + 1, 0, 0);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_TABLE_FULL), 1);
	assert_int_equal(test_tcp_ctr(env, SS_SVC_ECHO, 0)->refused, 1);
	/* Once they have ended (5 retries: 63 s), the same cookie gets in. */
	for (i = 0; i < 64; i++)
		test_tcp_advance(env, 1000);
	drain(env);
	assert_int_equal(env->worker.tcp.table.half_open, 0);
	assert_int_equal(test_peer_data(&late, 0, NULL, 0), SS_VERDICT_TCP);
	assert_non_null(test_peer_conn(&late));
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_COOKIE_ACCEPTED), 1);
}

/*
 * A spoofer gets a source's share of SYN-table entries, no more: each
 * entry re-sends its SYN-ACK, a cookie does not. Past the share, cookies.
 */
static void
test_half_open_per_source(void **state)
{
	struct test_env *env = *state;
	struct test_peer p;
	unsigned int i;

	test_tcp_reconfigure(env, "max_half_open_per_source", "4");
	for (i = 0; i < 10; i++) {
		test_peer_init(&p, env, 0, "192.0.2.10", 30000 + i, ECHO, 100 * i);
		test_peer_syn(&p, 1460, -1, 0, NULL);
	}
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SYNACK_STATEFUL), 4);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SYNACK_COOKIE), 6);
	assert_int_equal(env->worker.tcp.table.half_open, 4);
	/* Another source has its own. */
	test_peer_init(&p, env, 0, "192.0.2.11", 30000, ECHO, 1);
	test_peer_syn(&p, 1460, -1, 0, NULL);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SYNACK_STATEFUL), 5);
	/* The cookie ones still complete. */
	test_peer_init(&p, env, 0, "192.0.2.10", 30009, ECHO, 900);
	test_peer_connect(&p, 1460, -1, 0);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_COOKIE_ACCEPTED), 1);
	/* Entries that end give their share back (5 retries: 63 s). */
	for (i = 0; i < 64; i++)
		test_tcp_advance(env, 1000);
	drain(env);
	assert_int_equal(env->worker.tcp.table.half_open, 0);
	assert_int_equal(env->worker.tcp.table.sources[test_peer_conn(&p)->src_slot].half_open, 0);
}

/*
 * Issue 8, defect 5: 16 SYNs spoofed from a victim's address took its 16
 * slots (max_per_source = 16) and refused its own handshake for about 63 s.
 * Half-open entries now cost no slot: the victim gets in at once.
 */
static void
test_spoofed_syns_lock_no_one_out(void **state)
{
	struct test_env *env = *state;
	struct test_peer spoof, victim;
	unsigned int i, n, syns;

	test_tcp_reconfigure(env, "max_per_source", "16");
	for (i = 0; i < 16; i++) {
		test_peer_init(&spoof, env, 0, "192.0.2.10", 30000 + i, DAYTIME, 100 * i);
		test_peer_syn(&spoof, 1460, -1, 0, NULL);
	}
	assert_int_equal(env->worker.tcp.table.half_open, 16);
	test_peer_init(&victim, env, 0, "192.0.2.10", 50000, DAYTIME, 7);
	test_peer_connect(&victim, 1460, -1, 0);
	assert_int_equal(drain(env), 1);
	test_check_seg(&segs[0], F_ACK | F_PSH | F_FIN, victim.our_iss + 1, 8, DAYTIME_LEN);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SOURCE_FULL), 0);
	assert_int_equal(test_tcp_ctr(env, SS_SVC_DAYTIME, 0)->refused, 0);
	/* The spoofed entries still go their way: SYN-ACKs again (and the victim's line). */
	test_tcp_advance(env, 1000);
	n = drain(env);
	for (i = 0, syns = 0; i < n; i++)
		syns += (segs[i].flags & F_SYN) != 0;
	assert_int_equal(syns, 16);
	assert_int_equal(n, 17);
}

static void
test_source_cap(void **state)
{
	struct test_env *env = *state;
	struct test_peer p[4];
	unsigned int i, half_open;

	for (half_open = 0; half_open <= 1; half_open++) {
		/* With SYN-table entries, and on the cookie path (none). */
		test_tcp_reconfigure(env, "max_per_source", "2");
		env->cfg.tcp.max_half_open = half_open ? 1024 : 0;
		/* Two connections from one source reach its cap. */
		test_peer_init(&p[0], env, 0, "192.0.2.10", 40000, ECHO, 1);
		test_peer_connect(&p[0], 1460, -1, 0);
		test_peer_init(&p[1], env, 0, "192.0.2.10", 40001, CHARGEN, 1);
		test_peer_connect(&p[1], 1460, -1, 0);
		drain(env);
		/* A third SYN: a RST, no SYN-ACK, no entry. */
		test_peer_init(&p[2], env, 0, "192.0.2.10", 40002, ECHO, 1);
		syn_refused(&p[2]);
		assert_int_equal(test_tcp_event(env, SS_TCP_EV_SOURCE_FULL), 1);
		assert_int_equal(test_tcp_event(env, SS_TCP_EV_TABLE_FULL), 0);
		assert_int_equal(test_tcp_ctr(env, SS_SVC_ECHO, 0)->refused, 1);
		assert_int_equal(test_tcp_event(env, SS_TCP_EV_SYNACK_STATEFUL), 2 * half_open);
		assert_int_equal(test_tcp_event(env, SS_TCP_EV_SYNACK_COOKIE), 2 * !half_open);
		assert_int_equal(env->worker.tcp.table.half_open, 0);
		assert_int_equal(env->worker.tcp.table.used, 2);
		assert_int_equal(drain(env), 0);
	}
	/* Other sources are not held back; IPv6 neither. */
	test_peer_init(&p[3], env, 0, "192.0.2.11", 40000, ECHO, 1);
	test_peer_connect(&p[3], 1460, -1, 0);
	test_peer_init(&p[3], env, 1, NULL, 40000, ECHO, 1);
	test_peer_connect(&p[3], 1460, -1, 0);
	/* A connection in TIME-WAIT frees its source's slot. */
	for (i = 0; i < 2; i++)
		assert_int_equal(test_peer_seg(&p[i], &(struct test_seg_spec){ .flags = F_RST },
						 NULL),
				SS_VERDICT_TCP);
	test_tcp_time_wait(env, &p[0], "192.0.2.10", 41000);
	test_tcp_time_wait(env, &p[1], "192.0.2.10", 41001);
	test_peer_init(&p[2], env, 0, "192.0.2.10", 41002, ECHO, 1);
	test_peer_connect(&p[2], 1460, -1, 0);
	test_peer_init(&p[2], env, 0, "192.0.2.10", 41003, ECHO, 1);
	test_peer_connect(&p[2], 1460, -1, 0);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SOURCE_FULL), 1);
	/* At its cap again, with two in TIME-WAIT to take: still refused. */
	test_peer_init(&p[2], env, 0, "192.0.2.10", 41004, ECHO, 1);
	syn_refused(&p[2]);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_SOURCE_FULL), 2);
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_TIME_WAIT_REUSED), 0);
}

/*
 * A SYN let through below the source's cap, whose final ACK finds the
 * source at it (other handshakes completed in between): that ACK gets the
 * RST, from its SYN-table entry or on its cookie, counted as the SYN's
 * would have been.
 */
static void
test_source_cap_race(void **state)
{
	struct test_env *env = *state;
	struct test_peer late, other;
	struct test_seg sa, rst;
	unsigned int half_open;

	for (half_open = 0; half_open <= 1; half_open++) {
		test_tcp_reconfigure(env, "max_per_source", "1");
		env->cfg.tcp.max_half_open = half_open ? 1024 : 0;
		test_peer_init(&late, env, 0, "192.0.2.10", 40000, ECHO, 1);
		test_peer_syn(&late, 1460, -1, 0, &sa);
		assert_true((test_peer_conn(&late) != NULL) == half_open);
		test_peer_init(&other, env, 0, "192.0.2.10", 40001, ECHO, 1);
		test_peer_connect(&other, 1460, -1, 0);
		assert_int_equal(test_peer_seg(&late,
						 &(struct test_seg_spec){ .flags = F_ACK,
								 SEQ(2),
								 ACK(sa.seq + 1) },
						 &rst),
				SS_VERDICT_TX);
		test_check_seg(&rst, F_RST, sa.seq + 1, 0, 0);
		assert_null(test_peer_conn(&late));
		assert_int_equal(test_tcp_event(env, SS_TCP_EV_SOURCE_FULL), 1);
		assert_int_equal(test_tcp_ctr(env, SS_SVC_ECHO, 0)->refused, 1);
		assert_int_equal(env->worker.tcp.table.half_open, 0);
		assert_int_equal(env->worker.tcp.table.used, 1);
	}
}

/* The same for the table: a cookie SYN-ACK while there was room, the room gone by its ACK. */
static void
test_table_full_race(void **state)
{
	struct test_env *env = *state;
	struct test_peer p, late;
	struct test_seg sa, rst;

	test_tcp_reconfigure(env, "max_connections", "1");
	env->cfg.tcp.max_half_open = 0;
	test_peer_init(&late, env, 0, NULL, 40000, ECHO, 1);
	test_peer_syn(&late, 1460, -1, 0, &sa);
	test_peer_init(&p, env, 0, "192.0.2.10", 40001, ECHO, 1);
	test_peer_connect(&p, 1460, -1, 0);
	assert_int_equal(test_peer_seg(&late,
					 &(struct test_seg_spec){ .flags = F_ACK,
							 SEQ(2),
							 ACK(sa.seq + 1) },
					 &rst),
			SS_VERDICT_TX);
	test_check_seg(&rst, F_RST, sa.seq + 1, 0, 0);
	assert_null(test_peer_conn(&late));
	assert_int_equal(test_tcp_event(env, SS_TCP_EV_TABLE_FULL), 1);
	assert_int_equal(test_tcp_ctr(env, SS_SVC_ECHO, 0)->refused, 1);
	assert_int_equal(env->worker.tcp.table.used, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_synack_fields, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_synack_config, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_mss_floor, test_tcp_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_syn_bad_options, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_syn_unknown_options, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_syn_fin_dropped, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_listen_other_segments, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_handshake_established, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_handshake_restarted, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_cookie_stateless, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_cookie_expiry, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_table_full_refused, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_half_open_fill_not_refused, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_table_full_race, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_half_open_per_source, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_spoofed_syns_lock_no_one_out, test_tcp_setup,
				test_env_teardown),
		cmocka_unit_test_setup_teardown(test_source_cap, test_tcp_setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_source_cap_race, test_tcp_setup,
				test_env_teardown),
	};

	return cmocka_run_group_tests_name("tcp_listen", tests, NULL, NULL);
}
