/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_common.h>

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

void
ss_ip6_list_index(struct ss_port_cfg *port)
{
	unsigned int i;

	port->n_ip6_not_fe = 0;
	for (i = 0; i < port->n_ip6; i++)
		if (port->ip6[i].addr[0] != 0xfe)
			port->n_ip6_not_fe = i + 1;
}

void
ss_ip6_link_local_eui64(const uint8_t mac[6], uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = 0xfe;
	out[1] = 0x80;
	out[8] = mac[0] ^ 0x02; /* the universal/local bit, inverted */
	out[9] = mac[1];
	out[10] = mac[2];
	out[11] = 0xff;
	out[12] = 0xfe;
	out[13] = mac[3];
	out[14] = mac[4];
	out[15] = mac[5];
}

/* Does the list hold a link-local address already? */
static bool
has_link_local(const struct ss_port_cfg *port)
{
	unsigned int i;

	for (i = 0; i < port->n_ip6; i++)
		if (ss_ip6_is_linklocal(port->ip6[i].addr))
			return true;
	return false;
}

const struct ss_ip6_prefix *
ss_ip6_link_local_add(struct ss_port_cfg *port, const uint8_t mac[6])
{
	struct ss_ip6_prefix *ll;
	uint8_t addr[16];

	switch (port->link_local) {
	case SS_LINK_LOCAL_AUTO:
		if (has_link_local(port))
			return NULL;
		ss_ip6_link_local_eui64(mac, addr);
		break;
	case SS_LINK_LOCAL_ADDR:
		if (ss_ip6_find(port, port->link_local_addr) != NULL)
			return NULL;
		memcpy(addr, port->link_local_addr, 16);
		break;
	default:
		return NULL;
	}
	/* The parser leaves room for one (config.h). */
	if (port->n_ip6 == RTE_DIM(port->ip6))
		return NULL;
	ll = &port->ip6[port->n_ip6++];
	memcpy(ll->addr, addr, 16);
	ll->len = 64;
	ss_ip6_list_index(port);
	return ll;
}
