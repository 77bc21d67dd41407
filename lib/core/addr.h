/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_ADDR_H
#define SS_ADDR_H

/*
 * Address classification: which destinations are ours, and which sources
 * no honest peer can have (docs/protocols.md, "Bad addresses").
 * IPv4 addresses are in network byte order throughout.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>

#include <rte_byteorder.h>

#include "config.h"

enum ss_addr_match {
	SS_ADDR_NONE,      /* not ours */
	SS_ADDR_LOCAL,     /* one of the port's unicast addresses */
	SS_ADDR_BROADCAST, /* limited or one of our subnets' directed broadcast */
	SS_ADDR_MULTICAST, /* any multicast group */
	SS_ADDR_SOLICITED, /* IPv6 solicited-node group of one of our addresses */
};

static inline uint32_t
ss_ip4_mask(uint8_t len)
{
	return len == 0 ? 0 : rte_cpu_to_be_32(~0u << (32 - len));
}

static inline uint32_t
ss_ip4_network(const struct ss_ip4_prefix *p)
{
	return p->addr & ss_ip4_mask(p->len);
}

static inline uint32_t
ss_ip4_bcast(const struct ss_ip4_prefix *p)
{
	return p->addr | ~ss_ip4_mask(p->len);
}

/* An address with its prefix length, and the broadcast derived once. */
static inline void
ss_ip4_prefix_set(struct ss_ip4_prefix *p, uint32_t addr, uint8_t len)
{
	p->addr = addr;
	p->len = len;
	p->bcast = len < 31 ? ss_ip4_bcast(p) : 0;
}

/* Source addresses no host may use: 0/8, 127/8, 224/4 and 240/4. */
static inline bool
ss_ip4_martian(uint32_t addr)
{
	/* The first octet is the first byte in memory: no byte swap needed. */
	uint8_t first = ((const uint8_t *)&addr)[0];

	return first == 0 || first == 127 || first >= 224;
}

static inline bool
ss_ip6_is_multicast(const uint8_t *a)
{
	return a[0] == 0xff;
}

static inline bool
ss_ip6_is_linklocal(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

/* fe80::/64: link-local with the 54 zero bits of RFC 4291 2.5.6, what a host configures. */
static inline bool
ss_ip6_is_linklocal64(const uint8_t *a)
{
	static const uint8_t prefix[8] = { 0xfe, 0x80 };

	return memcmp(a, prefix, 8) == 0;
}

static inline bool
ss_ip6_is_unspecified(const uint8_t *a)
{
	static const uint8_t zero[16];

	return memcmp(a, zero, 16) == 0;
}

/* An IPv4-mapped address, ::ffff:0:0/96 (RFC 4291 2.5.5.2). */
static inline bool
ss_ip6_is_v4mapped(const uint8_t *a)
{
	static const uint8_t prefix[12] = { [10] = 0xff, [11] = 0xff };

	return memcmp(a, prefix, 12) == 0;
}

/* ::, ::1, ff00::/8 and v4-mapped ::ffff:0:0/96. */
static inline bool
ss_ip6_martian(const uint8_t *a)
{
	static const uint8_t zero[15];

	if (a[0] == 0xff)
		return true;
	if (a[0] != 0)
		return false;
	if (memcmp(a, zero, 15) == 0)
		return a[15] <= 1;
	return ss_ip6_is_v4mapped(a);
}

/* The solicited-node multicast address of a: ff02::1:ffXX:XXXX. */
static inline void
ss_ip6_solicited_node(const uint8_t *a, uint8_t *out)
{
	static const uint8_t prefix[13] = { 0xff, 0x02, [11] = 0x01, [12] = 0xff };

	memcpy(out, prefix, 13);
	memcpy(out + 13, a + 13, 3);
}

/*
 * What dst is to this port. Inline, as the IPv4 source and the unicast
 * IPv6 tests below are: every received datagram asks, the fast path in its
 * straight line too, and a port has an address or two.
 */
static inline enum ss_addr_match
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

/* The port's IPv6 address addr among its first n, or NULL. */
static inline const struct ss_ip6_prefix *
ss_ip6_find_in(const struct ss_port_cfg *port, const uint8_t *addr, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (memcmp(addr, port->ip6[i].addr, 16) == 0)
			return &port->ip6[i];
	return NULL;
}

/* The port's IPv6 address addr, or NULL. */
static inline const struct ss_ip6_prefix *
ss_ip6_find(const struct ss_port_cfg *port, const uint8_t *addr)
{
	return ss_ip6_find_in(port, addr, port->n_ip6);
}

/* Is dst one of the port's unicast addresses (ss_ip6_match()'s SS_ADDR_LOCAL)? */
static inline bool
ss_ip6_is_local(const struct ss_port_cfg *port, const uint8_t *dst)
{
	return !ss_ip6_is_multicast(dst) && ss_ip6_find(port, dst) != NULL;
}

enum ss_addr_match ss_ip6_match(const struct ss_port_cfg *port, const uint8_t *dst);

/* Set port->n_ip6_not_fe from its ip6[] list, once that changed. */
void ss_ip6_list_index(struct ss_port_cfg *port);

/*
 * The link-local address of a port with MAC mac: fe80::/64 and the
 * modified EUI-64 interface identifier (RFC 4291 2.5.1, appendix A), the
 * MAC with ff:fe in its middle and the universal/local bit flipped.
 */
void ss_ip6_link_local_eui64(const uint8_t mac[6], uint8_t out[16]);

/*
 * Give the port its own link-local address as [portN] ipv6_link_local
 * says, behind its ipv6 list: auto derives it from mac, unless the list
 * holds a link-local address already; an address given is added unless
 * listed; off adds none. Once, before the workers start (the configuration
 * is theirs to read from then on). Returns the entry added, or NULL.
 */
const struct ss_ip6_prefix *ss_ip6_link_local_add(struct ss_port_cfg *port, const uint8_t mac[6]);

/* True when src cannot be an honest peer of this port. */
static inline bool
ss_ip4_src_invalid(const struct ss_port_cfg *port, uint32_t src)
{
	return ss_ip4_martian(src) || ss_ip4_match(port, src) != SS_ADDR_NONE;
}

static inline bool
ss_ip6_src_invalid(const struct ss_port_cfg *port, const uint8_t *src)
{
	return ss_ip6_martian(src) || ss_ip6_find(port, src) != NULL;
}

#endif /* SS_ADDR_H */
