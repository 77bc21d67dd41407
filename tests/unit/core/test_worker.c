/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * worker.c: a burst mixing replies and drops (replies compacted to the
 * front in order, drops freed and counted), transmission (net_null, and a
 * net_ring whose ring is nearly full), the rx = tx + drops invariant (and
 * rx = answered + to TCP + not answered once TCP takes a segment), and the
 * poll loop with a packet limit. And transmit checksum offload
 * (tx_cksum.h): what a port that sums gets, finished as a NIC would, is
 * byte for byte what a port that does not gets. And a reload: what a worker
 * derives from a configuration it adopts, and the loop taking the one
 * published between bursts and reporting its quiescent state.
 */
#include "harness.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>
#include <rte_tcp.h>

#include "cksum.h"
#include "clock.h"
#include "stats.h"
#include "tcp_harness.h"
#include "tx_cksum.h"

#define L3 14

static uint16_t null_port, ring_port;
static struct rte_ring *ring;

static void
port_start(struct rte_mempool *pool, const char *name, uint16_t *port)
{
	struct rte_eth_conf conf;

	memset(&conf, 0, sizeof(conf));
	assert_int_equal(rte_eal_hotplug_add("vdev", name, ""), 0);
	assert_int_equal(rte_eth_dev_get_port_by_name(name, port), 0);
	assert_int_equal(rte_eth_dev_configure(*port, 1, 1, &conf), 0);
	assert_int_equal(rte_eth_rx_queue_setup(*port, 0, 64, 0, NULL, pool), 0);
	assert_int_equal(rte_eth_tx_queue_setup(*port, 0, 64, 0, NULL), 0);
	assert_int_equal(rte_eth_dev_start(*port), 0);
}

static int
group_setup(void **state)
{
	struct test_env *env = test_env_new();

	/* A port that takes everything, and one whose TX ring we can fill. */
	port_start(env->pool, "net_null_ut", &null_port);
	port_start(env->pool, "net_ring_ut", &ring_port);
	/* net_ring loops a queue's TX into its RX through this one ring. */
	ring = rte_ring_lookup("ETH_RXTX0_net_ring_ut");
	assert_non_null(ring);
	test_env_free(env);
	(void)state;
	return 0;
}

static int
setup(void **state)
{
	struct test_env *env = test_env_new();

	env->iface.port_id = null_port;
	*state = env;
	return 0;
}

/* The frames of a mixed burst and what becomes of each. */
enum kind {
	K_ECHO4,
	K_BAD_UDP,
	K_ARP,
	K_NOT_OURS,
	K_PING6,
	K_DISCARD,
	K_SYN,
	K_RUNT,
	K_BAD_UDP6,
	K_DAYTIME6,
	K_RST,
	K_MAX
};

static const enum ss_verdict expect[K_MAX] = {
	[K_ECHO4] = SS_VERDICT_TX,
	[K_BAD_UDP] = SS_DROP_UDP_CKSUM,
	[K_ARP] = SS_VERDICT_TX,
	[K_NOT_OURS] = SS_DROP_ETH_NOT_OURS,
	[K_PING6] = SS_VERDICT_TX,
	[K_DISCARD] = SS_DROP_UDP_DISCARD,
	[K_SYN] = SS_VERDICT_TX,
	[K_RUNT] = SS_DROP_ETH_RUNT,
	[K_BAD_UDP6] = SS_DROP_UDP_CKSUM,
	[K_DAYTIME6] = SS_VERDICT_TX,
	[K_RST] = SS_DROP_TCP_RST_IN,
};

