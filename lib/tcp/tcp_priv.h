/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_TCP_PRIV_H
#define SS_TCP_PRIV_H

/* What the tcp_*.c files share among themselves; not for the rest of lib/. */

#include <stdbool.h>
#include <stdint.h>

#include <rte_tcp.h>

#include "pkt.h"
#include "tcp.h"
#include "tcp_conn.h"
#include "tcp_cookie.h"
#include "worker.h"

/* Sequence-space comparisons (RFC 9293 3.4), safe across the 2^32 wrap. */
#define SEQ_LT(a, b) ((int32_t)((a) - (b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((a) - (b)) <= 0)
#define SEQ_GT(a, b) ((int32_t)((a) - (b)) > 0)
#define SEQ_GEQ(a, b) ((int32_t)((a) - (b)) >= 0)

/* The SYN-cookie secret, shared by the workers (tcp_worker.c). */
extern struct ss_tcp_cookie_secret ss_tcp_secret;

#define SS_TCP_DEFAULT_MSS4 536  /* RFC 9293 3.7.1, without an MSS option */
#define SS_TCP_MIN_MSS 48        /* the least we send per segment: see tcp_listen.c */
#define SS_TCP_DEFAULT_MSS6 1220 /* RFC 8200 8.3 */

/* A received segment, parsed. */
struct ss_tcp_seg {
	struct rte_tcp_hdr *th;
	uint32_t seq;
	uint32_t ack;
	uint32_t wnd;  /* as sent, not yet scaled */
	uint16_t len;  /* payload bytes */
	uint16_t hlen; /* header with options */
	uint8_t flags;
	/* SYN options */
	uint16_t mss;   /* 0 = none */
	uint8_t wscale; /* SS_TCP_COOKIE_NO_WSCALE = none */
	bool sack_ok;
	bool data_refused; /* its data met our shut window: no duplicate ACK */
	/* SACK blocks of an ACK (RFC 2018), once parsed */
	uint8_t n_sack;
	uint32_t sack[4][2];
};

/* A segment for no connection, to a listening port (tcp_listen.c). */
enum ss_verdict ss_tcp_listen(struct ss_pkt *p, struct ss_tcp_seg *s, const struct ss_tcp_key *k,
		enum ss_svc svc);
enum ss_verdict ss_tcp_listen_syn(struct ss_pkt *p, struct ss_tcp_seg *s,
		const struct ss_tcp_key *k, enum ss_svc svc);

/* A segment for a connection: RFC 9293 3.10.7.4 from its first check (tcp_input.c). */
enum ss_verdict ss_tcp_conn_input(struct ss_pkt *p, struct ss_tcp_conn *c, struct ss_tcp_seg *s);

/*
 * Answer s, a segment that was not acceptable, with an ACK; unless it has
 * neither data nor FIN and c answered one within invalid_ack_interval_ms
 * (then it is counted, not sent). tcp_challenge.c.
 */
void ss_tcp_ack_unacceptable(struct ss_worker *w, struct ss_tcp_conn *c,
		const struct ss_tcp_seg *s);

/*
 * RFC 5961 7: the challenge ACK to a RST or SYN in the window, within the
 * connection's limit and this second's global budget (counted if not).
 */
void ss_tcp_challenge_ack(struct ss_worker *w, struct ss_tcp_conn *c);

/*
 * A handshake completes: c counts against its source's cap from now on
 * (entries in SYN-RECEIVED do not: spoofed SYNs must not lock the real
 * source out). False when the source is at its cap (counted as refused):
 * its SYN was not refused (ss_tcp_listen_syn), but others completed since.
 */
bool ss_tcp_admit(struct ss_worker *w, struct ss_tcp_conn *c);

/*
 * In SYN-RECEIVED, an ACK that is not of this entry's SYN-ACK but carries a
 * valid cookie of ours (an earlier SYN-ACK's, the entry having started over
 * since) completes that handshake: c takes its numbers. False if not one.
 */
bool ss_tcp_cookie_resync(struct ss_worker *w, struct ss_tcp_conn *c, const struct ss_tcp_seg *s);

/*
 * The fifth check, the ACK (tcp_ack.c). Returns false when the segment
 * stops there; *gone when the connection ended with it.
 */
bool ss_tcp_ack(struct ss_worker *w, struct ss_tcp_conn *c, const struct ss_tcp_seg *s, bool *gone);

