/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_malloc.h>

#include "ip.h"
#include "ip_reasm.h"
#include "source.h"
#include "worker.h"

/* Datagrams a call to ss_reasm_expire() lets go at most: a flood's backlog waits a turn. */
#define EXPIRE_BATCH 32

/* A fragment held: its mbuf and where its data is. */
struct ss_reasm_node {
	struct ss_reasm_node *next; /* by offset; or the free list */
	struct rte_mbuf *m;
	uint16_t off;  /* in the fragmentable part */
	uint16_t len;  /* data bytes */
	uint16_t data; /* where the data starts in m's frame */
};

/* What tells one datagram from another (RFC 791 3.2, RFC 8200 4.5). */
struct reasm_key {
	uint8_t src[16];
	uint8_t dst[16];
	uint32_t id;
	uint8_t af;
	uint8_t proto;  /* IPv4 only */
	uint16_t iface; /* the port: two links may use the same link-local addresses */
};

struct ss_reasm_dgram {
	struct reasm_key key;
	struct ss_reasm_dgram *older, *newer; /* the age list; newer is the free list's link */
	struct ss_reasm_node *frags;          /* by offset, none overlapping */
	hash_sig_t sig;                       /* of key, in r->dgrams */
	uint64_t src_key;
	uint64_t deadline;
	uint32_t total;   /* the fragmentable part's length: known once the last fragment came */
	uint32_t have;    /* its bytes held */
	uint16_t n;       /* fragments held */
	uint16_t iface;   /* whose counters it goes to */
	uint16_t hdr_len; /* the first fragment's header (IPv6: unfragmentable part) */
	uint16_t nh_at;   /* IPv6: where in it the fragment header is named */
	uint8_t upper;    /* the first fragment's upper-layer protocol */
	uint8_t next_hdr; /* IPv6: what follows the fragment header */
	bool have_first;  /* the fragment at offset 0 is held */
	uint16_t dropped; /* the reason it was dropped whole with, or 0 */
};

/*
 * The tables' hash: SipHash under the source secret (source.h), so that a
 * peer cannot pick keys that fill the buckets another's datagrams need,
 * as it could with CRC, which no seed makes unpredictable.
 */
static uint32_t
keyed_hash(const void *key, uint32_t len, uint32_t init)
{
	(void)init;
	return ss_siphash(&ss_source_secret, key, len);
}

void
ss_reasm_reconfigure(struct ss_reasm *r, const struct ss_ip_cfg *cfg, uint64_t hz)
{
	r->cfg = cfg;
	r->timeout = hz * cfg->reasm_timeout_ms / 1000;
}

int
ss_reasm_init(struct ss_reasm *r, const struct ss_ip_cfg *cfg, unsigned int worker_id, uint64_t hz,
		int socket)
{
	static unsigned int instance; /* hash names are process-wide */
	struct rte_hash_parameters hp = {
		.hash_func = keyed_hash,
		.socket_id = socket,
	};
	char name[RTE_HASH_NAMESIZE];
	unsigned int i, n;

	memset(r, 0, sizeof(*r));
	ss_reasm_reconfigure(r, cfg, hz);
	if (cfg->reasm_datagrams == 0)
		return 0;
	n = __atomic_fetch_add(&instance, 1, __ATOMIC_RELAXED);
	hp.entries = RTE_MAX(cfg->reasm_datagrams, 8u);
	hp.key_len = sizeof(struct reasm_key);
	snprintf(name, sizeof(name), "ss_reasm%u_%u", worker_id, n);
	hp.name = name;
	r->dgrams = rte_hash_create(&hp);
	/* Half full at most: a new source's entry is there whenever its datagram's is. */
	hp.entries *= 2;
	hp.key_len = sizeof(uint64_t);
	snprintf(name, sizeof(name), "ss_reasm_src%u_%u", worker_id, n);
	r->sources = rte_hash_create(&hp);
	r->pool = rte_zmalloc_socket("ss_reasm", cfg->reasm_datagrams * sizeof(*r->pool), 0,
			socket);
	r->nodes = rte_zmalloc_socket("ss_reasm_nodes", cfg->reasm_held * sizeof(*r->nodes), 0,
			socket);
	if (r->dgrams == NULL || r->sources == NULL || r->pool == NULL || r->nodes == NULL) {
		ss_reasm_free(r);
		return -1;
	}
	for (i = cfg->reasm_datagrams; i-- > 0;) {
		r->pool[i].newer = r->free_dgrams;
		r->free_dgrams = &r->pool[i];
	}
	for (i = cfg->reasm_held; i-- > 0;) {
		r->nodes[i].next = r->free_nodes;
		r->free_nodes = &r->nodes[i];
	}
	return 0;
}