static struct rte_mbuf *
frame(struct test_env *env, enum kind k)
{
	uint8_t buf[9100];
	struct test_frame f;
	size_t len = 0;

	test_frame_defaults(&f, k == K_PING6 || k == K_BAD_UDP6 || k == K_DAYTIME6);
	switch (k) {
	case K_ECHO4:
		len = test_build_udp(buf, &f, 40000, 7, "echo", 4);
		break;
	case K_BAD_UDP:
	case K_BAD_UDP6:
		len = test_build_udp(buf, &f, 40000, 7, "bad", 3);
		buf[len - 1] ^= 1;
		break;
	case K_ARP:
		len = test_build_arp_request(buf, TEST_IP4_US);
		break;
	case K_NOT_OURS:
		f.dst_mac[5] = 0x77;
		len = test_build_udp(buf, &f, 40000, 7, "echo", 4);
		break;
	case K_PING6:
		f.proto = IPPROTO_ICMPV6;
		len = test_build_icmp(buf, &f, 128, 0, "\0\1\0\1ping", 8);
		break;
	case K_DISCARD:
		len = test_build_udp(buf, &f, 40000, 9, "gone", 4);
		break;
	case K_SYN:
		f.proto = IPPROTO_TCP;
		len = test_build_tcp(buf, &f, 40000, 4444, RTE_TCP_SYN_FLAG, 41, 0, NULL, 0);
		break;
	case K_RUNT:
		len = test_build_udp(buf, &f, 40000, 7, "echo", 4);
		len = 10;
		break;
	case K_DAYTIME6:
		len = test_build_udp(buf, &f, 40000, 13, NULL, 0);
		break;
	case K_RST:
		f.proto = IPPROTO_TCP;
		len = test_build_tcp(buf, &f, 40000, 4444, RTE_TCP_RST_FLAG, 41, 0, NULL, 0);
		break;
	default:
		fail();
	}
	return test_mbuf(env, buf, len);
}

/* Is m the reply that a frame of kind k gets? */
static void
check_reply(const struct rte_mbuf *m, enum kind k)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	const uint8_t peer[6] = TEST_MAC_PEER;

	assert_memory_equal(p, peer, 6);
	switch (k) {
	case K_ECHO4:
		assert_int_equal(test_be16(p, L3 + 20), 7);
		assert_memory_equal(p + L3 + 28, "echo", 4);
		break;
	case K_ARP:
		assert_int_equal(test_be16(p, L3 + 6), 2);
		break;
	case K_PING6:
		assert_int_equal(p[L3 + 40], 129);
		break;
	case K_SYN:
		assert_int_equal(p[L3 + 20 + 13], RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG);
		assert_int_equal(test_be32(p, L3 + 20 + 8), 42);
		break;
	case K_DAYTIME6:
		assert_int_equal(test_be16(p, L3 + 40), 13);
		assert_int_equal(p[m->data_len - 1], '\n');
		break;
	default:
		fail_msg("kind %d has no reply", k);
	}
}

/* A burst of n frames cycling through the kinds; kinds[i] says which. */
static uint16_t
burst(struct test_env *env, struct rte_mbuf **pkts, enum kind *kinds, uint16_t n, uint64_t *bytes)
{
	uint16_t i;

	*bytes = 0;
	for (i = 0; i < n; i++) {
		kinds[i] = (enum kind)((i * 7) % K_MAX); /* 7 is prime to K_MAX: all kinds */
		pkts[i] = frame(env, kinds[i]);
		*bytes += pkts[i]->pkt_len;
	}
	return n;
}

static void
check_processed(struct test_env *env, struct rte_mbuf **pkts, struct rte_mbuf **orig,
		const enum kind *kinds, uint16_t n, uint16_t nb_tx)
{
	const struct ss_stats *st = &env->worker.stats[0];
	uint64_t want[SS_VERDICT_MAX] = { 0 };
	uint16_t i, j = 0;
	unsigned int v;

	/* The replies, in the order their requests came, at the front. */
	for (i = 0; i < n; i++) {
		want[expect[kinds[i]]]++;
		if (expect[kinds[i]] != SS_VERDICT_TX)
			continue;
		assert_true(j < nb_tx);
		assert_ptr_equal(pkts[j], orig[i]);
		check_reply(pkts[j], kinds[i]);
		j++;
	}
	assert_int_equal(j, nb_tx);
	assert_int_equal(nb_tx, want[SS_VERDICT_TX]);
	/* Each drop under its reason, nothing anywhere else. */
	for (v = SS_VERDICT_TX + 1; v < SS_VERDICT_MAX; v++)
		assert_int_equal(st->drop[v], want[v]);
	assert_int_equal(st->rx_pkts, n);
	assert_int_equal(ss_stats_drops(st), n - nb_tx);
}

