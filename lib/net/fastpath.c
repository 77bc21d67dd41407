/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fast path (fastpath.h says which frames it takes). Each check is the
 * general path's, in the same terms (the same address and checksum
 * helpers), made once and in a line: where one fails, or where the general
 * path would take a turn of its own, the frame is left as it came (the
 * mbuf untouched: nothing is written before a frame is taken).
 */
#include <stddef.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_prefetch.h>
#include <rte_udp.h>

#include "addr.h"
#include "cksum.h"
#include "eth.h"
#include "fastpath.h"
#include "ip.h"
#include "ipv4.h"
#include "ipv6.h"
#include "tcp.h"
#include "tx_cksum.h"
#include "udp.h"
#include "worker.h"

/* How far ahead of the frame being looked at its successors are prefetched. */
#define PREFETCH_AHEAD 4

#define FAST_MIN_LEN \
	(sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_udp_hdr))

/* The six bytes of a MAC address in the low end of a little-endian 64-bit load. */
#define MAC48 0xffffffffffffull

/* What every frame of a burst is checked against, loaded once a burst. */
struct fast_burst {
	struct ss_worker *w;
	const struct ss_iface *iface;
	const struct ss_port_cfg *port;
	const struct ss_config *cfg;
	struct ss_stats *st;
	uint64_t mac; /* our MAC, as an 8-byte load at the frame sees it (& MAC48) */
	uint16_t mtu;
	bool source_check;
	bool ip4_hw; /* the port sums IPv4 headers, and UDP (tx_cksum.h) */
	bool udp_hw;
	uint64_t bytes; /* received */
	uint64_t taken;
};

static __rte_always_inline uint64_t
load64(const uint8_t *at)
{
	uint64_t q;

	memcpy(&q, at, sizeof(q));
	return q;
}

/* udp_mirror()'s checksum for a field that was not a sum: the port's, or ours. */
static void
fast_mirror_sum(struct fast_burst *b, struct rte_mbuf *m, const void *l3, struct rte_udp_hdr *udp,
		uint8_t af, uint32_t ports, uint16_t ulen)
{
	uint64_t payload_sum = b->udp_hw ? 0 : ss_cksum_add(udp + 1, ulen - sizeof(*udp), 0);

	udp->dgram_cksum = ss_udp_reply_cksum(m, af, sizeof(struct rte_ether_hdr), b->udp_hw,
			ss_ip_hdr_phdr_sum(af, l3, IPPROTO_UDP, ulen), ports, udp->dgram_len,
			payload_sum);
}

/*
 * A mirroring service's datagram (echo) answered in place: udp_mirror()'s
 * counters and reply, from the pointers in hand. Its checksum stands
 * (swapped addresses and ports keep the sum, and a "none" stays none),
 * unless sum_it: RX_L4_CKSUM_NONE said the field is not a sum (virtio).
 */
static __rte_always_inline enum ss_verdict
fast_mirror(struct fast_burst *b, struct rte_mbuf *m, void *l3, struct rte_udp_hdr *udp, uint8_t af,
		enum ss_svc svc, uint16_t ulen, bool sum_it)
{
	struct ss_svc_counters *c = &b->st->svc[svc][SS_UDP][af];
	uint32_t ports;

	c->requests++;
	c->bytes_in += ulen - sizeof(*udp);
	c->replies++;
	c->bytes_out += ulen - sizeof(*udp);
	memcpy(&ports, &udp->src_port, sizeof(ports));
	ports = ports >> 16 | ports << 16;
	memcpy(&udp->src_port, &ports, sizeof(ports));
	if (af == SS_AF4) {
		/*
		 * Summed even where the port would: skipping it cost the ports
		 * that do not offload more than the sum costs those that do
		 * (callgrind, 10 instructions an echo).
		 */
		ss_ipv4_reply_hdr(l3, ulen, rte_cpu_to_be_16(b->w->ip_id++), false);
		if (unlikely(b->ip4_hw)) {
			((struct rte_ipv4_hdr *)l3)->hdr_checksum = 0;
			ss_tx_ip4_ask(m, sizeof(struct rte_ether_hdr));
		}
	} else {
		ss_ipv6_reply_hdr(l3, IPPROTO_UDP, ulen);
	}
	if (unlikely(sum_it))
		fast_mirror_sum(b, m, l3, udp, af, ports, ulen);
	m->data_len = m->pkt_len = sizeof(struct rte_ether_hdr) + ss_ip_hdr_len(af) + ulen;
	ss_eth_reply_hdr(rte_pktmbuf_mtod(m, struct rte_ether_hdr *), &b->iface->mac);
	return SS_VERDICT_TX;
}

/*
 * UDP behind the IP header at l3 (ip_payload bytes of it), to one of our
 * services, its lengths and checksum right: the service's answer.
 */
/*
 * A frame taken for a layer of the general path above IP (ss_udp_answer(),
 * ss_tcp_input()): counted as the fast path's, cut to its IP packet
 * (Ethernet pads short frames), and described as the IP layer would hand it
 * on, l4_len bytes of upper layer behind a bare header.
 */
