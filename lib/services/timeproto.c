/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "stats.h"
#include "timeproto.h"
#include "cksum.h"
#include "clock.h"
#include "service.h"
#include "tcp_conn.h"

void
ss_time_encode(int64_t unix_sec, uint8_t out[4])
{
	uint32_t v = ss_time_value(unix_sec);

	out[0] = v >> 24;
	out[1] = v >> 16;
	out[2] = v >> 8;
	out[3] = v;
}

int
ss_time_udp(const struct ss_clock *clock, uint8_t *out, uint16_t room)
{
	/* RFC 868: a server that does not know the time stays silent. */
	if (!clock->valid)
		return -SS_DROP_CLOCK_UNSET;
	if (room < 4)
		return -SS_DROP_REPLY_TOO_BIG;
	memcpy(out, clock->time_be, 4);
	return 4;
}

/*
 * The service's entry points (service.h): 4 bytes, seconds since 1900;
 * over TCP those of the handshake's second, then FIN (SS_SVC_F_CLOSES).
 */
int
ss_timeproto_udp_reply(struct ss_svc_state *st, const uint8_t *req, uint16_t req_len, uint8_t *out,
		uint16_t room)
{
	(void)req;
	(void)req_len;
	return ss_time_udp(st->clock, out, room);
}

bool
ss_timeproto_udp_sum(const struct ss_svc_state *st, uint16_t len, uint64_t *sum)
{
	(void)len;
	*sum = ss_cksum_add(st->clock->time_be, sizeof(st->clock->time_be), 0);
	return true;
}

uint32_t
ss_timeproto_udp_reply_max(const struct ss_svc_state *st, uint16_t req_len)
{
	(void)st;
	(void)req_len;
	return 4;
}

uint32_t
ss_timeproto_tcp_open(struct ss_svc_state *st, int64_t now_sec, bool *silent)
{
	/* RFC 868: a server that does not know the time closes without a word. */
	*silent = !st->clock->valid;
	return (uint32_t)now_sec;
}

uint64_t
ss_timeproto_tcp_stream_len(const struct ss_svc_state *st, const struct ss_tcp_conn *c)
{
	(void)st;
	(void)c;
	return 4;
}

void
ss_timeproto_tcp_fill(const struct ss_svc_state *st, const struct ss_tcp_conn *c, uint64_t off,
		uint8_t *dst, uint32_t len)
{
	uint8_t be[4];

	(void)st;
	ss_time_encode((int64_t)c->t0, be);
	memcpy(dst, be + off, len);
}

bool
ss_timeproto_tcp_sum(const struct ss_tcp_conn *c, uint64_t off, uint32_t len, uint64_t *sum)
{
	(void)c;
	(void)off;
	(void)len;
	(void)sum;
	return false;
}
