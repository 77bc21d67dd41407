/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_ip.h>
#include <rte_tcp.h>

#include "cksum.h"
#include "tcp.h"
#include "worker.h"

static enum ss_verdict
tcp_check(struct ss_pkt *p, const struct rte_tcp_hdr *th)
{
	uint64_t ck = p->m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;
	uint16_t doff;
	bool ok;

	if (unlikely(p->l4_len < sizeof(*th)))
		return SS_DROP_TCP_TRUNCATED;
	doff = (th->data_off >> 4) * 4;
	if (unlikely(doff < sizeof(*th) || doff > p->l4_len))
		return SS_DROP_TCP_TRUNCATED;
	/* NONE: the port verified the data; only the checksum field is not right. */
	if (ck == RTE_MBUF_F_RX_L4_CKSUM_GOOD || ck == RTE_MBUF_F_RX_L4_CKSUM_NONE)
		return SS_VERDICT_TX;
	if (ck == RTE_MBUF_F_RX_L4_CKSUM_BAD)
		return SS_DROP_TCP_CKSUM;
	if (p->af == SS_AF4)
		ok = ss_ip4_l4_cksum_ok(ss_pkt_l3(p), IPPROTO_TCP, th, p->l4_len);
	else
		ok = ss_ip6_l4_cksum_ok(ss_pkt_l3(p), IPPROTO_TCP, th, p->l4_len);
	return ok ? SS_VERDICT_TX : SS_DROP_TCP_CKSUM;
}

enum ss_verdict
ss_tcp_input(struct ss_pkt *p)
{
	struct rte_tcp_hdr *th = ss_pkt_l4(p);
	enum ss_verdict v;

	v = tcp_check(p, th);
	if (v != SS_VERDICT_TX)
		return v;
	/* A RST is never answered, or two closed ends would ping-pong. */
	if (th->tcp_flags & RTE_TCP_RST_FLAG)
		return SS_DROP_TCP_RST_IN;
	return ss_tcp_reply_rst(p);
}
