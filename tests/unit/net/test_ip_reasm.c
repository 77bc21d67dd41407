/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ip_reasm.c (and ip_frag.c, the IPv4 and IPv6 fragment paths): datagrams
 * put together in and out of order, in one mbuf or a chain, and answered
 * byte for byte in fragments the test puts together again; duplicates,
 * overlaps, the timeout, every bound ([ip] keys) and every malformed
 * fragment; the counters; and no mbuf lost, whatever came of a fragment.
 */
#include "harness.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_tcp.h>

#include "ip_reasm.h"
#include "stats.h"

#define L3 14
#define MTU 1500
#define FRAG_MAX 128
#define IP4_MF 0x2000
#define IP4_DF 0x4000

/* The request, its fragment and the reply put together: IP's largest and more. */
static uint8_t req[70000];
static uint8_t frame[9100];
static uint8_t out[9100];
static uint8_t reply[70000];
/* The length of the reply the last fragment sent had, in out. */
static size_t out_n;

/* What the pool held when the test began: every mbuf is back in it or held. */
static unsigned int pool_base;

/* The data of one fragment: where it goes in the fragmentable part. */
struct piece {
	uint32_t off;
	uint32_t len;
	bool more;
};

/* A fragmented reply as the test put it together. */
struct reply_info {
	unsigned int n_frags;
	uint32_t id;
	size_t len;
};

static void
drain(struct test_env *env)
{
	struct ss_txbuf *b = &env->worker.txbuf[0];

	rte_pktmbuf_free_bulk(b->pkts, b->n);
	b->n = 0;
}

/* Every mbuf is in the pool but those reassembly holds (one each, no chains held). */
static void
check_pool(struct test_env *env)
{
	drain(env);
	assert_int_equal(rte_mempool_avail_count(env->pool) + env->worker.reasm.n_held, pool_base);
}

static int
setup(void **state)
{
	struct test_env *env = test_env_new();

	pool_base = rte_mempool_avail_count(env->pool);
	*state = env;
	return 0;
}

static int
teardown(void **state)
{
	struct test_env *env = *state;
	struct rte_mempool *pool = env->pool;

	check_pool(env);
	test_env_free(env);
	/* The table let go of what it held. */
	assert_int_equal(rte_mempool_avail_count(pool), pool_base);
	return 0;
}

/* test_env_set(), the pool's count taken again (the worker was rebuilt). */
static void
set(struct test_env *env, const char *key, const char *value)
{
	check_pool(env);
	test_env_set(env, "ip", key, value);
	pool_base = rte_mempool_avail_count(env->pool);
}

static struct ss_stats *
stats(struct test_env *env)
{
	return &env->worker.stats[0];
}

static uint64_t
drops(struct test_env *env, enum ss_verdict v)
{
	return env->worker.stats[0].drop[v];
}

/* The data bytes a fragment of the family carries at most over our MTU. */
static size_t
chunk(int v6)
{
	return v6 ? (MTU - 40 - 8) & ~7u : (MTU - 20) & ~7u;
}

/* The fragmentable part of the datagram in w: what follows its IPv4 or IPv6 header. */
static size_t
frag_len(const uint8_t *w, int v6)
{
	if (v6)
		return test_be16(w, L3 + 4);
	return test_be16(w, L3 + 2) - (w[L3] & 0xf) * 4;
}

/* A UDP datagram from the peer (src: NULL for its address) with len bytes of pattern seed. */
static size_t
udp_dgram(uint8_t *buf, int v6, const char *src, uint16_t sport, uint16_t dport, size_t len,
		unsigned int seed)
{
	static uint8_t payload[65536];
	struct test_frame f;

	test_frame_defaults(&f, v6);
	if (src != NULL)
		f.src = src;
	test_fill_pattern(payload, len, seed);
	return test_build_udp(buf, &f, sport, dport, payload, len);
}

/*
 * Fragment p of the datagram w (no VLAN tag, no IPv6 extension header in
 * front of the fragmentable part), identification id, into buf.
 */
static size_t
frag_make(uint8_t *buf, const uint8_t *w, int v6, uint32_t id, const struct piece *p)
{
	if (!v6) {
		size_t hl = (w[L3] & 0xf) * 4;
		uint16_t fo = p->off / 8 | (p->more ? IP4_MF : 0);

		memcpy(buf, w, L3 + hl);
		buf[L3 + 2] = (hl + p->len) >> 8;
		buf[L3 + 3] = (hl + p->len) & 0xff;
		buf[L3 + 4] = id >> 8;
		buf[L3 + 5] = id & 0xff;
		buf[L3 + 6] = fo >> 8;
		buf[L3 + 7] = fo & 0xff;
		memcpy(buf + L3 + hl, w + L3 + hl + p->off, p->len);
		test_fix_ip4_cksum(buf, L3);
		return L3 + hl + p->len;
	}
	memcpy(buf, w, L3 + 40);
	buf[L3 + 4] = (8 + p->len) >> 8;
	buf[L3 + 5] = (8 + p->len) & 0xff;
	buf[L3 + 6] = IPPROTO_FRAGMENT;
	buf[L3 + 40] = w[L3 + 6];
	buf[L3 + 41] = 0;
	buf[L3 + 42] = p->off >> 8;
	buf[L3 + 43] = (p->off & 0xf8) | (p->more ? 1 : 0);
	buf[L3 + 44] = id >> 24;
	buf[L3 + 45] = id >> 16;
	buf[L3 + 46] = id >> 8;
	buf[L3 + 47] = id;
	memcpy(buf + L3 + 48, w + L3 + 40 + p->off, p->len);
	return L3 + 48 + p->len;
}

/* n bytes in pieces of size bytes (a multiple of 8), the last what is left. */
static unsigned int
cut(size_t n, size_t size, struct piece *p)
{
	unsigned int k = 0;
	size_t off;

	for (off = 0; off < n; off += size, k++) {
		assert_true(k < FRAG_MAX);
		p[k].off = off;
		p[k].len = RTE_MIN(size, n - off);
		p[k].more = off + size < n;
	}
	return k;
}

static enum ss_verdict
send_piece(struct test_env *env, const uint8_t *w, int v6, uint32_t id, const struct piece *p,
		size_t *out_len)
{
	size_t len = frag_make(frame, w, v6, id, p);
	enum ss_verdict v;

	out_n = sizeof(out);
	v = test_input(env, frame, len, out, &out_n);
	if (out_len != NULL)
		*out_len = out_n;
	return v;
}

/* Piece off..off+len of w. */
static enum ss_verdict
send_at(struct test_env *env, const uint8_t *w, int v6, uint32_t id, uint32_t off, uint32_t len,
		bool more)
{
	const struct piece p = { .off = off, .len = len, .more = more };

	return send_piece(env, w, v6, id, &p, NULL);
}

/*
 * Send the n pieces of w in order (indexes; NULL: as they are): every one
 * but the last must be held. Returns the last one's verdict, its reply in
 * out (*out_len bytes).
 */
static enum ss_verdict
send_all(struct test_env *env, const uint8_t *w, int v6, uint32_t id, const struct piece *p,
		unsigned int n, const unsigned int *order, size_t *out_len)
{
	unsigned int i;

	for (i = 0; i + 1 < n; i++)
		assert_int_equal(send_piece(env, w, v6, id, &p[order ? order[i] : i], NULL),
				SS_VERDICT_HELD);
	return send_piece(env, w, v6, id, &p[order ? order[n - 1] : n - 1], out_len);
}

