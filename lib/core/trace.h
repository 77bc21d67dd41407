/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_TRACE_H
#define SS_TRACE_H

/*
 * A packet trace, as VPP's "trace add": armed for the next N packets of a
 * worker (config [general] trace, or telemetry /smallsrv/trace_arm), each
 * traced packet leaves an entry saying what became of it. The worker only
 * copies: the request's first bytes before the data path sees it, the
 * reply's after, the verdict, and for TCP the connection's state and the
 * segments its burst queued; trace_decode.h turns an entry into words when
 * it is read (telemetry, the exit summary), on the control side.
 *
 * Off, it costs two predictable branches a burst (in ss_worker_process()),
 * and a byte stored with each drop: nothing in the layers.
 *
 * Entries fill a fixed array in order and are never rewritten, so that a
 * reader needs no lock: the worker writes an entry, then publishes the
 * count with a release store; a reader loads the count with acquire and
 * reads only the entries below it, which are complete and immutable.
 * Traced packets that find the array full are counted (missed), not kept.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "stats.h"

/*
 * 256 entries of 324 bytes: 81 KiB per worker, whether armed or not (and
 * 2 KiB of a burst's mbuf pointers in struct ss_trace).
 */
#define SS_TRACE_ENTRIES 256
/* Ethernet + VLAN (18), IPv4 with the most options (60), TCP with the most (60), data. */
#define SS_TRACE_REQ_BYTES 160
/* Our replies' headers: Ethernet + VLAN, IPv6, an ICMPv6 error's and the IPv6 + UDP it quotes (114). */
#define SS_TRACE_REP_BYTES 128
/* The segments a burst queued for a traced packet's connection, described up to this many. */
#define SS_TRACE_SEGS 4
/* The longest burst (worker.h's SS_BURST_MAX). */
#define SS_TRACE_BURST_MAX 256
/* One arming asks for at most this many packets (the config key's range too). */
#define SS_TRACE_ARM_MAX 65535
/* Packets left to trace never exceed this, however often it is armed. */
#define SS_TRACE_LEFT_MAX (UINT32_C(1) << 30)

/* What the trace learnt of a TCP request's connection at the end of its burst. */
#define SS_TRACE_F_TCP 0x01       /* the request is TCP (its connection looked up) */
#define SS_TRACE_F_CONN 0x02      /* its connection is in the table (state below) */
#define SS_TRACE_F_SEGS_LOST 0x04 /* segments went out before they could be seen */

/* A segment the worker queued for a traced packet's connection. */
struct ss_trace_seg {
	uint16_t len;  /* payload bytes */
	uint8_t flags; /* TCP flags */
};

struct ss_trace_entry {
	uint32_t seq; /* this worker's traced packets, from 1 */
	uint16_t port_id;
	uint16_t rx_len;    /* the frame as received */
	uint16_t rep_len;   /* the reply's frame (SS_VERDICT_TX) */
	uint16_t verdict;   /* enum ss_verdict */
	uint8_t req_n;      /* bytes of req[] copied */
	uint8_t rep_n;      /* bytes of rep[] copied */
	uint8_t flags;      /* SS_TRACE_F_* */
	uint8_t conn_state; /* enum ss_tcp_state, with SS_TRACE_F_CONN */
	uint16_t n_segs;    /* segments the burst queued for the connection */
	struct ss_trace_seg seg[SS_TRACE_SEGS];
	uint8_t req[SS_TRACE_REQ_BYTES];
	uint8_t rep[SS_TRACE_REP_BYTES];
};

/* One worker's trace. */
struct ss_trace {
	uint32_t left;    /* packets still to trace: the control side adds, the worker takes */
	uint32_t written; /* entries complete (release store by the worker) */
	uint32_t missed;  /* packets traced with no room left (the worker's, read relaxed) */
	uint32_t taken;   /* packets traced so far: the worker's own */
	struct ss_trace_entry *entries; /* [SS_TRACE_ENTRIES] */
	/* The burst under way, between ss_trace_burst_begin() and _end(): the worker's. */
	uint16_t burst_k;       /* its packets with an entry (its first ones); 0: none */
	uint16_t burst_txbuf_n; /* segments its port's txbuf held before it */
	uint64_t burst_tx_seen; /* segments its port had taken in before it */
	const struct rte_mbuf *burst_pkts[SS_TRACE_BURST_MAX]; /* the traced packets' mbufs */
};

/* Allocate on socket, armed for the first n packets. Returns 0, or -1 when memory is short. */
int ss_trace_init(struct ss_trace *t, uint32_t n, int socket);
void ss_trace_free(struct ss_trace *t);

/* Packets left to trace. */
static inline uint32_t
ss_trace_pending(const struct ss_trace *t)
{
	return __atomic_load_n(&t->left, __ATOMIC_RELAXED);
}

/* Is the burst to be traced? The worker's test, once a burst (ss_worker_process()). */
static inline bool
ss_trace_wanted(const struct ss_trace *t)
{
	return ss_trace_pending(t) != 0;
}

/*
 * The control side, safe while the worker runs, from any thread.
 */

/* Trace n more packets (up to SS_TRACE_LEFT_MAX left in all). Returns how many are left. */
uint32_t ss_trace_arm(struct ss_trace *t, uint32_t n);
/* Entries complete: those below it may be read, and no longer change. */
uint32_t ss_trace_count(const struct ss_trace *t);
/* Entry i, for i < ss_trace_count(). */
const struct ss_trace_entry *ss_trace_entry(const struct ss_trace *t, uint32_t i);
/* Packets traced that found no room. */
uint32_t ss_trace_missed(const struct ss_trace *t);

/*
 * Empty the trace. Only with no reader and no worker running on it (tests,
 * the fuzz harness): a running trace is never rewritten.
 */
void ss_trace_reset(struct ss_trace *t);

/*
 * The worker side, around the one loop of ss_worker_process(), which runs
 * as it would untraced. begin() takes the burst's share of what is left to
 * trace (the burst's first packets) and copies those packets' first bytes;
 * once the burst is done and its TCP output queued, end() takes each traced
 * packet's verdict from the burst's verdicts v[], copies the replies (a
 * reply is still the mbuf received), looks up the TCP packets' connections
 * and the segments the burst queued for them, and publishes the entries.
 */
struct ss_worker;

__rte_cold void ss_trace_burst_begin(struct ss_worker *w, unsigned int iface,
		struct rte_mbuf *const *pkts, uint16_t n);
__rte_cold void ss_trace_burst_end(struct ss_worker *w, unsigned int iface, const uint8_t *v);

#endif /* SS_TRACE_H */
