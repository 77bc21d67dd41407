/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_ip.h>

#include "cksum.h"
#include "ip.h"
#include "ip_frag.h"
#include "source.h"
#include "tx_cksum.h"
#include "worker.h"

/* An MTU of 1280 or more (config.c) cuts 65575 bytes into 54 fragments at most. */
#define FRAG_OUT_MAX 64

/* The IPv4 header of a fragment of len bytes at off; checksum by the port when hw. */
static void
frag4_hdr(struct rte_mbuf *m, uint16_t l2_len, uint16_t len, uint32_t off, bool more, bool hw)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l2_len);

	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + len);
	ip->fragment_offset = rte_cpu_to_be_16(off / 8 | (more ? RTE_IPV4_HDR_MF_FLAG : 0));
	ip->hdr_checksum = 0;
	if (hw)
		ss_tx_ip4_ask(m, l2_len);
	else
		ip->hdr_checksum = ss_ip4_hdr_cksum(ip);
}

/* The IPv6 header and fragment header of a fragment of len bytes at off. */
static void
frag6_hdr(struct rte_mbuf *m, uint16_t l2_len, uint8_t proto, uint32_t id, uint16_t len,
		uint32_t off, bool more)
{
	struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, l2_len);
	struct rte_ipv6_fragment_ext *fh = (struct rte_ipv6_fragment_ext *)(ip + 1);

	ip->payload_len = rte_cpu_to_be_16(sizeof(*fh) + len);
	ip->proto = IPPROTO_FRAGMENT;
	fh->next_header = proto;
	fh->reserved = 0;
	fh->frag_data = rte_cpu_to_be_16(off | (more ? 1 : 0));
	fh->id = rte_cpu_to_be_32(id);
}

/*
 * A fragment of head's reply: its first hdr bytes (link and IP headers),
 * gap bytes of room for a fragment header, then len bytes of the payload
 * from off. NULL when the pool is empty.
 */