static void
test_process_mixed(void **state)
{
	struct test_env *env = *state;
	const struct ss_stats *st = &env->worker.stats[0];
	struct rte_mbuf *pkts[K_MAX], *orig[K_MAX];
	enum kind kinds[K_MAX];
	unsigned int avail = rte_mempool_avail_count(env->pool);
	uint64_t bytes;
	uint16_t i, nb_tx;

	/* One of each, in declaration order. */
	bytes = 0;
	for (i = 0; i < K_MAX; i++) {
		kinds[i] = i;
		pkts[i] = orig[i] = frame(env, i);
		bytes += pkts[i]->pkt_len;
	}
	nb_tx = ss_worker_process(&env->worker, 0, pkts, K_MAX);
	assert_int_equal(nb_tx, 5);
	check_processed(env, pkts, orig, kinds, K_MAX, nb_tx);
	assert_int_equal(st->rx_bytes, bytes);
	assert_int_equal(st->reply[SS_REPLY_ARP], 1);
	assert_int_equal(st->reply[SS_REPLY_ICMP6_ECHO], 1);
	assert_int_equal(st->reply[SS_REPLY_TCP4_RST], 1);
	assert_int_equal(st->svc[SS_SVC_ECHO][SS_UDP][SS_AF4].replies, 1);
	assert_int_equal(st->svc[SS_SVC_DAYTIME][SS_UDP][SS_AF6].replies, 1);
	assert_int_equal(st->svc[SS_SVC_DISCARD][SS_UDP][SS_AF4].requests, 1);
	/* The drops went back to the pool; the replies are still ours. */
	assert_int_equal(rte_mempool_avail_count(env->pool), avail - nb_tx);
	rte_pktmbuf_free_bulk(pkts, nb_tx);
	assert_int_equal(rte_mempool_avail_count(env->pool), avail);
}

static void
test_process_full_burst(void **state)
{
	struct test_env *env = *state;
	struct rte_mbuf *pkts[SS_BURST_MAX], *orig[SS_BURST_MAX];
	enum kind kinds[SS_BURST_MAX];
	unsigned int avail = rte_mempool_avail_count(env->pool);
	uint64_t bytes;
	uint16_t n, nb_tx;

	n = burst(env, pkts, kinds, SS_BURST_MAX, &bytes);
	memcpy(orig, pkts, sizeof(pkts));
	nb_tx = ss_worker_process(&env->worker, 0, pkts, n);
	check_processed(env, pkts, orig, kinds, n, nb_tx);
	assert_int_equal(env->worker.stats[0].rx_bytes, bytes);
	assert_int_equal(rte_mempool_avail_count(env->pool), avail - nb_tx);
	rte_pktmbuf_free_bulk(pkts, nb_tx);
	assert_int_equal(rte_mempool_avail_count(env->pool), avail);
}

static void
test_process_all_drops(void **state)
{
	struct test_env *env = *state;
	struct rte_mbuf *pkts[8];
	unsigned int avail = rte_mempool_avail_count(env->pool);
	uint16_t i;

	for (i = 0; i < RTE_DIM(pkts); i++)
		pkts[i] = frame(env, i % 2 ? K_RUNT : K_BAD_UDP6);
	assert_int_equal(ss_worker_process(&env->worker, 0, pkts, RTE_DIM(pkts)), 0);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_ETH_RUNT], 4);
	assert_int_equal(env->worker.stats[0].drop[SS_DROP_UDP_CKSUM], 4);
	assert_int_equal(rte_mempool_avail_count(env->pool), avail);
	/* An empty burst is nothing. */
	assert_int_equal(ss_worker_process(&env->worker, 0, pkts, 0), 0);
	assert_int_equal(env->worker.stats[0].rx_pkts, RTE_DIM(pkts));
}

static void
test_transmit(void **state)
{
	struct test_env *env = *state;
	const struct ss_stats *st = &env->worker.stats[0];
	struct rte_mbuf *pkts[64];
	enum kind kinds[64];
	unsigned int avail = rte_mempool_avail_count(env->pool);
	uint64_t bytes, out_bytes = 0;
	uint16_t n, nb_tx, i;

	n = burst(env, pkts, kinds, RTE_DIM(pkts), &bytes);
	nb_tx = ss_worker_process(&env->worker, 0, pkts, n);
	assert_true(nb_tx > 0 && nb_tx < n);
	for (i = 0; i < nb_tx; i++)
		out_bytes += pkts[i]->pkt_len;
	ss_worker_transmit(&env->worker, 0, pkts, nb_tx);
	assert_int_equal(st->tx_pkts, nb_tx);
	assert_int_equal(st->tx_bytes, out_bytes);
	assert_int_equal(st->drop[SS_DROP_TX_FULL], 0);
	/* Every packet received is either sent or dropped under one reason. */
	assert_int_equal(st->rx_pkts, st->tx_pkts + ss_stats_drops(st));
	/* net_null freed what it sent. */
	assert_int_equal(rte_mempool_avail_count(env->pool), avail);
}

