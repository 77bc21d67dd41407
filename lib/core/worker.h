/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_WORKER_H
#define SS_WORKER_H

/*
 * A worker: one lcore, one RX and one TX queue on each port, and all the
 * state its packets touch (counters, rate limiters, clock, service state).
 * Nothing in it is shared with another worker.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "clock.h"
#include "config.h"
#include "ip_reasm.h"
#include "pkt.h"
#include "ratelimit.h"
#include "service.h"
#include "stats.h"
#include "tcp.h"
#include "trace.h"

#define SS_BURST_MAX 256
#define SS_TXBUF_MAX 64

/* Segments a worker builds itself (TCP), waiting for the next transmit. */
struct ss_txbuf {
	uint16_t n;
	struct rte_mbuf *pkts[SS_TXBUF_MAX];
};

struct rte_rcu_qsbr;

/*
 * What every worker reads to know when to stop, and which configuration is
 * in effect. A reload (app/reload.c) stores a new cfg; each worker, between
 * bursts, reports a quiescent state on qsbr and then takes cfg if it
 * changed, so that the old one may be freed once every worker has reported
 * after the store: no lock, one load a loop for the configuration.
 */
struct ss_run {
	volatile bool quit;
	uint64_t packet_limit;       /* stop after this many packets in all; 0 = never */
	uint64_t packets;            /* received so far, counted only with a limit */
	unsigned int running;        /* workers that have entered their poll loop */
	const struct ss_config *cfg; /* the configuration in effect (NULL: no reloads) */
	struct rte_rcu_qsbr *qsbr;   /* every worker a reader, by its id; NULL: no reloads */
};

struct ss_worker {
	unsigned int id;
	unsigned int lcore;
	unsigned int n_workers; /* global limits are shared among them */
	const struct ss_config *cfg;
	const struct ss_iface *ifaces;
	unsigned int n_ifaces;
	struct ss_stats *stats;   /* one per iface */
	struct ss_txbuf *txbuf;   /* one per iface */
	struct rte_mempool *pool; /* for segments built from scratch */
	struct ss_run *run;

	uint64_t now; /* TSC at the start of the current burst */
	uint64_t hz;
	uint16_t ip_id;       /* IPv4 identification of the next reply */
	uint32_t ip6_frag_id; /* IPv6 fragment identification: a counter (ip_frag.c) */
	struct ss_clock clock;
	struct ss_svc_state svc;
	struct ss_src_limiter amplify_src;
	struct ss_gcra amplify_global;
	uint64_t amplify_global_tat;
	struct ss_gcra icmp_error;
	uint64_t icmp_error_tat;
	struct ss_tcp tcp;
	struct ss_reasm reasm;
	struct ss_trace trace; /* the next packets to trace, and those traced (trace.h) */
};

/*
 * Set up worker id of n_workers (global limits are shared among them):
 * allocates on socket. Returns 0, or -1 when memory is short.
 */
int ss_worker_init(struct ss_worker *w, unsigned int id, unsigned int n_workers,
		const struct ss_config *cfg, const struct ss_iface *ifaces, unsigned int n_ifaces,
		struct rte_mempool *pool, struct ss_run *run, int socket);
void ss_worker_free(struct ss_worker *w);

/*
 * Make cfg w's configuration (a reload): everything w derived from the old
 * one is derived again from cfg, which must have the old one's table sizes
 * and ports (config_reload.h). Reads nothing of the old configuration, which
 * may be freed as soon as w has reported its quiescent state. On w's own lcore,
 * between bursts.
 */
void ss_worker_adopt(struct ss_worker *w, const struct ss_config *cfg);

/*
 * Process a burst received on iface: each mbuf becomes a reply, goes to TCP
 * (which has freed or kept it on return) or to IP reassembly (which keeps
 * it), or is freed and counted. The
 * replies are moved to the front of pkts; returns their number. The caller
 * transmits them (ss_worker_transmit). With the trace armed (trace.h) the
 * burst's first packets are traced on the way.
 */
uint16_t ss_worker_process(struct ss_worker *w, unsigned int iface, struct rte_mbuf **pkts,
		uint16_t n);

/* Send replies on iface's queue for this worker; what does not fit is counted and freed. */
void ss_worker_transmit(struct ss_worker *w, unsigned int iface, struct rte_mbuf **pkts,
		uint16_t n);

/* Queue a segment built from scratch for iface; it goes out with the next flush. */
void ss_worker_emit(struct ss_worker *w, unsigned int iface, struct rte_mbuf *m);

/* Transmit everything queued with ss_worker_emit(). */
void ss_worker_flush(struct ss_worker *w);

/* The poll loop, for rte_eal_remote_launch(): runs until w->run->quit. */
int ss_worker_loop(void *arg);

#endif /* SS_WORKER_H */