/*
 * The reply whose first fragment (or only frame) is in out, the others
 * queued for port 0, put together into reply: each fragment checked (to
 * the peer from us, within the MTU, the offsets following each other, MF
 * or M set on all but the last, the same identification; IPv4 header
 * checksums right and DF clear; IPv6 a fragment header right behind the
 * fixed one), then the whole with its lengths set. Drains the queue.
 */
static size_t
collect(struct test_env *env, size_t out_len, int v6, struct reply_info *ri)
{
	const struct ss_txbuf *b = &env->worker.txbuf[0];
	const size_t hl = v6 ? 40 : 20;
	unsigned int i, n = 1 + b->n;
	size_t total = 0;
	uint8_t nh = 0;

	memset(ri, 0, sizeof(*ri));
	ri->n_frags = n;
	/* One frame, not a fragment: the reply as it is. */
	if (n == 1 &&
			(v6 ? out[L3 + 6] != IPPROTO_FRAGMENT :
			      (test_be16(out, L3 + 6) & 0x3fff) == 0)) {
		memcpy(reply, out, out_len);
		ri->len = out_len;
		return out_len;
	}
	for (i = 0; i < n; i++) {
		const uint8_t *f = out;
		size_t flen = out_len, dlen;
		uint32_t off, id;
		bool more;

		if (i > 0) {
			const struct rte_mbuf *m = b->pkts[i - 1];

			assert_int_equal(m->nb_segs, 1);
			assert_int_equal(m->data_len, m->pkt_len);
			f = rte_pktmbuf_mtod(m, const uint8_t *);
			flen = m->data_len;
			assert_memory_equal(f, out, 12); /* MAC addresses */
		}
		assert_true(flen <= L3 + MTU);
		test_check_addr(f + L3 + (v6 ? 8 : 12), v6, test_ip_us[v6]);
		test_check_addr(f + L3 + (v6 ? 24 : 16), v6, test_ip_peer[v6]);
		if (!v6) {
			uint16_t fo = test_be16(f, L3 + 6);

			assert_int_equal(test_be16(f, L3 - 2), RTE_ETHER_TYPE_IPV4);
			assert_int_equal(f[L3], 0x45);
			assert_true(test_ip4_cksum_ok(f, L3));
			assert_int_equal(test_be16(f, L3 + 2), flen - L3);
			assert_int_equal(fo & IP4_DF, 0);
			off = (fo & 0x1fff) * 8;
			more = (fo & IP4_MF) != 0;
			id = test_be16(f, L3 + 4);
			if (i == 0)
				nh = f[L3 + 9];
			assert_int_equal(f[L3 + 9], nh);
			dlen = flen - L3 - 20;
			memcpy(reply + L3 + 20 + off, f + L3 + 20, dlen);
		} else {
			const uint8_t *fh = f + L3 + 40;

			assert_int_equal(test_be16(f, L3 - 2), RTE_ETHER_TYPE_IPV6);
			assert_int_equal(f[L3 + 6], IPPROTO_FRAGMENT);
			assert_int_equal(test_be16(f, L3 + 4), flen - L3 - 40);
			assert_int_equal(fh[1], 0);
			assert_int_equal(fh[3] & 6, 0);
			off = test_be16(fh, 2) & ~7u;
			more = (fh[3] & 1) != 0;
			id = test_be32(fh, 4);
			if (i == 0)
				nh = fh[0];
			assert_int_equal(fh[0], nh);
			dlen = flen - L3 - 48;
			memcpy(reply + L3 + 40 + off, fh + 8, dlen);
		}
		if (i == 0)
			ri->id = id;
		assert_int_equal(id, ri->id);
		assert_int_equal(off, total);
		assert_int_equal(more, i + 1 < n);
		/* All but the last as large as the MTU lets them be. */
		if (more)
			assert_int_equal(dlen, chunk(v6));
		total += dlen;
	}
	memcpy(reply, out, L3 + hl);
	if (v6) {
		reply[L3 + 4] = total >> 8;
		reply[L3 + 5] = total & 0xff;
		reply[L3 + 6] = nh;
	} else {
		reply[L3 + 2] = (20 + total) >> 8;
		reply[L3 + 3] = (20 + total) & 0xff;
		reply[L3 + 6] = reply[L3 + 7] = 0;
		test_fix_ip4_cksum(reply, L3);
	}
	drain(env);
	ri->len = L3 + hl + total;
	return ri->len;
}

/* The reply is the UDP echo, from port 7 to sport, of len bytes of pattern seed. */
static void
check_udp_echo(const uint8_t *r, size_t r_len, int v6, uint16_t sport, size_t len,
		unsigned int seed)
{
	static uint8_t payload[65536];
	size_t l4 = test_l4_off_af(v6);

	test_fill_pattern(payload, len, seed);
	assert_int_equal(r_len, l4 + 8 + len);
	test_check_ip_reply(r, L3, v6, test_ip_us[v6], test_ip_peer[v6], IPPROTO_UDP, 8 + len);
	assert_int_equal(test_be16(r, l4), 7);
	assert_int_equal(test_be16(r, l4 + 2), sport);
	assert_int_equal(test_be16(r, l4 + 4), 8 + len);
	assert_true(test_l4_cksum_ok(r, r_len, L3, v6));
	assert_memory_equal(r + l4 + 8, payload, len);
}

/* A UDP echo of len bytes in fragments of size sent in order (NULL: as they come). */
static void
echo_in_fragments(struct test_env *env, int v6, size_t len, size_t size, const unsigned int *order,
		unsigned int n_order, uint32_t id, struct reply_info *ri)
{
	struct piece p[FRAG_MAX];
	unsigned int n;
	size_t out_len;

	udp_dgram(req, v6, NULL, 40000 + id % 1000, 7, len, id);
	n = cut(frag_len(req, v6), size, p);
	if (order != NULL)
		assert_int_equal(n, n_order);
	assert_int_equal(send_all(env, req, v6, id, p, n, order, &out_len), SS_VERDICT_TX);
	collect(env, out_len, v6, ri);
	check_udp_echo(reply, ri->len, v6, 40000 + id % 1000, len, id);
}

/* ---- reassembly and the reply in fragments ---- */

static void
test_echo_in_order(void **state)
{
	struct test_env *env = *state;
	struct reply_info ri;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		uint64_t frag_out = stats(env)->reasm.frag_out;

		/* 4000 bytes: 3 fragments each way. */
		echo_in_fragments(env, v6, 4000, chunk(v6), NULL, 0, 0x1234, &ri);
		assert_int_equal(ri.n_frags, 3);
		assert_int_equal(stats(env)->reasm.frag_out - frag_out, 3);
		assert_int_equal(stats(env)->svc[SS_SVC_ECHO][SS_UDP][v6].bytes_in, 4000);
		assert_int_equal(stats(env)->svc[SS_SVC_ECHO][SS_UDP][v6].replies, 1);
		assert_int_equal(env->worker.reasm.n_dgrams, 0);
		assert_int_equal(env->worker.reasm.n_held, 0);
		check_pool(env);
	}
	assert_int_equal(stats(env)->reasm.datagrams, 2);
}