static void
release_nodes(struct ss_reasm *r, struct ss_reasm_dgram *d)
{
	struct ss_reasm_node *n = d->frags, *next;

	for (; n != NULL; n = next) {
		next = n->next;
		rte_pktmbuf_free(n->m);
		n->next = r->free_nodes;
		r->free_nodes = n;
	}
	r->n_held -= d->n;
	d->frags = NULL;
	d->n = 0;
	d->have = 0;
}

void
ss_reasm_free(struct ss_reasm *r)
{
	struct ss_reasm_dgram *d;

	for (d = r->oldest; d != NULL; d = d->newer)
		release_nodes(r, d);
	rte_hash_free(r->dgrams);
	rte_hash_free(r->sources);
	rte_free(r->pool);
	rte_free(r->nodes);
	memset(r, 0, sizeof(*r));
}

/*
 * A source key (source.h) is a keyed hash already: its low bits are the
 * sources table's signature, with no second hash over it.
 */
static hash_sig_t
source_sig(uint64_t key)
{
	return (hash_sig_t)key;
}

/* Datagrams in reassembly from the source key: in r->sources, absent when none. */
static uintptr_t
source_count(const struct ss_reasm *r, uint64_t key)
{
	void *data;

	return rte_hash_lookup_with_hash_data(r->sources, &key, source_sig(key), &data) >= 0 ?
			(uintptr_t)data :
			0;
}

/* Set the source key's count; the first needs a slot, which may be missing. */
static int
source_set(struct ss_reasm *r, uint64_t key, uintptr_t count)
{
	return rte_hash_add_key_with_hash_data(r->sources, &key, source_sig(key), (void *)count);
}

/* One datagram fewer from the source key (its entry exists: dgram_new() made it). */
static void
source_put(struct ss_reasm *r, uint64_t key)
{
	uintptr_t count = source_count(r, key);

	if (count <= 1)
		rte_hash_del_key_with_hash(r->sources, &key, source_sig(key));
	else
		source_set(r, key, count - 1); /* an update: no slot */
}

/* Forget d: out of the tables and the age list, back to the free list. */
static void
dgram_remove(struct ss_reasm *r, struct ss_reasm_dgram *d)
{
	release_nodes(r, d);
	rte_hash_del_key_with_hash(r->dgrams, &d->key, d->sig);
	source_put(r, d->src_key);
	if (d->older != NULL)
		d->older->newer = d->newer;
	else
		r->oldest = d->newer;
	if (d->newer != NULL)
		d->newer->older = d->older;
	else
		r->newest = d->older;
	d->older = NULL;
	d->newer = r->free_dgrams;
	r->free_dgrams = d;
	r->n_dgrams--;
}

/*
 * Drop d whole for reason: its fragments go now, the entry stays until its
 * timeout so that the fragments still to come are dropped as well (RFC 5722).
 */
static enum ss_verdict
dgram_drop(struct ss_reasm *r, struct ss_reasm_dgram *d, struct ss_stats *st,
		enum ss_verdict reason)
{
	st->reasm.released += d->n;
	release_nodes(r, d);
	d->dropped = reason;
	return reason;
}

