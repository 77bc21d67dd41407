/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_TCP_CONN_H
#define SS_TCP_CONN_H

/*
 * TCP connections and the per-worker table that holds them.
 *
 * The table is a fixed array of connections and a chained hash on the
 * 4-tuple, with 32-bit indices for links (index 0 is "none"). It is ours
 * rather than rte_hash because the connection already holds its key:
 * rte_hash would keep a second copy of it plus its own buckets, about 60
 * more bytes per connection, which at a million connections is the
 * difference between fitting the 256 MB budget or not.
 *
 * TIME-WAIT entries cannot fill the table: they sit on a FIFO (linked
 * through the timer fields, which TIME-WAIT does not use: all of them last
 * equally long, so the FIFO's head is always the next to expire), and a new
 * connection that finds the table full takes the oldest of them.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "ratelimit.h"
#include "service.h"

enum ss_tcp_state {
	SS_TCP_CLOSED,
	SS_TCP_SYN_RECEIVED,
	SS_TCP_ESTABLISHED,
	SS_TCP_FIN_WAIT_1,
	SS_TCP_FIN_WAIT_2,
	SS_TCP_CLOSE_WAIT,
	SS_TCP_CLOSING,
	SS_TCP_LAST_ACK,
	SS_TCP_TIME_WAIT,
};

/* The 4-tuple; IPv4 addresses as IPv4-mapped IPv6 (::ffff:a.b.c.d). */
struct ss_tcp_key {
	uint8_t raddr[16];
	uint8_t laddr[16];
	uint16_t rport; /* network byte order */
	uint16_t lport;
};

/* Flags of a connection. */
#define SS_TCP_F_FIN_RCVD 0x01    /* the peer's FIN is in (rcv_nxt counts it) */
#define SS_TCP_F_CLOSE 0x02       /* the service is done: FIN after the stream */
#define SS_TCP_F_FIN_SENT 0x04    /* our FIN has been sent (snd_max counts it) */
#define SS_TCP_F_ACK_NOW 0x08     /* an ACK is owed */
#define SS_TCP_F_PENDING 0x10     /* on the worker's output list */
#define SS_TCP_F_RECOVERY 0x20    /* in fast recovery (RFC 6582) */
#define SS_TCP_F_VLAN 0x40        /* frames carry vlan_tci */
#define SS_TCP_F_COUNTED 0x80     /* counted against its source's connection cap */
#define SS_TCP_F_EMPTY 0x100      /* daytime/time with the clock unset: nothing to say */
#define SS_TCP_F_WSCALE 0x200     /* both sides sent window scale (RFC 7323) */
#define SS_TCP_F_SACK 0x400       /* the peer permitted SACK (RFC 2018) */
#define SS_TCP_F_RTT 0x800        /* rtt_seq is being timed */
#define SS_TCP_F_OOW_ACKED 0x1000 /* oow_at is set */

struct ss_tcp_conn {
	struct ss_tcp_key key;
	uint32_t hnext; /* hash chain, or free list */
	uint32_t tnext; /* timer wheel slot list, or TIME-WAIT FIFO */
	uint32_t tprev;
	uint32_t timer_at; /* tick the timer fires, 0 = not armed */

