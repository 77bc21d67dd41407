/* SPDX-License-Identifier: BSD-3-Clause */
#include <stddef.h>

#include <rte_common.h>

#include "stats.h"

static const char *const drop_names[SS_VERDICT_MAX] = {
	[SS_VERDICT_TX] = "tx",
	[SS_VERDICT_TCP] = "tcp",
	[SS_VERDICT_HELD] = "held",
#define SS_DROP(e, name, desc) [SS_DROP_##e] = name,
#include "drop_reasons.def"
#undef SS_DROP
};

static const char *const drop_descs[SS_VERDICT_MAX] = {
	[SS_VERDICT_TX] = "answered",
	[SS_VERDICT_TCP] = "taken by a TCP connection",
	[SS_VERDICT_HELD] = "held for reassembly",
#define SS_DROP(e, name, desc) [SS_DROP_##e] = desc,
#include "drop_reasons.def"
#undef SS_DROP
};

static const char *const reply_names[SS_REPLY_MAX] = {
#define SS_REPLY(e, name) [SS_REPLY_##e] = name,
#include "reply_kinds.def"
#undef SS_REPLY
};

static const char *const tcp_event_names[SS_TCP_EV_MAX] = {
#define SS_TCP_EVENT(e, name, desc) [SS_TCP_EV_##e] = name,
#include "tcp_events.def"
#undef SS_TCP_EVENT
};

static const char *const tcp_event_descs[SS_TCP_EV_MAX] = {
#define SS_TCP_EVENT(e, name, desc) [SS_TCP_EV_##e] = desc,
#include "tcp_events.def"
#undef SS_TCP_EVENT
};

#define COUNTER(type, field) [offsetof(type, field) / sizeof(uint64_t)] = #field

static const char *const svc_counter_names[] = {
	COUNTER(struct ss_svc_counters, requests),
	COUNTER(struct ss_svc_counters, replies),
	COUNTER(struct ss_svc_counters, bytes_in),
	COUNTER(struct ss_svc_counters, bytes_out),
};

static const char *const tcp_counter_names[] = {
	COUNTER(struct ss_tcp_counters, closed),
	COUNTER(struct ss_tcp_counters, refused),
	COUNTER(struct ss_tcp_counters, reset),
	COUNTER(struct ss_tcp_counters, timed_out),
	COUNTER(struct ss_tcp_counters, retransmits),
};

#undef COUNTER

/* A field added to a struct and not named here fails the build. */
_Static_assert(RTE_DIM(svc_counter_names) == SS_SVC_COUNTERS, "a service counter without a name");
_Static_assert(RTE_DIM(tcp_counter_names) == SS_TCP_COUNTERS, "a TCP counter without a name");

const char *
ss_svc_counter_name(unsigned int i)
{
	return i < SS_SVC_COUNTERS ? svc_counter_names[i] : "unknown";
}

const char *
ss_tcp_counter_name(unsigned int i)
{
	return i < SS_TCP_COUNTERS ? tcp_counter_names[i] : "unknown";
}

const char *
ss_tcp_event_name(enum ss_tcp_event e)
{
	return e < SS_TCP_EV_MAX ? tcp_event_names[e] : "unknown";
}

const char *
ss_tcp_event_desc(enum ss_tcp_event e)
{
	return e < SS_TCP_EV_MAX ? tcp_event_descs[e] : "unknown";
}

const char *
ss_drop_name(enum ss_verdict v)
{
	return v < SS_VERDICT_MAX ? drop_names[v] : "unknown";
}

const char *
ss_drop_desc(enum ss_verdict v)
{
	return v < SS_VERDICT_MAX ? drop_descs[v] : "unknown";
}

const char *
ss_reply_name(enum ss_reply r)
{
	return r < SS_REPLY_MAX ? reply_names[r] : "unknown";
}

/*
 * The struct is nothing but uint64_t counters, so it can be summed as a
 * flat array; the static assert keeps that true when fields are added.
 */
_Static_assert(sizeof(struct ss_stats) % sizeof(uint64_t) == 0,
		"struct ss_stats must hold only 64-bit counters");

void
ss_stats_add(struct ss_stats *sum, const struct ss_stats *src)
{
	uint64_t *d = (uint64_t *)sum;
	const volatile uint64_t *s = (const volatile uint64_t *)src;
	size_t i;

	for (i = 0; i < sizeof(*sum) / sizeof(uint64_t); i++)
		d[i] += s[i];
}

uint64_t
ss_stats_drops(const struct ss_stats *s)
{
	uint64_t n = 0;
	unsigned int v;

	for (v = SS_DROP_FIRST; v < SS_VERDICT_MAX; v++)
		n += s->drop[v];
	return n;
}
