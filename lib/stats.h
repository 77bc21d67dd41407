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
 * the reply, anything else is the reason it was not answered.
 */
enum ss_verdict {
	SS_VERDICT_TX = 0,
#define SS_DROP(e, name, desc) SS_DROP_##e,
#include "drop_reasons.def"
#undef SS_DROP
	SS_VERDICT_MAX,
};

enum ss_reply {
#define SS_REPLY(e, name) SS_REPLY_##e,
#include "reply_kinds.def"
#undef SS_REPLY
	SS_REPLY_MAX,
};

struct ss_svc_counters {
	uint64_t requests;  /* datagrams or connections that reached the service */
	uint64_t replies;   /* datagrams or segments sent */
	uint64_t bytes_in;  /* payload bytes received */
	uint64_t bytes_out; /* payload bytes sent */
};

struct ss_stats {
	uint64_t rx_pkts;
	uint64_t rx_bytes;
	uint64_t tx_pkts;
	uint64_t tx_bytes;
	uint64_t drop[SS_VERDICT_MAX]; /* index 0 (TX) unused */
	uint64_t reply[SS_REPLY_MAX];
	struct ss_svc_counters svc[SS_SVC_MAX][SS_TRANSPORT_MAX][SS_AF_MAX];
};

/* Counter name of a drop reason, e.g. "ipv4_bad_checksum". */
const char *ss_drop_name(enum ss_verdict v);
/* One-line description of a drop reason. */
const char *ss_drop_desc(enum ss_verdict v);
/* Counter name of a reply kind, e.g. "arp_reply". */
const char *ss_reply_name(enum ss_reply r);

/* Add every counter of src into sum. */
void ss_stats_add(struct ss_stats *sum, const struct ss_stats *src);

/* Sum of all drop counters. */
uint64_t ss_stats_drops(const struct ss_stats *s);

#endif /* SS_STATS_H */