static void
test_transmit_queue_full(void **state)
{
	struct test_env *env = *state;
	const struct ss_stats *st = &env->worker.stats[0];
	struct rte_mbuf *pkts[K_MAX];
	void *fake[1024], *got[1024];
	unsigned int avail = rte_mempool_avail_count(env->pool);
	unsigned int cap, room = 2, i, n;
	uint64_t sent_bytes;
	uint16_t nb_tx;

	env->iface.port_id = ring_port;
	/* Leave room for two replies in the port's ring. */
	cap = rte_ring_get_capacity(ring);
	assert_true(cap - room <= RTE_DIM(fake));
	assert_int_equal(rte_ring_count(ring), 0);
	for (i = 0; i < cap - room; i++)
		fake[i] = (void *)(uintptr_t)(0x1000 + i);
	assert_int_equal(rte_ring_enqueue_bulk(ring, fake, cap - room, NULL), cap - room);

	for (i = 0; i < K_MAX; i++)
		pkts[i] = frame(env, i);
	nb_tx = ss_worker_process(&env->worker, 0, pkts, K_MAX);
	assert_int_equal(nb_tx, 5);
	sent_bytes = pkts[0]->pkt_len + pkts[1]->pkt_len;
	ss_worker_transmit(&env->worker, 0, pkts, nb_tx);
	assert_int_equal(st->tx_pkts, room);
	assert_int_equal(st->tx_bytes, sent_bytes);
	assert_int_equal(st->drop[SS_DROP_TX_FULL], nb_tx - room);
	assert_int_equal(st->rx_pkts, st->tx_pkts + ss_stats_drops(st));
	/* What did not fit was freed; what did sits in the ring, in order. */
	assert_int_equal(rte_mempool_avail_count(env->pool), avail - room);
	n = rte_ring_dequeue_burst(ring, got, RTE_DIM(got), NULL);
	assert_int_equal(n, cap);
	for (i = 0; i < cap - room; i++)
		assert_ptr_equal(got[i], fake[i]);
	check_reply(got[cap - 2], K_ECHO4);
	check_reply(got[cap - 1], K_ARP);
	rte_pktmbuf_free_bulk((struct rte_mbuf **)&got[cap - room], room);
	assert_int_equal(rte_mempool_avail_count(env->pool), avail);
}

static void
test_loop_packet_limit(void **state)
{
	struct test_env *env = *state;
	const struct ss_stats *st = &env->worker.stats[0];
	struct rte_mbuf *pkts[K_MAX];
	void *got[64];
	unsigned int avail = rte_mempool_avail_count(env->pool);
	unsigned int i, n;

	/* Requests wait in the ring as if received; the loop stops after them. */
	env->iface.port_id = ring_port;
	for (i = 0; i < K_MAX; i++)
		pkts[i] = frame(env, i);
	assert_int_equal(rte_ring_enqueue_bulk(ring, (void **)pkts, K_MAX, NULL), K_MAX);
	env->run.quit = false;
	env->run.packet_limit = K_MAX;
	env->run.packets = 0;
	assert_int_equal(ss_worker_loop(&env->worker), 0);
	assert_true(env->run.quit);
	assert_int_equal(env->run.packets, K_MAX);
	assert_int_equal(env->run.running, 1);
	assert_int_equal(st->rx_pkts, K_MAX);
	assert_int_equal(st->tx_pkts, 5);
	assert_int_equal(st->rx_pkts, st->tx_pkts + ss_stats_drops(st));
	/* The replies came out of the port, in order. */
	n = rte_ring_dequeue_burst(ring, got, RTE_DIM(got), NULL);
	assert_int_equal(n, 5);
	check_reply(got[0], K_ECHO4);
	check_reply(got[1], K_ARP);
	check_reply(got[2], K_PING6);
	check_reply(got[3], K_SYN);
	check_reply(got[4], K_DAYTIME6);
	rte_pktmbuf_free_bulk((struct rte_mbuf **)got, n);
	assert_int_equal(rte_mempool_avail_count(env->pool), avail);
}

