/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_STATS_H
#define SS_STATS_H

/*
 * Counters. Each worker owns one struct ss_stats per port and is its only
 * writer; readers (telemetry, the exit summary) sum them without locks,
 * which is exact for aligned 64-bit words on the platforms DPDK supports.
 */

#include <stdint.h>

#include "service.h"

/*
 * What became of a received packet: SS_VERDICT_TX means the mbuf now holds
 * the reply; SS_VERDICT_TCP that TCP took it and has already freed it or
 * kept it (docs/packet-path.md; its answers are the connection's own
 * segments, counted as they are sent); SS_VERDICT_HELD that IP reassembly
 * keeps it, a fragment of a datagram not yet whole (ip_reasm.h); anything
 * else is the reason it was not answered, and the mbuf is still the
 * caller's to free. With TX or a drop, the mbuf is the one received (p->m
 * is never replaced; the fragment that completes a datagram becomes the
 * datagram, and takes its verdict).
 */
enum ss_verdict {
	SS_VERDICT_TX = 0,
	SS_VERDICT_TCP,
	SS_VERDICT_HELD,
#define SS_DROP(e, name, desc) SS_DROP_##e,
#include "drop_reasons.def"
#undef SS_DROP
	SS_VERDICT_MAX,
};

/* The first drop reason: verdicts below it are not drops. */
#define SS_DROP_FIRST (SS_VERDICT_HELD + 1)

enum ss_reply {
#define SS_REPLY(e, name) SS_REPLY_##e,
#include "reply_kinds.def"
#undef SS_REPLY
	SS_REPLY_MAX,
};

/* TCP events of a worker, as a whole (tcp_events.def). */
enum ss_tcp_event {
#define SS_TCP_EVENT(e, name, desc) SS_TCP_EV_##e,
#include "tcp_events.def"
#undef SS_TCP_EVENT
	SS_TCP_EV_MAX,
};

struct ss_svc_counters {
	uint64_t requests;  /* datagrams or connections that reached the service */
	uint64_t replies;   /* datagrams or segments sent */
	uint64_t bytes_in;  /* payload bytes received */
	uint64_t bytes_out; /* payload bytes sent */
};

/*
 * TCP per service and family, beside svc[][SS_TCP][] (where requests are
 * connections accepted, replies segments sent with data, bytes the stream).
 */
struct ss_tcp_counters {
	uint64_t closed;      /* accepted connections that ended: active = accepted - closed */
	uint64_t refused;     /* handshakes refused: table or per-source cap full */
	uint64_t reset;       /* ended by the peer's RST */
	uint64_t timed_out;   /* ended by a timeout (retransmission, idle, zero window) */
	uint64_t retransmits; /* segments sent again */
};

/*
 * IP reassembly (ip_reasm.h). Fragments held (rx_held) end in a datagram,
 * or are let go: timed out, or released with a datagram dropped whole.
 */
struct ss_reasm_counters {
	uint64_t datagrams; /* put together from fragments */
	uint64_t timeouts;  /* datagrams not whole in time */
	uint64_t timed_out; /* fragments those held, let go */
	uint64_t released;  /* fragments let go with a datagram dropped whole */
	uint64_t frag_out;  /* fragments of our replies sent (ip_frag.h) */
};

struct ss_stats {
	uint64_t rx_pkts;
	uint64_t rx_bytes;
	uint64_t tx_pkts;
	uint64_t tx_bytes;
	uint64_t tx_unsent;   /* segments built from scratch the TX queue refused */
	uint64_t rx_answered; /* answered in their own mbuf (SS_VERDICT_TX) */
	uint64_t rx_tcp;      /* taken by TCP connections (SS_VERDICT_TCP) */
	uint64_t rx_held;     /* fragments kept for reassembly (SS_VERDICT_HELD) */
	uint64_t rx_fast;     /* decided by the fast path (fastpath.h), whatever the verdict */
	uint64_t drop[SS_VERDICT_MAX]; /* from SS_DROP_FIRST */
	uint64_t reply[SS_REPLY_MAX];
	struct ss_svc_counters svc[SS_SVC_MAX][SS_TRANSPORT_MAX][SS_AF_MAX];
	struct ss_tcp_counters tcp[SS_SVC_MAX][SS_AF_MAX];
	uint64_t tcp_event[SS_TCP_EV_MAX];
	struct ss_reasm_counters reasm;
};

/* Counter name of a drop reason, e.g. "ipv4_bad_checksum". */
const char *ss_drop_name(enum ss_verdict v);
/* One-line description of a drop reason. */
const char *ss_drop_desc(enum ss_verdict v);
/* Counter name of a reply kind, e.g. "arp_reply". */
const char *ss_reply_name(enum ss_reply r);

/* Counter name and description of a TCP event, e.g. "synack_cookie". */
const char *ss_tcp_event_name(enum ss_tcp_event e);
const char *ss_tcp_event_desc(enum ss_tcp_event e);

/*
 * The fields of struct ss_svc_counters and ss_tcp_counters by index, for
 * those that walk them as arrays of uint64_t (telemetry): each name is tied
 * to its field's offset, and the counts to the structs' sizes.
 */
#define SS_SVC_COUNTERS (sizeof(struct ss_svc_counters) / sizeof(uint64_t))
#define SS_TCP_COUNTERS (sizeof(struct ss_tcp_counters) / sizeof(uint64_t))
const char *ss_svc_counter_name(unsigned int i);
const char *ss_tcp_counter_name(unsigned int i);

/* Add every counter of src into sum. */
void ss_stats_add(struct ss_stats *sum, const struct ss_stats *src);

/* Sum of all drop counters. */
uint64_t ss_stats_drops(const struct ss_stats *s);

#endif /* SS_STATS_H */
