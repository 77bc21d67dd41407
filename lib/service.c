/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "chargen.h"
#include "cksum.h"
#include "clock.h"
#include "config.h"
#include "daytime.h"
#include "discard.h"
#include "echo.h"
#include "qotd.h"
#include "service.h"
#include "stats.h"
#include "tcp_conn.h"
#include "timeproto.h"

static const struct {
	const char *name;
	uint16_t port;
} svc_table[SS_SVC_MAX] = {
	[SS_SVC_ECHO] = { "echo", 7 },
	[SS_SVC_DISCARD] = { "discard", 9 },
	[SS_SVC_DAYTIME] = { "daytime", 13 },
	[SS_SVC_QOTD] = { "qotd", 17 },
	[SS_SVC_CHARGEN] = { "chargen", 19 },
	[SS_SVC_TIME] = { "time", 37 },
};

const char *
ss_svc_name(enum ss_svc svc)
{
	return svc < SS_SVC_MAX ? svc_table[svc].name : "none";
}

uint16_t
ss_svc_default_port(enum ss_svc svc)
{
	return svc < SS_SVC_MAX ? svc_table[svc].port : 0;
}

enum ss_svc
ss_svc_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < SS_SVC_MAX; i++)
		if (strcmp(svc_table[i].name, name) == 0)
			return i;
	return SS_SVC_NONE;
}

const char *
ss_transport_name(enum ss_transport t)
{
	return t == SS_UDP ? "udp" : "tcp";
}

const char *
ss_family_name(enum ss_family f)
{
	return f == SS_AF4 ? "ipv4" : "ipv6";
}

int
ss_svc_udp_reply(struct ss_svc_state *st, enum ss_svc svc, const uint8_t *req,
	uint16_t req_len, uint8_t *out, uint16_t room)
{
	switch (svc) {
	case SS_SVC_ECHO:
		return ss_echo_udp(req, req_len, out, room);
	case SS_SVC_DISCARD:
		return ss_discard_udp(req, req_len);
	case SS_SVC_DAYTIME:
		return ss_daytime_udp(st->clock, out, room);
	case SS_SVC_QOTD:
		return ss_qotd_udp(st->cfg, &st->qotd_next, out, room);
	case SS_SVC_CHARGEN:
		return ss_chargen_udp(st->cfg->chargen_udp_mode, &st->chargen_line, out, room);
	case SS_SVC_TIME:
		return ss_time_udp(st->clock, out, room);
	default:
		return -SS_DROP_UDP_DISCARD;
	}
}

bool
ss_svc_udp_sum(const struct ss_svc_state *st, enum ss_svc svc, uint16_t len, uint64_t *sum)
{
	switch (svc) {
	case SS_SVC_DAYTIME:
		*sum = st->clock->daytime_sum;
		return true;
	case SS_SVC_TIME:
		*sum = ss_cksum_add(st->clock->time_be, sizeof(st->clock->time_be), 0);
		return true;
	case SS_SVC_CHARGEN:
		*sum = ss_chargen_udp_sum(st->chargen_line, len);
		return true;
	default:
		return false;
	}
}

uint32_t
ss_svc_udp_reply_max(const struct ss_svc_state *st, enum ss_svc svc, uint16_t req_len)
{
	switch (svc) {
	case SS_SVC_ECHO:
		return req_len;
	case SS_SVC_DAYTIME:
		return st->clock->daytime_len;
	case SS_SVC_QOTD:
		return ss_qotd_quote_len(st->cfg, st->qotd_next);
	case SS_SVC_CHARGEN:
		return st->cfg->chargen_udp_mode == SS_CHARGEN_UDP_LINE ? SS_CHARGEN_LINE :
			SS_CHARGEN_UDP_MAX;
	case SS_SVC_TIME:
		return 4;
	default:
		return 0;
	}
}

void
ss_svc_tcp_open(struct ss_svc_state *st, struct ss_tcp_conn *c, int64_t now_sec)
{
	/* daytime and time answer with the time of the handshake, qotd with one quote. */
	if (c->svc == SS_SVC_QOTD)
		c->t0 = st->qotd_next++;
	else
		c->t0 = (uint32_t)now_sec;
	/* RFC 868: a server that does not know the time closes without a word. */
	if ((c->svc == SS_SVC_DAYTIME || c->svc == SS_SVC_TIME) && !st->clock->valid)
		c->flags |= SS_TCP_F_EMPTY;
}

uint64_t
ss_svc_tcp_stream_len(const struct ss_svc_state *st, const struct ss_tcp_conn *c)
{
	if (c->flags & SS_TCP_F_EMPTY)
		return 0;
	switch (c->svc) {
	case SS_SVC_ECHO:
		return ss_echo_tcp_stream_len(c);
	case SS_SVC_DAYTIME:
		return ss_daytime_tcp_len(st->clock, c->t0);
	case SS_SVC_QOTD:
		return ss_qotd_quote_len(st->cfg, c->t0);
	case SS_SVC_CHARGEN:
		return SS_SVC_STREAM_ENDLESS;
	case SS_SVC_TIME:
		return 4;
	default:
		return 0;
	}
}

void
ss_svc_tcp_fill(const struct ss_svc_state *st, const struct ss_tcp_conn *c, uint64_t off,
	uint8_t *dst, uint32_t len)
{
	uint8_t be[4];

	switch (c->svc) {
	case SS_SVC_ECHO:
		ss_echo_tcp_fill(c, off, dst, len);
		break;
	case SS_SVC_DAYTIME:
		ss_daytime_tcp_fill(st->clock, c->t0, off, dst, len);
		break;
	case SS_SVC_QOTD:
		memcpy(dst, ss_qotd_quote(st->cfg, c->t0) + off, len);
		break;
	case SS_SVC_CHARGEN:
		ss_chargen_fill(dst, off, len);
		break;
	case SS_SVC_TIME:
		ss_time_encode((int64_t)c->t0, be);
		memcpy(dst, be + off, len);
		break;
	default:
		break;
	}
}

bool
ss_svc_tcp_sum(const struct ss_tcp_conn *c, uint64_t off, uint32_t len, uint64_t *sum)
{
	if (c->svc != SS_SVC_CHARGEN || len > SS_CHARGEN_SUM_MAX)
		return false;
	*sum = ss_chargen_sum(off, len);
	return true;
}

bool
ss_svc_tcp_closes_first(enum ss_svc svc)
{
	return svc == SS_SVC_DAYTIME || svc == SS_SVC_TIME || svc == SS_SVC_QOTD;
}

bool
ss_svc_tcp_closes_on_fin(enum ss_svc svc)
{
	return svc == SS_SVC_ECHO || svc == SS_SVC_DISCARD;
}
