/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP in-process: a simulated client drives one worker's data path
 * (ss_worker_process, as the poll loop calls it) with the segments a
 * client would send, and the time spent in the worker alone is measured.
 *
 *   tcp_bench [EAL options] -- MODE [COUNT]
 *     conn N     N full daytime connections: SYN, ACK, FIN (each answered)
 *     hold N     N echo connections open at once: memory per connection
 *     chargen N  N bytes of chargen to one client that ACKs all it gets
 *     echo N     N bytes echoed to one client that sends full segments
 *
 * The worker transmits on port 0, a net_null port (give --vdev net_null0):
 * what it sends is freed as a NIC would. Prints one line of JSON.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>

#include "cksum.h"
#include "config.h"
#include "daytime.h"
#include "tcp_priv.h"
#include "worker.h"

#define BATCH 32
#define CLIENT_MSS 1460

static struct ss_config cfg;
static struct ss_iface iface;
static struct ss_worker worker;
static struct ss_run run;
static struct rte_mempool *pool;
static uint64_t server_cycles;

static void
die(const char *msg)
{
	fprintf(stderr, "tcp_bench: %s\n", msg);
	exit(1);
}

static void
set(const char *section, const char *key, const char *value)
{
	char err[256];

	if (ss_config_set(&cfg, section, key, value, err, sizeof(err)) < 0) {
		fprintf(stderr, "tcp_bench: [%s] %s: %s\n", section, key, err);
		exit(2);
	}
}

/* A client segment from 198.51.100.X:port to 192.0.2.1:dport. */
static struct rte_mbuf *
client_segment(uint32_t conn, uint16_t dport, uint8_t flags, uint32_t seq, uint32_t ack,
	uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct rte_ether_hdr *eh;
	struct rte_ipv4_hdr *ip;
	struct rte_tcp_hdr *th;
	uint16_t opt = (flags & RTE_TCP_SYN_FLAG) ? 8 : 0;

	if (m == NULL)
		die("mbuf pool empty");
	eh = (struct rte_ether_hdr *)rte_pktmbuf_append(m, sizeof(*eh) + sizeof(*ip) +
		sizeof(*th) + opt + len);
	ip = (struct rte_ipv4_hdr *)(eh + 1);
	th = (struct rte_tcp_hdr *)(ip + 1);
	eh->dst_addr = iface.mac;
	memset(&eh->src_addr, 0, sizeof(eh->src_addr));
	eh->src_addr.addr_bytes[0] = 0x02;
	eh->src_addr.addr_bytes[5] = 0xfe;
	eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + sizeof(*th) + opt + len);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	/* 198.51.100.1-250 and ports from 1024 on: a million distinct tuples. */
	ip->src_addr = rte_cpu_to_be_32((198u << 24) | (51u << 16) | (100u << 8) |
		(1 + conn % 250));
	ip->dst_addr = rte_cpu_to_be_32((192u << 24) | (2u << 8) | 1);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	memset(th, 0, sizeof(*th));
	th->src_port = rte_cpu_to_be_16(1024 + conn / 250);
	th->dst_port = rte_cpu_to_be_16(dport);
	th->sent_seq = rte_cpu_to_be_32(seq);
	th->recv_ack = rte_cpu_to_be_32(ack);
	th->data_off = ((sizeof(*th) + opt) / 4) << 4;
	th->tcp_flags = flags;
	th->rx_win = RTE_BE16(65535);
	if (opt) {
		/* MSS 1460, NOP, window scale 14: the client can take anything. */
		uint8_t o[8] = { 2, 4, CLIENT_MSS >> 8, CLIENT_MSS & 0xff, 1, 3, 3, 14 };

		memcpy(th + 1, o, sizeof(o));
	}
	if (len > 0)
		memset((uint8_t *)(th + 1) + opt, 'e', len);
	th->cksum = ss_ip4_l4_cksum(ip, IPPROTO_TCP, th, sizeof(*th) + opt + len);
	return m;
}