static void
key_make(const struct ss_pkt *p, const struct ss_frag *f, struct reasm_key *k)
{
	memset(k, 0, sizeof(*k));
	ss_ip_addrs(p, k->src, k->dst);
	k->id = f->id;
	k->af = p->af;
	k->proto = p->af == SS_AF4 ? f->proto : 0;
	k->iface = p->iface - p->w->ifaces;
}

/* A new entry for the datagram k (of hash sig) of p, if the table and its source have room. */
static enum ss_verdict
dgram_new(struct ss_pkt *p, struct ss_reasm *r, const struct reasm_key *k, hash_sig_t sig,
		struct ss_reasm_dgram **out)
{
	uint64_t src_key = ss_ip_source_key(p, p->w->cfg->abuse.ipv6_source_prefix);
	uintptr_t from_source = source_count(r, src_key);
	struct ss_reasm_dgram *d = r->free_dgrams;

	if (d == NULL)
		return SS_DROP_FRAG_TABLE_FULL;
	if (from_source >= r->cfg->reasm_per_source)
		return SS_DROP_FRAG_SOURCE_FULL;
	/* Either hash's buckets may fill before the table does. */
	if (rte_hash_add_key_with_hash_data(r->dgrams, k, sig, d) < 0)
		return SS_DROP_FRAG_TABLE_FULL;
	if (source_set(r, src_key, from_source + 1) < 0) {
		rte_hash_del_key_with_hash(r->dgrams, k, sig);
		return SS_DROP_FRAG_TABLE_FULL;
	}
	r->free_dgrams = d->newer;
	memset(d, 0, sizeof(*d));
	d->key = *k;
	d->sig = sig;
	d->src_key = src_key;
	d->deadline = p->w->now + r->timeout;
	d->iface = p->iface - p->w->ifaces;
	d->older = r->newest;
	if (r->newest != NULL)
		r->newest->newer = d;
	else
		r->oldest = d;
	r->newest = d;
	r->n_dgrams++;
	*out = d;
	return SS_VERDICT_TX;
}

/* Where the last fragment held ends. */
static uint32_t
held_end(const struct ss_reasm_dgram *d)
{
	const struct ss_reasm_node *n = d->frags;

	while (n != NULL && n->next != NULL)
		n = n->next;
	return n == NULL ? 0 : (uint32_t)n->off + n->len;
}

/* Does f contradict the datagram's end, known or to be learnt from f? */
static bool
end_contradicted(const struct ss_reasm_dgram *d, const struct ss_frag *f)
{
	uint32_t end = (uint32_t)f->off + f->len;

	if (d->total != 0)
		return end > d->total || (f->more ? end == d->total : end != d->total);
	return !f->more && held_end(d) > end;
}

/*
 * Where f goes among d's fragments: *link is the pointer to update. A
 * reason when it cannot go: a duplicate, an overlap.
 */
static enum ss_verdict
place(struct ss_reasm_dgram *d, const struct ss_frag *f, struct ss_reasm_node ***link)
{
	struct ss_reasm_node **at = &d->frags, *prev = NULL;
	uint32_t end = (uint32_t)f->off + f->len;

	/* At most reasm_fragments steps: the list is that long at most. */
	while (*at != NULL && (*at)->off <= f->off) {
		prev = *at;
		at = &(*at)->next;
	}
	if (prev != NULL && prev->off == f->off && prev->len == f->len)
		return SS_DROP_FRAG_DUPLICATE;
	if ((prev != NULL && (uint32_t)prev->off + prev->len > f->off) ||
			(*at != NULL && end > (*at)->off))
		return SS_DROP_FRAG_OVERLAP;
	*link = at;
	return SS_VERDICT_TX;
}

/* The first fragment's header, as the datagram's. */
static void
take_first(struct ss_reasm_dgram *d, const struct ss_frag *f)
{
	d->have_first = true;
	d->hdr_len = f->hdr_len;
	d->nh_at = f->nh_at;
	d->upper = f->upper;
	d->next_hdr = f->proto;
}

