/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_TEST_HARNESS_H
#define SS_TEST_HARNESS_H

/*
 * Shared set-up for the unit tests: EAL without hugepages or devices, an
 * mbuf pool, a configuration with one port (192.0.2.1/24, 2001:db8::1/64,
 * MAC 02:00:00:00:00:01) and a worker, and frame builders that compute
 * every checksum, so that a test states only what it changes.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <rte_mbuf.h>

#include "config.h"
#include "pkt.h"
#include "tcp_conn.h"
#include "worker.h"

/* clang-format off: a braced list as a macro's body, which it takes for a block */
#define TEST_MAC_US                                \
	{                                          \
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01 \
	}
#define TEST_MAC_PEER                              \
	{                                          \
		0x02, 0x00, 0x00, 0x00, 0x00, 0xfe \
	}
/* clang-format on */
#define TEST_IP4_US "192.0.2.1"
#define TEST_IP4_PEER "192.0.2.254"
#define TEST_IP6_US "2001:db8::1"
#define TEST_IP6_PEER "2001:db8::fe"

/* Our address and the peer's, by family: [0] IPv4, [1] IPv6. */
extern const char *const test_ip_us[2];
extern const char *const test_ip_peer[2];

struct test_env {
	struct ss_config cfg;
	struct ss_iface iface;
	struct ss_worker worker;
	struct ss_run run;
	struct rte_mempool *pool;
};

/* Start EAL once per test program (no hugepages, no devices). */
void test_eal_init(void);

/*
 * A fresh environment with the default configuration and the test port;
 * adjust env->cfg and call test_env_apply() to rebuild what derives from it.
 */
struct test_env *test_env_new(void);
void test_env_apply(struct test_env *env);
void test_env_free(struct test_env *env);

/* Set one configuration key (it must be accepted) and call test_env_apply(). */
void test_env_set(struct test_env *env, const char *section, const char *key, const char *value);

/*
 * cmocka set-up and teardown for tests whose state is a plain environment:
 * *state = test_env_new(), and test_env_free(*state).
 */
int test_env_setup(void **state);
int test_env_teardown(void **state);

/* An mbuf from the pool holding a copy of frame. */
struct rte_mbuf *test_mbuf(struct test_env *env, const void *frame, size_t len);

/*
 * Run one frame through the data path (ss_eth_input). Returns the verdict;
 * on SS_VERDICT_TX the reply is copied into out (up to *out_len bytes) and
 * *out_len is set to its length. The mbuf is freed either way.
 */
enum ss_verdict test_input(struct test_env *env, const void *frame, size_t len, uint8_t *out,
		size_t *out_len);

/* Frame builders. Each returns the frame's length; buf must hold 9100 bytes. */
struct test_frame {
	uint8_t dst_mac[6];
	uint8_t src_mac[6];
	int vlan;        /* VLAN id, or -1 for none */
	int ipv6;        /* 0: IPv4, 1: IPv6 */
	const char *src; /* address strings */
	const char *dst;
	uint8_t ttl;
	uint8_t proto; /* IPPROTO_UDP, IPPROTO_TCP, IPPROTO_ICMP(V6) */
};

/* Defaults: peer → us, no VLAN, IPv4, TTL 64, UDP. */
void test_frame_defaults(struct test_frame *f, int ipv6);

/* Ethernet + IP + UDP with payload; checksums right. */
size_t test_build_udp(uint8_t *buf, const struct test_frame *f, uint16_t sport, uint16_t dport,
		const void *payload, size_t len);

/* Ethernet + IP + TCP (20-byte header, no options) with flags, seq, ack, payload. */
size_t test_build_tcp(uint8_t *buf, const struct test_frame *f, uint16_t sport, uint16_t dport,
		uint8_t flags, uint32_t seq, uint32_t ack, const void *payload, size_t len);

/* Ethernet + IP + ICMP/ICMPv6 message (type, code, rest of it after the checksum). */
size_t test_build_icmp(uint8_t *buf, const struct test_frame *f, uint8_t type, uint8_t code,
		const void *body, size_t len);

/* Ethernet + IP + ICMP or ICMPv6 echo request to dst (NULL: us) with id, seq and data. */
size_t test_build_ping(uint8_t *buf, int ipv6, const char *dst, uint16_t id, uint16_t seq,
		const void *data, size_t len);

/*
 * Ethernet + IP + UDP from the peer's port 40000 to 4444, a closed port, with
 * len bytes of test_fill_pattern(seed 0), to dst (NULL: us).
 */
size_t test_build_closed_port(uint8_t *buf, int ipv6, const char *dst, size_t len);

/* Ethernet + ARP request from the peer for target. */
size_t test_build_arp_request(uint8_t *buf, const char *target);

/* Offsets in a built frame: L3 and L4 start (no VLAN, no options). */
size_t test_l3_off(const struct test_frame *f);
size_t test_l4_off(const struct test_frame *f);
/* Where L4 starts in an IPv4 or IPv6 frame with no VLAN tag and no IP options. */
size_t test_l4_off_af(int ipv6);