/* The TCP header of a segment the worker sent. */
static const struct rte_tcp_hdr *
tcp_of(const struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, const struct rte_tcp_hdr *,
		sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr));
}

static uint16_t
payload_of(const struct rte_mbuf *m)
{
	const struct rte_tcp_hdr *th = tcp_of(m);

	return m->pkt_len - sizeof(struct rte_ether_hdr) - sizeof(struct rte_ipv4_hdr) -
		(th->data_off >> 4) * 4;
}

/* Run a burst through the worker, as its poll loop does; returns replies in place. */
static uint16_t
serve(struct rte_mbuf **pkts, uint16_t n)
{
	uint64_t t0 = rte_rdtsc();
	uint16_t nb;

	worker.now = t0;
	ss_tcp_timers(&worker);
	nb = ss_worker_process(&worker, 0, pkts, n);
	server_cycles += rte_rdtsc() - t0;
	return nb;
}

/* Segments the worker built itself (not yet on the wire): taken, then freed by the caller. */
static uint16_t
take_emitted(struct rte_mbuf **out)
{
	struct ss_txbuf *b = &worker.txbuf[0];
	uint16_t n = b->n;

	memcpy(out, b->pkts, n * sizeof(*out));
	b->n = 0;
	return n;
}

static void
report(const char *mode, uint64_t count, const char *unit, double per_second, const char *extra)
{
	double secs = (double)server_cycles / rte_get_tsc_hz();

	printf("{\"mode\": \"%s\", \"count\": %" PRIu64 ", \"server_seconds\": %.6f, "
		"\"%s\": %.1f%s}\n", mode, count, secs, unit, per_second, extra);
}

/* SYN → SYN-ACK, ACK → daytime with FIN, FIN-ACK → ACK: N times, BATCH at once. */
static void
bench_conn(uint64_t n)
{
	struct rte_mbuf *pkts[BATCH], *out[SS_TXBUF_MAX];
	uint32_t cookie[BATCH], isn = 1000;
	uint64_t done = 0, base;
	uint16_t i, nb, k;

	for (base = 0; done < n; base += BATCH) {
		for (i = 0; i < BATCH; i++)
			pkts[i] = client_segment(base + i, 13, RTE_TCP_SYN_FLAG, isn, 0, 0);
		nb = serve(pkts, BATCH);
		if (nb != BATCH)
			die("SYN not answered");
		for (i = 0; i < BATCH; i++) {
			cookie[i] = rte_be_to_cpu_32(tcp_of(pkts[i])->sent_seq);
			rte_pktmbuf_free(pkts[i]);
			pkts[i] = client_segment(base + i, 13, RTE_TCP_ACK_FLAG, isn + 1,
				cookie[i] + 1, 0);
		}
		serve(pkts, BATCH);
		k = take_emitted(out);
		if (k != BATCH)
			die("daytime not sent");
		for (i = 0; i < BATCH; i++) {
			/* Our FIN follows the line: acknowledge both, and close. */
			uint32_t fin_ack = cookie[i] + 1 + payload_of(out[i]) + 1;

			if (!(tcp_of(out[i])->tcp_flags & RTE_TCP_FIN_FLAG))
				die("daytime without its FIN");
			pkts[i] = client_segment(base + i, 13, RTE_TCP_ACK_FLAG | RTE_TCP_FIN_FLAG,
				isn + 1, fin_ack, 0);
		}
		rte_pktmbuf_free_bulk(out, k);
		serve(pkts, BATCH);
		k = take_emitted(out);
		rte_pktmbuf_free_bulk(out, k);
		done += BATCH;
	}
	report("conn", done, "connections_per_second",
		done / ((double)server_cycles / rte_get_tsc_hz()), "");
}

