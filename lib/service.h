/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_SERVICE_H
#define SS_SERVICE_H

/*
 * The small services, as pure functions of their input: the same code
 * answers a UDP datagram and fills a TCP stream, and is testable without
 * packets.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ss_svc {
	SS_SVC_ECHO,
	SS_SVC_DISCARD,
	SS_SVC_DAYTIME,
	SS_SVC_QOTD,
	SS_SVC_CHARGEN,
	SS_SVC_TIME,
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
int ss_svc_udp_reply(struct ss_svc_state *st, enum ss_svc svc, const uint8_t *req,
	uint16_t req_len, uint8_t *out, uint16_t room);

/*
 * The checksum share (unfolded, as ss_cksum_add()) of the len-byte reply
 * that ss_svc_udp_reply() has just made, where the service knows it
 * without reading the bytes back: daytime's is cached with the line,
 * time's comes from the clock, chargen's from prefix sums. Returns false
 * for the others (echo, qotd): their bytes are summed.
 */
bool ss_svc_udp_sum(const struct ss_svc_state *st, enum ss_svc svc, uint16_t len,
	uint64_t *sum);

/*
 * TCP: a service is a byte stream the connection sends, as a function of
 * the stream offset (so that a retransmission regenerates it), plus what
 * it does with the peer's data and FIN (docs/protocols.md, "Who closes a TCP connection").
 */
struct ss_tcp_conn;

#define SS_SVC_STREAM_ENDLESS UINT64_MAX

/* The handshake is done: fix what the stream will be (the time, the quote). */
void ss_svc_tcp_open(struct ss_svc_state *st, struct ss_tcp_conn *c, int64_t now_sec);

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

/* Does the service close once its stream is sent, without waiting for the peer? */
bool ss_svc_tcp_closes_first(enum ss_svc svc);

/* Does it close once the peer's FIN is in (and its stream sent)? */
bool ss_svc_tcp_closes_on_fin(enum ss_svc svc);

/*
 * The most the reply to a UDP request of req_len bytes can be (random
 * chargen: its maximum), for the amplification limits to decide on first.
 */
uint32_t ss_svc_udp_reply_max(const struct ss_svc_state *st, enum ss_svc svc,
	uint16_t req_len);

#endif /* SS_SERVICE_H */