/* Checks on replies: is the L3 header's / L4's checksum right? */
int test_ip4_cksum_ok(const uint8_t *frame, size_t l3_off);
int test_l4_cksum_ok(const uint8_t *frame, size_t len, size_t l3_off, int ipv6);

/*
 * Fail unless frame is a reply of ours to the peer: to its MAC address from
 * ours, the family's EtherType right before the IP header at l3, from
 * address from to to, protocol proto, l4_len bytes behind the header, TTL
 * or hop limit 64; over IPv4 a 20-byte header, not a fragment, its checksum
 * right.
 */
void test_check_ip_reply(const uint8_t *frame, size_t l3, int ipv6, const char *from,
		const char *to, uint8_t proto, size_t l4_len);

/*
 * Fail unless out is the echo reply (ICMP or ICMPv6, no VLAN tag) from from
 * to the peer with id, seq and the len bytes of data, checksums right.
 */
void test_check_echo_reply(const uint8_t *out, size_t out_len, int ipv6, const char *from,
		uint16_t id, uint16_t seq, const void *data, size_t len);

/* Parse an address string (IPv4 into 4 bytes, IPv6 into 16). */
void test_addr(const char *s, int ipv6, uint8_t *out);
/* Fail unless the 4 (IPv4) or 16 (IPv6) bytes at at hold the address string addr. */
void test_check_addr(const uint8_t *at, int ipv6, const char *addr);

/*
 * Helpers for the packet-path tests (eth, ip, icmp, udp, tcp, worker).
 */

/* Like test_input(), with these RX offload flags (RTE_MBUF_F_RX_*) on the mbuf. */
enum ss_verdict test_input_flags(struct test_env *env, const void *frame, size_t len,
		uint64_t ol_flags, uint8_t *out, size_t *out_len);

/* Like test_input(), for an mbuf (or chain) the test built itself; frees it. */
enum ss_verdict test_input_mbuf(struct test_env *env, struct rte_mbuf *m, uint8_t *out,
		size_t *out_len);

/*
 * Insert IPv4 options (opt_len a multiple of 4) behind the IPv4 header at
 * l3_off of a frame of len bytes; IHL, total length and header checksum are
 * fixed (upper-layer checksums do not cover options). Returns the new length.
 */
size_t test_ip4_add_options(uint8_t *buf, size_t len, size_t l3_off, const void *opt,
		size_t opt_len);

/*
 * Insert an IPv6 extension header of type (ext_len a multiple of 8, its
 * length byte already set) right behind the fixed header at l3_off: its
 * next-header byte takes the chain's old first one, the IPv6 next header
 * becomes type and the payload length grows. Upper-layer checksums stay
 * right. Returns the new length.
 */
size_t test_ip6_add_ext(uint8_t *buf, size_t len, size_t l3_off, uint8_t type, const void *ext,
		size_t ext_len);

/*
 * Have the IP header at l3_off (IPv4 with no options, or IPv6 with no
 * extension header) say that len bytes follow it; IPv4's checksum is fixed.
 */
void test_set_ip_payload_len(uint8_t *buf, size_t l3_off, int ipv6, size_t len);

/* Recompute the IPv4 header checksum at l3_off after patching the header. */
void test_fix_ip4_cksum(uint8_t *buf, size_t l3_off);

/*
 * Recompute the upper-layer checksum (UDP, TCP, ICMP, ICMPv6) after
 * patching it: IPv4 with options is fine, IPv6 must have no extension
 * header yet.
 */
void test_fix_l4_cksum(uint8_t *buf, size_t l3_off, int ipv6);

/* Big-endian 16- and 32-bit fields of a frame at byte offset off. */
uint16_t test_be16(const uint8_t *buf, size_t off);
uint32_t test_be32(const uint8_t *buf, size_t off);

/*
 * TCP: a peer that talks to the stack, the segments the stack sends, and
 * the stack's clock.
 */

#define TEST_SEG_DATA_MAX 4096
#define TEST_SEGS_MAX 64

/* A TCP segment the stack sent, parsed (checksums checked on the way). */
struct test_seg {
	int ipv6;
	int vlan; /* VLAN id, or -1 */
	uint8_t dst_mac[6];
	uint8_t src_mac[6];
	uint8_t src[16]; /* IP addresses (4 or 16 bytes used) */
	uint8_t dst[16];
	uint8_t ttl; /* TTL or hop limit */
	int df;      /* IPv4: don't fragment set */
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint8_t flags;
	uint16_t win;
	uint16_t urp;
	uint16_t opt_len;
	int mss;             /* MSS option, or -1 */
	int wscale;          /* window scale option, or -1 */
	int sack_ok;         /* SACK-permitted option */
	unsigned int n_sack; /* SACK blocks */
	uint32_t sack[4][2];
	uint16_t len; /* payload bytes */
	uint8_t data[TEST_SEG_DATA_MAX];
};