static void
test_echo_out_of_order(void **state)
{
	struct test_env *env = *state;
	static const unsigned int reversed[] = { 4, 3, 2, 1, 0 };
	static const unsigned int shuffled[] = { 2, 4, 0, 3, 1 };
	static const unsigned int first_last[] = { 1, 2, 3, 4, 0 };
	struct reply_info ri;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		/* 5 fragments of 1000 bytes; the reply in fragments of the MTU. */
		echo_in_fragments(env, v6, 4992 - 8, 1000, reversed, 5, 1, &ri);
		assert_int_equal(ri.n_frags, 4);
		echo_in_fragments(env, v6, 4992 - 8, 1000, shuffled, 5, 2, &ri);
		echo_in_fragments(env, v6, 4992 - 8, 1000, first_last, 5, 3, &ri);
	}
	assert_int_equal(stats(env)->reasm.datagrams, 6);
	assert_int_equal(env->worker.reasm.n_held, 0);
}

/* The largest UDP datagrams: 65535 bytes of IP, in a chain of mbufs each way. */
static void
test_echo_largest(void **state)
{
	struct test_env *env = *state;
	const unsigned int room = rte_pktmbuf_data_room_size(env->pool) - RTE_PKTMBUF_HEADROOM;
	struct reply_info ri;

	echo_in_fragments(env, 0, 65507, chunk(0), NULL, 0, 7, &ri);
	assert_int_equal(ri.n_frags, 45);
	assert_true(ri.len - L3 > room);
	echo_in_fragments(env, 1, 65527, chunk(1), NULL, 0, 8, &ri);
	assert_int_equal(ri.n_frags, (65535 + chunk(1) - 1) / chunk(1));
	/* Reversed, the chain is built the same. */
	{
		unsigned int order[FRAG_MAX], i, n = (65535 + 1447) / 1448;

		for (i = 0; i < n; i++)
			order[i] = n - 1 - i;
		echo_in_fragments(env, 1, 65527, 1448, order, n, 9, &ri);
	}
	assert_int_equal(stats(env)->reasm.datagrams, 3);
	assert_int_equal(stats(env)->reasm.frag_out, 45 + 2 * ri.n_frags);
	check_pool(env);
}

/* IPv4 options in every fragment: the reply has none. */
static void
test_ipv4_options_in_fragments(void **state)
{
	struct test_env *env = *state;
	static const uint8_t opt[8] = { 1, 1, 1, 1, 1, 1, 1, 0 };
	static const unsigned int order[] = { 1, 2, 0 };
	struct piece p[FRAG_MAX];
	struct reply_info ri;
	size_t len, out_len;
	unsigned int n;

	len = udp_dgram(req, 0, NULL, 40000, 7, 3000, 30);
	test_ip4_add_options(req, len, L3, opt, sizeof(opt));
	assert_int_equal(frag_len(req, 0), 3008);
	n = cut(3008, 1200, p);
	assert_int_equal(send_all(env, req, 0, 0x31, p, n, order, &out_len), SS_VERDICT_TX);
	collect(env, out_len, 0, &ri);
	assert_int_equal(ri.n_frags, 3);
	check_udp_echo(reply, ri.len, 0, 40000, 3000, 30);
}

/* A reply that fits the MTU leaves in one frame, whatever the request came in. */
static void
test_small_reply_to_fragments(void **state)
{
	struct test_env *env = *state;
	struct piece p[FRAG_MAX];
	struct reply_info ri;
	unsigned int n;
	size_t out_len;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		/* Chargen: one line for a request of 30000 bytes (a chain). */
		udp_dgram(req, v6, NULL, 41000, 19, 30000, 5);
		n = cut(frag_len(req, v6), chunk(v6), p);
		assert_int_equal(send_all(env, req, v6, 77, p, n, NULL, &out_len), SS_VERDICT_TX);
		collect(env, out_len, v6, &ri);
		assert_int_equal(ri.n_frags, 1);
		assert_int_equal(out_len, test_l4_off_af(v6) + 8 + 74);
		test_check_ip_reply(out, L3, v6, test_ip_us[v6], test_ip_peer[v6], IPPROTO_UDP,
				8 + 74);
		assert_true(test_l4_cksum_ok(out, out_len, L3, v6));
		/* A closed port: the unreachable quotes the datagram from its first mbuf. */
		udp_dgram(req, v6, NULL, 41001, 4444, 30000, 6);
		assert_int_equal(send_all(env, req, v6, 78, p, n, NULL, &out_len), SS_VERDICT_TX);
		assert_int_equal(env->worker.txbuf[0].n, 0);
		assert_int_equal(out_len, v6 ? L3 + 1280 : L3 + 576);
		assert_int_equal(out[test_l4_off_af(v6)], v6 ? 1 : 3);
		assert_true(test_l4_cksum_ok(out, out_len, L3, v6));
		/*
		 * The quote is the datagram as it was put together: no fragment
		 * header (IPv4: its own identification, the length of the whole).
		 */
		if (v6)
			assert_memory_equal(out + test_l4_off_af(v6) + 8, req + L3,
					out_len - test_l4_off_af(v6) - 8);
		else
			assert_memory_equal(out + test_l4_off_af(v6) + 8 + 20, req + L3 + 20,
					out_len - test_l4_off_af(v6) - 8 - 20);
		if (!v6)
			assert_int_equal(test_be16(out, test_l4_off_af(v6) + 8 + 2),
					test_be16(req, L3 + 2));
	}
	assert_int_equal(stats(env)->reasm.datagrams, 4);
	assert_int_equal(stats(env)->reasm.frag_out, 0);
}

static void
test_icmp_echo_in_fragments(void **state)
{
	struct test_env *env = *state;
	static const unsigned int order[] = { 2, 0, 1 };
	uint8_t data[3000];
	struct piece p[FRAG_MAX];
	struct reply_info ri;
	unsigned int n;
	size_t len, out_len;
	int v6;

	test_fill_pattern(data, sizeof(data), 3);
	for (v6 = 0; v6 <= 1; v6++) {
		len = test_build_ping(req, v6, NULL, 0x4242, 7 + v6, data, sizeof(data));
		assert_int_equal(frag_len(req, v6), len - L3 - (v6 ? 40 : 20));
		n = cut(frag_len(req, v6), 1200, p);
		assert_int_equal(n, 3);
		assert_int_equal(send_all(env, req, v6, 0xabcd, p, n, order, &out_len),
				SS_VERDICT_TX);
		collect(env, out_len, v6, &ri);
		assert_int_equal(ri.n_frags, 3);
		test_check_echo_reply(reply, ri.len, v6, test_ip_us[v6], 0x4242, 7 + v6, data,
				sizeof(data));
	}
	assert_int_equal(stats(env)->reply[SS_REPLY_ICMP4_ECHO], 1);
	assert_int_equal(stats(env)->reply[SS_REPLY_ICMP6_ECHO], 1);
}

/* An echo request of 30000 bytes is a chain once put together; so is its sum. */
static void
test_icmp_echo_chain(void **state)
{
	struct test_env *env = *state;
	static uint8_t body[4 + 30000];
	struct piece p[FRAG_MAX];
	struct reply_info ri;
	struct test_frame f;
	unsigned int n;
	size_t out_len;
	int v6;

	body[0] = 0x12;
	body[1] = 0x34;
	body[2] = 0;
	body[3] = 9;
	test_fill_pattern(body + 4, 30000, 4);
	for (v6 = 0; v6 <= 1; v6++) {
		test_frame_defaults(&f, v6);
		test_build_icmp(req, &f, v6 ? 128 : 8, 0, body, sizeof(body));
		n = cut(frag_len(req, v6), chunk(v6), p);
		assert_int_equal(send_all(env, req, v6, 0x99, p, n, NULL, &out_len), SS_VERDICT_TX);
		collect(env, out_len, v6, &ri);
		test_check_echo_reply(reply, ri.len, v6, test_ip_us[v6], 0x1234, 9, body + 4,
				30000);
		/* A byte changed in the middle: the sum over the chain says so. */
		req[L3 + (v6 ? 40 : 20) + 15000] ^= 0x40;
		assert_int_equal(send_all(env, req, v6, 0x9a, p, n, NULL, NULL),
				v6 ? SS_DROP_ICMP6_CKSUM : SS_DROP_ICMP4_CKSUM);
		check_pool(env);
	}
}

