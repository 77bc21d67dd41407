/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_PORT_H
#define SS_PORT_H

#include <stddef.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "config.h"
#include "pkt.h"

/* One mbuf pool for every port, sized for all their queues and the workers. */
struct rte_mempool *ss_port_pool_create(const struct ss_config *cfg, unsigned int n_ports,
		unsigned int n_workers, char *err, size_t errlen);

/*
 * Configure and start port_id with one RX and one TX queue per worker (as
 * many as the device has), RSS across them, checksum offloads where the
 * device has them, all-multicast on (or neighbour solicitations to
 * solicited-node groups never arrive). Fills iface. Returns -1 with one
 * line in err on failure.
 */
int ss_port_start(uint16_t port_id, const struct ss_config *cfg, const struct ss_port_cfg *pc,
		unsigned int n_workers, struct rte_mempool *pool, struct ss_iface *iface, char *err,
		size_t errlen);

#endif /* SS_PORT_H */
