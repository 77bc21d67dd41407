/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_PORT_H
#define SS_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "config.h"
#include "pkt.h"

/*
 * What a port was set up with, for the ready line's offload lines and
 * telemetry /smallsrv/ports: the offloads in effect (what port_conf asked
 * for, as the device holds them once started) and those it offers.
 */
struct ss_port_info {
	char driver[32];
	uint16_t nb_rxq, nb_txq;
	uint64_t rx_offloads, tx_offloads;         /* in effect */
	uint64_t rx_offload_capa, tx_offload_capa; /* offered (dev_info) */
	uint64_t rss_hf;                           /* hash functions asked for (0: no RSS) */
	uint64_t rss_offered;                      /* dev_info flow_type_rss_offloads */
};

/* One mbuf pool for every port, sized for all their queues and the workers. */
struct rte_mempool *ss_port_pool_create(const struct ss_config *cfg, unsigned int n_ports,
		unsigned int n_workers, char *err, size_t errlen);

/*
 * Configure and start port_id with one RX and one TX queue per worker (as
 * many as the device has), RSS across them, checksum offloads where the
 * device has them, all-multicast on (or neighbour solicitations to
 * solicited-node groups never arrive). Fills iface. Returns -1 with one
 * line in err on failure. Fills info with what the port got.
 */
int ss_port_start(uint16_t port_id, const struct ss_config *cfg, const struct ss_port_cfg *pc,
		unsigned int n_workers, struct rte_mempool *pool, struct ss_iface *iface,
		struct ss_port_info *info, char *err, size_t errlen);

/*
 * The names of the offloads in bits, space-separated, in buf ("none" for
 * none): rx selects rte_eth_dev_rx_offload_name, else the TX names.
 * Returns buf.
 */
const char *ss_port_offload_names(uint64_t bits, bool rx, char *buf, size_t size);

#endif /* SS_PORT_H */
