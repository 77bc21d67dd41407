/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "ip.h"
#include "source.h"

static const uint8_t v4mapped[12] = { [10] = 0xff, [11] = 0xff };

uint16_t
ss_ip_push(uint8_t *at, uint8_t af, const uint8_t *local, const uint8_t *remote, uint8_t proto,
		uint16_t l4_len, uint16_t *ip_id, bool hw4)
{
	if (af == SS_AF4)
		return ss_ipv4_push(at, local + 12, remote + 12, proto, l4_len, (*ip_id)++, hw4);
	return ss_ipv6_push(at, local, remote, proto, l4_len);
}

void
ss_ip_addrs(const struct ss_pkt *p, uint8_t *src, uint8_t *dst)
{
	if (p->af == SS_AF4) {
		const struct rte_ipv4_hdr *ip = ss_pkt_l3(p);

		memcpy(src, v4mapped, 12);
		memcpy(src + 12, &ip->src_addr, 4);
		memcpy(dst, v4mapped, 12);
		memcpy(dst + 12, &ip->dst_addr, 4);
	} else {
		const struct rte_ipv6_hdr *ip = ss_pkt_l3(p);

		memcpy(src, ip->src_addr, 16);
		memcpy(dst, ip->dst_addr, 16);
	}
}

uint64_t
ss_ip_source_key(const struct ss_pkt *p, uint8_t v6_prefix)
{
	if (p->af == SS_AF4)
		return ss_source_key4(((const struct rte_ipv4_hdr *)ss_pkt_l3(p))->src_addr);
	return ss_source_key6(((const struct rte_ipv6_hdr *)ss_pkt_l3(p))->src_addr, v6_prefix);
}
