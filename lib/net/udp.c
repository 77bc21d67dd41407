/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_udp.h>

#include "cksum.h"
#include "icmp4.h"
#include "icmp6.h"
#include "ip.h"
#include "ratelimit.h"
#include "tx_cksum.h"
#include "udp.h"
#include "worker.h"

static enum ss_verdict
udp_check(struct ss_pkt *p, const struct rte_udp_hdr *udp)
{
	uint16_t len;

	if (unlikely(p->l4_len < sizeof(*udp)))
		return SS_DROP_UDP_TRUNCATED;
	len = rte_be_to_cpu_16(udp->dgram_len);
	if (unlikely(len < sizeof(*udp) || len > p->l4_len))
		return SS_DROP_UDP_TRUNCATED;
	/* Bytes past the UDP length are not part of the datagram. */
	p->l4_len = len;
	if (udp->dgram_cksum == 0) {
		/* RFC 768 allows "no checksum" over IPv4; RFC 8200 8.1 forbids it over IPv6. */
		return p->af == SS_AF4 ? SS_VERDICT_TX : SS_DROP_UDP_ZERO_CKSUM6;
	}
	/* NONE passes, though the checksum field is not right (see udp_serve()). */
	return ss_pkt_l4_cksum_ok(p, IPPROTO_UDP, udp, len) ? SS_VERDICT_TX : SS_DROP_UDP_CKSUM;
}

/*
 * A reply larger than its request is what reflection attacks want from
 * us: it must pass the per-source limit, then the global one.
 */
static enum ss_verdict
udp_amplify_allowed(struct ss_pkt *p)
{
	struct ss_worker *w = p->w;
	uint64_t key;

	/* The source's key is a SipHash: not worth computing for no limit (the lab's). */
	if (ss_src_limiter_on(&w->amplify_src)) {
		key = ss_ip_source_key(p, w->cfg->abuse.ipv6_source_prefix);
		if (!ss_src_limiter_allow(&w->amplify_src, key, w->now))
			return SS_DROP_UDP_RATELIMIT_SOURCE;
	}
	if (!ss_gcra_allow(&w->amplify_global, &w->amplify_global_tat, w->now))
		return SS_DROP_UDP_RATELIMIT_GLOBAL;
	return SS_VERDICT_TX;
}

/*
 * Headers of the reply around a payload of len bytes already in place,
 * whose checksum share is *payload_sum (unused where the port sums it:
 * tx_cksum.h); NULL: the request's payload is sent back unchanged.
 */
static __rte_always_inline void
udp_reply_headers(struct ss_pkt *p, struct rte_udp_hdr *udp, uint16_t len,
		const uint64_t *payload_sum)
{
	uint16_t ulen;
	uint32_t ports;
	uint64_t sum;

	/* The ports swap places: one 32-bit rotation, no 16-bit store read back. */
	memcpy(&ports, &udp->src_port, sizeof(ports));
	ports = ports >> 16 | ports << 16;
	memcpy(&udp->src_port, &ports, sizeof(ports));
	ss_ip_reply(p, IPPROTO_UDP, sizeof(*udp) + len);
	/*
	 * An unchanged payload between swapped addresses and ports keeps its
	 * checksum (and a "none" over IPv4 stays none): echo costs no sum.
	 */
	if (payload_sum == NULL)
		return;
	ulen = rte_cpu_to_be_16(sizeof(*udp) + len);
	udp->dgram_len = ulen;
	/* The header's share of the sum from the values in hand, not read back. */
	sum = ss_ip_phdr_sum(p, IPPROTO_UDP, sizeof(*udp) + len);
	udp->dgram_cksum = ss_udp_reply_cksum(p->m, p->af, p->l2_len,
			ss_tx_l4_hw(p->iface, IPPROTO_UDP), sum, ports, ulen, *payload_sum);
}

/*
 * A mirroring service (echo, SS_SVC_F_MIRROR): the request is the reply,
 * in place, so no service is asked. Its checksum is kept (between swapped
 * addresses and ports the sum is the same; a "none" over IPv4 stays none),
 * unless RX_L4_CKSUM_NONE says the field is not a valid sum (virtio's
 * partial checksum): then it is computed like a generated reply's.
 */
