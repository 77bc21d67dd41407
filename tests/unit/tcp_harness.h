/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_TEST_TCP_HARNESS_H
#define SS_TEST_TCP_HARNESS_H

/*
 * The fixture that the TCP state-machine tests (tcp_input, tcp_output,
 * tcp_worker) share: the services' ports, a fixed wall clock, short names
 * for the TCP flags, and checks on segments and counters. Include it after
 * every other header: the short macros (ECHO, TIME, F_ACK) would clash with
 * system headers (termios.h defines ECHO), which is why they are not in
 * harness.h.
 */

#include <rte_tcp.h>

#include "harness.h"
#include "service.h"
#include "stats.h"

/* The services' TCP ports in the default configuration. */
#define ECHO 7
#define DISCARD 9
#define DAYTIME 13
#define QOTD 17
#define CHARGEN 19
#define TIME 37

/* The wall clock test_tcp_setup() sets, and the daytime line at that time. */
#define T0 1668772998 /* Fri 2022-11-18 12:03:18 UTC */
#define DAYTIME_T0 "Fri Nov 18 12:03:18 2022\r\n"
#define DAYTIME_LEN 26

/* TCP flags. */
#define F_ACK RTE_TCP_ACK_FLAG
#define F_PSH RTE_TCP_PSH_FLAG
#define F_FIN RTE_TCP_FIN_FLAG
#define F_SYN RTE_TCP_SYN_FLAG
#define F_RST RTE_TCP_RST_FLAG

/* A sequence or acknowledgment number in a struct test_seg_spec (harness.h). */
#define SEQ(x) .seq_set = true, .seq = (x)
#define ACK(x) .ack_set = true, .ack = (x)

/*
 * cmocka set-up for the state-machine tests: a fresh environment with the
 * wall clock at T0 and the TCP clock at tick 1. Tear down with
 * test_env_teardown().
 */
int test_tcp_setup(void **state);

/* Rebuild the worker with a changed [tcp] setting, the clocks back at T0 and tick 1. */
void test_tcp_reconfigure(struct test_env *env, const char *key, const char *value);

/* Fail unless segment s has exactly these flags, seq, ack and payload length. */
void test_check_seg(const struct test_seg *s, uint8_t flags, uint32_t seq, uint32_t ack,
		size_t len);

/*
 * One frame, with ol_flags, through env's worker as a burst of one, the
 * wall clock at T0 and the IPv4 identification at ip_id: the reply in its
 * own mbuf (the caller frees it), or NULL. The same frame in two
 * environments gets the same reply.
 */
struct rte_mbuf *test_answer(struct test_env *env, const void *frame, size_t len, uint64_t ol_flags,
		uint16_t ip_id);

/* The TCP counters of service svc over IPv4 or IPv6, on port 0. */
struct ss_tcp_counters *test_tcp_ctr(struct test_env *env, enum ss_svc svc, int ipv6);

/* The service counters of svc over TCP, IPv4 or IPv6, on port 0. */
struct ss_svc_counters *test_svc_ctr(struct test_env *env, enum ss_svc svc, int ipv6);

/* How often TCP event e happened, on port 0. */
uint64_t test_tcp_event(struct test_env *env, enum ss_tcp_event e);

/*
 * The peer's duplicate ACK for ack, at its snd_nxt with its window, with n
 * SACK blocks (none when n is 0); the stack must take it (SS_VERDICT_TCP).
 */
void test_peer_dupack(struct test_peer *p, uint32_t ack, const uint32_t blocks[][2],
		unsigned int n);

/*
 * A daytime connection from sport (and addr, when not NULL), its line
 * acknowledged: FIN-WAIT-2. test_tcp_time_wait(): then the peer's FIN,
 * answered: TIME-WAIT. What the stack sent is drained.
 */
struct ss_tcp_conn *test_tcp_fin_wait_2(struct test_env *env, struct test_peer *p, const char *addr,
		uint16_t sport);
struct ss_tcp_conn *test_tcp_time_wait(struct test_env *env, struct test_peer *p, const char *addr,
		uint16_t sport);

/*
 * Two appliances whose tuples mirror each other: test_tcp_mirror_setup()
 * gives the port both ends' addresses (192.0.2.1 and 192.0.2.2, the source
 * check off: our own address is then no martian), and test_tcp_bounce()
 * feeds what the stack sends straight back to it, as the other appliance
 * would answer, starting with the frame first. The clock stands still.
 * Returns the frames exchanged, at most max.
 */
void test_tcp_mirror_setup(struct test_env *env);
unsigned int test_tcp_bounce(struct test_env *env, const uint8_t *first, size_t len,
		unsigned int max);

/* Frames test_tcp_bounce() passes are no longer than this. */
#define TEST_BOUNCE_FRAME 256

#endif /* SS_TEST_TCP_HARNESS_H */
