/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_ip.h>
#include <rte_tcp.h>

#include "cksum.h"
#include "ipv4.h"
#include "ipv6.h"
#include "tcp.h"
#include "worker.h"

/* Sequence space a segment takes: its data, and one each for SYN and FIN. */
static uint32_t
tcp_seg_len(const struct ss_pkt *p, const struct rte_tcp_hdr *th)
{
	uint32_t len = p->l4_len - (th->data_off >> 4) * 4;

	if (th->tcp_flags & RTE_TCP_SYN_FLAG)
		len++;
	if (th->tcp_flags & RTE_TCP_FIN_FLAG)
		len++;
	return len;
}

/* Fill in the checksum of a TCP header just written behind the IP header. */
static void
tcp_finish_cksum(struct ss_pkt *p, struct rte_tcp_hdr *th, uint16_t len)
{
	th->cksum = 0;
	if (p->af == SS_AF4)
		th->cksum = ss_ip4_l4_cksum(ss_pkt_l3(p), IPPROTO_TCP, th, len);
	else
		th->cksum = ss_ip6_l4_cksum(ss_pkt_l3(p), IPPROTO_TCP, th, len);
}

enum ss_verdict
ss_tcp_reply_rst(struct ss_pkt *p)
{
	struct rte_tcp_hdr *th = ss_pkt_l4(p);
	uint16_t port = th->src_port;

	/*
	 * RFC 9293 3.10.7.1: if the segment has an ACK, the RST takes its
	 * sequence number from it; otherwise sequence zero, acknowledging all
	 * the segment occupied.
	 */
	if (th->tcp_flags & RTE_TCP_ACK_FLAG) {
		th->sent_seq = th->recv_ack;
		th->recv_ack = 0;
		th->tcp_flags = RTE_TCP_RST_FLAG;
	} else {
		th->recv_ack = rte_cpu_to_be_32(rte_be_to_cpu_32(th->sent_seq) +
			tcp_seg_len(p, th));
		th->sent_seq = 0;
		th->tcp_flags = RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG;
	}
	th->src_port = th->dst_port;
	th->dst_port = port;
	th->data_off = (sizeof(*th) / 4) << 4;
	th->rx_win = 0;
	th->tcp_urp = 0;
	if (p->af == SS_AF4) {
		ss_ipv4_reply(p, sizeof(*th));
		p->stats->reply[SS_REPLY_TCP4_RST]++;
	} else {
		ss_ipv6_reply(p, IPPROTO_TCP, sizeof(*th));
		p->stats->reply[SS_REPLY_TCP6_RST]++;
	}
	tcp_finish_cksum(p, th, sizeof(*th));
	return SS_VERDICT_TX;
}
