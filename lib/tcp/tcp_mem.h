/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_TCP_MEM_H
#define SS_TCP_MEM_H

/*
 * What TCP connections hold, and the budgets that bound it.
 *
 * Every mbuf a connection keeps (echo data not yet acknowledged back, a
 * segment held ahead of a hole) is charged whole to the connection, to its
 * source and to its worker: counting mbufs rather than payload bytes counts
 * their true size, which is what matters when a peer sends 1-byte segments
 * that each pin a 2 KB buffer. A charge is refused when the source has
 * [tcp] max_held_per_source bytes' worth already, or an eighth of the
 * worker's share (one source must not starve the others), or when the
 * worker's connections hold their share of the pool: checked where the
 * mbuf is taken, against exact counts, so a burst of tiny segments cannot
 * run the pool dry between two looks at it (which also happen, once a
 * tick, for what else may drain it). A refused segment is not kept: data
 * ahead of a hole is dropped (the peer sends it again), and in-order echo
 * data is not acknowledged (likewise). The windows we announce close while
 * a budget is spent, so that a well-behaved peer stops sending what we
 * could not keep: that shrinks a window already offered, which RFC 9293
 * 3.8.6.2.2 advises against; the peer then sends again what we refused.
 */

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "tcp_conn.h"

struct ss_worker;

/* Mbufs the pool has for what TCP connections hold, at most (app/port.c adds them). */
#define SS_TCP_MEM_POOL_MAX 32768u
uint32_t ss_tcp_mem_pool_share(const struct ss_tcp_cfg *cfg);

/* A worker's TCP memory: in mbufs, set up from the pool and the config. */
struct ss_tcp_mem {
	uint32_t mbufs;        /* mbufs the worker's connections hold */
	uint32_t held_max;     /* their share of the pool's TCP share */
	uint32_t source_max;   /* what one source may hold (max_held_per_source) */
	uint32_t pool_reserve; /* free mbufs kept for reception and replies */
	bool pool_low;         /* the pool was under its reserve at the last look */
};

/* Budgets for worker w, one of n_workers that share its pool. */
void ss_tcp_mem_init(struct ss_worker *w, unsigned int n_workers);

/*
 * The budgets alone, from w's configuration, what is held left as it is: a
 * reload's (a source over a lowered max_held_per_source keeps what it has
 * and is refused more).
 */
void ss_tcp_mem_limits(struct ss_worker *w, unsigned int n_workers);

/* Charge one mbuf to c (and its source and worker); false when refused (counted). */
bool ss_tcp_mem_charge(struct ss_worker *w, struct ss_tcp_conn *c);

/* Give back n mbufs that c held. */
void ss_tcp_mem_uncharge(struct ss_worker *w, struct ss_tcp_conn *c, unsigned int n);

/* Is a budget that c's charges draw on spent? Its echo window shuts while so. */
bool ss_tcp_mem_short(const struct ss_worker *w, const struct ss_tcp_conn *c);

/* Look at the pool once a tick: windows follow it even while nothing is charged. */
void ss_tcp_mem_tick(struct ss_worker *w);

#endif /* SS_TCP_MEM_H */
