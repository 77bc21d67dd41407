/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The services' names and ports (their flags: service.h), and the dispatchers: one switch
 * per entry point over services.def, each case a direct call into the
 * service's own file, which LTO inlines as it would a hand-written one.
 */
#include <string.h>

#include "service.h"
#include "stats.h"
#include "tcp_conn.h"

static const struct {
	const char *name;
	uint16_t port;
} svc_table[SS_SVC_MAX] = {
#define SS_SERVICE(id, file, name, port, flags) [SS_SVC_##id] = { name, port },
#include "services.def"
#undef SS_SERVICE
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
ss_svc_udp_reply(struct ss_svc_state *st, enum ss_svc svc, const uint8_t *req, uint16_t req_len,
		uint8_t *out, uint16_t room)
{
	switch (svc) {
#define SS_SERVICE(id, file, name, port, flags) \
	case SS_SVC_##id:                       \
		return ss_##file##_udp_reply(st, req, req_len, out, room);
#include "services.def"
#undef SS_SERVICE
	default:
		return -SS_DROP_UDP_DISCARD;
	}
}

bool
ss_svc_udp_sum(const struct ss_svc_state *st, enum ss_svc svc, uint16_t len, uint64_t *sum)
{
	switch (svc) {
#define SS_SERVICE(id, file, name, port, flags) \
	case SS_SVC_##id:                       \
		return ss_##file##_udp_sum(st, len, sum);
#include "services.def"
#undef SS_SERVICE
	default:
		return false;
	}
}

uint32_t
ss_svc_udp_reply_max(const struct ss_svc_state *st, enum ss_svc svc, uint16_t req_len)
{
	switch (svc) {
#define SS_SERVICE(id, file, name, port, flags) \
	case SS_SVC_##id:                       \
		return ss_##file##_udp_reply_max(st, req_len);
#include "services.def"
#undef SS_SERVICE
	default:
		return 0;
	}
}

uint32_t
ss_svc_tcp_open(struct ss_svc_state *st, enum ss_svc svc, int64_t now_sec, bool *silent)
{
	*silent = false;
	switch (svc) {
#define SS_SERVICE(id, file, name, port, flags) \
	case SS_SVC_##id:                       \
		return ss_##file##_tcp_open(st, now_sec, silent);
#include "services.def"
#undef SS_SERVICE
	default:
		return 0;
	}
}

uint64_t
ss_svc_tcp_stream_len(const struct ss_svc_state *st, const struct ss_tcp_conn *c)
{
	if (c->flags & SS_TCP_F_EMPTY)
		return 0;
	switch (c->svc) {
#define SS_SERVICE(id, file, name, port, flags) \
	case SS_SVC_##id:                       \
		return ss_##file##_tcp_stream_len(st, c);
#include "services.def"
#undef SS_SERVICE
	default:
		return 0;
	}
}

void
ss_svc_tcp_fill(const struct ss_svc_state *st, const struct ss_tcp_conn *c, uint64_t off,
		uint8_t *dst, uint32_t len)
{
	switch (c->svc) {
#define SS_SERVICE(id, file, name, port, flags)             \
	case SS_SVC_##id:                                   \
		ss_##file##_tcp_fill(st, c, off, dst, len); \
		break;
#include "services.def"
#undef SS_SERVICE
	default:
		break;
	}
}

bool
ss_svc_tcp_sum(const struct ss_tcp_conn *c, uint64_t off, uint32_t len, uint64_t *sum)
{
	switch (c->svc) {
#define SS_SERVICE(id, file, name, port, flags) \
	case SS_SVC_##id:                       \
		return ss_##file##_tcp_sum(c, off, len, sum);
#include "services.def"
#undef SS_SERVICE
	default:
		return false;
	}
}