/* Key of the connection a received segment belongs to. */
void ss_tcp_key_from_pkt(const struct ss_pkt *p, const struct rte_tcp_hdr *th,
		struct ss_tcp_key *k);

/* Put a connection on the worker's output list (once). */
void ss_tcp_mark(struct ss_worker *w, struct ss_tcp_conn *c);

/* Receive window to announce now, before scaling. */
uint32_t ss_tcp_rcv_window(const struct ss_worker *w, const struct ss_tcp_conn *c);

/* Stream offset of sequence number seq (data only, after the SYN). */
static inline uint64_t
ss_tcp_offset(const struct ss_tcp_conn *c, uint32_t seq)
{
	return c->una_off + (uint32_t)(seq - c->snd_una);
}

/* The MSS we announce on an iface: the configured one, or less if the MTU says so. */
static inline uint16_t
ss_tcp_our_mss(const struct ss_worker *w, unsigned int iface, uint8_t af)
{
	uint16_t hdrs = af == SS_AF4 ? 40 : 60;
	uint16_t mtu_mss = w->ifaces[iface].mtu - hdrs;

	return w->cfg->tcp.mss < mtu_mss ? w->cfg->tcp.mss : mtu_mss;
}

/* Output (tcp_output.c). */
void ss_tcp_output(struct ss_worker *w, struct ss_tcp_conn *c);
void ss_tcp_send_ack(struct ss_worker *w, struct ss_tcp_conn *c);
void ss_tcp_send_rst(struct ss_worker *w, struct ss_tcp_conn *c);
void ss_tcp_send_synack(struct ss_worker *w, struct ss_tcp_conn *c);
void ss_tcp_retransmit(struct ss_worker *w, struct ss_tcp_conn *c, uint32_t seq, uint32_t max_len);
enum ss_verdict ss_tcp_reply_synack(struct ss_pkt *p, const struct ss_tcp_seg *s, uint32_t iss,
		uint16_t mss, int rcv_wscale, bool sack);
uint8_t ss_tcp_choose_wscale(uint32_t window);

/* Congestion control and RTO (tcp_cc.c). */
void ss_tcp_cc_init(struct ss_tcp_conn *c, const struct ss_tcp_cfg *cfg);
void ss_tcp_cc_rtt_sample(struct ss_tcp_conn *c, uint32_t rtt, const struct ss_tcp_cfg *cfg);
void ss_tcp_cc_acked(struct ss_tcp_conn *c, uint32_t acked);
void ss_tcp_cc_partial_ack(struct ss_tcp_conn *c, uint32_t acked);
bool ss_tcp_cc_dupack(struct ss_tcp_conn *c, bool can_send_new);
void ss_tcp_cc_undo_limited(struct ss_tcp_conn *c);
void ss_tcp_cc_timeout(struct ss_tcp_conn *c, const struct ss_tcp_cfg *cfg);

/* Connection life (tcp_worker.c). */
void ss_tcp_established(struct ss_worker *w, struct ss_tcp_conn *c);
void ss_tcp_drop_held(struct ss_worker *w, struct ss_tcp_conn *c);
void ss_tcp_time_wait(struct ss_worker *w, struct ss_tcp_conn *c);
void ss_tcp_close(struct ss_worker *w, struct ss_tcp_conn *c);
void ss_tcp_abort(struct ss_worker *w, struct ss_tcp_conn *c);
void ss_tcp_rearm(struct ss_worker *w, struct ss_tcp_conn *c);
void ss_tcp_expired(void *ctx, struct ss_tcp_conn *c);

/* Counters of the connection's service and family. */
static inline struct ss_tcp_counters *
ss_tcp_counters(struct ss_worker *w, const struct ss_tcp_conn *c)
{
	return &w->stats[c->iface].tcp[c->svc][c->af];
}

static inline struct ss_svc_counters *
ss_tcp_svc_counters(struct ss_worker *w, const struct ss_tcp_conn *c)
{
	return &w->stats[c->iface].svc[c->svc][SS_TCP][c->af];
}

static inline void
ss_tcp_event(struct ss_worker *w, unsigned int iface, enum ss_tcp_event e)
{
	w->stats[iface].tcp_event[e]++;
}

#endif /* SS_TCP_PRIV_H */
