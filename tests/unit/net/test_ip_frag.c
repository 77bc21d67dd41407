/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ip_frag.c: a reply larger than the MTU leaves in fragments of it (IPv4:
 * one identification, offsets, MF, DF clear, header checksums by us or by
 * the port; IPv6: a fragment header, an identification from a counter), a
 * VLAN tag on each, the bytes all there; one that fits leaves as it is (a
 * chain made one mbuf); other verdicts pass; no mbuf: the reply is dropped
 * and nothing lost. ip_reasm's tests send such replies end to end.
 */
#include "harness.h"

#include <netinet/in.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_ip.h>

#include "ip_frag.h"
#include "stats.h"

#define MTU 1500
#define IP4_MF 0x2000
#define IP4_DF 0x4000

static uint8_t frame[70000];
static uint8_t whole[70000];
static unsigned int pool_base;

static int
setup(void **state)
{
	struct test_env *env = test_env_new();

	pool_base = rte_mempool_avail_count(env->pool);
	*state = env;
	return 0;
}

static void
drain(struct test_env *env)
{
	struct ss_txbuf *b = &env->worker.txbuf[0];

	rte_pktmbuf_free_bulk(b->pkts, b->n);
	b->n = 0;
}

static int
teardown(void **state)
{
	struct test_env *env = *state;

	drain(env);
	assert_int_equal(rte_mempool_avail_count(env->pool), pool_base);
	test_env_free(env);
	return 0;
}

/*
 * A UDP reply from us to the peer with len bytes of pattern (VLAN tag vlan,
 * or -1), as ss_ip_reply() leaves it: IPv4 with DF set. Returns its length.
 */
static size_t
reply_frame(uint8_t *buf, int v6, int vlan, size_t len)
{
	static uint8_t payload[65536];
	const uint8_t us[6] = TEST_MAC_US, peer[6] = TEST_MAC_PEER;
	struct test_frame f;
	size_t n, l3;

	test_frame_defaults(&f, v6);
	memcpy(f.dst_mac, peer, 6);
	memcpy(f.src_mac, us, 6);
	f.src = test_ip_us[v6];
	f.dst = test_ip_peer[v6];
	f.vlan = vlan;
	test_fill_pattern(payload, len, 3);
	n = test_build_udp(buf, &f, 7, 40000, payload, len);
	l3 = test_l3_off(&f);
	if (!v6) {
		buf[l3 + 6] = IP4_DF >> 8;
		test_fix_ip4_cksum(buf, l3);
	}
	return n;
}

/* len bytes of frame in mbufs of seg bytes at most. */
static struct rte_mbuf *
chain_of(struct test_env *env, const uint8_t *buf, size_t len, size_t seg)
{
	struct rte_mbuf *head = test_mbuf(env, buf, RTE_MIN(len, seg)), *tail = head;
	size_t off;

	for (off = seg; off < len; off += seg) {
		struct rte_mbuf *m = test_mbuf(env, buf + off, RTE_MIN(len - off, seg));

		tail->next = m;
		tail = m;
		head->nb_segs++;
		head->pkt_len += m->data_len;
	}
	return head;
}

static void
pkt_init(struct ss_pkt *p, struct test_env *env, struct rte_mbuf *m, int v6, uint16_t l2_len)
{
	memset(p, 0, sizeof(*p));
	p->m = m;
	p->w = &env->worker;
	p->iface = &env->iface;
	p->stats = &env->worker.stats[0];
	p->af = v6 ? SS_AF6 : SS_AF4;
	p->l2_len = l2_len;
	p->l3_len = v6 ? 40 : 20;
	p->l4_len = m->pkt_len - l2_len - p->l3_len;
	p->reassembled = true;
}

/*
 * The fragments (p->m, then those queued) checked and put together into
 * whole, which must equal the reply of len bytes in orig. Returns their
 * number; *id their identification. Frees the queued ones.
 */
