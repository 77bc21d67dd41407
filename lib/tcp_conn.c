/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "tcp_conn.h"

#define PER_SOURCE_SLOTS 65536

static uint32_t
key_hash(const struct ss_tcp_key *k)
{
	return rte_hash_crc(k, sizeof(*k), 0x5353);
}

int
ss_tcp_table_init(struct ss_tcp_table *t, uint32_t capacity, int socket)
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
	t->per_source = rte_zmalloc_socket("ss_tcp_sources",
		PER_SOURCE_SLOTS * sizeof(*t->per_source), RTE_CACHE_LINE_SIZE, socket);
	if (t->conns == NULL || t->buckets == NULL || t->per_source == NULL) {
		ss_tcp_table_free(t);
		return -1;
	}
	/* Free list in index order, so that a fresh table fills from the front. */
	for (i = 1; i < capacity; i++)
		t->conns[i].hnext = i + 1;
	t->free_head = capacity > 0 ? 1 : 0;
	return 0;
}

void
ss_tcp_table_free(struct ss_tcp_table *t)
{
	rte_free(t->conns);
	rte_free(t->buckets);
	rte_free(t->per_source);
	memset(t, 0, sizeof(*t));
}

struct ss_tcp_conn *
ss_tcp_lookup(struct ss_tcp_table *t, const struct ss_tcp_key *k)
{
	uint32_t i = t->buckets[key_hash(k) & t->mask];

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
	uint32_t *link = &t->buckets[key_hash(&c->key) & t->mask];
	uint32_t idx = ss_tcp_conn_index(t, c);

	while (*link != idx)
		link = &t->conns[*link].hnext;
	*link = c->hnext;
}

struct ss_tcp_conn *
ss_tcp_conn_new(struct ss_tcp_table *t, const struct ss_tcp_key *k, bool *evicted_tw)
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
	head = &t->buckets[key_hash(k) & t->mask];
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
		t->half_open--;
	if (c->flags & SS_TCP_F_COUNTED)
		ss_tcp_source_release(t, &c->key);
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

static uint16_t *
source_slot(struct ss_tcp_table *t, const struct ss_tcp_key *k)
{
	return &t->per_source[rte_hash_crc(k->raddr, sizeof(k->raddr), 0) & (PER_SOURCE_SLOTS - 1)];
}

bool
ss_tcp_source_take(struct ss_tcp_table *t, const struct ss_tcp_key *k, uint16_t cap)
{
	uint16_t *n = source_slot(t, k);

	if (*n >= cap)
		return false;
	(*n)++;
	return true;
}

void
ss_tcp_source_release(struct ss_tcp_table *t, const struct ss_tcp_key *k)
{
	uint16_t *n = source_slot(t, k);

	if (*n > 0)
		(*n)--;
}