/* N echo connections established and left open. */
static void
bench_hold(uint64_t n, size_t table_bytes)
{
	struct rte_mbuf *pkts[BATCH];
	uint64_t base;
	uint32_t cookie;
	uint16_t i, nb;
	char extra[160];

	for (base = 0; base < n; base += BATCH) {
		uint16_t b = RTE_MIN((uint64_t)BATCH, n - base);

		for (i = 0; i < b; i++)
			pkts[i] = client_segment(base + i, 7, RTE_TCP_SYN_FLAG, 1000, 0, 0);
		nb = serve(pkts, b);
		if (nb != b)
			die("SYN not answered");
		for (i = 0; i < b; i++) {
			cookie = rte_be_to_cpu_32(tcp_of(pkts[i])->sent_seq);
			rte_pktmbuf_free(pkts[i]);
			pkts[i] = client_segment(base + i, 7, RTE_TCP_ACK_FLAG, 1001, cookie + 1, 0);
		}
		serve(pkts, b);
	}
	if (worker.tcp.table.used != n)
		die("not every connection is held");
	snprintf(extra, sizeof(extra), ", \"held\": %u, \"table_bytes\": %zu, "
		"\"bytes_per_connection\": %.1f, \"conn_struct_bytes\": %zu",
		worker.tcp.table.used, table_bytes, (double)table_bytes / n,
		sizeof(struct ss_tcp_conn));
	report("hold", n, "connections_per_second",
		n / ((double)server_cycles / rte_get_tsc_hz()), extra);
}

/* One chargen connection to a client that acknowledges everything at once. */
static void
bench_chargen(uint64_t bytes)
{
	struct rte_mbuf *pkt;
	struct ss_tcp_conn *c;
	uint32_t cookie, ack;
	uint64_t sent = 0;
	char extra[64];

	pkt = client_segment(0, 19, RTE_TCP_SYN_FLAG, 1000, 0, 0);
	serve(&pkt, 1);
	cookie = rte_be_to_cpu_32(tcp_of(pkt)->sent_seq);
	rte_pktmbuf_free(pkt);
	pkt = client_segment(0, 19, RTE_TCP_ACK_FLAG, 1001, cookie + 1, 0);
	serve(&pkt, 1);
	c = &worker.tcp.table.conns[1]; /* the first connection of a fresh table */
	server_cycles = 0;
	while (sent < bytes) {
		/* What went out went to the null port; acknowledge all of it. */
		ss_worker_flush(&worker);
		ack = c->snd_max;
		sent = c->una_off + (c->snd_max - c->snd_una);
		pkt = client_segment(0, 19, RTE_TCP_ACK_FLAG, 1001, ack, 0);
		serve(&pkt, 1);
	}
	snprintf(extra, sizeof(extra), ", \"gbit_per_second\": %.2f",
		sent * 8 / ((double)server_cycles / rte_get_tsc_hz()) / 1e9);
	report("chargen", sent, "bytes_per_second",
		sent / ((double)server_cycles / rte_get_tsc_hz()), extra);
}