/*
 * The identity with a segment TCP takes: a burst of a connection's data, a
 * datagram answered, a drop and a SYN answered in place. TCP answers the
 * data itself, after the burst, in a frame of its own.
 */
static void
test_identity_with_tcp(void **state)
{
	struct test_env *env = *state;
	const struct ss_stats *st = &env->worker.stats[0];
	struct rte_mbuf *pkts[4];
	struct test_frame f;
	struct test_peer p;
	uint8_t buf[9100];
	uint16_t nb_tx;
	size_t len;

	ss_clock_set(&env->worker.clock, T0);
	test_tcp_set_tick(env, 1);
	test_peer_init(&p, env, 0, NULL, 40000, DISCARD, 1000);
	test_peer_connect(&p, 1460, -1, 0);
	memset(&env->worker.stats[0], 0, sizeof(env->worker.stats[0]));
	test_frame_defaults(&f, 0);
	f.proto = IPPROTO_TCP;
	len = test_build_tcp(buf, &f, 40000, DISCARD, F_ACK | F_PSH, p.snd_nxt, p.rcv_nxt, "data",
			4);
	pkts[0] = test_mbuf(env, buf, len);
	pkts[1] = frame(env, K_ECHO4);
	pkts[2] = frame(env, K_BAD_UDP);
	len = test_build_tcp(buf, &f, 40001, ECHO, F_SYN, 7, 0, NULL, 0);
	pkts[3] = test_mbuf(env, buf, len);
	nb_tx = ss_worker_process(&env->worker, 0, pkts, 4);
	assert_int_equal(nb_tx, 2);
	assert_int_equal(st->rx_pkts, 4);
	assert_int_equal(st->rx_tcp, 1);
	assert_int_equal(st->rx_answered, 2);
	assert_int_equal(ss_stats_drops(st), 1);
	assert_int_equal(st->rx_pkts, st->rx_answered + st->rx_tcp + ss_stats_drops(st));
	/* TCP's own answer, the ACK of the data, went out of the worker's own buffer. */
	assert_int_equal(env->worker.txbuf[0].n, 1);
	rte_pktmbuf_free_bulk(pkts, nb_tx);
	rte_pktmbuf_free_bulk(env->worker.txbuf[0].pkts, env->worker.txbuf[0].n);
	env->worker.txbuf[0].n = 0;
}

/* What a NIC does with the checksum requests in m's ol_flags. */
static void
nic_finish(struct rte_mbuf *m)
{
	uint8_t *l3 = rte_pktmbuf_mtod_offset(m, uint8_t *, m->l2_len);
	uint8_t *l4 = l3 + m->l3_len;
	uint16_t l4_len = m->data_len - m->l2_len - m->l3_len, c;
	uint64_t l4_flag = m->ol_flags & RTE_MBUF_F_TX_L4_MASK;
	rte_be16_t *field;

	if (m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)l3;

		assert_int_equal(ip->hdr_checksum, 0);
		ip->hdr_checksum = ss_ip4_hdr_cksum(ip);
	}
	if (l4_flag == 0)
		return;
	field = (rte_be16_t *)(l4 + (l4_flag == RTE_MBUF_F_TX_UDP_CKSUM ? 6 : 16));
	/* The field holds the pseudo header's sum: the rest is the NIC's. */
	assert_int_equal(*field,
			ss_cksum_fold((m->ol_flags & RTE_MBUF_F_TX_IPV4) ?
							ss_ip4_phdr_sum((void *)l3, l3[9], l4_len) :
							ss_ip6_phdr_sum((void *)l3, l3[6],
									l4_len)));
	c = ~ss_cksum(l4, l4_len);
	*field = c == 0 && l4_flag == RTE_MBUF_F_TX_UDP_CKSUM ? 0xffff : c;
}

/* frame through env (the same clock and identification each time); its reply into out. */
static size_t
answer(struct test_env *env, const uint8_t *frame, size_t len, uint64_t ol_flags, uint8_t *out,
		uint64_t *tx_flags)
{
	struct rte_mbuf *m = test_answer(env, frame, len, ol_flags, 99);
	size_t n;

	assert_non_null(m);
	*tx_flags = m->ol_flags & (RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_L4_MASK);
	nic_finish(m);
	n = m->data_len;
	memcpy(out, rte_pktmbuf_mtod(m, void *), n);
	rte_pktmbuf_free(m);
	return n;
}

