/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_TCP_H
#define SS_TCP_H

/*
 * A passive-open, server-only TCP (RFC 9293) for the small services. Each
 * worker has its own: a connection table, a timer wheel, and a list of
 * connections with something to send, drained after every burst so that
 * a burst of segments for one connection costs one ACK.
 *
 * Handshakes: every SYN-ACK's ISN is a SYN cookie (tcp_cookie.h). While
 * few handshakes are pending, a SYN also gets a table entry (so the
 * SYN-ACK is retransmitted, and daytime and time, which speak first, are
 * not left waiting when the final ACK is lost); past max_half_open, SYNs
 * get a cookie alone and cost no state.
 */

#include <stdbool.h>
#include <stdint.h>

#include "pkt.h"
#include "siphash.h"
#include "tcp_conn.h"
#include "tcp_mem.h"
#include "tcp_timer.h"

#define SS_TCP_PENDING_MAX 1024

struct ss_tcp {
	struct ss_tcp_table table;
	struct ss_tcp_wheel wheel;
	uint32_t tick; /* milliseconds, from the TSC */
	uint64_t tsc_base;
	uint64_t cycles_per_tick;
	uint8_t rcv_wscale;  /* ours, for tcp.window (when the peer scales too) */
	uint16_t syn_window; /* tcp.window as a SYN-ACK says it: never scaled */
	uint16_t n_pending;
	uint32_t pending[SS_TCP_PENDING_MAX]; /* connections with output to do */
	/*
	 * RFC 5961 7's global budget of challenge ACKs, drawn afresh each
	 * second at random around its mean (as Linux since 4.7): an attacker
	 * who counts the challenge ACKs its own connection still gets learns
	 * nothing from the budget of a second (CVE-2016-5696).
	 */
	uint32_t challenge_second; /* tick / 1000 the budget is for */
	uint32_t challenge_left;
	uint32_t challenge_mean;             /* this worker's share of challenge_ack_rate */
	struct ss_siphash_key challenge_key; /* draws the budgets: no one can predict them */
	struct ss_tcp_mem mem;               /* what connections hold (tcp_mem.h) */
};

struct ss_worker;

/* Set up worker w's TCP; the table gets its share of max_connections. */
int ss_tcp_init(struct ss_worker *w, unsigned int n_workers, int socket);
void ss_tcp_free(struct ss_worker *w);

/*
 * Derive again what w's TCP took from its configuration at set-up, after
 * w->cfg changed (a reload); the connections are left as they are.
 */
void ss_tcp_reconfigure(struct ss_worker *w, unsigned int n_workers);

/* Check a segment and hand it to its connection, the listener, or a RST. */
enum ss_verdict ss_tcp_input(struct ss_pkt *p);

/* Advance the clock and run the timers that are due (once per poll loop). */
void ss_tcp_timers(struct ss_worker *w);

/* Send what the connections touched since the last call have to send. */
void ss_tcp_flush(struct ss_worker *w);

/* Turn the segment into the RST that RFC 9293 3.10.7.1 answers it with. */
enum ss_verdict ss_tcp_reply_rst(struct ss_pkt *p);

#endif /* SS_TCP_H */
