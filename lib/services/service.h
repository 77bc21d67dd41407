/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_SERVICE_H
#define SS_SERVICE_H

/*
 * The small services, as pure functions of their input: the same code
 * answers a UDP datagram and fills a TCP stream, and is testable without
 * packets. They are listed in services.def; what UDP and TCP need to know
 * of one is in its flags.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * What a service does, as the transports see it (services.def):
 *   MIRROR  UDP: the reply is the request itself (never larger)
 *   HOLDS   TCP: its stream is what the peer sends, held until acked
 *   WAITS   TCP: it answers the peer, closes after the peer's FIN, and a
 *           peer gone quiet is timed out
 *   CLOSES  TCP: it closes once its stream is sent
 *   OFF     off unless the config turns it on (an amplifier)
 */
#define SS_SVC_F_MIRROR 0x01
#define SS_SVC_F_HOLDS 0x02
#define SS_SVC_F_WAITS 0x04
#define SS_SVC_F_CLOSES 0x08
#define SS_SVC_F_OFF 0x10

enum ss_svc {
#define SS_SERVICE(id, file, name, port, flags) SS_SVC_##id,
#include "services.def"
#undef SS_SERVICE
	SS_SVC_MAX,
	SS_SVC_NONE = SS_SVC_MAX, /* port table: nothing listens here */
};

enum ss_transport {
	SS_UDP,
	SS_TCP,
	SS_TRANSPORT_MAX,
};

enum ss_family {
	SS_AF4,
	SS_AF6,
	SS_AF_MAX,
};

/* Service name as in /etc/services ("echo", "daytime", ...). */
const char *ss_svc_name(enum ss_svc svc);
/*
 * Its SS_SVC_F_* flags: a switch over services.def, inline, so that a test
 * of one flag compiles to a comparison (MIRROR: svc == SS_SVC_ECHO) on the
 * data path.
 */
static inline uint8_t
ss_svc_flags(enum ss_svc svc)
{
	switch (svc) {
#define SS_SERVICE(id, file, name, port, flags) \
	case SS_SVC_##id:                       \
		return flags;
#include "services.def"
#undef SS_SERVICE
	default:
		return 0;
	}
}

/* Well-known port of the service. */
uint16_t ss_svc_default_port(enum ss_svc svc);
/* Service by name, or SS_SVC_NONE. */
enum ss_svc ss_svc_by_name(const char *name);

const char *ss_transport_name(enum ss_transport t);
const char *ss_family_name(enum ss_family f);

struct ss_config;
struct ss_clock;

/* What the services of one worker remember between requests. */
struct ss_svc_state {
	const struct ss_config *cfg;
	const struct ss_clock *clock;
	uint64_t chargen_line; /* UDP chargen: next line of the ring */
	uint32_t qotd_next;    /* next quote */
};

/*
 * Answer a UDP datagram: write the reply payload into out (which may be
 * req itself, as for echo) and return its length, or return -(verdict)
 * when there is no reply. room is the most out can hold.
 */
int ss_svc_udp_reply(struct ss_svc_state *st, enum ss_svc svc, const uint8_t *req, uint16_t req_len,
		uint8_t *out, uint16_t room);

/*
 * The checksum share (unfolded, as ss_cksum_add()) of the len-byte reply
 * that ss_svc_udp_reply() has just made, where the service knows it
 * without reading the bytes back: daytime's is cached with the line,
 * time's comes from the clock, chargen's from prefix sums. Returns false
 * for the others (echo, qotd): their bytes are summed.
 */
bool ss_svc_udp_sum(const struct ss_svc_state *st, enum ss_svc svc, uint16_t len, uint64_t *sum);

/*
 * TCP: a service is a byte stream the connection sends, as a function of
 * the stream offset (so that a retransmission regenerates it), plus what
 * it does with the peer's data and FIN (its flags; docs/protocols.md, "Who
 * closes a TCP connection").
 */
struct ss_tcp_conn;

#define SS_SVC_STREAM_ENDLESS UINT64_MAX

/*
 * The handshake is done: fix what the stream will be. Returns the value the
 * connection keeps for it (in t0: the time of the handshake, the quote);
 * *silent when there is nothing to say (RFC 868: the clock is unset).
 */
uint32_t ss_svc_tcp_open(struct ss_svc_state *st, enum ss_svc svc, int64_t now_sec, bool *silent);

/* Length of the stream as far as it is known now (echo grows; chargen is endless). */
uint64_t ss_svc_tcp_stream_len(const struct ss_svc_state *st, const struct ss_tcp_conn *c);

/* Bytes [off, off + len) of the stream into dst; they must be within its length. */
void ss_svc_tcp_fill(const struct ss_svc_state *st, const struct ss_tcp_conn *c, uint64_t off,
		uint8_t *dst, uint32_t len);

/*
 * The checksum sum of those bytes, when the service knows it without
 * reading them (chargen's prefix sums): true with *sum, else false.
 */
bool ss_svc_tcp_sum(const struct ss_tcp_conn *c, uint64_t off, uint32_t len, uint64_t *sum);

static inline bool
ss_svc_has(enum ss_svc svc, uint8_t flag)
{
	return (ss_svc_flags(svc) & flag) != 0;
}

/*
 * The most the reply to a UDP request of req_len bytes can be (random
 * chargen: its maximum), for the amplification limits to decide on first.
 */
uint32_t ss_svc_udp_reply_max(const struct ss_svc_state *st, enum ss_svc svc, uint16_t req_len);

/*
 * What each service's file defines, by the same names (ss_FILE_...) and with
 * the meanings of the dispatchers above.
 */
#define SS_SERVICE(id, file, name, port, flags)                                                  \
	int ss_##file##_udp_reply(struct ss_svc_state *st, const uint8_t *req, uint16_t req_len, \
			uint8_t *out, uint16_t room);                                            \
	bool ss_##file##_udp_sum(const struct ss_svc_state *st, uint16_t len, uint64_t *sum);    \
	uint32_t ss_##file##_udp_reply_max(const struct ss_svc_state *st, uint16_t req_len);     \
	uint32_t ss_##file##_tcp_open(struct ss_svc_state *st, int64_t now_sec, bool *silent);   \
	uint64_t ss_##file##_tcp_stream_len(const struct ss_svc_state *st,                       \
			const struct ss_tcp_conn *c);                                            \
	void ss_##file##_tcp_fill(const struct ss_svc_state *st, const struct ss_tcp_conn *c,    \
			uint64_t off, uint8_t *dst, uint32_t len);                               \
	bool ss_##file##_tcp_sum(const struct ss_tcp_conn *c, uint64_t off, uint32_t len,        \
			uint64_t *sum);
#include "services.def"
#undef SS_SERVICE

#endif /* SS_SERVICE_H */
