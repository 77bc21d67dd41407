/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer over the receive path: arbitrary bytes as a received frame,
 * a burst of one through ss_worker_process() with every service on, every
 * other one traced (trace.h), half of them with the fast path off (the
 * general path alone). The properties checked are
 * those of the data path's contract: no crash, no read or write past the
 * mbuf (AddressSanitizer), a verdict that is TX or a known reason, and a
 * reply that is a well-formed frame (fz_check_frame(): one segment, no
 * larger than the port's MTU allows, lengths and checksums right, from our
 * MAC and addresses); a traced frame's entry says what became of it, in
 * words that fit.
 */
#include <stdbool.h>
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
#include "trace_decode.h"
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
	ss_tcp_cookie_secret_set(&ss_tcp_secret, (const uint8_t *)"smallsrv fuzz rx", true);
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

/* The counter of verdict v. */
static uint64_t
verdict_count(const struct ss_stats *st, enum ss_verdict v)
{
	return v == SS_VERDICT_TX ? st->rx_answered : v == SS_VERDICT_TCP ? st->rx_tcp :
			st->drop[v];
}

/*
 * A traced input's entry (every other input is traced): one, with a verdict
 * that is TX exactly when there was a reply, and words that fit their parts
 * whatever the bytes were (the decoder reads only what the worker copied).
 */
static void
check_trace(uint16_t nb_tx, const struct ss_stats *before)
{
	char line[SS_TRACE_LINE_MAX];
	const struct ss_trace_entry *e;
	struct ss_trace_text text;
	unsigned int i;

	if (ss_trace_count(&worker.trace) != 1)
		abort();
	e = ss_trace_entry(&worker.trace, 0);
	if (e->verdict >= SS_VERDICT_MAX || (e->verdict == SS_VERDICT_TX) != (nb_tx == 1))
		abort();
	/* The verdict is the one counter the packet moved. */
	if (verdict_count(&worker.stats[0], e->verdict) != verdict_count(before, e->verdict) + 1)
		abort();
	ss_trace_format(e, 0, &cfg, &text);
	for (i = 0; i < text.n; i++)
		if (strlen(text.part[i].text) >= SS_TRACE_TEXT)
			abort();
	if (ss_trace_line(&text, line, sizeof(line)) != (int)strlen(line))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool traced = (inputs & 1) != 0;
	struct ss_stats before;
	struct rte_mbuf *pkts[1];
	uint16_t nb_tx;

	if (size > MAX_FRAME)
		return 0;
	pkts[0] = rte_pktmbuf_alloc(pool);
	if (pkts[0] == NULL)
		abort();
	memcpy(rte_pktmbuf_append(pkts[0], size), data, size);
	/* Time moves on, so that the rate limits let some replies through. */
	worker.now += worker.hz / 1000;
	/* Half the inputs go the general way only: the UDP it would answer is fuzzed too. */
	cfg.fast_path = (inputs & 2) != 0;
	if (traced) {
		ss_trace_reset(&worker.trace);
		ss_trace_arm(&worker.trace, 1);
		before = worker.stats[0];
	}
	/* A burst of one: drops are freed, what TCP took it keeps, a reply comes back. */
	nb_tx = ss_worker_process(&worker, 0, pkts, 1);
	if (traced)
		check_trace(nb_tx, &before);
	if (nb_tx == 1) {
		check_reply(pkts[0]);
		rte_pktmbuf_free(pkts[0]);
	}
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
