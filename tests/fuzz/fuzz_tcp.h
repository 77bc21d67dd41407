/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_FUZZ_TCP_H
#define SS_FUZZ_TCP_H

/*
 * fuzz_tcp: what its files share. Two appliances, A and B, each a worker
 * of its own on a net_ring port, made afresh for every input (B only when
 * an op asks for it); eight client slots that talk to them; a wire
 * between A and B (a frame one sends to the other's MAC is received by
 * it); one virtual clock for all.
 *
 *   fuzz_tcp.c            set-up, the op interpreter, the trace
 *   fuzz_tcp_grammar.[ch] what the input's bytes mean
 *   fuzz_tcp_mutate.c     libFuzzer's custom mutator and cross-over
 *   fuzz_tcp_appliance.c  the appliances: receive bursts, timers, what
 *                         they send, the wire, the bounds on output
 *   fuzz_tcp_slot.c       the clients: frames they build, their model
 *                         of each connection, the checks it allows
 *   fuzz_tcp_invariants.c the connection tables (fuzz_tcp_table.c) and
 *                         the mbuf count
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "config.h"
#include "fuzz_common.h"
#include "fuzz_tcp_grammar.h"
#include "tcp_conn.h"
#include "worker.h"

#define FZ_APPS 2
#define FZ_WIRE_MAX 1024
#define FZ_TABLE_MAX 4096      /* connections per appliance, at most */
#define FZ_VLAN 5
#define FZ_T0 1668772998 /* Fri 2022-11-18 12:03:18 UTC, as the unit tests */

/* A frame handed to an appliance, remembered until its burst has been received. */
struct fz_fed {
	struct ss_tcp_key key __attribute__((aligned(8))); /* rte_hash_crc() reads 8 bytes at once */
	bool tcp;
};

struct fz_app {
	bool up;
	unsigned int idx;            /* 0: A, 1: B */
	struct ss_worker w;
	struct ss_iface iface;
	struct ss_run run;
	const struct ss_config *cfg;
	struct rte_ring *ring;       /* what its port transmits */
	uint16_t n_burst;            /* frames waiting to be received in one burst */
	struct rte_mbuf *burst[SS_BURST_MAX];
	struct fz_fed fed[SS_BURST_MAX];
	uint16_t n_wire;             /* frames from the other appliance, not yet received */
	struct rte_mbuf *wire[FZ_WIRE_MAX];
};

/* The model a client slot keeps of its connection (fuzz_tcp_slot.c). */
struct fz_slot {
	bool used;
	uint8_t app;
	bool v6;
	bool vlan;
	uint8_t mac[6];
	uint8_t src[16];             /* the slot's address (4 bytes used for IPv4) */
	uint8_t dst[16];             /* the appliance's */
	uint16_t sport;
	uint16_t dport;
	bool ws_sent;
	uint8_t ws;                  /* its window scale, as the appliance applies it */
	uint16_t mss;                /* for the payload it sends: what fits the MTU */
	uint16_t win;
	uint32_t iss;
	uint32_t snd_nxt;
	uint32_t ack_pt;             /* what it acknowledged last */
	uint16_t syn_win;
	/* learnt from what the appliance sent it */
	bool synack;
	uint32_t srv_iss;
	uint32_t srv_max;            /* highest sequence number seen, + 1 */
	uint32_t srv_ack;
	uint32_t srv_wnd;            /* scaled */
	uint8_t srv_ws;
	/*
	 * The checks below need the connection to be this slot's alone: no
	 * other slot, raw frame or appliance sent on its 4-tuple, and no older
	 * connection held it when the SYN went.
	 */
	bool exclusive;
	int64_t max_edge;            /* highest right window edge offered, from srv_iss */
	uint32_t sent_max;           /* highest sequence number sent + 1, from iss */
};

struct fz_variant {
	const char *name;
	struct ss_config cfg[FZ_APPS];
	struct rte_mempool *pool;
};

/* The state of the input being run. */
struct fz_world {
	const struct fz_variant *var;
	struct fz_app app[FZ_APPS];
	struct fz_slot slot[FZ_SLOTS];
	uint64_t ms;                 /* virtual time since the input began */
	uint64_t tick0;              /* the TCP clock's ms at the input's start (its uptime) */
	int64_t wall_base;           /* wall clock at ms = 0 */
	bool wall_unset;
	unsigned int steps_left;     /* clock steps this input may still take */
	unsigned int crossings_left; /* frames the wire may still carry */
	unsigned int fed_since_pump; /* frames the clients sent since the wire last ran */
	unsigned int baseline;       /* the pool's mbufs in use before the input */
};

extern struct fz_world fz;

/* FUZZ_TCP_TRACE=1 in the environment: every segment in and out on stderr. */
extern bool fz_trace;
void fz_trace_frame(const char *dir, unsigned int app, const uint8_t *frame, uint16_t len);

/* Appliances (fuzz_tcp_appliance.c). */
void fz_app_init_ports(struct rte_mempool *pool);
void fz_app_up(unsigned int idx);
void fz_app_down_all(void);
struct rte_mbuf *fz_app_mbuf(void);
void fz_app_feed(unsigned int idx, struct rte_mbuf *m, bool plain);
/* Is a frame for 4-tuple k (or one that may be) waiting in the appliance's burst? */
bool fz_app_pending(unsigned int idx, const struct ss_tcp_key *k);
void fz_app_receive_all(void);
void fz_app_step(uint32_t ms);
uint64_t fz_app_next_event(void);
void fz_app_set_wall(void);
const struct rte_ether_addr *fz_app_mac(unsigned int idx);
const uint8_t *fz_app_addr(unsigned int idx, bool v6);

/* Clients (fuzz_tcp_slot.c). */
struct fz_op;
void fz_slot_reset_all(void);
void fz_op_syn(const struct fz_op *op);
void fz_op_accept(const struct fz_op *op);
void fz_op_data(const struct fz_op *op);
void fz_op_ack(const struct fz_op *op);
void fz_op_window(const struct fz_op *op);
void fz_op_rst(const struct fz_op *op);
void fz_op_raw(const struct fz_op *op);
void fz_slot_learn(unsigned int app, const struct fz_frame *f);
void fz_slot_foreign(unsigned int app, const uint8_t *frame, uint16_t len);

/* A TCP segment to an appliance, parsed far enough to tell its connection. */
struct fz_seg {
	struct ss_tcp_key key __attribute__((aligned(8))); /* as the appliance's table has it */
	uint16_t l4;       /* where its TCP header starts */
	uint16_t data_len;
	uint8_t flags;
};

/* Parse a frame to an appliance as TCP; false when it is not (or not plainly) TCP. */
bool fz_frame_seg(const uint8_t *frame, uint16_t len, struct fz_seg *seg);

/* Invariants (fuzz_tcp_invariants.c). */
void fz_check_tables(void);

#endif /* SS_FUZZ_TCP_H */