/* A UDP datagram whose sum is wrong, found over the chain; and the chain freed. */
static void
test_udp_bad_checksum_chain(void **state)
{
	struct test_env *env = *state;
	struct piece p[FRAG_MAX];
	unsigned int n;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		udp_dgram(req, v6, NULL, 40000, 7, 40000, 29);
		req[test_l4_off_af(v6) + 8 + 39999] ^= 1;
		n = cut(frag_len(req, v6), chunk(v6), p);
		assert_int_equal(send_all(env, req, v6, 3, p, n, NULL, NULL), SS_DROP_UDP_CKSUM);
		assert_int_equal(env->worker.reasm.n_held, 0);
		check_pool(env);
	}
	assert_int_equal(stats(env)->reasm.datagrams, 2);
}

/* ---- duplicates and overlaps ---- */

static void
test_duplicate(void **state)
{
	struct test_env *env = *state;
	struct piece p[FRAG_MAX];
	struct reply_info ri;
	size_t out_len;
	unsigned int n;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		udp_dgram(req, v6, NULL, 40000, 7, 4000, 11);
		n = cut(frag_len(req, v6), chunk(v6), p);
		assert_int_equal(n, 3);
		assert_int_equal(send_piece(env, req, v6, 5, &p[0], NULL), SS_VERDICT_HELD);
		assert_int_equal(send_piece(env, req, v6, 5, &p[0], NULL), SS_DROP_FRAG_DUPLICATE);
		assert_int_equal(send_piece(env, req, v6, 5, &p[2], NULL), SS_VERDICT_HELD);
		/* The last again, its end known now: a duplicate still. */
		assert_int_equal(send_piece(env, req, v6, 5, &p[2], NULL), SS_DROP_FRAG_DUPLICATE);
		assert_int_equal(env->worker.reasm.n_held, 2);
		assert_int_equal(send_piece(env, req, v6, 5, &p[1], &out_len), SS_VERDICT_TX);
		collect(env, out_len, v6, &ri);
		check_udp_echo(reply, ri.len, v6, 40000, 4000, 11);
	}
	assert_int_equal(drops(env, SS_DROP_FRAG_DUPLICATE), 4);
	assert_int_equal(stats(env)->reasm.datagrams, 2);
	assert_int_equal(stats(env)->reasm.released, 0);
}

/* Time passes past the timeout: the worker's clock, and the expiry run. */
static void
expire_all(struct test_env *env)
{
	unsigned int i;

	env->worker.now += env->worker.reasm.timeout;
	for (i = 0; i < 100 && env->worker.reasm.n_dgrams > 0; i++)
		ss_reasm_expire(&env->worker.reasm, env->worker.stats, env->worker.now);
	assert_int_equal(env->worker.reasm.n_dgrams, 0);
}

static void
test_overlap(void **state)
{
	struct test_env *env = *state;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		uint64_t released = stats(env)->reasm.released;

		udp_dgram(req, v6, NULL, 40000, 7, 4000, 12);
		/* 0..1000, then 2000..3000; then 992..2000 overlaps the first by 8 bytes. */
		assert_int_equal(send_at(env, req, v6, 9, 0, 1000, true), SS_VERDICT_HELD);
		assert_int_equal(send_at(env, req, v6, 9, 2000, 1000, true), SS_VERDICT_HELD);
		assert_int_equal(send_at(env, req, v6, 9, 992, 1008, true), SS_DROP_FRAG_OVERLAP);
		assert_int_equal(stats(env)->reasm.released - released, 2);
		assert_int_equal(env->worker.reasm.n_held, 0);
		check_pool(env);
		/* Dropped whole: what comes later of it as well, the missing pieces too. */
		assert_int_equal(send_at(env, req, v6, 9, 1000, 1000, true), SS_DROP_FRAG_DROPPED);
		assert_int_equal(send_at(env, req, v6, 9, 3000, frag_len(req, v6) - 3000, false),
				SS_DROP_FRAG_DROPPED);
		assert_int_equal(send_at(env, req, v6, 9, 0, 1000, true), SS_DROP_FRAG_DROPPED);
		/* Another datagram is not touched; overlapping the fragment after it. */
		assert_int_equal(send_at(env, req, v6, 10, 1000, 1008, true), SS_VERDICT_HELD);
		assert_int_equal(send_at(env, req, v6, 10, 0, 1008, true), SS_DROP_FRAG_OVERLAP);
		/* Same offset, another length: an overlap, not a duplicate. */
		assert_int_equal(send_at(env, req, v6, 11, 0, 1000, true), SS_VERDICT_HELD);
		assert_int_equal(send_at(env, req, v6, 11, 0, 1008, true), SS_DROP_FRAG_OVERLAP);
		assert_int_equal(env->worker.reasm.n_held, 0);
		/* Until the timeout, which counts no time-out for them: they were dropped. */
		expire_all(env);
		assert_int_equal(stats(env)->reasm.timeouts, 0);
		assert_int_equal(send_at(env, req, v6, 9, 0, 1000, true), SS_VERDICT_HELD);
		expire_all(env);
		assert_int_equal(stats(env)->reasm.timeouts, 1);
		stats(env)->reasm.timeouts = 0;
		stats(env)->reasm.timed_out = 0;
	}
	assert_int_equal(drops(env, SS_DROP_FRAG_OVERLAP), 6);
	assert_int_equal(drops(env, SS_DROP_FRAG_DROPPED), 6);
	assert_int_equal(stats(env)->reasm.released, 2 * (2 + 1 + 1));
	assert_int_equal(stats(env)->reasm.datagrams, 0);
}

/* ---- the timeout ---- */