static __rte_always_inline struct ss_pkt
fast_hand_on(struct fast_burst *b, struct rte_mbuf *m, uint8_t af, uint16_t ip_payload,
		uint16_t l4_len)
{
	uint16_t l3_len = ss_ip_hdr_len(af);

	b->taken++;
	m->data_len = m->pkt_len = sizeof(struct rte_ether_hdr) + l3_len + ip_payload;
	return (struct ss_pkt){
		.m = m,
		.w = b->w,
		.iface = b->iface,
		.stats = b->st,
		.l2_len = sizeof(struct rte_ether_hdr),
		.l3_len = l3_len,
		.l4_len = l4_len,
		.af = af,
	};
}

static __rte_always_inline enum ss_verdict
fast_udp(struct fast_burst *b, struct rte_mbuf *m, void *l3, uint8_t af, uint16_t ip_payload)
{
	uint16_t l3_len = ss_ip_hdr_len(af);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)((uint8_t *)l3 + l3_len);
	uint64_t l4_flags = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;
	uint16_t len = rte_be_to_cpu_16(udp->dgram_len);
	struct ss_pkt p;
	enum ss_svc svc;
	bool mirror;

	if (unlikely(len < sizeof(*udp) || len > ip_payload))
		return SS_FAST_MISS;
	svc = b->cfg->port_map[SS_UDP][rte_be_to_cpu_16(udp->dst_port)];
	if (svc == SS_SVC_NONE || ss_config_loop_port(b->cfg, rte_be_to_cpu_16(udp->src_port)))
		return SS_FAST_MISS;
	/* A zero checksum is "none" over IPv4 and refused over IPv6 (udp_check()). */
	if (udp->dgram_cksum == 0) {
		if (af != SS_AF4)
			return SS_FAST_MISS;
	} else if (!ss_l4_cksum_ok(m->ol_flags, af, l3, IPPROTO_UDP, udp, len)) {
		return SS_FAST_MISS;
	}
	/*
	 * A mirror's reply is its request: it fits where the request came in,
	 * unless the request is larger than our MTU.
	 */
	mirror = ss_svc_has(svc, SS_SVC_F_MIRROR);
	if (mirror && l3_len + len > b->mtu)
		return SS_FAST_MISS;
	/*
	 * Taken: only now is anything written. Bytes past the UDP length are
	 * not the datagram's.
	 */
	if (mirror) {
		b->taken++;
		return fast_mirror(b, m, l3, udp, af, svc, len,
				l4_flags == RTE_MBUF_F_RX_L4_CKSUM_NONE);
	}
	p = fast_hand_on(b, m, af, ip_payload, len);
	return ss_udp_answer(&p, svc);
}

/*
 * TCP behind the bare IP header at l3 (ip_payload bytes of it), to one of
 * our addresses: the general path's TCP layer with the packet as its IP
 * layer would have handed it on, minus the two layers' walk.
 */
static __rte_always_inline enum ss_verdict
fast_tcp(struct fast_burst *b, struct rte_mbuf *m, uint8_t af, uint16_t ip_payload)
{
	struct ss_pkt p = fast_hand_on(b, m, af, ip_payload, ip_payload);

	return ss_tcp_input(&p);
}

static __rte_always_inline enum ss_verdict
fast_ipv4(struct fast_burst *b, struct rte_mbuf *m, struct rte_ipv4_hdr *ip, uint32_t avail)
{
	uint16_t total = rte_be_to_cpu_16(ip->total_length);

	if (ip->version_ihl != RTE_IPV4_VHL_DEF ||
			total < sizeof(*ip) + sizeof(struct rte_udp_hdr) || total > avail ||
			(ip->fragment_offset &
					RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)))
		return SS_FAST_MISS;
	if (!ss_ip4_cksum_ok(m->ol_flags, ip, sizeof(*ip)))
		return SS_FAST_MISS;
	if (ss_ip4_match(b->port, ip->dst_addr) != SS_ADDR_LOCAL ||
			(b->source_check && ss_ip4_src_invalid(b->port, ip->src_addr)))
		return SS_FAST_MISS;
	if (ip->next_proto_id == IPPROTO_TCP)
		return fast_tcp(b, m, SS_AF4, total - sizeof(*ip));
	return fast_udp(b, m, ip, SS_AF4, total - sizeof(*ip));
}

/*
 * Is the datagram to one of our addresses and from one that may have an
 * answer? Only the addresses before the port's link-local one, last, are
 * compared (n_ip6_not_fe): a datagram to it is not found and takes the
 * general path, as one from fe00::/8 does, which could be from our own.
 */
