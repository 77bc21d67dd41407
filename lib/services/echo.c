/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 862 echo: the data back, unchanged, empty datagrams included. */
#include <string.h>

#include "service.h"
#include "stats.h"
#include "tcp_hold.h"

int
ss_echo_udp_reply(struct ss_svc_state *st, const uint8_t *req, uint16_t req_len, uint8_t *out,
		uint16_t room)
{
	(void)st;
	/* Reference servers truncate at 2048..8192 bytes; we never do. */
	if (req_len > room)
		return -SS_DROP_REPLY_TOO_BIG;
	if (out != req)
		memmove(out, req, req_len);
	return req_len;
}

bool
ss_echo_udp_sum(const struct ss_svc_state *st, uint16_t len, uint64_t *sum)
{
	(void)st;
	(void)len;
	(void)sum;
	return false; /* the request's bytes: its checksum carries over (SS_SVC_F_MIRROR) */
}

uint32_t
ss_echo_udp_reply_max(const struct ss_svc_state *st, uint16_t req_len)
{
	(void)st;
	return req_len;
}

uint32_t
ss_echo_tcp_open(struct ss_svc_state *st, int64_t now_sec, bool *silent)
{
	(void)st;
	(void)now_sec;
	(void)silent;
	return 0;
}

/* The stream is what the peer sent (SS_SVC_F_HOLDS): the connection holds it. */
uint64_t
ss_echo_tcp_stream_len(const struct ss_svc_state *st, const struct ss_tcp_conn *c)
{
	(void)st;
	return ss_tcp_hold_stream_len(c);
}

void
ss_echo_tcp_fill(const struct ss_svc_state *st, const struct ss_tcp_conn *c, uint64_t off,
		uint8_t *dst, uint32_t len)
{
	(void)st;
	ss_tcp_hold_fill(c, off, dst, len);
}

bool
ss_echo_tcp_sum(const struct ss_tcp_conn *c, uint64_t off, uint32_t len, uint64_t *sum)
{
	(void)c;
	(void)off;
	(void)len;
	(void)sum;
	return false;
}