static void
test_timeout(void **state)
{
	struct test_env *env = *state;
	struct ss_reasm *r = &env->worker.reasm;
	struct piece p[FRAG_MAX];
	struct reply_info ri;
	uint64_t t0 = env->worker.now;
	size_t out_len;
	unsigned int n;
	int v6;

	assert_int_equal(r->timeout, env->worker.hz * 2000 / 1000);
	for (v6 = 0; v6 <= 1; v6++) {
		udp_dgram(req + v6 * 20000, v6, NULL, 40000 + v6, 7, 4000, 13);
		n = cut(frag_len(req + v6 * 20000, v6), chunk(v6), p);
		assert_int_equal(send_piece(env, req + v6 * 20000, v6, 1, &p[0], NULL),
				SS_VERDICT_HELD);
		assert_int_equal(send_piece(env, req + v6 * 20000, v6, 1, &p[2], NULL),
				SS_VERDICT_HELD);
	}
	assert_int_equal(r->n_dgrams, 2);
	assert_int_equal(r->n_held, 4);
	/* A tick short of it: nothing goes. */
	env->worker.now = t0 + r->timeout - 1;
	ss_reasm_expire(r, env->worker.stats, env->worker.now);
	assert_int_equal(r->n_held, 4);
	assert_int_equal(stats(env)->reasm.timeouts, 0);
	/* A datagram begun later waits its own time. */
	udp_dgram(req + 40000, 0, NULL, 40002, 7, 4000, 14);
	n = cut(frag_len(req + 40000, 0), chunk(0), p);
	assert_int_equal(n, 3);
	assert_int_equal(send_piece(env, req + 40000, 0, 2, &p[0], NULL), SS_VERDICT_HELD);
	env->worker.now = t0 + r->timeout;
	ss_reasm_expire(r, env->worker.stats, env->worker.now);
	assert_int_equal(stats(env)->reasm.timeouts, 2);
	assert_int_equal(stats(env)->reasm.timed_out, 4);
	assert_int_equal(r->n_dgrams, 1);
	assert_int_equal(r->n_held, 1);
	check_pool(env);
	/* The missing fragment of one gone: a datagram of its own now, never whole. */
	assert_int_equal(send_piece(env, req, 0, 1, &p[1], NULL), SS_VERDICT_HELD);
	/* The later one completes in time. */
	assert_int_equal(send_piece(env, req + 40000, 0, 2, &p[2], NULL), SS_VERDICT_HELD);
	assert_int_equal(send_piece(env, req + 40000, 0, 2, &p[1], &out_len), SS_VERDICT_TX);
	collect(env, out_len, 0, &ri);
	check_udp_echo(reply, ri.len, 0, 40002, 4000, 14);
	expire_all(env);
	assert_int_equal(stats(env)->reasm.timeouts, 3);
	assert_int_equal(stats(env)->reasm.timed_out, 5);
	assert_int_equal(stats(env)->reasm.datagrams, 1);
	assert_int_equal(r->n_held, 0);
	check_pool(env);
}

/* More datagrams to let go than one call does: the rest the next. */
static void
test_timeout_many(void **state)
{
	struct test_env *env = *state;
	struct ss_reasm *r = &env->worker.reasm;
	unsigned int i, calls = 0;

	set(env, "reassembly_per_source", "100");
	udp_dgram(req, 0, NULL, 40000, 7, 4000, 15);
	for (i = 0; i < 100; i++)
		assert_int_equal(send_at(env, req, 0, i, 0, 1480, true), SS_VERDICT_HELD);
	assert_int_equal(r->n_dgrams, 100);
	env->worker.now += r->timeout;
	ss_reasm_expire(r, env->worker.stats, env->worker.now);
	assert_true(r->n_dgrams < 100);
	assert_true(r->n_dgrams > 0);
	while (r->n_dgrams > 0 && calls++ < 100)
		ss_reasm_expire(r, env->worker.stats, env->worker.now);
	assert_int_equal(stats(env)->reasm.timeouts, 100);
	assert_int_equal(stats(env)->reasm.timed_out, 100);
	check_pool(env);
}

/* ---- bounds ---- */

static void
test_too_many_fragments(void **state)
{
	struct test_env *env = *state;
	struct piece p[FRAG_MAX];
	struct reply_info ri;
	size_t out_len;
	unsigned int n, i;
	int v6;

	set(env, "reassembly_fragments", "4");
	for (v6 = 0; v6 <= 1; v6++) {
		/* Four fragments make a datagram. */
		udp_dgram(req, v6, NULL, 40000, 7, 4000 - 8, 16);
		n = cut(frag_len(req, v6), 1000, p);
		assert_int_equal(n, 4);
		assert_int_equal(send_all(env, req, v6, 1, p, n, NULL, &out_len), SS_VERDICT_TX);
		collect(env, out_len, v6, &ri);
		check_udp_echo(reply, ri.len, v6, 40000, 4000 - 8, 16);
		/* Five do not: the fifth drops it whole. */
		n = cut(frag_len(req, v6), 800, p);
		assert_int_equal(n, 5);
		for (i = 0; i < 4; i++)
			assert_int_equal(send_piece(env, req, v6, 2, &p[i], NULL), SS_VERDICT_HELD);
		assert_int_equal(send_piece(env, req, v6, 2, &p[4], NULL), SS_DROP_FRAG_TOO_MANY);
		assert_int_equal(env->worker.reasm.n_held, 0);
		assert_int_equal(send_piece(env, req, v6, 2, &p[0], NULL), SS_DROP_FRAG_DROPPED);
	}
	assert_int_equal(drops(env, SS_DROP_FRAG_TOO_MANY), 2);
	assert_int_equal(stats(env)->reasm.released, 8);
	assert_int_equal(stats(env)->reasm.datagrams, 2);
}

static void
test_too_big(void **state)
{
	struct test_env *env = *state;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		/* Data for the piece's bytes: whatever is there. */
		memset(req, 0, sizeof(req));
		udp_dgram(req, v6, NULL, 40000, 7, 100, 17);
		/* IPv4: 20 + 65512 + 3 is 65535 bytes, IPv6 65520 + 15. */
		assert_int_equal(send_at(env, req, v6, 1, v6 ? 65520 : 65512, v6 ? 15 : 3, false),
				SS_VERDICT_HELD);
		/* One byte more, and the last fragment says so: dropped whole. */
		assert_int_equal(send_at(env, req, v6, 2, 0, 8, true), SS_VERDICT_HELD);
		assert_int_equal(send_at(env, req, v6, 2, v6 ? 65520 : 65512, v6 ? 16 : 4, false),
				SS_DROP_FRAG_TOO_BIG);
		assert_int_equal(send_at(env, req, v6, 2, 8, 8, true), SS_DROP_FRAG_DROPPED);
		/* The largest offset there is, and some data. */
		assert_int_equal(send_at(env, req, v6, 3, 65528, 16, true), SS_DROP_FRAG_TOO_BIG);
		assert_int_equal(send_at(env, req, v6, 3, 0, 8, true), SS_DROP_FRAG_DROPPED);
	}
	assert_int_equal(drops(env, SS_DROP_FRAG_TOO_BIG), 4);
	assert_int_equal(drops(env, SS_DROP_FRAG_DROPPED), 4);
	assert_int_equal(stats(env)->reasm.released, 2);
	assert_int_equal(env->worker.reasm.n_held, 2);
}

/*
 * The datagram's header is its first fragment's: one longer than the
 * others' (IPv4 options, an IPv6 hop-by-hop header) may take a datagram
 * whose other fragments fit past 65535 bytes.
 */
static void
test_too_big_by_first_header(void **state)
{
	struct test_env *env = *state;
	static const uint8_t nops[20] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
		0 };
	static const uint8_t hbh[8] = { 0, 0, 1, 4, 0, 0, 0, 0 };
	struct piece p[FRAG_MAX];
	unsigned int n, i;
	size_t len;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		udp_dgram(req, v6, NULL, 40000, 7, v6 ? 65527 : 65507, 18);
		n = cut(frag_len(req, v6), chunk(v6), p);
		for (i = 1; i < n; i++)
			assert_int_equal(send_piece(env, req, v6, 1, &p[i], NULL), SS_VERDICT_HELD);
		len = frag_make(frame, req, v6, 1, &p[0]);
		if (v6)
			len = test_ip6_add_ext(frame, len, L3, IPPROTO_HOPOPTS, hbh, sizeof(hbh));
		else
			len = test_ip4_add_options(frame, len, L3, nops, sizeof(nops));
		assert_int_equal(test_input(env, frame, len, NULL, NULL), SS_DROP_FRAG_TOO_BIG);
		assert_int_equal(env->worker.reasm.n_held, 0);
		assert_int_equal(stats(env)->reasm.released, n - 1);
		stats(env)->reasm.released = 0;
	}
	assert_int_equal(stats(env)->reasm.datagrams, 0);
}

