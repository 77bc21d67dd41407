/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_PORT_H
#define SS_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ethdev.h>
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
	struct rte_eth_link link;                  /* once started: ss_port_links_wait() */
	bool link_known;                           /* false: the PMD cannot say */
};

/*
 * One mbuf pool for every port, sized for all their queues and the workers,
 * on the ports' NUMA socket (numa.h; a warning when they are on several),
 * or on any socket, with a warning, when theirs has no memory left.
 */
struct rte_mempool *ss_port_pool_create(const struct ss_config *cfg, unsigned int n_ports,
		unsigned int n_workers, char *err, size_t errlen);

/*
 * The socket for the structures of worker (on lcore) serving the first
 * n_ports ports: theirs (numa.h), or any where the pool found no memory
 * there. Warns in one line on stderr when the lcore is on another socket
 * than one of the ports.
 */
int ss_port_worker_socket(unsigned int worker, unsigned int lcore, unsigned int n_ports,
		const struct rte_mempool *pool);

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

/*
 * Wait, bounded (9 s in all, polling every 100 ms), for the links of the
 * n started ports to come up, and fill info[i].link. A port still down at
 * the end, or one whose PMD cannot say, is one warning line on stderr: the
 * appliance starts anyway. A stop asked for meanwhile (*quit) ends the wait.
 */
void ss_port_links_wait(const struct ss_iface *ifaces, struct ss_port_info *info, unsigned int n,
		const volatile bool *quit);

/*
 * The link as the ready line shows it: "link up 10 Gbps full-duplex",
 * "link down", "link unknown". Returns buf.
 */
const char *ss_port_link_format(const struct ss_port_info *info, char *buf, size_t size);

#endif /* SS_PORT_H */