/* One echo connection: full segments in, their echo acknowledged as it comes. */
static void
bench_echo(uint64_t bytes)
{
	struct rte_mbuf *pkts[BATCH], *pkt;
	struct ss_tcp_conn *c;
	uint32_t cookie, seq = 1001;
	uint64_t echoed = 0;
	uint16_t i;
	char extra[64];

	pkt = client_segment(0, 7, RTE_TCP_SYN_FLAG, 1000, 0, 0);
	serve(&pkt, 1);
	cookie = rte_be_to_cpu_32(tcp_of(pkt)->sent_seq);
	rte_pktmbuf_free(pkt);
	pkt = client_segment(0, 7, RTE_TCP_ACK_FLAG, seq, cookie + 1, 0);
	serve(&pkt, 1);
	c = &worker.tcp.table.conns[1];
	server_cycles = 0;
	while (echoed < bytes) {
		/* As much as the window takes, each segment also acknowledging the echo. */
		uint32_t room = ss_tcp_rcv_window(&worker, c) / CLIENT_MSS;
		uint16_t b = RTE_MIN(room, (uint32_t)BATCH);

		for (i = 0; i < b; i++, seq += CLIENT_MSS)
			pkts[i] = client_segment(0, 7, RTE_TCP_ACK_FLAG, seq, c->snd_max,
				CLIENT_MSS);
		serve(pkts, b);
		ss_worker_flush(&worker);
		echoed = c->una_off + (c->snd_max - c->snd_una);
		if (b == 0) {
			pkt = client_segment(0, 7, RTE_TCP_ACK_FLAG, seq, c->snd_max, 0);
			serve(&pkt, 1);
		}
	}
	snprintf(extra, sizeof(extra), ", \"gbit_per_second\": %.2f",
		echoed * 8 / ((double)server_cycles / rte_get_tsc_hz()) / 1e9);
	report("echo", echoed, "bytes_per_second",
		echoed / ((double)server_cycles / rte_get_tsc_hz()), extra);
}

static size_t
heap_used(void)
{
	struct rte_malloc_socket_stats st;

	rte_malloc_get_socket_stats(0, &st);
	return st.heap_allocsz_bytes;
}

int
main(int argc, char **argv)
{
	const char *mode;
	uint64_t count;
	size_t before;
	char err[256], conns[32];
	int n;

	n = rte_eal_init(argc, argv);
	if (n < 0)
		die("EAL init failed");
	argc -= n;
	argv += n;
	if (argc < 2)
		die("usage: tcp_bench [EAL] -- conn|hold|chargen|echo [COUNT]");
	mode = argv[1];
	count = argc > 2 ? strtoull(argv[2], NULL, 10) : 100000;
	if (rte_eth_dev_count_avail() < 1)
		die("needs a port: --vdev net_null0");

	ss_config_defaults(&cfg);
	set("port0", "ipv4", "192.0.2.1/24");
	set("abuse", "amplify_rate_per_source", "0");
	set("abuse", "amplify_rate_global", "0");
	set("tcp", "max_per_source", "65535");
	snprintf(conns, sizeof(conns), "%" PRIu64, strcmp(mode, "hold") == 0 ? count : 65536);
	set("tcp", "max_connections", conns);
	if (ss_config_finish(&cfg, err, sizeof(err)) < 0)
		die(err);
	ss_daytime_apply_timezone(&cfg.daytime);

	pool = rte_pktmbuf_pool_create("bench", 65535, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	if (pool == NULL)
		die("no mbuf pool");
	{
		struct rte_eth_conf conf = { 0 };

		if (rte_eth_dev_configure(0, 1, 1, &conf) < 0 ||
				rte_eth_rx_queue_setup(0, 0, 512, 0, NULL, pool) < 0 ||
				rte_eth_tx_queue_setup(0, 0, 512, 0, NULL) < 0 ||
				rte_eth_dev_start(0) < 0)
			die("port 0 set-up failed");
	}
	iface.port_id = 0;
	iface.mtu = 1500;
	iface.nb_queues = 1;
	rte_eth_macaddr_get(0, &iface.mac);
	iface.cfg = &cfg.port[0];
	before = heap_used();
	if (ss_worker_init(&worker, 0, 1, &cfg, &iface, 1, pool, &run, 0) < 0)
		die("worker init failed (memory: more -m)");

	if (strcmp(mode, "conn") == 0)
		bench_conn(count);
	else if (strcmp(mode, "hold") == 0)
		bench_hold(count, heap_used() - before);
	else if (strcmp(mode, "chargen") == 0)
		bench_chargen(count);
	else if (strcmp(mode, "echo") == 0)
		bench_echo(count);
	else
		die("unknown mode");
	ss_worker_free(&worker);
	rte_eth_dev_stop(0);
	rte_eal_cleanup();
	return 0;
}