static void
test_table_full(void **state)
{
	struct test_env *env = *state;
	struct piece p[FRAG_MAX];
	struct reply_info ri;
	size_t out_len;
	unsigned int n;

	set(env, "reassembly_datagrams", "2");
	udp_dgram(req, 0, NULL, 40000, 7, 4000, 19);
	n = cut(frag_len(req, 0), chunk(0), p);
	assert_int_equal(n, 3);
	assert_int_equal(send_piece(env, req, 0, 1, &p[0], NULL), SS_VERDICT_HELD);
	assert_int_equal(send_piece(env, req, 0, 2, &p[0], NULL), SS_VERDICT_HELD);
	/* A third datagram, of either family, from anyone. */
	assert_int_equal(send_piece(env, req, 0, 3, &p[0], NULL), SS_DROP_FRAG_TABLE_FULL);
	udp_dgram(req + 10000, 0, "198.51.100.9", 40000, 7, 4000, 19);
	assert_int_equal(send_piece(env, req + 10000, 0, 3, &p[0], NULL), SS_DROP_FRAG_TABLE_FULL);
	udp_dgram(req + 20000, 1, NULL, 40000, 7, 4000, 19);
	assert_int_equal(send_at(env, req + 20000, 1, 3, 0, 1448, true), SS_DROP_FRAG_TABLE_FULL);
	/* A fragment of one in the table is taken; its end makes room. */
	assert_int_equal(send_piece(env, req, 0, 1, &p[1], NULL), SS_VERDICT_HELD);
	assert_int_equal(send_piece(env, req, 0, 1, &p[2], &out_len), SS_VERDICT_TX);
	collect(env, out_len, 0, &ri);
	check_udp_echo(reply, ri.len, 0, 40000, 4000, 19);
	assert_int_equal(send_piece(env, req, 0, 3, &p[0], NULL), SS_VERDICT_HELD);
	assert_int_equal(drops(env, SS_DROP_FRAG_TABLE_FULL), 3);
	assert_int_equal(env->worker.reasm.n_dgrams, 2);
	/* The timeout makes room as well. */
	expire_all(env);
	assert_int_equal(send_at(env, req + 20000, 1, 3, 0, 1448, true), SS_VERDICT_HELD);
}

static void
test_per_source(void **state)
{
	struct test_env *env = *state;
	static const char *const other[2] = { "198.51.100.9", "2001:db8:1::fe" };
	static const char *const same_64 = "2001:db8::abcd";
	uint32_t id;
	int v6;

	set(env, "reassembly_per_source", "2");
	for (v6 = 0; v6 <= 1; v6++) {
		udp_dgram(req, v6, NULL, 40000, 7, 4000, 20);
		for (id = 1; id <= 2; id++)
			assert_int_equal(send_at(env, req, v6, id, 0, 1000, true), SS_VERDICT_HELD);
		assert_int_equal(send_at(env, req, v6, 3, 0, 1000, true), SS_DROP_FRAG_SOURCE_FULL);
		/* One of its own datagrams is still taken. */
		assert_int_equal(send_at(env, req, v6, 1, 1000, 1000, true), SS_VERDICT_HELD);
		/* Another source is not held back. */
		udp_dgram(req, v6, other[v6], 40000, 7, 4000, 20);
		assert_int_equal(send_at(env, req, v6, 3, 0, 1000, true), SS_VERDICT_HELD);
	}
	/* IPv6 sources are their /64s ([abuse] ipv6_source_prefix). */
	udp_dgram(req, 1, same_64, 40000, 7, 4000, 20);
	assert_int_equal(send_at(env, req, 1, 4, 0, 1000, true), SS_DROP_FRAG_SOURCE_FULL);
	assert_int_equal(drops(env, SS_DROP_FRAG_SOURCE_FULL), 3);
	/* A datagram dropped whole counts until its timeout; one gone, the source has room. */
	udp_dgram(req, 0, NULL, 40000, 7, 4000, 20);
	assert_int_equal(send_at(env, req, 0, 1, 992, 16, true), SS_DROP_FRAG_OVERLAP);
	assert_int_equal(send_at(env, req, 0, 4, 0, 1000, true), SS_DROP_FRAG_SOURCE_FULL);
	expire_all(env);
	assert_int_equal(send_at(env, req, 0, 4, 0, 1000, true), SS_VERDICT_HELD);
	assert_int_equal(send_at(env, req, 0, 5, 0, 1000, true), SS_VERDICT_HELD);
	assert_int_equal(send_at(env, req, 0, 6, 0, 1000, true), SS_DROP_FRAG_SOURCE_FULL);
}

static void
test_held_full(void **state)
{
	struct test_env *env = *state;
	struct piece p[FRAG_MAX];
	struct reply_info ri;
	size_t out_len;
	unsigned int n;

	set(env, "reassembly_held", "4");
	udp_dgram(req, 0, NULL, 40000, 7, 4000, 21);
	n = cut(frag_len(req, 0), chunk(0), p);
	assert_int_equal(n, 3);
	assert_int_equal(send_piece(env, req, 0, 1, &p[0], NULL), SS_VERDICT_HELD);
	assert_int_equal(send_piece(env, req, 0, 1, &p[1], NULL), SS_VERDICT_HELD);
	assert_int_equal(send_piece(env, req, 0, 2, &p[0], NULL), SS_VERDICT_HELD);
	assert_int_equal(send_piece(env, req, 0, 2, &p[1], NULL), SS_VERDICT_HELD);
	assert_int_equal(env->worker.reasm.n_held, 4);
	/* Held full: a fragment is dropped alone, whichever datagram it is of. */
	assert_int_equal(send_piece(env, req, 0, 1, &p[2], NULL), SS_DROP_FRAG_HELD_FULL);
	assert_int_equal(send_piece(env, req, 0, 3, &p[0], NULL), SS_DROP_FRAG_HELD_FULL);
	assert_int_equal(env->worker.reasm.n_dgrams, 2);
	assert_int_equal(stats(env)->reasm.released, 0);
	/* Room again (another one dropped whole), and datagram 1 completes. */
	assert_int_equal(send_at(env, req, 0, 2, 8, 8, true), SS_DROP_FRAG_OVERLAP);
	assert_int_equal(send_piece(env, req, 0, 1, &p[2], &out_len), SS_VERDICT_TX);
	collect(env, out_len, 0, &ri);
	check_udp_echo(reply, ri.len, 0, 40000, 4000, 21);
	assert_int_equal(drops(env, SS_DROP_FRAG_HELD_FULL), 2);
	assert_int_equal(env->worker.reasm.n_held, 0);
}

/* ---- malformed fragments ---- */

