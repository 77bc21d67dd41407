/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_ip.h>

#include "addr.h"
#include "cksum.h"
#include "eth.h"
#include "icmp4.h"
#include "ip.h"
#include "ip_frag.h"
#include "ip_reasm.h"
#include "ipv4.h"
#include "tcp.h"
#include "tx_cksum.h"
#include "udp.h"
#include "worker.h"

static enum ss_verdict
ipv4_check_header(struct ss_pkt *p, const struct rte_ipv4_hdr *ip, uint32_t avail)
{
	uint16_t hlen, total;

	if (unlikely(avail < sizeof(*ip)))
		return SS_DROP_IP4_TRUNCATED;
	if (unlikely((ip->version_ihl >> 4) != 4))
		return SS_DROP_IP4_VERSION;
	hlen = (ip->version_ihl & 0xf) * 4;
	total = rte_be_to_cpu_16(ip->total_length);
	if (unlikely(hlen < sizeof(*ip) || total < hlen))
		return SS_DROP_IP4_HDRLEN;
	if (unlikely(total > avail))
		return SS_DROP_IP4_TRUNCATED;
	if (!ss_ip4_cksum_ok(p->m->ol_flags, ip, hlen))
		return SS_DROP_IP4_CKSUM;
	p->l3_len = hlen;
	p->l4_len = total - hlen;
	return SS_VERDICT_TX;
}

static enum ss_verdict
ipv4_check_addresses(struct ss_pkt *p, const struct rte_ipv4_hdr *ip)
{
	switch (ss_ip4_match(p->iface->cfg, ip->dst_addr)) {
	case SS_ADDR_LOCAL:
		break;
	case SS_ADDR_BROADCAST:
		return SS_DROP_IP4_DST_BROADCAST;
	case SS_ADDR_MULTICAST:
		return SS_DROP_IP4_DST_MULTICAST;
	default:
		return SS_DROP_IP4_DST_NOT_OURS;
	}
	/* RFC 1122 3.3.6: a unicast datagram in a link-layer broadcast is discarded. */
	if (unlikely(p->l2_multicast))
		return SS_DROP_IP4_L2_BROADCAST;
	if (p->w->cfg->abuse.source_check &&
			unlikely(ss_ip4_src_invalid(p->iface->cfg, ip->src_addr)))
		return SS_DROP_IP4_SRC_INVALID;
	return SS_VERDICT_TX;
}

static enum ss_verdict
ipv4_dispatch(struct ss_pkt *p, uint8_t proto)
{
	switch (proto) {
	case IPPROTO_UDP:
		return ss_udp_input(p);
	case IPPROTO_TCP:
		return ss_tcp_input(p);
	case IPPROTO_ICMP:
		return ss_icmp4_input(p);
	default:
		return ss_icmp4_proto_unreachable(p);
	}
}

/* A fragment: held until its datagram is whole, which is then answered as any other. */
static __rte_noinline enum ss_verdict
ipv4_reassemble(struct ss_pkt *p, const struct rte_ipv4_hdr *ip)
{
	uint16_t fo = rte_be_to_cpu_16(ip->fragment_offset);
	struct ss_frag f = {
		.id = rte_be_to_cpu_16(ip->packet_id),
		.off = (fo & RTE_IPV4_HDR_OFFSET_MASK) * 8,
		.len = p->l4_len,
		.hdr_len = p->l3_len,
		.proto = ip->next_proto_id,
		.upper = ip->next_proto_id,
		.more = (fo & RTE_IPV4_HDR_MF_FLAG) != 0,
	};
	enum ss_verdict v;

	if (p->w->cfg->ip.reasm_datagrams == 0)
		return SS_DROP_IP4_FRAGMENT;
	/* An empty first fragment holds no header of any protocol. */
	if (f.off == 0 && (f.len == 0 || f.len < ss_ip_upper_hdr_min(f.proto)))
		return SS_DROP_FRAG_HEADER_CHAIN;
	v = ss_reasm_input(p, &f);
	if (v != SS_VERDICT_TX)
		return v;
	return ss_ip_frag_send(p, ipv4_dispatch(p, f.proto));
}

enum ss_verdict
ss_ipv4_input(struct ss_pkt *p)
{
	struct rte_ipv4_hdr *ip = ss_pkt_l3(p);
	uint32_t avail = p->m->data_len - p->l2_len;
	enum ss_verdict v;

	p->af = SS_AF4;
	v = ipv4_check_header(p, ip, avail);
	if (v != SS_VERDICT_TX)
		return v;
	v = ipv4_check_addresses(p, ip);
	if (v != SS_VERDICT_TX)
		return v;
	/* Ethernet pads short frames: the IP total length is the truth. */
	p->m->data_len = p->m->pkt_len = p->l2_len + p->l3_len + p->l4_len;
	if (unlikely(ip->fragment_offset &
			    RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)))
		return ipv4_reassemble(p, ip);
	return ipv4_dispatch(p, ip->next_proto_id);
}

void
ss_ipv4_reply(struct ss_pkt *p, uint16_t l4_len)
{
	bool hw = ss_tx_ip4_hw(p->iface);

	if (unlikely(p->l3_len != sizeof(struct rte_ipv4_hdr)))
		ss_pkt_strip_l3_ext(p, sizeof(struct rte_ipv4_hdr));
	ss_ipv4_reply_hdr(ss_pkt_l3(p), l4_len, rte_cpu_to_be_16(p->w->ip_id++), hw);
	if (hw)
		ss_tx_ip4_ask(p->m, p->l2_len);
	p->l4_len = l4_len;
	ss_pkt_set_len(p, p->l2_len + sizeof(struct rte_ipv4_hdr) + l4_len);
	ss_eth_reply(p);
}

uint16_t
ss_ipv4_push(uint8_t *at, const uint8_t *src, const uint8_t *dst, uint8_t proto, uint16_t l4_len,
		uint16_t id, bool hw)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)at;

	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = 0;
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + l4_len);
	ip->packet_id = rte_cpu_to_be_16(id);
	/* Our segments are sized to the MTU: DF, so that a smaller path says so. */
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = SS_REPLY_TTL;
	ip->next_proto_id = proto;
	memcpy(&ip->src_addr, src, 4);
	memcpy(&ip->dst_addr, dst, 4);
	ip->hdr_checksum = 0;
	if (!hw)
		ip->hdr_checksum = ss_ip4_hdr_cksum(ip);
	return sizeof(*ip);
}
