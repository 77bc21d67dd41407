/* SPDX-License-Identifier: BSD-3-Clause */
#include "addr.h"

enum ss_addr_match
ss_ip6_match(const struct ss_port_cfg *port, const uint8_t *dst)
{
	uint8_t snm[16];
	unsigned int i;

	if (!ss_ip6_is_multicast(dst))
		return ss_ip6_is_local(port, dst) ? SS_ADDR_LOCAL : SS_ADDR_NONE;
	for (i = 0; i < port->n_ip6; i++) {
		ss_ip6_solicited_node(port->ip6[i].addr, snm);
		if (memcmp(dst, snm, 16) == 0)
			return SS_ADDR_SOLICITED;
	}
	return SS_ADDR_MULTICAST;
}