	uint32_t oow_at; /* tick of the last ACK to an unacceptable segment */
	/*
	 * No ISNs: in SYN-RECEIVED ours is snd_una and the peer's rcv_nxt - 1,
	 * and nothing needs them after.
	 */
	uint32_t snd_una; /* oldest unacknowledged */
	uint32_t snd_nxt; /* next to send */
	uint32_t snd_max; /* highest sent + 1 (snd_nxt is rewound on timeout) */
	uint32_t snd_wnd; /* peer's window, scaled */
	uint32_t snd_wl1; /* segment sequence of the last window update */
	uint32_t snd_wl2; /* segment acknowledgment of the last window update */
	uint32_t cwnd;    /* congestion window (RFC 5681), bytes */
	uint32_t ssthresh;
	uint32_t recover;  /* snd_max when fast recovery began (RFC 6582) */
	uint32_t rtx_high; /* end of what recovery has resent so far (RFC 6675) */
	uint64_t una_off;  /* stream offset of snd_una (streams outgrow 32 bits) */
	uint32_t rcv_nxt;
	uint32_t rtt_seq;   /* sequence timed for an RTT sample (Karn), if F_RTT */
	uint32_t rtt_start; /* tick it was sent */
	uint32_t rtx_at;    /* retransmission or window probe due, 0 = none */
	uint32_t last_rx;   /* tick of the last segment from the peer */
	uint32_t since;     /* tick this state began (TIME-WAIT, zero window) */
	uint32_t t0;        /* Unix time at the handshake: daytime/time content */
	uint16_t srtt;      /* smoothed RTT, ticks (RFC 6298) */
	uint16_t rttvar;
	uint16_t rto; /* ticks */
	uint16_t mss; /* what we send per segment */
	uint16_t vlan_tci;
	uint8_t state; /* enum ss_tcp_state */
	uint8_t svc;   /* enum ss_svc */
	uint8_t af;    /* enum ss_family */
	uint8_t iface;
	uint8_t snd_wscale; /* peer's window scale */
	uint8_t rcv_wscale; /* ours */
	uint8_t retries;    /* consecutive timeouts */
	uint8_t dupacks;
	uint16_t flags;      /* SS_TCP_F_* */
	uint32_t hold_bytes; /* bytes held for a service that holds (tcp_hold.h) */
	uint16_t ooo_count;  /* mbufs held ahead of a hole */
	uint16_t src_slot;   /* its source's entry in the table (ss_tcp_source_of) */
	uint16_t mbufs;      /* mbufs it holds (tcp_mem.h): bounded far below 2^16 */
	struct rte_ether_addr peer_mac;
	struct rte_mbuf *hold_head; /* received, held until acknowledged back (tcp_hold.h) */
	struct rte_mbuf *hold_tail;
	struct rte_mbuf *ooo; /* received ahead of a hole (tcp_reass.h) */
};

/* Three cache lines: a million connections in 192 MB, plus 4 bytes of hash each. */
_Static_assert(sizeof(struct ss_tcp_conn) == 192, "struct ss_tcp_conn grew");

/* The tuple in 32-bit words (36 bytes), rounded up to pairs for the hash. */
#define SS_TCP_HASH_WORDS 10
_Static_assert(sizeof(struct ss_tcp_key) <= SS_TCP_HASH_WORDS * 4, "the tuple hash's words");
_Static_assert(offsetof(struct ss_tcp_key, lport) == offsetof(struct ss_tcp_key, rport) + 2,
		"the tuple hash reads both ports as one word");

/*
 * What one source has in a worker. Sources whose keys share a slot share
 * it; the key is keyed (source.h), so which ones do cannot be chosen.
 */
#define SS_TCP_SOURCE_SLOTS 65536
_Static_assert(SS_TCP_SOURCE_SLOTS == 1 << (8 * sizeof(((struct ss_tcp_conn *)0)->src_slot)),
		"src_slot indexes the source table with the low bits of the source's key");
struct ss_tcp_source {
	uint16_t conns;     /* connections past the handshake, against max_per_source */
	uint16_t half_open; /* entries in SYN-RECEIVED, against max_half_open_per_source */
	uint32_t mbufs;     /* mbufs its connections hold (tcp_mem.h) */
};

struct ss_tcp_table {
	struct ss_tcp_conn *conns; /* [capacity + 1], index 0 unused */
	uint32_t *buckets;         /* [mask + 1] chain heads */
	uint32_t mask;
	uint32_t capacity;
	uint32_t used;
	uint32_t half_open; /* in SYN-RECEIVED (counted by their sources too) */
	uint32_t free_head;
	uint32_t tw_head; /* TIME-WAIT FIFO, oldest first */
	uint32_t tw_tail;
	uint32_t tw_count;
	uint32_t hash_key[SS_TCP_HASH_WORDS]; /* of the tuple hash: chains no one can choose */
	uint8_t source_prefix;                /* IPv6 sources by this prefix (source.h) */
	struct ss_tcp_source *sources;        /* [SS_TCP_SOURCE_SLOTS], by keyed source hash */
};

