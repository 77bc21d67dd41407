/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_malloc.h>

#include "addr.h"
#include "secret.h"
#include "source.h"
#include "tcp_conn.h"

/*
 * The tuple hash is keyed with a secret drawn per table, as Linux's is
 * (inet_ehashfn): with a fixed one, or with a CRC (whose collisions do not
 * depend on its seed: it is linear), a peer could pick tuples that all
 * land in one chain and make every lookup walk it. It is NH (the hash of
 * UMAC, RFC 4418): the sum of products of the tuple's 32-bit words, each
 * plus a secret word, a pair at a time; two tuples collide in the top 32
 * bits with probability 2^-32 over the secret. It runs for every segment:
 * a few multiplies beat jhash by some 80 instructions per IPv6 tuple, and
 * what it must resist is a blind choice of tuples, not an attacker who sees
 * its outputs (the source keys of source.h are SipHash for that reason).
 */
static uint32_t
key_hash(const struct ss_tcp_table *t, const struct ss_tcp_key *k)
{
	uint32_t w[SS_TCP_HASH_WORDS] = { 0 };
	uint64_t sum = 0;
	unsigned int i, n;

	/* IPv4 tuples hash their 12 bytes of substance: two products, not five. */
	if (ss_ip6_is_v4mapped(k->raddr)) {
		memcpy(&w[0], k->raddr + 12, 4);
		memcpy(&w[1], k->laddr + 12, 4);
		memcpy(&w[2], &k->rport, 4); /* with lport: the ports are adjacent */
		n = 4;
	} else {
		memcpy(w, k, sizeof(*k));
		n = SS_TCP_HASH_WORDS;
	}
	for (i = 0; i < n; i += 2)
		sum += (uint64_t)(w[i] + t->hash_key[i]) * (w[i + 1] + t->hash_key[i + 1]);
	return (uint32_t)(sum >> 32);
}

int
ss_tcp_table_init(struct ss_tcp_table *t, uint32_t capacity, uint8_t source_prefix, int socket)
{
	uint32_t i, n = 1;

	memset(t, 0, sizeof(*t));
	while (n < capacity)
		n <<= 1;
	t->capacity = capacity;
	t->mask = n - 1;
	t->conns = rte_zmalloc_socket("ss_tcp_conns", (capacity + 1) * sizeof(*t->conns),
			RTE_CACHE_LINE_SIZE, socket);
	t->buckets = rte_zmalloc_socket("ss_tcp_buckets", n * sizeof(*t->buckets),
			RTE_CACHE_LINE_SIZE, socket);
	t->sources = rte_zmalloc_socket("ss_tcp_sources", SS_TCP_SOURCE_SLOTS * sizeof(*t->sources),
			RTE_CACHE_LINE_SIZE, socket);
	if (t->conns == NULL || t->buckets == NULL || t->sources == NULL) {
		ss_tcp_table_free(t);
		return -1;
	}
	/* Free list in index order, so that a fresh table fills from the front. */
	for (i = 1; i < capacity; i++)
		t->conns[i].hnext = i + 1;
	t->free_head = capacity > 0 ? 1 : 0;
	t->source_prefix = source_prefix;
	if (ss_secret_fill(t->hash_key, sizeof(t->hash_key)) < 0 || ss_source_init() < 0) {
		ss_tcp_table_free(t);
		return -1;
	}
	return 0;
}

void
ss_tcp_table_free(struct ss_tcp_table *t)
{
	rte_free(t->conns);
	rte_free(t->buckets);
	rte_free(t->sources);
	memset(t, 0, sizeof(*t));
}

struct ss_tcp_conn *
ss_tcp_lookup(struct ss_tcp_table *t, const struct ss_tcp_key *k)
{
	uint32_t i = t->buckets[key_hash(t, k) & t->mask];

	while (i != 0) {
		struct ss_tcp_conn *c = &t->conns[i];

		if (memcmp(&c->key, k, sizeof(*k)) == 0)
			return c;
		i = c->hnext;
	}
	return NULL;
}