static enum ss_verdict
udp_mirror(struct ss_pkt *p, struct rte_udp_hdr *udp, struct ss_svc_counters *c)
{
	uint16_t len = p->l4_len - sizeof(*udp);
	uint64_t payload_sum;

	/* Reference servers truncate at 2048..8192 bytes; we never do. */
	if (unlikely(len > ss_pkt_mirror_room(p) - sizeof(*udp)))
		return SS_DROP_REPLY_TOO_BIG;
	if (likely((p->m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) != RTE_MBUF_F_RX_L4_CKSUM_NONE)) {
		udp_reply_headers(p, udp, len, NULL);
	} else {
		payload_sum = ss_tx_l4_hw(p->iface, IPPROTO_UDP) ? 0 :
								   ss_cksum_add(udp + 1, len, 0);
		udp_reply_headers(p, udp, len, &payload_sum);
	}
	c->replies++;
	c->bytes_out += len;
	return SS_VERDICT_TX;
}

/*
 * A generated reply (daytime, time, chargen, qotd; discard makes none). The
 * limit is asked before the reply is made, so that a refused one uses up
 * nothing (chargen's next line, qotd's next quote).
 */
static enum ss_verdict
udp_generate(struct ss_pkt *p, struct rte_udp_hdr *udp, enum ss_svc svc, struct ss_svc_counters *c)
{
	uint8_t *payload = (uint8_t *)(udp + 1);
	uint16_t req_len = p->l4_len - sizeof(*udp);
	uint32_t room = ss_pkt_l4_room(p) - sizeof(*udp);
	uint64_t payload_sum;
	enum ss_verdict v;
	int len;

	if (ss_svc_udp_reply_max(&p->w->svc, svc, req_len) > req_len) {
		v = udp_amplify_allowed(p);
		if (v != SS_VERDICT_TX)
			return v;
	}
	len = ss_svc_udp_reply(&p->w->svc, svc, payload, req_len, payload,
			RTE_MIN(room, (uint32_t)UINT16_MAX));
	if (len < 0)
		return -len;
	/* The port sums it; else a generated payload's sum is known to its service: no read-back. */
	if (ss_tx_l4_hw(p->iface, IPPROTO_UDP))
		payload_sum = 0;
	else if (!ss_svc_udp_sum(&p->w->svc, svc, len, &payload_sum))
		payload_sum = ss_cksum_add(payload, len, 0);
	udp_reply_headers(p, udp, len, &payload_sum);
	c->replies++;
	c->bytes_out += len;
	return SS_VERDICT_TX;
}

/* A datagram to svc: counted as its request. */
static __rte_always_inline struct ss_svc_counters *
udp_request(struct ss_pkt *p, enum ss_svc svc)
{
	struct ss_svc_counters *c = &p->stats->svc[svc][SS_UDP][p->af];

	c->requests++;
	c->bytes_in += p->l4_len - sizeof(struct rte_udp_hdr);
	return c;
}

/* The service's answer: the request itself, or a reply it generates. */
static __rte_always_inline enum ss_verdict
udp_serve(struct ss_pkt *p, struct rte_udp_hdr *udp, enum ss_svc svc, struct ss_svc_counters *c)
{
	if (ss_svc_has(svc, SS_SVC_F_MIRROR))
		return udp_mirror(p, udp, c);
	return udp_generate(p, udp, svc, c);
}

enum ss_verdict
ss_udp_input(struct ss_pkt *p)
{
	struct rte_udp_hdr *udp = ss_pkt_l4(p);
	struct ss_svc_counters *c;
	enum ss_verdict v;
	enum ss_svc svc;

	v = udp_check(p, udp);
	if (v != SS_VERDICT_TX)
		return v;
	svc = p->w->cfg->port_map[SS_UDP][rte_be_to_cpu_16(udp->dst_port)];
	if (svc == SS_SVC_NONE)
		return p->af == SS_AF4 ? ss_icmp4_port_unreachable(p) :
					 ss_icmp6_port_unreachable(p);
	c = udp_request(p, svc);
	if (unlikely(ss_config_loop_port(p->w->cfg, rte_be_to_cpu_16(udp->src_port))))
		return SS_DROP_UDP_LOOP_GUARD;
	return udp_serve(p, udp, svc, c);
}

enum ss_verdict
ss_udp_answer(struct ss_pkt *p, enum ss_svc svc)
{
	return udp_serve(p, ss_pkt_l4(p), svc, udp_request(p, svc));
}