/* Would f make the datagram longer than IP's 16-bit length says (RFC 791, RFC 8200 4.5)? */
static bool
past_65535(const struct ss_reasm_dgram *d, const struct ss_frag *f, uint8_t af)
{
	/* IPv4's total length counts the header, IPv6's payload length what follows it. */
	uint32_t base = af == SS_AF4 ? 0 : sizeof(struct rte_ipv6_hdr);
	uint32_t hdr = f->hdr_len - base, end = (uint32_t)f->off + f->len;

	/*
	 * The datagram's header is its first fragment's, which may be longer
	 * than the others' (IPv4 options, IPv6 extension headers): with it,
	 * the furthest end held counts too.
	 */
	if (f->off == 0)
		end = RTE_MAX(end, held_end(d));
	else if (d->have_first)
		hdr = RTE_MAX(hdr, d->hdr_len - base);
	return end + hdr > UINT16_MAX;
}

/* Hold f (p's mbuf) in d. Returns HELD, TX when d is whole, or why not. */
static enum ss_verdict
dgram_add(struct ss_pkt *p, struct ss_reasm *r, struct ss_reasm_dgram *d, const struct ss_frag *f)
{
	struct ss_reasm_node **link, *n;
	enum ss_verdict v;

	if (past_65535(d, f, p->af))
		return dgram_drop(r, d, p->stats, SS_DROP_FRAG_TOO_BIG);
	if (d->n == r->cfg->reasm_fragments)
		return dgram_drop(r, d, p->stats, SS_DROP_FRAG_TOO_MANY);
	if (end_contradicted(d, f))
		return dgram_drop(r, d, p->stats, SS_DROP_FRAG_MALFORMED);
	v = place(d, f, &link);
	if (v == SS_DROP_FRAG_OVERLAP)
		return dgram_drop(r, d, p->stats, v);
	if (v != SS_VERDICT_TX)
		return v;
	n = r->free_nodes;
	if (n == NULL)
		return SS_DROP_FRAG_HELD_FULL;
	r->free_nodes = n->next;
	n->m = p->m;
	n->off = f->off;
	n->len = f->len;
	n->data = p->l2_len + p->l3_len;
	n->next = *link;
	*link = n;
	d->n++;
	d->have += f->len;
	r->n_held++;
	if (!f->more)
		d->total = (uint32_t)f->off + f->len;
	if (f->off == 0)
		take_first(d, f);
	return d->total != 0 && d->have == d->total ? SS_VERDICT_TX : SS_VERDICT_HELD;
}

/* Append len bytes from src to the chain whose last segment is *tail; -1: no mbuf. */
static int
chain_append(struct rte_mbuf *head, struct rte_mbuf **tail, struct rte_mempool *pool,
		const uint8_t *src, uint32_t len)
{
	while (len > 0) {
		struct rte_mbuf *t = *tail;
		uint32_t n = RTE_MIN(len, (uint32_t)rte_pktmbuf_tailroom(t));

		if (n == 0) {
			t = rte_pktmbuf_alloc(pool);
			if (t == NULL)
				return -1;
			(*tail)->next = t;
			*tail = t;
			head->nb_segs++;
			continue;
		}
		memcpy(rte_pktmbuf_mtod_offset(t, uint8_t *, t->data_len), src, n);
		t->data_len += n;
		head->pkt_len += n;
		src += n;
		len -= n;
	}
	return 0;
}

/* The header fields of the whole datagram in the chain at m, its L3 at l3. */
static void
fix_header(const struct ss_reasm_dgram *d, uint8_t *l3)
{
	if (d->key.af == SS_AF4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)l3;

		ip->total_length = rte_cpu_to_be_16(d->hdr_len + d->total);
		ip->fragment_offset = 0;
		ip->hdr_checksum = 0;
		ip->hdr_checksum = ~ss_cksum(ip, d->hdr_len);
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)l3;

		ip->payload_len = rte_cpu_to_be_16(d->hdr_len - sizeof(*ip) + d->total);
		l3[d->nh_at] = d->next_hdr;
	}
}

/*
 * Write the datagram into p->m, whose own fragment has moved to a copy:
 * the link header it came with, the first fragment's IP header, then every
 * fragment's data in order, in more mbufs where one does not hold it all.
 */
