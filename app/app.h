/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_APP_H
#define SS_APP_H

/* The running appliance as the control side (telemetry, summary) sees it. */

#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>

#include <rte_mempool.h>

#include "config.h"
#include "pkt.h"
#include "port.h"
#include "stats.h"
#include "worker.h"

struct ss_app {
	/*
	 * The configuration in effect: a reload swaps it (reload.h), so that a
	 * thread other than the main one reads it with ss_reload_config_hold().
	 */
	const struct ss_config *cfg;
	const struct ss_iface *ifaces;
	const struct ss_port_info *port_info; /* one per iface, in the same order */
	unsigned int n_ifaces;
	struct ss_worker *workers;
	unsigned int n_workers;
	struct rte_mempool *pool; /* every port's and worker's mbufs */
	uint64_t start_tsc;
};

/*
 * Sum the workers' counters for one iface, or for all of them with
 * iface < 0. Safe while the workers run.
 */
void ss_app_counters(const struct ss_app *app, int iface, struct ss_stats *out);

/* Room for "ADDR/LEN", the longest IPv6 address with "/128" included. */
#define SS_PREFIX_STRLEN (INET6_ADDRSTRLEN + 4)

/*
 * A configured prefix as "ADDR/LEN" in buf, as the ready line and telemetry
 * show it. addr: the IPv4 address (4 bytes, network byte order) for AF_INET,
 * the 16 bytes of the IPv6 address for AF_INET6. Returns buf.
 */
const char *ss_prefix_format(int family, const void *addr, unsigned int len, char *buf,
		size_t size);

#endif /* SS_APP_H */