/* Parse a frame that holds a TCP segment; fails the test if it is malformed. */
void test_tcp_parse(const uint8_t *frame, size_t len, struct test_seg *s);

/*
 * Run ss_tcp_flush() and take what the stack queued for port 0 (segments
 * built from scratch), parsed into segs[0..]; fails if more than max.
 * Returns their number.
 */
unsigned int test_tcp_drain(struct test_env *env, struct test_seg *segs, unsigned int max);

/* Set the worker's clock to TCP tick (ms) and run the TCP timers. */
void test_tcp_set_tick(struct test_env *env, uint32_t tick);
/* Move the clock on by ms and run the timers. */
void test_tcp_advance(struct test_env *env, uint32_t ms);

/* Ethernet + IP + TCP with a window and options (opt_len a multiple of 4). */
size_t test_build_tcp_opt(uint8_t *buf, const struct test_frame *f, uint16_t sport, uint16_t dport,
		uint8_t flags, uint32_t seq, uint32_t ack, uint16_t win, const uint8_t *opt,
		size_t opt_len, const void *payload, size_t len);

/*
 * SYN options: MSS when mss > 0, NOP + window scale when wscale >= 0, NOP
 * NOP + SACK permitted when sack; returns their length (a multiple of 4).
 */
size_t test_syn_options(uint8_t *opt, int mss, int wscale, int sack);

/* SACK option (NOP NOP, kind 5) with n blocks; returns its length. */
size_t test_sack_option(uint8_t *opt, const uint32_t blocks[][2], unsigned int n);

/* The peer side of one connection. */
struct test_peer {
	struct test_env *env;
	struct test_frame f; /* addresses and family */
	uint16_t sport;      /* the peer's port */
	uint16_t dport;      /* ours */
	uint32_t iss;        /* the peer's ISN */
	uint32_t snd_nxt;    /* next sequence number the peer sends */
	uint32_t rcv_nxt;    /* what the peer acknowledges */
	uint32_t our_iss;    /* the ISN of the stack's SYN-ACK */
	uint16_t win;        /* window field the peer sends */
};

/* A peer at TEST_IP4_PEER / TEST_IP6_PEER (or addr when not NULL). */
void test_peer_init(struct test_peer *p, struct test_env *env, int ipv6, const char *addr,
		uint16_t sport, uint16_t dport, uint32_t iss);

/*
 * A segment from the peer, written as a designated initializer: what is
 * left out takes its default. seq and ack are set with SEQ() and ACK()
 * (tcp_harness.h), which set seq_set and ack_set as well, so that 0 stays a
 * number like any other: unset, seq is the peer's snd_nxt, and ack its
 * rcv_nxt when ACK is among the flags, 0 when it is not. The window is the
 * peer's (p->win), the options and the data none.
 */
struct test_seg_spec {
	uint8_t flags;
	bool seq_set;
	bool ack_set;
	uint32_t seq;
	uint32_t ack;
	const uint8_t *opt; /* TCP options; opt_len a multiple of 4 */
	size_t opt_len;
	const void *data; /* payload */
	size_t len;
};

/*
 * Send the segment s from the peer (snd_nxt stays as it is); an in-place
 * reply (SYN-ACK, RST) is parsed into reply when reply is not NULL. Returns
 * the verdict.
 */
enum ss_verdict test_peer_seg(struct test_peer *p, const struct test_seg_spec *s,
		struct test_seg *reply);

/* Send at snd_nxt, acknowledging rcv_nxt (with ACK set), and advance snd_nxt. */
enum ss_verdict test_peer_data(struct test_peer *p, uint8_t flags, const void *data, size_t len);

/* SYN with those options; expects a SYN-ACK in place, notes the stack's ISN. */
void test_peer_syn(struct test_peer *p, int mss, int wscale, int sack, struct test_seg *synack);

/*
 * The whole handshake (SYN with these options, SYN-ACK, final ACK); the
 * connection must be ESTABLISHED or past it. What the stack sends right
 * after (daytime, time, chargen) is left queued: drain it.
 */
void test_peer_connect(struct test_peer *p, int mss, int wscale, int sack);

/* The key of this peer's connection, and the connection in the stack's table (or NULL). */
void test_peer_key(const struct test_peer *p, struct ss_tcp_key *k);
struct ss_tcp_conn *test_peer_conn(const struct test_peer *p);

/* Chargen byte at stream offset k, from the formula of docs/protocols.md, "chargen (RFC 864)". */
uint8_t test_chargen_byte(uint64_t k);
/* Fail unless d holds the chargen stream from offset off for len bytes. */
void test_chargen_check(const uint8_t *d, uint64_t off, size_t len);

/* Test data that is not all one byte: d[i] = i * 7 + seed (mod 256). */
void test_fill_pattern(uint8_t *d, size_t len, unsigned int seed);

#endif /* SS_TEST_HARNESS_H */