static int
build(struct ss_pkt *p, const struct ss_reasm_dgram *d, const uint8_t *l2)
{
	struct rte_mbuf *m = p->m, *tail = m;
	const struct ss_reasm_node *n = d->frags;
	/* The first fragment's IP header, in front of its data (IPv6: and its fragment header). */
	const uint8_t *l3 = rte_pktmbuf_mtod_offset(n->m, const uint8_t *, n->data) - d->hdr_len -
			(d->key.af == SS_AF6 ? sizeof(struct rte_ipv6_fragment_ext) : 0);

	rte_pktmbuf_reset_headroom(m);
	m->data_len = 0;
	m->pkt_len = 0;
	if (chain_append(m, &tail, p->w->pool, l2, p->l2_len) < 0 ||
			chain_append(m, &tail, p->w->pool, l3, d->hdr_len) < 0)
		return -1;
	fix_header(d, rte_pktmbuf_mtod_offset(m, uint8_t *, p->l2_len));
	for (; n != NULL; n = n->next)
		if (chain_append(m, &tail, p->w->pool,
				    rte_pktmbuf_mtod_offset(n->m, const uint8_t *, n->data),
				    n->len) < 0)
			return -1;
	return 0;
}

/* Drop p's datagram whole at its completion: p->m is the caller's again. */
static enum ss_verdict
complete_failed(struct ss_reasm *r, struct ss_reasm_dgram *d, struct ss_reasm_node *own,
		struct ss_stats *st, enum ss_verdict reason)
{
	if (own != NULL)
		own->m = NULL; /* the caller frees it, with the drop */
	st->reasm.released += d->n - 1;
	dgram_remove(r, d);
	return reason;
}

/* d is whole: make p the datagram. */
static enum ss_verdict
complete(struct ss_pkt *p, struct ss_reasm *r, struct ss_reasm_dgram *d)
{
	uint32_t frame = p->l2_len + d->hdr_len + d->total;
	struct ss_reasm_node *own;
	struct rte_mbuf *copy, *m = p->m;
	uint32_t room = m->buf_len - RTE_PKTMBUF_HEADROOM;

	for (own = d->frags; own->m != m; own = own->next)
		;
	/* Our segments are one mbuf each: a larger one was never asked for (MSS). */
	if (d->upper == IPPROTO_TCP && frame > room)
		return complete_failed(r, d, own, p->stats, SS_DROP_FRAG_TCP_TOO_BIG);
	copy = rte_pktmbuf_copy(m, p->w->pool, 0, UINT32_MAX);
	if (copy == NULL)
		return complete_failed(r, d, own, p->stats, SS_DROP_FRAG_NO_MBUF);
	own->m = copy;
	if (build(p, d, rte_pktmbuf_mtod(copy, const uint8_t *)) < 0) {
		/* m is a part-built datagram now, for the caller to free; the copy goes with d. */
		return complete_failed(r, d, NULL, p->stats, SS_DROP_FRAG_NO_MBUF);
	}
	p->reassembled = true;
	p->l3_len = d->hdr_len;
	p->l4_len = d->total;
	/* Sums over the whole are ours to do; the header was rebuilt. */
	m->ol_flags &= ~(RTE_MBUF_F_RX_L4_CKSUM_MASK | RTE_MBUF_F_RX_IP_CKSUM_MASK);
	m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	p->stats->reasm.datagrams++;
	dgram_remove(r, d);
	return SS_VERDICT_TX;
}

static struct ss_reasm_dgram *
dgram_find(const struct ss_reasm *r, const struct reasm_key *k, hash_sig_t sig)
{
	void *data;

	return rte_hash_lookup_with_hash_data(r->dgrams, k, sig, &data) >= 0 ? data : NULL;
}