static void
test_malformed(void **state)
{
	struct test_env *env = *state;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		/* Those dropped whole before stay until their timeout. */
		uint32_t before = env->worker.reasm.n_dgrams;

		udp_dgram(req, v6, NULL, 40000, 7, 4000, 22);
		/* Not the last, and not a multiple of 8 bytes: dropped alone. */
		assert_int_equal(send_at(env, req, v6, 1, 0, 1001, true), SS_DROP_FRAG_MALFORMED);
		assert_int_equal(send_at(env, req, v6, 1, 1000, 7, true), SS_DROP_FRAG_MALFORMED);
		/* Empty. */
		assert_int_equal(send_at(env, req, v6, 1, 1000, 0, true), SS_DROP_FRAG_MALFORMED);
		assert_int_equal(send_at(env, req, v6, 1, 1000, 0, false), SS_DROP_FRAG_MALFORMED);
		assert_int_equal(env->worker.reasm.n_dgrams, before);
		/* Taken afterwards: nothing of the datagram was dropped. */
		assert_int_equal(send_at(env, req, v6, 1, 0, 1000, true), SS_VERDICT_HELD);
		/* The end known, a fragment past it drops the datagram whole. */
		assert_int_equal(send_at(env, req, v6, 1, 2000, 1000, false), SS_VERDICT_HELD);
		assert_int_equal(send_at(env, req, v6, 1, 3000, 8, true), SS_DROP_FRAG_MALFORMED);
		assert_int_equal(send_at(env, req, v6, 1, 1000, 1000, true), SS_DROP_FRAG_DROPPED);
		/* Another end: a last fragment short of the one held. */
		assert_int_equal(send_at(env, req, v6, 2, 2000, 1000, true), SS_VERDICT_HELD);
		assert_int_equal(send_at(env, req, v6, 2, 1000, 8, false), SS_DROP_FRAG_MALFORMED);
		/* Another end, the end known: a second last fragment. */
		assert_int_equal(send_at(env, req, v6, 3, 2000, 1000, false), SS_VERDICT_HELD);
		assert_int_equal(send_at(env, req, v6, 3, 1000, 1008, false),
				SS_DROP_FRAG_MALFORMED);
		/* Not the last, but ending where the last did. */
		assert_int_equal(send_at(env, req, v6, 4, 2000, 1000, false), SS_VERDICT_HELD);
		assert_int_equal(send_at(env, req, v6, 4, 1000, 2000, true),
				SS_DROP_FRAG_MALFORMED);
		assert_int_equal(env->worker.reasm.n_held, 0);
	}
	assert_int_equal(drops(env, SS_DROP_FRAG_MALFORMED), 16);
	assert_int_equal(drops(env, SS_DROP_FRAG_DROPPED), 2);
	assert_int_equal(stats(env)->reasm.released, 2 * (2 + 1 + 1 + 1));
}

/* RFC 1858: a first fragment too short for the upper layer's header. */
static void
test_tiny_first_fragment_ipv4(void **state)
{
	struct test_env *env = *state;
	struct test_frame f;
	uint8_t data[2000];
	size_t len;

	udp_dgram(req, 0, NULL, 40000, 7, 2000, 23);
	/* UDP: under its 8 bytes (offset 0 and MF clear would be no fragment, but truncated). */
	assert_int_equal(send_at(env, req, 0, 1, 0, 4, true), SS_DROP_FRAG_HEADER_CHAIN);
	assert_int_equal(send_at(env, req, 0, 1, 0, 7, true), SS_DROP_FRAG_HEADER_CHAIN);
	assert_int_equal(send_at(env, req, 0, 1, 0, 0, true), SS_DROP_FRAG_HEADER_CHAIN);
	assert_int_equal(send_at(env, req, 0, 1, 0, 8, true), SS_VERDICT_HELD);
	/* TCP: under 20 bytes, whose flags would come in another fragment. */
	test_frame_defaults(&f, 0);
	f.proto = IPPROTO_TCP;
	test_fill_pattern(data, sizeof(data), 1);
	len = test_build_tcp(req, &f, 40000, 7, RTE_TCP_ACK_FLAG, 1, 1, data, sizeof(data));
	assert_int_equal(len, L3 + 20 + 20 + 2000);
	assert_int_equal(send_at(env, req, 0, 2, 0, 8, true), SS_DROP_FRAG_HEADER_CHAIN);
	assert_int_equal(send_at(env, req, 0, 2, 0, 16, true), SS_DROP_FRAG_HEADER_CHAIN);
	assert_int_equal(send_at(env, req, 0, 2, 0, 24, true), SS_VERDICT_HELD);
	/* ICMP: under 8 bytes. */
	test_build_ping(req, 0, NULL, 1, 1, data, 100);
	assert_int_equal(send_at(env, req, 0, 3, 0, 4, true), SS_DROP_FRAG_HEADER_CHAIN);
	assert_int_equal(send_at(env, req, 0, 3, 0, 8, true), SS_VERDICT_HELD);
	assert_int_equal(drops(env, SS_DROP_FRAG_HEADER_CHAIN), 6);
	assert_int_equal(env->worker.reasm.n_dgrams, 3);
}

/* RFC 7112: an IPv6 first fragment holds the whole header chain, the upper layer's too. */
static void
test_ipv6_header_chain(void **state)
{
	struct test_env *env = *state;
	static const uint8_t dst8[8] = { 0, 0, 1, 4, 0, 0, 0, 0 };
	static const uint8_t dst24[24] = { 0, 2, 1, 20 };
	struct piece p[FRAG_MAX];
	struct reply_info ri;
	size_t len, out_len;

	/* Destination options of 24 bytes, 16 in the first fragment. */
	len = udp_dgram(req, 1, NULL, 40000, 7, 2000, 24);
	len = test_ip6_add_ext(req, len, L3, IPPROTO_DSTOPTS, dst24, sizeof(dst24));
	assert_int_equal(send_at(env, req, 1, 1, 0, 16, true), SS_DROP_FRAG_HEADER_CHAIN);
	/* All 24, but not the UDP header behind them. */
	assert_int_equal(send_at(env, req, 1, 1, 0, 24, true), SS_DROP_FRAG_HEADER_CHAIN);
	/* And 8 bytes of UDP header: the datagram is put together, the reply has no options. */
	assert_int_equal(cut(frag_len(req, 1), 32, p), (len - L3 - 40 + 31) / 32);
	assert_int_equal(send_piece(env, req, 1, 1, &p[0], NULL), SS_VERDICT_HELD);
	p[1].off = 32;
	p[1].len = frag_len(req, 1) - 32;
	p[1].more = false;
	assert_int_equal(send_piece(env, req, 1, 1, &p[1], &out_len), SS_VERDICT_TX);
	collect(env, out_len, 1, &ri);
	check_udp_echo(reply, ri.len, 1, 40000, 2000, 24);
	/* Only the options header in the first fragment. */
	len = udp_dgram(req, 1, NULL, 40001, 7, 2000, 25);
	len = test_ip6_add_ext(req, len, L3, IPPROTO_DSTOPTS, dst8, sizeof(dst8));
	assert_int_equal(send_at(env, req, 1, 2, 0, 8, true), SS_DROP_FRAG_HEADER_CHAIN);
	/* ICMPv6: its type, code and checksum at least. */
	test_build_ping(req, 1, NULL, 1, 1, frame, 100);
	assert_int_equal(send_at(env, req, 1, 3, 0, 0, true), SS_DROP_FRAG_HEADER_CHAIN);
	/* No hop-by-hop header behind the fragment header. */
	len = udp_dgram(req, 1, NULL, 40002, 7, 2000, 26);
	len = test_ip6_add_ext(req, len, L3, IPPROTO_HOPOPTS, dst8, sizeof(dst8));
	assert_int_equal(send_at(env, req, 1, 4, 0, 32, true), SS_DROP_FRAG_HEADER_CHAIN);
	assert_int_equal(drops(env, SS_DROP_FRAG_HEADER_CHAIN), 5);
	assert_int_equal(env->worker.reasm.n_dgrams, 0);
}

/* ---- TCP ---- */