static void
test_tx_cksum_offload(void **state)
{
	static const struct {
		int ipv6;
		uint16_t port;
		bool tcp;
		uint64_t rx_flags;
		uint64_t want; /* what the port is asked for */
		int vlan;      /* VLAN id, 0 for none */
	} cases[] = {
		{ 0, 7, false, 0, RTE_MBUF_F_TX_IP_CKSUM, 0 }, /* echo keeps its UDP sum */
		{ 1, 7, false, 0, 0, 0 },
		{ 0, 7, false, RTE_MBUF_F_RX_L4_CKSUM_NONE, /* the field was not a sum */
				RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_UDP_CKSUM, 0 },
		{ 0, 13, false, 0, RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_UDP_CKSUM, 0 },
		{ 1, 13, false, 0, RTE_MBUF_F_TX_UDP_CKSUM, 0 },
		{ 0, 19, false, 0, RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_UDP_CKSUM, 0 },
		{ 1, 37, false, 0, RTE_MBUF_F_TX_UDP_CKSUM, 0 },
		{ 0, 9999, true, 0, RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_CKSUM, 0 }, /* RST */
		{ 1, 9999, true, 0, RTE_MBUF_F_TX_TCP_CKSUM, 0 },
		/* Port unreachable: the IPv4 header the port's, ICMP's sum always ours. */
		{ 0, 9999, false, 0, RTE_MBUF_F_TX_IP_CKSUM, 0 },
		{ 1, 9999, false, 0, 0, 0 },
		/* Tagged: the general path, l2_len with the tag. */
		{ 0, 13, false, 0, RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_UDP_CKSUM, 5 },
		{ 1, 13, false, 0, RTE_MBUF_F_TX_UDP_CKSUM, 5 },
		{ 0, 9999, true, 0, RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_CKSUM, 5 },
	};
	static uint8_t frame[256], out_hw[256], out_sw[256];
	struct test_env *hw = *state, *sw = test_env_new();
	unsigned int i, fast;
	uint64_t hw_flags, sw_flags;
	size_t len, n_hw, n_sw;

	hw->iface.tx_cksum = SS_TX_CKSUM_OFFLOADS;
	for (fast = 0; fast < 2; fast++) {
		hw->cfg.fast_path = sw->cfg.fast_path = fast;
		for (i = 0; i < RTE_DIM(cases); i++) {
			struct test_frame f;

			test_frame_defaults(&f, cases[i].ipv6);
			f.vlan = cases[i].vlan != 0 ? cases[i].vlan : -1;
			if (cases[i].tcp) {
				f.proto = IPPROTO_TCP;
				len = test_build_tcp(frame, &f, 40000, cases[i].port,
						RTE_TCP_ACK_FLAG, 1, 1, NULL, 0);
			} else {
				len = test_build_udp(frame, &f, 40000, cases[i].port, "request", 7);
			}
			n_hw = answer(hw, frame, len, cases[i].rx_flags, out_hw, &hw_flags);
			n_sw = answer(sw, frame, len, cases[i].rx_flags, out_sw, &sw_flags);
			if (hw_flags != cases[i].want || sw_flags != 0)
				fail_msg("case %u (fast path %u): asked the port for %#" PRIx64
					 ", without offload for %#" PRIx64,
						i, fast, hw_flags, sw_flags);
			assert_int_equal(n_hw, n_sw);
			assert_memory_equal(out_hw, out_sw, n_hw);
		}
	}
	test_env_free(sw);
}

/* A copy of env's configuration with the keys a reload might change, changed. */
static struct ss_config *
reloaded(const struct test_env *env)
{
	static const char *const keys[][3] = {
		{ "daytime", "format", "xinetd" },
		{ "abuse", "amplify_rate_global", "500" },
		{ "abuse", "amplify_rate_per_source", "1" },
		{ "abuse", "icmp_error_rate", "0" },
		{ "tcp", "challenge_ack_rate", "0" },
		{ "ip", "reassembly_timeout_ms", "100" },
	};
	struct ss_config *next = malloc(sizeof(*next));
	char err[256];
	unsigned int i;

	assert_non_null(next);
	memcpy(next, &env->cfg, sizeof(*next));
	for (i = 0; i < RTE_DIM(keys); i++)
		assert_int_equal(ss_config_set(next, keys[i][0], keys[i][1], keys[i][2], err,
						 sizeof(err)),
				0);
	assert_int_equal(ss_config_finish(next, err, sizeof(err)), 0);
	return next;
}