static __rte_always_inline bool
fast_ip6_addrs_ok(const struct fast_burst *b, const struct rte_ipv6_hdr *ip)
{
	unsigned int n = b->port->n_ip6_not_fe;

	if (unlikely(ip->src_addr[0] == 0xfe) || ss_ip6_is_unspecified(ip->src_addr))
		return false;
	if (ss_ip6_is_multicast(ip->dst_addr) || ss_ip6_find_in(b->port, ip->dst_addr, n) == NULL)
		return false;
	return !b->source_check ||
			!(ss_ip6_martian(ip->src_addr) || ss_ip6_find_in(b->port, ip->src_addr, n));
}

static __rte_always_inline enum ss_verdict
fast_ipv6(struct fast_burst *b, struct rte_mbuf *m, struct rte_ipv6_hdr *ip, uint32_t avail)
{
	uint16_t plen = rte_be_to_cpu_16(ip->payload_len);

	if (avail < sizeof(*ip) + sizeof(struct rte_udp_hdr) ||
			(rte_be_to_cpu_32(ip->vtc_flow) >> 28) != 6 || sizeof(*ip) + plen > avail)
		return SS_FAST_MISS;
	if (!fast_ip6_addrs_ok(b, ip))
		return SS_FAST_MISS;
	if (ip->proto == IPPROTO_TCP)
		return fast_tcp(b, m, SS_AF6, plen);
	return fast_udp(b, m, ip, SS_AF6, plen);
}

/* Is the sender's MAC (bytes 6..11 of the frame at f) a unicast (group bit clear), non-zero one? */
static __rte_always_inline bool
fast_src_mac_ok(const uint8_t *f)
{
	uint64_t src = load64(f + 4) >> 16;

	return (src & 1) == 0 && src != 0;
}

/* UDP or TCP: what the fast path takes, right behind a bare IP header. */
static __rte_always_inline bool
fast_proto(uint8_t proto)
{
	return proto == IPPROTO_UDP || proto == IPPROTO_TCP;
}

/*
 * One frame: first what says IPv4 or IPv6 with UDP or TCP behind (so that
 * ARP, ICMP and the rest leave at once), then the Ethernet checks on two
 * 8-byte loads (our MAC, the sender's), then the IP layer's.
 */
static __rte_always_inline enum ss_verdict
fast_frame(struct fast_burst *b, struct rte_mbuf *m)
{
	uint8_t *f = rte_pktmbuf_mtod(m, uint8_t *);
	uint8_t *l3 = f + sizeof(struct rte_ether_hdr);
	uint32_t avail = m->data_len - sizeof(struct rte_ether_hdr);
	rte_be16_t type;
	int af;

	if (unlikely(m->data_len < FAST_MIN_LEN))
		return SS_FAST_MISS;
	memcpy(&type, f + offsetof(struct rte_ether_hdr, ether_type), sizeof(type));
	if (type == RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
			fast_proto(l3[offsetof(struct rte_ipv4_hdr, next_proto_id)]))
		af = SS_AF4;
	else if (type == RTE_BE16(RTE_ETHER_TYPE_IPV6) &&
			fast_proto(l3[offsetof(struct rte_ipv6_hdr, proto)]))
		af = SS_AF6;
	else
		return SS_FAST_MISS;
	/* To us, in one segment, from a sender that may be answered. */
	if (((load64(f) ^ b->mac) & MAC48) != 0 || m->nb_segs != 1 || !fast_src_mac_ok(f))
		return SS_FAST_MISS;
	if (af == SS_AF4)
		return fast_ipv4(b, m, (struct rte_ipv4_hdr *)l3, avail);
	return fast_ipv6(b, m, (struct rte_ipv6_hdr *)l3, avail);
}

/* A frame the fast path left: the general path's verdict. */
static __rte_noinline enum ss_verdict
general(struct fast_burst *b, struct rte_mbuf *m)
{
	struct ss_pkt p = {
		.m = m,
		.w = b->w,
		.iface = b->iface,
		.stats = b->st,
	};
	enum ss_verdict v = ss_eth_input(&p);

	RTE_ASSERT(p.m == m); /* stats.h: the mbuf received, whatever came of it */
	return v;
}

void
ss_fast_burst(struct ss_worker *w, const struct ss_iface *iface, struct ss_stats *st,
		struct rte_mbuf **pkts, uint16_t n, uint8_t *v)
{
	struct fast_burst b = {
		.w = w,
		.iface = iface,
		.port = iface->cfg,
		.cfg = w->cfg,
		.st = st,
		.mtu = iface->mtu,
		.source_check = w->cfg->abuse.source_check,
		.ip4_hw = ss_tx_ip4_hw(iface),
		.udp_hw = ss_tx_l4_hw(iface, IPPROTO_UDP),
	};
	uint16_t i;

	memcpy(&b.mac, &iface->mac, sizeof(iface->mac));
	for (i = 0; i < n && i < PREFETCH_AHEAD; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		if (i + PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD], void *));
		b.bytes += m->pkt_len;
		v[i] = fast_frame(&b, m);
		/* In its turn, so that what the two share goes in arrival order. */
		if (unlikely(v[i] == SS_FAST_MISS))
			v[i] = general(&b, m);
	}
	st->rx_bytes += b.bytes;
	st->rx_fast += b.taken;
}
