/* SPDX-License-Identifier: BSD-3-Clause */
#include "addr.h"

enum ss_addr_match
ss_ip4_match(const struct ss_port_cfg *port, uint32_t dst)
{
	unsigned int i;

	for (i = 0; i < port->n_ip4; i++) {
		const struct ss_ip4_prefix *a = &port->ip4[i];

		if (dst == a->addr)
			return SS_ADDR_LOCAL;
		if (dst == a->bcast && a->len < 31)
			return SS_ADDR_BROADCAST;
	}
	if (dst == UINT32_MAX)
		return SS_ADDR_BROADCAST;
	if ((((const uint8_t *)&dst)[0] >> 4) == 0xe)
		return SS_ADDR_MULTICAST;
	return SS_ADDR_NONE;
}

const struct ss_ip6_prefix *
ss_ip6_find(const struct ss_port_cfg *port, const uint8_t *addr)
{
	unsigned int i;

	for (i = 0; i < port->n_ip6; i++)
		if (memcmp(addr, port->ip6[i].addr, 16) == 0)
			return &port->ip6[i];
	return NULL;
}

enum ss_addr_match
ss_ip6_match(const struct ss_port_cfg *port, const uint8_t *dst)
{
	uint8_t snm[16];
	unsigned int i;

	if (!ss_ip6_is_multicast(dst))
		return ss_ip6_find(port, dst) != NULL ? SS_ADDR_LOCAL : SS_ADDR_NONE;
	for (i = 0; i < port->n_ip6; i++) {
		ss_ip6_solicited_node(port->ip6[i].addr, snm);
		if (memcmp(dst, snm, 16) == 0)
			return SS_ADDR_SOLICITED;
	}
	return SS_ADDR_MULTICAST;
}

bool
ss_ip4_src_invalid(const struct ss_port_cfg *port, uint32_t src)
{
	return ss_ip4_martian(src) || ss_ip4_match(port, src) != SS_ADDR_NONE;
}

bool
ss_ip6_src_invalid(const struct ss_port_cfg *port, const uint8_t *src)
{
	return ss_ip6_martian(src) || ss_ip6_find(port, src) != NULL;
}