static struct rte_mbuf *
frag_new(struct rte_mempool *pool, const struct rte_mbuf *head, uint16_t hdr, uint16_t gap,
		uint32_t off, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t *at;
	const void *data;

	if (m == NULL)
		return NULL;
	at = (uint8_t *)rte_pktmbuf_append(m, hdr + gap + len);
	if (at == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memcpy(at, rte_pktmbuf_mtod(head, const void *), hdr);
	data = rte_pktmbuf_read(head, hdr + off, len, at + hdr + gap);
	if (data != at + hdr + gap)
		memcpy(at + hdr + gap, data, len);
	return m;
}

/*
 * Make the first len bytes of the chain m the head's own, one segment: its
 * data back at the front of its buffer (stripping the request's options or
 * extension headers left it short), then filled from the segments behind,
 * which are freed. -1 when its buffer cannot hold len bytes.
 */
static int
head_take(struct rte_mbuf *m, uint32_t len)
{
	uint8_t *start = (uint8_t *)m->buf_addr + RTE_PKTMBUF_HEADROOM;
	struct rte_mbuf *rest;
	const void *more;

	if (m->nb_segs == 1) {
		m->data_len = m->pkt_len = len;
		return 0;
	}
	if (RTE_PKTMBUF_HEADROOM + len > m->buf_len || len > m->pkt_len)
		return -1;
	memmove(start, rte_pktmbuf_mtod(m, void *), m->data_len);
	m->data_off = RTE_PKTMBUF_HEADROOM;
	if (len > m->data_len) {
		/* From the segments behind the head: no overlap with where it goes. */
		more = rte_pktmbuf_read(m, m->data_len, len - m->data_len, start + m->data_len);
		if (more != start + m->data_len)
			memcpy(start + m->data_len, more, len - m->data_len);
	}
	rest = m->next;
	m->next = NULL;
	m->nb_segs = 1;
	m->data_len = m->pkt_len = len;
	rte_pktmbuf_free(rest);
	return 0;
}

/* The fragments after the first, of chunk bytes each but the last, into out. */
static int
frag_rest(struct ss_pkt *p, uint16_t hdr, uint16_t gap, uint16_t chunk, struct rte_mbuf **out,
		unsigned int *n)
{
	uint32_t payload = p->m->pkt_len - hdr, off;

	*n = 0;
	for (off = chunk; off < payload; off += chunk) {
		uint16_t len = RTE_MIN((uint32_t)chunk, payload - off);

		RTE_ASSERT(*n < FRAG_OUT_MAX);
		out[*n] = frag_new(p->w->pool, p->m, hdr, gap, off, len);
		if (out[*n] == NULL) {
			rte_pktmbuf_free_bulk(out, *n);
			return -1;
		}
		(*n)++;
	}
	return 0;
}

static enum ss_verdict
frag4(struct ss_pkt *p, struct rte_mbuf **out, unsigned int *n)
{
	uint16_t hdr = p->l2_len + sizeof(struct rte_ipv4_hdr);
	uint16_t chunk = (p->iface->mtu - sizeof(struct rte_ipv4_hdr)) & ~7u;
	bool hw = ss_tx_ip4_hw(p->iface);
	unsigned int i;

	if (frag_rest(p, hdr, 0, chunk, out, n) < 0)
		return SS_DROP_FRAG_NO_MBUF;
	for (i = 0; i < *n; i++)
		frag4_hdr(out[i], p->l2_len, out[i]->data_len - hdr, (i + 1) * chunk, i + 1 < *n,
				hw);
	if (head_take(p->m, hdr + chunk) < 0) {
		rte_pktmbuf_free_bulk(out, *n);
		return SS_DROP_FRAG_NO_MBUF;
	}
	frag4_hdr(p->m, p->l2_len, chunk, 0, true, hw);
	return SS_VERDICT_TX;
}

/*
 * RFC 7739 4.3: a counter, so that no identification comes back before
 * 2^32 datagrams, offset by a keyed hash of the destination, so that the
 * next one cannot be guessed from another peer's.
 */
static uint32_t
frag6_id(struct ss_pkt *p)
{
	const struct rte_ipv6_hdr *ip = ss_pkt_l3(p);

	return (uint32_t)ss_source_key6(ip->dst_addr, 128) + p->w->ip6_frag_id++;
}

static enum ss_verdict
frag6(struct ss_pkt *p, struct rte_mbuf **out, unsigned int *n)
{
	const uint16_t gap = sizeof(struct rte_ipv6_fragment_ext);
	uint16_t hdr = p->l2_len + sizeof(struct rte_ipv6_hdr);
	uint16_t chunk = (p->iface->mtu - sizeof(struct rte_ipv6_hdr) - gap) & ~7u;
	uint32_t id = frag6_id(p);
	uint8_t proto = ((const struct rte_ipv6_hdr *)ss_pkt_l3(p))->proto;
	uint8_t *start;
	unsigned int i;

	if (frag_rest(p, hdr, gap, chunk, out, n) < 0)
		return SS_DROP_FRAG_NO_MBUF;
	for (i = 0; i < *n; i++)
		frag6_hdr(out[i], p->l2_len, proto, id, out[i]->data_len - hdr - gap,
				(i + 1) * chunk, i + 1 < *n);
	/* The first fragment's header goes between the headers and the payload. */
	if (head_take(p->m, hdr + chunk) < 0 ||
			(start = (uint8_t *)rte_pktmbuf_prepend(p->m, gap)) == NULL) {
		rte_pktmbuf_free_bulk(out, *n);
		return SS_DROP_FRAG_NO_MBUF;
	}
	memmove(start, start + gap, hdr);
	frag6_hdr(p->m, p->l2_len, proto, id, chunk, 0, true);
	return SS_VERDICT_TX;
}

enum ss_verdict
ss_ip_frag_send(struct ss_pkt *p, enum ss_verdict v)
{
	struct rte_mbuf *out[FRAG_OUT_MAX];
	unsigned int n, i, iface;

	if (v != SS_VERDICT_TX)
		return v;
	if (p->m->pkt_len - p->l2_len <= p->iface->mtu)
		return head_take(p->m, p->m->pkt_len) == 0 ? SS_VERDICT_TX : SS_DROP_FRAG_NO_MBUF;
	/* A reply's headers are bare (ss_ip_reply()): no options to copy or not. */
	RTE_ASSERT(p->l3_len == ss_ip_hdr_len(p->af));
	/* The whole reply's sum is in its L4 header already: the port must not sum a fragment. */
	p->m->ol_flags &= ~RTE_MBUF_F_TX_L4_MASK;
	v = p->af == SS_AF4 ? frag4(p, out, &n) : frag6(p, out, &n);
	if (v != SS_VERDICT_TX)
		return v;
	/* What leaves is one mbuf each: the TX queues take no chains (MBUF_FAST_FREE, no MULTI_SEGS). */
	RTE_ASSERT(p->m->nb_segs == 1);
	iface = p->iface - p->w->ifaces;
	for (i = 0; i < n; i++)
		ss_worker_emit(p->w, iface, out[i]);
	p->stats->reasm.frag_out += n + 1;
	return SS_VERDICT_TX;
}
