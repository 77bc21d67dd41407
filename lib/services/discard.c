/* SPDX-License-Identifier: BSD-3-Clause */
#include "discard.h"
#include "stats.h"
#include "service.h"

int
ss_discard_udp(const uint8_t *req, uint16_t len)
{
	(void)req;
	(void)len;
	return -SS_DROP_UDP_DISCARD;
}

/*
 * The service's entry points (service.h): RFC 863 discard answers nothing,
 * over UDP and TCP (it waits for the peer's FIN: SS_SVC_F_WAITS).
 */
int
ss_discard_udp_reply(struct ss_svc_state *st, const uint8_t *req, uint16_t req_len, uint8_t *out,
		uint16_t room)
{
	(void)st;
	(void)out;
	(void)room;
	return ss_discard_udp(req, req_len);
}

bool
ss_discard_udp_sum(const struct ss_svc_state *st, uint16_t len, uint64_t *sum)
{
	(void)st;
	(void)len;
	(void)sum;
	return false;
}

uint32_t
ss_discard_udp_reply_max(const struct ss_svc_state *st, uint16_t req_len)
{
	(void)st;
	(void)req_len;
	return 0;
}

uint32_t
ss_discard_tcp_open(struct ss_svc_state *st, int64_t now_sec, bool *silent)
{
	(void)st;
	(void)now_sec;
	(void)silent;
	return 0;
}

uint64_t
ss_discard_tcp_stream_len(const struct ss_svc_state *st, const struct ss_tcp_conn *c)
{
	(void)st;
	(void)c;
	return 0;
}

void
ss_discard_tcp_fill(const struct ss_svc_state *st, const struct ss_tcp_conn *c, uint64_t off,
		uint8_t *dst, uint32_t len)
{
	(void)st;
	(void)c;
	(void)off;
	(void)dst;
	(void)len;
}

bool
ss_discard_tcp_sum(const struct ss_tcp_conn *c, uint64_t off, uint32_t len, uint64_t *sum)
{
	(void)c;
	(void)off;
	(void)len;
	(void)sum;
	return false;
}