static void
test_tcp_syn_in_fragments(void **state)
{
	struct test_env *env = *state;
	struct test_frame f;
	struct test_seg s;
	uint8_t opt[40];
	size_t optlen;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		test_frame_defaults(&f, v6);
		f.proto = IPPROTO_TCP;
		optlen = test_syn_options(opt, 1400, 7, 1);
		test_build_tcp_opt(req, &f, 50000 + v6, 7, RTE_TCP_SYN_FLAG, 1000, 0, 65535, opt,
				optlen, NULL, 0);
		assert_int_equal(frag_len(req, v6), 20 + optlen);
		/* The header's 20 bytes and a word of options, then the rest of them. */
		assert_int_equal(send_at(env, req, v6, 1, 0, 24, true), SS_VERDICT_HELD);
		assert_int_equal(send_at(env, req, v6, 1, 24, 20 + optlen - 24, false),
				SS_VERDICT_TX);
		test_tcp_parse(out, out_n, &s);
		assert_int_equal(s.flags, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG);
		assert_int_equal(s.ack, 1001);
		assert_int_equal(s.sport, 7);
		assert_int_equal(s.dport, 50000 + v6);
		assert_int_equal(s.mss, v6 ? 1440 : 1460); /* ours */
		assert_int_equal(s.sack_ok, 1);
		assert_true(s.wscale >= 0);
		assert_int_equal(env->worker.txbuf[0].n, 0);
	}
	assert_int_equal(stats(env)->reasm.datagrams, 2);
}

/* A TCP segment larger than one mbuf is no segment of ours (we never announce such an MSS). */
static void
test_tcp_too_big(void **state)
{
	struct test_env *env = *state;
	static uint8_t data[12000];
	struct test_frame f;
	struct piece p[FRAG_MAX];
	unsigned int n, i;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		test_frame_defaults(&f, v6);
		f.proto = IPPROTO_TCP;
		test_build_tcp(req, &f, 50000, 7, RTE_TCP_ACK_FLAG, 1, 1, data, sizeof(data));
		n = cut(frag_len(req, v6), chunk(v6), p);
		for (i = 0; i + 1 < n; i++)
			assert_int_equal(send_piece(env, req, v6, 1, &p[i], NULL), SS_VERDICT_HELD);
		assert_int_equal(send_piece(env, req, v6, 1, &p[n - 1], NULL),
				SS_DROP_FRAG_TCP_TOO_BIG);
		assert_int_equal(stats(env)->reasm.released, (v6 + 1) * (n - 1));
		assert_int_equal(env->worker.reasm.n_dgrams, 0);
		check_pool(env);
	}
	assert_int_equal(drops(env, SS_DROP_FRAG_TCP_TOO_BIG), 2);
}

/* ---- off ---- */

static void
test_reassembly_off(void **state)
{
	struct test_env *env = *state;
	int v6;

	set(env, "reassembly_datagrams", "0");
	for (v6 = 0; v6 <= 1; v6++) {
		udp_dgram(req, v6, NULL, 40000, 7, 4000, 27);
		assert_int_equal(send_at(env, req, v6, 1, 0, 1000, true),
				v6 ? SS_DROP_IP6_FRAGMENT : SS_DROP_IP4_FRAGMENT);
		assert_int_equal(send_at(env, req, v6, 1, 1000, 3008, false),
				v6 ? SS_DROP_IP6_FRAGMENT : SS_DROP_IP4_FRAGMENT);
	}
	assert_int_equal(drops(env, SS_DROP_IP4_FRAGMENT), 2);
	assert_int_equal(drops(env, SS_DROP_IP6_FRAGMENT), 2);
	assert_int_equal(env->worker.reasm.n_held, 0);
}

/* ---- counters, through a burst ---- */

static void
test_counters_in_a_burst(void **state)
{
	struct test_env *env = *state;
	struct rte_mbuf *pkts[8];
	struct piece p[FRAG_MAX];
	struct reply_info ri;
	uint16_t nb_tx;
	unsigned int n, i;
	size_t len;

	udp_dgram(req, 0, NULL, 40000, 7, 4000, 28);
	n = cut(frag_len(req, 0), chunk(0), p);
	assert_int_equal(n, 3);
	/*
	 * Three fragments of one, its last again (a new datagram, the first
	 * one gone), another's first twice (a duplicate), one malformed.
	 */
	for (i = 0; i < 3; i++) {
		len = frag_make(frame, req, 0, 1, &p[i]);
		pkts[i] = test_mbuf(env, frame, len);
	}
	pkts[3] = test_mbuf(env, frame, len);
	len = frag_make(frame, req, 0, 2, &p[0]);
	pkts[4] = test_mbuf(env, frame, len);
	pkts[5] = test_mbuf(env, frame, len);
	len = frag_make(frame, req, 0, 2, &(struct piece){ .off = 8, .len = 9, .more = true });
	pkts[6] = test_mbuf(env, frame, len);
	nb_tx = ss_worker_process(&env->worker, 0, pkts, 7);
	assert_int_equal(nb_tx, 1);
	assert_int_equal(stats(env)->rx_pkts, 7);
	assert_int_equal(stats(env)->rx_held, 4);
	assert_int_equal(stats(env)->rx_answered, 1);
	assert_int_equal(stats(env)->drop[SS_DROP_FRAG_DUPLICATE], 1);
	assert_int_equal(stats(env)->drop[SS_DROP_FRAG_MALFORMED], 1);
	assert_int_equal(ss_stats_drops(stats(env)), 2);
	assert_int_equal(stats(env)->reasm.datagrams, 1);
	assert_int_equal(stats(env)->reasm.frag_out, 3);
	assert_int_equal(env->worker.txbuf[0].n, 2);
	assert_true(pkts[0]->data_len <= sizeof(out));
	memcpy(out, rte_pktmbuf_mtod(pkts[0], void *), pkts[0]->data_len);
	len = pkts[0]->data_len;
	rte_pktmbuf_free(pkts[0]);
	collect(env, len, 0, &ri);
	check_udp_echo(reply, ri.len, 0, 40000, 4000, 28);
	/* Held: the lone last fragment and datagram 2's first. */
	assert_int_equal(env->worker.reasm.n_held, 2);
	expire_all(env);
	assert_int_equal(stats(env)->reasm.timeouts, 2);
	assert_int_equal(stats(env)->reasm.timed_out, 2);
	/* rx = answered + held + dropped. */
	assert_int_equal(stats(env)->rx_pkts,
			stats(env)->rx_answered + stats(env)->rx_held + ss_stats_drops(stats(env)));
}

/* ---- the fragments of our replies ---- */

static void
test_reply_fragment_ids(void **state)
{
	struct test_env *env = *state;
	struct reply_info a, b;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		/* One request's identification is not the reply's. */
		echo_in_fragments(env, v6, 3000, chunk(v6), NULL, 0, 0x77, &a);
		echo_in_fragments(env, v6, 3000, chunk(v6), NULL, 0, 0x77, &b);
		assert_int_equal(a.n_frags, 3);
		assert_int_equal(b.n_frags, 3);
		/* Each reply's own identification, shared by its fragments (collect()). */
		assert_int_not_equal(a.id, b.id);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_echo_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_echo_out_of_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_echo_largest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv4_options_in_fragments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_small_reply_to_fragments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_icmp_echo_in_fragments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_icmp_echo_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_bad_checksum_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many_fragments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_big, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_big_by_first_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_held_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tiny_first_fragment_ipv4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv6_header_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_syn_in_fragments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_too_big, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reassembly_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counters_in_a_burst, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reply_fragment_ids, setup, teardown),
	};

	test_eal_init();
	return cmocka_run_group_tests_name("ip_reasm", tests, NULL, NULL);
}
