/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer over the receive path: arbitrary bytes as a received frame,
 * through ss_eth_input() with every service on. The properties checked are
 * those of the data path's contract: no crash, no read or write past the
 * mbuf (AddressSanitizer), a verdict that is TX or a known reason, and a
 * reply that is a well-formed frame (fz_check_frame(): one segment, no
 * larger than the port's MTU allows, lengths and checksums right, from our
 * MAC and addresses).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "config.h"
#include "daytime.h"
#include "eth.h"
#include "fuzz_common.h"
#include "tcp_priv.h"
#include "worker.h"

#define MAX_FRAME 9100
#define TABLE_CHECK_EVERY 4096

static struct ss_config cfg;
static struct ss_iface iface;
static struct ss_worker worker;
static struct ss_run run;
static struct rte_mempool *pool;
static uint64_t inputs;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const struct rte_ether_addr mac = {
		.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 }
	};

	(void)argc;
	(void)argv;
	fz_eal_init("ssfuzz", NULL);
	ss_config_defaults(&cfg);
	fz_config_set(&cfg, "port0", "ipv4", "192.0.2.1/24 198.51.100.1/31");
	fz_config_set(&cfg, "port0", "ipv6", "2001:db8::1/64");
	fz_config_set(&cfg, "qotd", "udp", "on");
	fz_config_finish(&cfg);
	ss_daytime_apply_timezone(&cfg.daytime);
	/* Enough for what TCP connections hold (echo data, segments ahead of a hole). */
	pool = rte_pktmbuf_pool_create("fuzz", 8192, 0, 0, RTE_PKTMBUF_HEADROOM + MAX_FRAME, 0);
	if (pool == NULL)
		abort();
	iface.mtu = 1500;
	iface.nb_queues = 1;
	iface.mac = mac;
	iface.cfg = &cfg.port[0];
	/*
	 * The worker lives across inputs (what one leaves, the next may meet),
	 * but starts the same in every run: a fixed cookie secret, the TCP
	 * clock at its first tick (ss_worker_init() reads the TSC before the
	 * TCP takes its base), the wall clock at a fixed time. libFuzzer's
	 * -seed then replays a run.
	 */
	ss_tcp_secret.k0 = UINT64_C(0x736d616c6c737276);
	ss_tcp_secret.k1 = UINT64_C(0x66757a7a72783030);
	if (ss_worker_init(&worker, 0, 1, &cfg, &iface, 1, pool, &run, 0) < 0)
		abort();
	worker.now = worker.tcp.tsc_base;
	ss_clock_set(&worker.clock, 1668772998);
	return 0;
}

/* A reply is a frame we may send (fuzz_common.c says what that means). */
static void
check_reply(const struct rte_mbuf *m)
{
	struct fz_frame f;

	fz_check_frame(m, &iface.mac, iface.cfg, iface.mtu, &f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ss_pkt p = { .w = &worker, .iface = &iface, .stats = worker.stats };
	enum ss_verdict v;
	void *frame;

	if (size > MAX_FRAME)
		return 0;
	p.m = rte_pktmbuf_alloc(pool);
	if (p.m == NULL)
		abort();
	frame = rte_pktmbuf_append(p.m, size);
	memcpy(frame, data, size);
	/* Time moves on, so that the rate limits let some replies through. */
	worker.now += worker.hz / 1000;
	v = ss_eth_input(&p);
	if (v >= SS_VERDICT_MAX)
		abort();
	if (v == SS_VERDICT_TX)
		check_reply(p.m);
	if (v != SS_VERDICT_TCP) /* else the connection has it */
		rte_pktmbuf_free(p.m);
	/* What TCP connections owe goes out, here into the void; their timers run. */
	ss_tcp_timers(&worker);
	ss_tcp_flush(&worker);
	for (unsigned int i = 0; i < worker.txbuf[0].n; i++)
		check_reply(worker.txbuf[0].pkts[i]);
	rte_pktmbuf_free_bulk(worker.txbuf[0].pkts, worker.txbuf[0].n);
	worker.txbuf[0].n = 0;
	/* The table checked against itself now and then: it has 65536 entries to walk. */
	if (++inputs % TABLE_CHECK_EVERY == 0)
		fz_check_tcp_table(&worker, 'W');
	return 0;
}
