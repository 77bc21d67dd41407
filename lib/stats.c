/* SPDX-License-Identifier: BSD-3-Clause */
#include <stddef.h>

#include "stats.h"

static const char *const drop_names[SS_VERDICT_MAX] = {
	[SS_VERDICT_TX] = "tx",
	[SS_VERDICT_TCP] = "tcp",
#define SS_DROP(e, name, desc) [SS_DROP_##e] = name,
#include "drop_reasons.def"
#undef SS_DROP
};

static const char *const drop_descs[SS_VERDICT_MAX] = {
	[SS_VERDICT_TX] = "answered",
	[SS_VERDICT_TCP] = "taken by a TCP connection",
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
