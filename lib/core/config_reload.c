/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The keys a reload leaves as they are, and why each one:
 *
 * - general.rx_desc, tx_desc: the ports' rings, set up once (and the mbuf
 *   pool sized for them); tx_cksum_offload: the ports' TX offloads, chosen
 *   when they were configured; trace: the packets traced from the start
 *   (telemetry /smallsrv/trace_arm traces more while running).
 * - portN.*: addresses, MTU and link-local address are the ports' own, set
 *   up with them (the MTU sized the mbufs).
 * - abuse.ratelimit_sources: the size of each worker's source table;
 *   ipv6_source_prefix: what names a source, the key of every entry in the
 *   source tables, TCP connections' included.
 * - tcp.max_connections: the size of the connection tables (and the pool's
 *   share for what connections hold); window: the window scale of the
 *   SYN-ACKs, on which handshakes still in flight complete (SYN cookies).
 * - ip.reassembly_datagrams, reassembly_fragments, reassembly_held: the
 *   sizes of the reassembly tables and their share of the pool.
 */
#include <stdio.h>
#include <string.h>

#include <rte_common.h>

#include "config_reload.h"

struct names {
	char *buf;
	size_t len;
	size_t used;
	unsigned int n;
};

/* Append "section.key" (a port's section numbered by port) to the list. */
static void
name_key(struct names *nm, const char *section, int port, const char *key)
{
	char one[48];
	int n;

	nm->n++;
	if (port >= 0)
		snprintf(one, sizeof(one), "%s%s%d.%s", nm->n > 1 ? ", " : "", section, port, key);
	else
		snprintf(one, sizeof(one), "%s%s.%s", nm->n > 1 ? ", " : "", section, key);
	if (nm->len == 0 || nm->used + 1 >= nm->len)
		return;
	n = snprintf(nm->buf + nm->used, nm->len - nm->used, "%s", one);
	if ((size_t)n >= nm->len - nm->used) {
		/* Cut short: say so rather than end on half a name. */
		if (nm->len >= 4)
			strcpy(nm->buf + nm->len - 4, "...");
		nm->used = nm->len - 1;
		return;
	}
	nm->used += n;
}

static bool
ip4_differ(const struct ss_port_cfg *a, const struct ss_port_cfg *b)
{
	unsigned int i;

	if (a->n_ip4 != b->n_ip4)
		return true;
	for (i = 0; i < a->n_ip4; i++)
		if (a->ip4[i].addr != b->ip4[i].addr || a->ip4[i].len != b->ip4[i].len)
			return true;
	return false;
}

static bool
ip6_differ(const struct ss_port_cfg *a, const struct ss_port_cfg *b)
{
	unsigned int i;

	if (a->n_ip6 != b->n_ip6)
		return true;
	for (i = 0; i < a->n_ip6; i++)
		if (memcmp(a->ip6[i].addr, b->ip6[i].addr, 16) != 0 ||
				a->ip6[i].len != b->ip6[i].len)
			return true;
	return false;
}

static bool
link_local_differ(const struct ss_port_cfg *a, const struct ss_port_cfg *b)
{
	return a->link_local != b->link_local ||
			(a->link_local == SS_LINK_LOCAL_ADDR &&
					memcmp(a->link_local_addr, b->link_local_addr, 16) != 0);
}

/*
 * Every section either configuration has; a port's absent section is the
 * defaults, as in both (ss_config_defaults() sets every port's).
 */
static void
ports(const struct ss_config *run, struct ss_config *next, struct names *nm)
{
	unsigned int n = RTE_MAX(run->n_ports, next->n_ports), p;

	for (p = 0; p < n; p++) {
		const struct ss_port_cfg *a = &run->port[p], *b = &next->port[p];

		if (ip4_differ(a, b))
			name_key(nm, "port", p, "ipv4");
		if (ip6_differ(a, b))
			name_key(nm, "port", p, "ipv6");
		if (a->mtu != b->mtu)
			name_key(nm, "port", p, "mtu");
		if (link_local_differ(a, b))
			name_key(nm, "port", p, "ipv6_link_local");
	}
	next->n_ports = run->n_ports;
	memcpy(next->port, run->port, sizeof(next->port));
}

/* The keys a reload cannot change and their fields, in the file's order. */
struct restart_key {
	const char *section;
	const char *key; /* NULL: every key of every [portN] (ports()) */
	size_t offset;
	size_t size;
};

#define RESTART_KEY(section, key, field)                               \
	{                                                              \
		section, key, offsetof(struct ss_config, field),       \
				sizeof(((struct ss_config *)0)->field) \
	}

static const struct restart_key restart_keys[] = {
	RESTART_KEY("general", "rx_desc", rx_desc),
	RESTART_KEY("general", "tx_desc", tx_desc),
	RESTART_KEY("general", "trace", trace),
	RESTART_KEY("general", "tx_cksum_offload", tx_cksum_offload),
	{ "portN", NULL, 0, 0 },
	RESTART_KEY("abuse", "ratelimit_sources", abuse.ratelimit_sources),
	RESTART_KEY("abuse", "ipv6_source_prefix", abuse.ipv6_source_prefix),
	RESTART_KEY("tcp", "max_connections", tcp.max_connections),
	RESTART_KEY("tcp", "window", tcp.window),
	RESTART_KEY("ip", "reassembly_datagrams", ip.reasm_datagrams),
	RESTART_KEY("ip", "reassembly_fragments", ip.reasm_fragments),
	RESTART_KEY("ip", "reassembly_held", ip.reasm_held),
};

#undef RESTART_KEY

bool
ss_config_key_needs_restart(const char *section, const char *key)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(restart_keys); i++)
		if (strcmp(restart_keys[i].section, section) == 0 &&
				(restart_keys[i].key == NULL ||
						strcmp(restart_keys[i].key, key) == 0))
			return true;
	return false;
}

/* Name each restart key that differs, then give next running's value of it. */
static void
keep(const struct ss_config *run, struct ss_config *next, struct names *nm)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(restart_keys); i++) {
		const struct restart_key *r = &restart_keys[i];
		const char *was = (const char *)run + r->offset;
		char *now = (char *)next + r->offset;

		if (r->key == NULL) {
			ports(run, next, nm);
			continue;
		}
		if (memcmp(was, now, r->size) != 0)
			name_key(nm, r->section, -1, r->key);
		memcpy(now, was, r->size);
	}
}

unsigned int
ss_config_restart_keys(const struct ss_config *run, struct ss_config *next, char *names, size_t len)
{
	struct names nm = { .buf = names, .len = len };

	if (len > 0)
		names[0] = '\0';
	keep(run, next, &nm);
	return nm.n;
}