/* Everything derived from the configuration is derived again from the new one. */
static void
test_adopt(void **state)
{
	struct test_env *env = *state;
	struct ss_worker *w = &env->worker;
	struct ss_config *next = reloaded(env);

	ss_clock_set(&w->clock, 1790769600); /* Wed 2026-09-30 12:00 UTC */
	assert_memory_equal(w->clock.daytime, "Wed Sep 30 12:00:00 2026\r\n", 26);
	assert_int_not_equal(w->tcp.challenge_mean, 0);
	ss_worker_adopt(w, next);
	assert_ptr_equal(w->cfg, next);
	assert_ptr_equal(w->svc.cfg, next);
	assert_ptr_equal(w->clock.cfg, &next->daytime);
	/* This second's line again, in the new format: not at the next second. */
	assert_int_equal(w->clock.daytime_len, 26);
	assert_memory_equal(w->clock.daytime, "30 SEP 2026 12:00:00 UTC\r\n", 26);
	assert_int_equal(w->amplify_global.interval, w->hz / 500);
	assert_int_equal(w->amplify_src.gcra.interval, w->hz);
	assert_int_equal(w->icmp_error.interval, 0);
	assert_int_equal(w->tcp.challenge_mean, 0);
	assert_ptr_equal(w->reasm.cfg, &next->ip);
	assert_int_equal(w->reasm.timeout, w->hz / 10);
	ss_worker_adopt(w, &env->cfg);
	assert_ptr_equal(w->clock.cfg, &env->cfg.daytime);
	free(next);
}

/* The loop takes what was published, and reports so that a reload may free the old one. */
static void
test_loop_adopts(void **state)
{
	struct test_env *env = *state;
	struct ss_config *next = reloaded(env);
	struct rte_mbuf *pkts[K_MAX];
	struct rte_rcu_qsbr *v;
	void *got[64];
	uint64_t token;
	unsigned int i, n;

	v = rte_zmalloc(NULL, rte_rcu_qsbr_get_memsize(1), RTE_CACHE_LINE_SIZE);
	assert_non_null(v);
	assert_int_equal(rte_rcu_qsbr_init(v, 1), 0);
	assert_int_equal(rte_rcu_qsbr_thread_register(v, 0), 0);
	env->iface.port_id = ring_port;
	for (i = 0; i < K_MAX; i++)
		pkts[i] = frame(env, i);
	assert_int_equal(rte_ring_enqueue_bulk(ring, (void **)pkts, K_MAX, NULL), K_MAX);
	env->run.quit = false;
	env->run.packet_limit = K_MAX;
	env->run.packets = 0;
	env->run.qsbr = v;
	env->run.cfg = next;
	token = rte_rcu_qsbr_start(v);
	assert_int_equal(ss_worker_loop(&env->worker), 0);
	assert_ptr_equal(env->worker.cfg, next);
	/* Reported, and offline since: no grace period waits for it any more. */
	assert_int_equal(rte_rcu_qsbr_check(v, token, false), 1);
	assert_int_equal(rte_rcu_qsbr_check(v, rte_rcu_qsbr_start(v), false), 1);
	n = rte_ring_dequeue_burst(ring, got, RTE_DIM(got), NULL);
	assert_int_equal(n, 5);
	rte_pktmbuf_free_bulk((struct rte_mbuf **)got, n);
	ss_worker_adopt(&env->worker, &env->cfg);
	env->run.qsbr = NULL;
	env->run.cfg = NULL;
	rte_free(v);
	free(next);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_process_mixed, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_process_full_burst, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_process_all_drops, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_transmit, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_transmit_queue_full, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_loop_packet_limit, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_identity_with_tcp, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_tx_cksum_offload, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_adopt, setup, test_env_teardown),
		cmocka_unit_test_setup_teardown(test_loop_adopts, setup, test_env_teardown),
	};

	return cmocka_run_group_tests_name("worker", tests, group_setup, NULL);
}