static unsigned int
check_fragments(struct test_env *env, const struct ss_pkt *p, int v6, const uint8_t *orig,
		size_t len, uint32_t *id)
{
	const struct ss_txbuf *b = &env->worker.txbuf[0];
	const size_t l2 = p->l2_len, hl = v6 ? 48 : 20;
	unsigned int i, n = 1 + b->n;
	size_t total = 0;

	assert_int_equal(p->m->nb_segs, 1);
	for (i = 0; i < n; i++) {
		const struct rte_mbuf *m = i == 0 ? p->m : b->pkts[i - 1];
		const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
		size_t flen = m->data_len, dlen = flen - l2 - hl;
		bool more = i + 1 < n;
		uint32_t off, fid;

		assert_int_equal(m->nb_segs, 1);
		assert_int_equal(m->pkt_len, flen);
		assert_true(flen - l2 <= MTU);
		/* The link header (VLAN tag and all) and the IP addresses as the reply's. */
		assert_memory_equal(f, orig, l2);
		if (!v6) {
			uint16_t fo = test_be16(f, l2 + 6);

			assert_memory_equal(f + l2 + 12, orig + l2 + 12, 8);
			assert_int_equal(f[l2], 0x45);
			assert_int_equal(f[l2 + 9], IPPROTO_UDP);
			assert_int_equal(test_be16(f, l2 + 2), flen - l2);
			assert_int_equal(fo & IP4_DF, 0);
			assert_int_equal((fo & IP4_MF) != 0, more);
			off = (fo & 0x1fff) * 8;
			fid = test_be16(f, l2 + 4);
			if (env->iface.tx_cksum & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) {
				assert_int_equal(test_be16(f, l2 + 10), 0);
				assert_true(m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM);
				assert_int_equal(m->l2_len, l2);
				assert_int_equal(m->l3_len, 20);
			} else {
				assert_true(test_ip4_cksum_ok(f, l2));
				assert_false(m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM);
			}
		} else {
			assert_memory_equal(f + l2 + 8, orig + l2 + 8, 32);
			assert_int_equal(f[l2 + 6], IPPROTO_FRAGMENT);
			assert_int_equal(test_be16(f, l2 + 4), flen - l2 - 40);
			assert_int_equal(f[l2 + 40], IPPROTO_UDP);
			assert_int_equal(f[l2 + 41], 0);
			assert_int_equal(f[l2 + 43] & 7, more ? 1 : 0);
			off = test_be16(f, l2 + 42) & ~7u;
			fid = test_be32(f, l2 + 44);
		}
		assert_false(m->ol_flags & RTE_MBUF_F_TX_L4_MASK);
		if (i == 0)
			*id = fid;
		assert_int_equal(fid, *id);
		assert_int_equal(off, total);
		if (more)
			assert_int_equal(dlen, v6 ? 1448 : 1480);
		memcpy(whole + off, f + l2 + hl, dlen);
		total += dlen;
	}
	assert_int_equal(total, len - l2 - (v6 ? 40 : 20));
	assert_memory_equal(whole, orig + l2 + (v6 ? 40 : 20), total);
	assert_int_equal(env->worker.stats[0].reasm.frag_out, n);
	env->worker.stats[0].reasm.frag_out = 0;
	drain(env);
	return n;
}

static void
test_other_verdicts_pass(void **state)
{
	struct test_env *env = *state;
	const enum ss_verdict v[] = { SS_VERDICT_TCP, SS_VERDICT_HELD, SS_DROP_UDP_CKSUM };
	size_t len = reply_frame(frame, 0, -1, 4000);
	struct ss_pkt p;
	unsigned int i;

	for (i = 0; i < RTE_DIM(v); i++) {
		pkt_init(&p, env, test_mbuf(env, frame, len), 0, 14);
		assert_int_equal(ss_ip_frag_send(&p, v[i]), v[i]);
		assert_int_equal(p.m->pkt_len, len);
		assert_memory_equal(rte_pktmbuf_mtod(p.m, void *), frame, len);
		assert_int_equal(env->worker.txbuf[0].n, 0);
		rte_pktmbuf_free(p.m);
	}
	assert_int_equal(env->worker.stats[0].reasm.frag_out, 0);
}

static void
test_fits_the_mtu(void **state)
{
	struct test_env *env = *state;
	struct ss_pkt p;
	size_t len;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		/* Exactly the MTU: one frame, as it was. */
		len = reply_frame(frame, v6, -1, MTU - (v6 ? 48 : 28));
		assert_int_equal(len, 14 + MTU);
		pkt_init(&p, env, test_mbuf(env, frame, len), v6, 14);
		assert_int_equal(ss_ip_frag_send(&p, SS_VERDICT_TX), SS_VERDICT_TX);
		assert_int_equal(p.m->pkt_len, len);
		assert_memory_equal(rte_pktmbuf_mtod(p.m, void *), frame, len);
		rte_pktmbuf_free(p.m);
		/* A chain that fits: one mbuf, the same bytes. */
		pkt_init(&p, env, chain_of(env, frame, len, 500), v6, 14);
		assert_int_equal(p.m->nb_segs, 4);
		assert_int_equal(ss_ip_frag_send(&p, SS_VERDICT_TX), SS_VERDICT_TX);
		assert_int_equal(p.m->nb_segs, 1);
		assert_int_equal(p.m->data_len, len);
		assert_memory_equal(rte_pktmbuf_mtod(p.m, void *), frame, len);
		rte_pktmbuf_free(p.m);
		assert_int_equal(env->worker.txbuf[0].n, 0);
	}
	assert_int_equal(env->worker.stats[0].reasm.frag_out, 0);
}