enum ss_verdict
ss_reasm_input(struct ss_pkt *p, const struct ss_frag *f)
{
	struct ss_reasm *r = &p->w->reasm;
	struct ss_reasm_dgram *d;
	struct reasm_key k;
	enum ss_verdict v;
	hash_sig_t sig;

	/* RFC 8200 4.5: but the last, a fragment's data is a multiple of 8 bytes. */
	if (f->len == 0 || (f->more && (f->len & 7) != 0))
		return SS_DROP_FRAG_MALFORMED;
	key_make(p, f, &k);
	/* One hash a fragment: its lookup, a new datagram's entry and its removal share it. */
	sig = rte_hash_hash(r->dgrams, &k);
	d = dgram_find(r, &k, sig);
	if (d == NULL) {
		v = dgram_new(p, r, &k, sig, &d);
		if (v != SS_VERDICT_TX)
			return v;
	} else if (d->dropped != 0) {
		return SS_DROP_FRAG_DROPPED;
	}
	v = dgram_add(p, r, d, f);
	if (v == SS_VERDICT_TX)
		return complete(p, r, d);
	/* A new datagram whose first fragment was not taken holds nothing: forget it. */
	if (d->n == 0 && d->dropped == 0)
		dgram_remove(r, d);
	return v;
}

void
ss_reasm_expire(struct ss_reasm *r, struct ss_stats *stats, uint64_t now)
{
	unsigned int i;

	for (i = 0; i < EXPIRE_BATCH && r->oldest != NULL && r->oldest->deadline <= now; i++) {
		struct ss_reasm_dgram *d = r->oldest;

		/* One dropped whole was counted then. */
		if (d->dropped == 0) {
			stats[d->iface].reasm.timeouts++;
			stats[d->iface].reasm.timed_out += d->n;
		}
		dgram_remove(r, d);
	}
}

void
ss_pkt_chain_set_len(struct rte_mbuf *m, uint32_t len)
{
	struct rte_mbuf *seg = m, *rest;
	uint32_t left = len;
	uint16_t n = 1;

	while (left > seg->data_len && seg->next != NULL) {
		left -= seg->data_len;
		seg = seg->next;
		n++;
	}
	/* Longer than the chain: the caller wrote the bytes past it into its last buffer. */
	seg->data_len = left;
	rest = seg->next;
	seg->next = NULL;
	m->nb_segs = n;
	m->pkt_len = len;
	if (rest != NULL)
		rte_pktmbuf_free(rest);
}

bool
ss_pkt_chain_l4_cksum_ok(const struct ss_pkt *p, uint8_t proto, uint32_t len)
{
	uint64_t sum = 0;
	uint16_t raw;

	if (rte_raw_cksum_mbuf(p->m, p->l2_len + p->l3_len, len, &raw) < 0)
		return false;
	/* ICMP alone sums no pseudo header. */
	if (proto != IPPROTO_ICMP)
		sum = ss_ip_phdr_sum(p, proto, len);
	return ss_cksum_fold(sum + raw) == 0xffff;
}

int
ss_reasm_check(const struct ss_reasm *r)
{
	const struct ss_reasm_dgram *d;
	uint32_t dgrams = 0, held = 0;

	for (d = r->oldest; d != NULL; d = d->newer) {
		const struct ss_reasm_node *n;
		uint32_t have = 0, end = 0, k = 0;

		if (++dgrams > r->n_dgrams || (d->newer != NULL && d->newer->older != d))
			return -1;
		if (d->newer != NULL && d->newer->deadline < d->deadline)
			return -2;
		for (n = d->frags; n != NULL; n = n->next, k++) {
			if (n->off < end || n->len == 0 || n->m == NULL)
				return -3; /* out of order, overlapping or empty */
			end = (uint32_t)n->off + n->len;
			have += n->len;
		}
		if (k != d->n || have != d->have || k > r->cfg->reasm_fragments ||
				(d->dropped != 0 && k != 0) || (d->total != 0 && end > d->total))
			return -4;
		held += k;
	}
	if (dgrams != r->n_dgrams || held != r->n_held || held > r->cfg->reasm_held ||
			dgrams > r->cfg->reasm_datagrams)
		return -5;
	return 0;
}
