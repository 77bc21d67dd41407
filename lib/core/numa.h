/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_NUMA_H
#define SS_NUMA_H

/*
 * Where the ports' and the workers' memory goes on a machine of several
 * NUMA sockets (README, "On a real NIC"). The choices only: the sockets are
 * given, DPDK is not asked, so that they can be tested on a machine of one
 * socket. A port's socket is what rte_eth_dev_socket_id() says, -1
 * (SOCKET_ID_ANY) where it is not known: virtual devices, and NICs on a
 * machine whose firmware does not say.
 *
 * One mbuf pool serves every port (telemetry /smallsrv/pool, the TCP and
 * reassembly shares of it are sized once): on the socket of the ports, or
 * of most of them when they are on several, which is then said in a warning.
 */

#include <stdbool.h>
#include <stddef.h>

/*
 * The socket of the mbuf pool: the one most of the n ports whose socket is
 * known are on (the lowest port's of those tied), or fallback when none is
 * known. *mixed: the known ones are on more than one socket.
 */
int ss_numa_pool_socket(const int *port_socket, unsigned int n, int fallback, bool *mixed);

/*
 * The socket of a worker's own structures (counters, connection table,
 * rate limiters, reassembly, trace), for a worker whose lcore is on
 * lcore_socket and which serves the n ports: theirs when every known one is
 * on one socket; else the lcore's (none known, or several: some of its
 * frames are remote whatever it picks, and its tables are its core's alone).
 */
int ss_numa_worker_socket(const int *port_socket, unsigned int n, int lcore_socket);

/*
 * A worker whose lcore is on another socket than one of its ports (a known
 * one): writes one line into buf, without "smallsrv: warning: " and without
 * a newline, naming the worker, its lcore and socket, and each such port
 * with its socket, and returns true. False, with buf empty, when there is
 * nothing to say (lcore_socket < 0 too: the lcore's socket unknown).
 */
bool ss_numa_worker_warning(unsigned int worker, unsigned int lcore, int lcore_socket,
		const int *port_socket, unsigned int n, char *buf, size_t size);

#endif /* SS_NUMA_H */