static void
test_ipv4(void **state)
{
	struct test_env *env = *state;
	struct ss_pkt p;
	uint32_t id;
	size_t len;
	int vlan;

	for (vlan = -1; vlan <= 5; vlan += 6) {
		uint16_t l2 = vlan < 0 ? 14 : 18;

		len = reply_frame(frame, 0, vlan, 4000);
		pkt_init(&p, env, test_mbuf(env, frame, len), 0, l2);
		/* What the port was asked to sum of the whole does not go to a fragment. */
		p.m->ol_flags |= RTE_MBUF_F_TX_UDP_CKSUM;
		assert_int_equal(ss_ip_frag_send(&p, SS_VERDICT_TX), SS_VERDICT_TX);
		assert_int_equal(check_fragments(env, &p, 0, frame, len, &id), 3);
		/* The identification is the reply's own. */
		assert_int_equal(id, test_be16(frame, l2 + 4));
		rte_pktmbuf_free(p.m);
	}
	/* The port sums the headers. */
	env->iface.tx_cksum = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
	len = reply_frame(frame, 0, -1, 4000);
	pkt_init(&p, env, test_mbuf(env, frame, len), 0, 14);
	assert_int_equal(ss_ip_frag_send(&p, SS_VERDICT_TX), SS_VERDICT_TX);
	assert_int_equal(check_fragments(env, &p, 0, frame, len, &id), 3);
	rte_pktmbuf_free(p.m);
}

static void
test_ipv6(void **state)
{
	struct test_env *env = *state;
	struct ss_pkt p;
	uint32_t id, id2;
	size_t len;

	len = reply_frame(frame, 1, -1, 4000);
	pkt_init(&p, env, test_mbuf(env, frame, len), 1, 14);
	assert_int_equal(ss_ip_frag_send(&p, SS_VERDICT_TX), SS_VERDICT_TX);
	assert_int_equal(check_fragments(env, &p, 1, frame, len, &id), 3);
	rte_pktmbuf_free(p.m);
	/* RFC 7739: a counter; the next reply to the same peer takes the next. */
	len = reply_frame(frame, 1, 7, 3000);
	pkt_init(&p, env, test_mbuf(env, frame, len), 1, 18);
	assert_int_equal(ss_ip_frag_send(&p, SS_VERDICT_TX), SS_VERDICT_TX);
	assert_int_equal(check_fragments(env, &p, 1, frame, len, &id2), 3);
	assert_int_equal(id2, id + 1);
	rte_pktmbuf_free(p.m);
}

/* The largest replies, in chains: 45 fragments (IPv4), 46 (IPv6). */
static void
test_largest_in_a_chain(void **state)
{
	struct test_env *env = *state;
	struct ss_pkt p;
	uint32_t id;
	size_t len;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		len = reply_frame(frame, v6, -1, v6 ? 65527 : 65507);
		pkt_init(&p, env, chain_of(env, frame, len, 9000), v6, 14);
		assert_int_equal(ss_ip_frag_send(&p, SS_VERDICT_TX), SS_VERDICT_TX);
		assert_int_equal(check_fragments(env, &p, v6, frame, len, &id), v6 ? 46 : 45);
		rte_pktmbuf_free(p.m);
	}
}

/* No mbuf for a fragment: the reply is dropped, nothing kept, nothing lost. */
static void
test_no_mbuf(void **state)
{
	struct test_env *env = *state;
	static struct rte_mbuf *all[2048];
	unsigned int n = 0, keep;
	struct ss_pkt p;
	size_t len;
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		for (keep = 0; keep <= 1; keep++) {
			len = reply_frame(frame, v6, -1, 4000);
			pkt_init(&p, env, test_mbuf(env, frame, len), v6, 14);
			/* None left, or one: the second fragment finds none. */
			for (n = 0; n < RTE_DIM(all) &&
					(all[n] = rte_pktmbuf_alloc(env->pool)) != NULL;
					n++)
				;
			assert_true(n < RTE_DIM(all));
			if (keep)
				rte_pktmbuf_free(all[--n]);
			assert_int_equal(ss_ip_frag_send(&p, SS_VERDICT_TX), SS_DROP_FRAG_NO_MBUF);
			assert_int_equal(env->worker.txbuf[0].n, 0);
			assert_int_equal(rte_mempool_avail_count(env->pool), keep);
			rte_pktmbuf_free_bulk(all, n);
			rte_pktmbuf_free(p.m);
		}
	}
	assert_int_equal(env->worker.stats[0].reasm.frag_out, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_other_verdicts_pass, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fits_the_mtu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_largest_in_a_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_mbuf, setup, teardown),
	};

	test_eal_init();
	return cmocka_run_group_tests_name("ip_frag", tests, NULL, NULL);
}
