/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_FUZZ_COMMON_H
#define SS_FUZZ_COMMON_H

/*
 * What the fuzz harnesses share: EAL start-up, a configuration helper, and
 * the checks on what the appliance sends. The checks are written from the
 * RFCs, not from lib/: the checksums are summed here by the book (RFC
 * 1071), so that a bug in lib/net/cksum.h cannot hide itself.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "config.h"
#include "stats.h"

/* A failed check: the message on stderr, then abort() so that libFuzzer keeps the input. */
void fz_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Start EAL without hugepages or devices; extra: more arguments (NULL-terminated). */
void fz_eal_init(const char *prefix, const char *const *extra);

/* Set a configuration key, which must be accepted. */
void fz_config_set(struct ss_config *cfg, const char *section, const char *key,
	const char *value);

/* ss_config_finish(), which must succeed. */
void fz_config_finish(struct ss_config *cfg);

/* A frame the appliance sent, parsed by fz_check_frame(). */
struct fz_frame {
	const uint8_t *buf;
	uint16_t len;
	const uint8_t *dst_mac;
	const uint8_t *src_mac;
	int vlan;          /* VLAN id, or -1 */
	uint16_t type;     /* EtherType behind the tag */
	uint16_t l3_off;
	bool ipv6;         /* for IP frames */
	const uint8_t *src_ip;
	const uint8_t *dst_ip;
	uint8_t proto;     /* 0 for ARP */
	bool fragment;     /* a fragment of a reply: its upper layer not checked */
	uint16_t l4_off;
	uint16_t l4_len;
	/* TCP */
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint8_t flags;
	uint16_t win;
	uint16_t hlen;     /* TCP header with options */
	uint16_t data_len; /* payload */
	int mss;           /* MSS option, or -1 */
	int wscale;        /* window scale option, or -1 */
	bool sack_ok;
	unsigned int n_sack;
	uint32_t sack[4][2];
};

/*
 * Abort unless m is a frame the appliance may send from port (its MAC,
 * addresses and MTU): one segment, within its buffer, no larger than the
 * MTU allows; ARP, or IPv4/IPv6 without options or extension headers,
 * lengths exact, every checksum right, from one of the port's addresses;
 * TCP with a sane header, well-formed options, and flags a passive stack
 * may send. Fills *f.
 */
void fz_check_frame(const struct rte_mbuf *m, const struct rte_ether_addr *mac,
	const struct ss_port_cfg *port, uint16_t mtu, struct fz_frame *f);

struct ss_worker;
struct ss_tcp_conn;

/*
 * Abort unless the worker's connection table agrees with itself (counts,
 * hash chains, free list, TIME-WAIT FIFO, each connection's sequence
 * numbers and held data); who names the worker in messages. Returns the
 * mbufs its connections hold (fuzz_tcp_table.c).
 */
unsigned int fz_check_tcp_table(const struct ss_worker *w, char who);

/* The mbufs a connection holds (echo data, segments ahead of a hole). */
unsigned int fz_conn_mbufs(const struct ss_tcp_conn *c);

/* Abort unless rx = answered + to TCP + sum of the drop reasons. */
void fz_check_counters(const struct ss_stats *st, const char *who);

/*
 * Recompute the IPv4 header checksum and the TCP, UDP or ICMP checksum of
 * a frame. Returns false when its headers do not parse far enough for the
 * upper layer's (the IPv4 header's may have been fixed).
 */
bool fz_fix_checksums(uint8_t *frame, uint16_t len);

/*
 * Walk IPv6 extension headers from *off (next header *nh) to the upper
 * layer, within len bytes of frame; false if they run past it.
 */
bool fz_ip6_upper(const uint8_t *frame, uint16_t len, uint16_t *off, uint8_t *nh);

/* RFC 1071 sum of len bytes, folded but not complemented, added to sum. */
uint32_t fz_sum(const void *buf, size_t len, uint32_t sum);

static inline uint16_t
fz_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
fz_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void
fz_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline void
fz_put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

#endif /* SS_FUZZ_COMMON_H */
