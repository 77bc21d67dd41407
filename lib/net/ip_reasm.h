/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_IP_REASM_H
#define SS_IP_REASM_H

/*
 * IP reassembly, IPv4 and IPv6, one table per worker. ipv4.c and ipv6.c
 * parse a fragment into struct ss_frag; ss_reasm_input() holds it until
 * its datagram is whole, then turns the mbuf of the fragment that made it
 * whole into the datagram (a chain where one mbuf cannot hold it), which
 * the IP layer passes on as if it had arrived in one piece.
 *
 * Everything a peer can make us hold is bounded ([ip] in the config):
 * datagrams in reassembly, from one source, fragments held in all, per
 * datagram, and the time from a datagram's first fragment to its last.
 * An overlap drops the datagram whole (RFC 5722, for IPv4 too, as Linux
 * does since 4.19), its later fragments with it until the timeout; an
 * exact duplicate is dropped alone (RFC 8200 4.5).
 *
 * Not rte_ip_frag: Debian's DPDK is built with at most 8 fragments a
 * datagram (RTE_LIBRTE_IP_FRAG_MAX_FRAG), where a 65507-byte UDP datagram
 * takes 45 over an MTU of 1500, and it neither drops overlaps whole nor
 * says why it let a fragment go.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_hash.h>

#include "config.h"
#include "pkt.h"

/* A fragment as its IP layer parsed it. */
struct ss_frag {
	uint32_t id;      /* identification: IPv4's 16 bits, IPv6's 32 */
	uint16_t off;     /* where its data goes in the fragmentable part, in bytes */
	uint16_t len;     /* its data, in bytes */
	uint16_t hdr_len; /* IPv4: its header; IPv6: the unfragmentable part (its header included) */
	uint16_t nh_at;   /* IPv6: where in the header the byte naming the fragment header is */
	uint8_t proto;    /* IPv4: the protocol; IPv6: the next header after the fragment header */
	uint8_t upper;    /* the first fragment's upper-layer protocol */
	bool more;        /* more fragments follow (MF, M) */
};

struct ss_reasm_dgram;
struct ss_reasm_node;

/* A worker's reassembly table. */
struct ss_reasm {
	const struct ss_ip_cfg *cfg;
	uint64_t timeout;         /* in TSC ticks */
	struct rte_hash *dgrams;  /* datagram key -> struct ss_reasm_dgram * */
	struct rte_hash *sources; /* source key -> datagrams in reassembly from it */
	struct ss_reasm_dgram *pool;
	struct ss_reasm_dgram *free_dgrams;
	struct ss_reasm_node *nodes;
	struct ss_reasm_node *free_nodes;
	struct ss_reasm_dgram *oldest, *newest; /* by first fragment: the timeout's order */
	uint32_t n_dgrams;
	uint32_t n_held;
};

/* Set r up on socket; with reassembly off, a table that takes nothing. -1: no memory. */
int ss_reasm_init(struct ss_reasm *r, const struct ss_ip_cfg *cfg, unsigned int worker_id,
		uint64_t hz, int socket);
void ss_reasm_free(struct ss_reasm *r);

/*
 * Point r at a new configuration (a reload) whose table sizes are r's
 * (config_reload.h): the timeout applies to datagrams begun after it, the
 * per-source bound to the next datagram a source begins.
 */
void ss_reasm_reconfigure(struct ss_reasm *r, const struct ss_ip_cfg *cfg, uint64_t hz);

/*
 * Hold the fragment f of p (its addresses and family parsed). Returns
 * SS_VERDICT_HELD (kept), a drop reason (p->m still the caller's), or
 * SS_VERDICT_TX: p is now the whole datagram (p->reassembled, l3_len and
 * l4_len set; an IPv6 one's header chain to be walked again).
 */
enum ss_verdict ss_reasm_input(struct ss_pkt *p, const struct ss_frag *f);

/*
 * Let go of the datagrams whose time is up, a bounded number per call,
 * counting them in stats[their port].
 */
void ss_reasm_expire(struct ss_reasm *r, struct ss_stats *stats, uint64_t now);

/*
 * Is r consistent (tests, the fuzz harness)? Every list and count agrees,
 * fragments in order without overlaps, every bound kept. 0, or which check failed.
 */
int ss_reasm_check(const struct ss_reasm *r);

/* Mbufs the pool needs per worker for reassembly: those held, and one datagram's. */
static inline uint32_t
ss_reasm_pool_share(const struct ss_ip_cfg *cfg)
{
	return cfg->reasm_datagrams == 0 ? 0 : cfg->reasm_held + 2 * SS_REASM_FRAGMENTS_MAX;
}

#endif /* SS_IP_REASM_H */