/* Allocate a table for capacity connections on socket; IPv6 sources by source_prefix. */
int ss_tcp_table_init(struct ss_tcp_table *t, uint32_t capacity, uint8_t source_prefix, int socket);
void ss_tcp_table_free(struct ss_tcp_table *t);

/* The connection for a key, or NULL. */
struct ss_tcp_conn *ss_tcp_lookup(struct ss_tcp_table *t, const struct ss_tcp_key *k);

/* The source slot of the remote end of k (a keyed hash: source.h). */
uint16_t ss_tcp_source_slot(const struct ss_tcp_table *t, const struct ss_tcp_key *k);

/*
 * A fresh zeroed connection for k, of the source in slot src_slot, linked
 * into the hash; takes the oldest TIME-WAIT entry when the table is full.
 * NULL when nothing is free.
 */
struct ss_tcp_conn *ss_tcp_conn_new(struct ss_tcp_table *t, const struct ss_tcp_key *k,
		uint16_t src_slot, bool *evicted_tw);

/*
 * Unlink and free a connection (its timer must be disarmed, its mbufs
 * freed); what it counted against its source and the table is given back.
 */
void ss_tcp_conn_free(struct ss_tcp_table *t, struct ss_tcp_conn *c);

/* Index of a connection in the table, for timer and list links. */
static inline uint32_t
ss_tcp_conn_index(const struct ss_tcp_table *t, const struct ss_tcp_conn *c)
{
	return (uint32_t)(c - t->conns);
}

/* TIME-WAIT FIFO: append (entering TIME-WAIT, or its restart), remove. */
void ss_tcp_tw_push(struct ss_tcp_table *t, struct ss_tcp_conn *c);
void ss_tcp_tw_remove(struct ss_tcp_table *t, struct ss_tcp_conn *c);

/* The oldest TIME-WAIT connection, or NULL. */
static inline struct ss_tcp_conn *
ss_tcp_tw_oldest(struct ss_tcp_table *t)
{
	return t->tw_head != 0 ? &t->conns[t->tw_head] : NULL;
}

/* Connections past their handshake and not yet in TIME-WAIT. */
static inline uint32_t
ss_tcp_n_established(const struct ss_tcp_table *t)
{
	return t->used - t->half_open - t->tw_count;
}

/*
 * Must the table refuse a new connection? When connections past their
 * handshake fill it: SYN-RECEIVED entries end, and a new connection takes
 * a TIME-WAIT entry's place, but these stay.
 */
static inline bool
ss_tcp_table_refuses(const struct ss_tcp_table *t)
{
	return ss_tcp_n_established(t) >= t->capacity;
}

/* The entry of a connection's source. */
static inline struct ss_tcp_source *
ss_tcp_source_of(const struct ss_tcp_table *t, const struct ss_tcp_conn *c)
{
	return &t->sources[c->src_slot];
}

/* c enters SYN-RECEIVED, or leaves it: counted by the table and by its source. */
void ss_tcp_half_open_begin(struct ss_tcp_table *t, struct ss_tcp_conn *c);
void ss_tcp_half_open_end(struct ss_tcp_table *t, struct ss_tcp_conn *c);

/*
 * Per-source cap: count c against its source (SS_TCP_F_COUNTED); false when
 * the source has cap connections already. Release undoes it (if counted).
 */
bool ss_tcp_source_take(struct ss_tcp_table *t, struct ss_tcp_conn *c, uint32_t cap);
void ss_tcp_source_release(struct ss_tcp_table *t, struct ss_tcp_conn *c);

#endif /* SS_TCP_CONN_H */