static void
hash_unlink(struct ss_tcp_table *t, struct ss_tcp_conn *c)
{
	uint32_t *link = &t->buckets[key_hash(t, &c->key) & t->mask];
	uint32_t idx = ss_tcp_conn_index(t, c);

	while (*link != idx)
		link = &t->conns[*link].hnext;
	*link = c->hnext;
}

uint16_t
ss_tcp_source_slot(const struct ss_tcp_table *t, const struct ss_tcp_key *k)
{
	return (uint16_t)ss_source_key_mapped(k->raddr, t->source_prefix);
}

struct ss_tcp_conn *
ss_tcp_conn_new(struct ss_tcp_table *t, const struct ss_tcp_key *k, uint16_t src_slot,
		bool *evicted_tw)
{
	struct ss_tcp_conn *c;
	uint32_t idx, *head;

	*evicted_tw = false;
	if (t->free_head == 0) {
		c = ss_tcp_tw_oldest(t);
		if (c == NULL)
			return NULL;
		ss_tcp_conn_free(t, c);
		*evicted_tw = true;
	}
	idx = t->free_head;
	c = &t->conns[idx];
	t->free_head = c->hnext;
	memset(c, 0, sizeof(*c));
	c->key = *k;
	c->src_slot = src_slot;
	head = &t->buckets[key_hash(t, k) & t->mask];
	c->hnext = *head;
	*head = idx;
	t->used++;
	return c;
}

void
ss_tcp_conn_free(struct ss_tcp_table *t, struct ss_tcp_conn *c)
{
	if (c->state == SS_TCP_TIME_WAIT)
		ss_tcp_tw_remove(t, c);
	if (c->state == SS_TCP_SYN_RECEIVED)
		ss_tcp_half_open_end(t, c);
	ss_tcp_source_release(t, c);
	hash_unlink(t, c);
	c->state = SS_TCP_CLOSED;
	c->hnext = t->free_head;
	t->free_head = ss_tcp_conn_index(t, c);
	t->used--;
}

void
ss_tcp_tw_push(struct ss_tcp_table *t, struct ss_tcp_conn *c)
{
	uint32_t idx = ss_tcp_conn_index(t, c);

	c->tnext = 0;
	c->tprev = t->tw_tail;
	if (t->tw_tail != 0)
		t->conns[t->tw_tail].tnext = idx;
	else
		t->tw_head = idx;
	t->tw_tail = idx;
	t->tw_count++;
}

void
ss_tcp_tw_remove(struct ss_tcp_table *t, struct ss_tcp_conn *c)
{
	if (c->tprev != 0)
		t->conns[c->tprev].tnext = c->tnext;
	else
		t->tw_head = c->tnext;
	if (c->tnext != 0)
		t->conns[c->tnext].tprev = c->tprev;
	else
		t->tw_tail = c->tprev;
	c->tnext = c->tprev = 0;
	t->tw_count--;
}

void
ss_tcp_half_open_begin(struct ss_tcp_table *t, struct ss_tcp_conn *c)
{
	t->half_open++;
	ss_tcp_source_of(t, c)->half_open++;
}

void
ss_tcp_half_open_end(struct ss_tcp_table *t, struct ss_tcp_conn *c)
{
	t->half_open--;
	ss_tcp_source_of(t, c)->half_open--;
}

bool
ss_tcp_source_take(struct ss_tcp_table *t, struct ss_tcp_conn *c, uint32_t cap)
{
	struct ss_tcp_source *src = ss_tcp_source_of(t, c);

	if (src->conns >= cap)
		return false;
	src->conns++;
	c->flags |= SS_TCP_F_COUNTED;
	return true;
}

void
ss_tcp_source_release(struct ss_tcp_table *t, struct ss_tcp_conn *c)
{
	if (!(c->flags & SS_TCP_F_COUNTED))
		return;
	ss_tcp_source_of(t, c)->conns--;
	c->flags &= ~SS_TCP_F_COUNTED;
}
