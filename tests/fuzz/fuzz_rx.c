/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer over the receive path: arbitrary bytes as a received frame,
 * through ss_eth_input() with every service on. The properties checked are
 * those of the data path's contract: no crash, no read or write past the
 * mbuf (AddressSanitizer), a verdict that is TX or a known reason, and a
 * reply that is a well-formed single-segment frame no larger than the
 * port's MTU allows.
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
#include "tcp.h"
#include "worker.h"

#define MAX_FRAME 9100

static struct ss_config cfg;
static struct ss_iface iface;
static struct ss_worker worker;
static struct ss_run run;
static struct rte_mempool *pool;

static void
set(const char *section, const char *key, const char *value)
{
	char err[256];

	if (ss_config_set(&cfg, section, key, value, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz: [%s] %s: %s\n", section, key, err);
		abort();
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const struct rte_ether_addr mac = {
		.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 }
	};
	char *eal[] = { "fuzz", "--no-huge", "-m", "256", "--no-pci", "--no-shconf",
		"--no-telemetry", "-l", "0", "--log-level", "*:error", "--file-prefix",
		"ssfuzz", NULL };
	char err[256];

	(void)argc;
	(void)argv;
	if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0)
		abort();
	ss_config_defaults(&cfg);
	set("port0", "ipv4", "192.0.2.1/24 198.51.100.1/31");
	set("port0", "ipv6", "2001:db8::1/64");
	set("qotd", "udp", "on");
	if (ss_config_finish(&cfg, err, sizeof(err)) < 0)
		abort();
	ss_daytime_apply_timezone(&cfg.daytime);
	/* Enough for what TCP connections hold (echo data, segments ahead of a hole). */
	pool = rte_pktmbuf_pool_create("fuzz", 8192, 0, 0, RTE_PKTMBUF_HEADROOM + MAX_FRAME, 0);
	if (pool == NULL)
		abort();
	iface.mtu = 1500;
	iface.nb_queues = 1;
	iface.mac = mac;
	iface.cfg = &cfg.port[0];
	if (ss_worker_init(&worker, 0, 1, &cfg, &iface, 1, pool, &run, 0) < 0)
		abort();
	return 0;
}

static void
check_reply(const struct rte_mbuf *m)
{
	if (m->nb_segs != 1 || m->data_len != m->pkt_len)
		abort();
	if (m->data_len < RTE_ETHER_HDR_LEN || m->data_len > RTE_ETHER_HDR_LEN + 4 + 1500)
		abort();
	if ((char *)rte_pktmbuf_mtod(m, char *) + m->data_len >
			(char *)m->buf_addr + m->buf_len)
		abort();
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
	return 0;
}
