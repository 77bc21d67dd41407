/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>

#include "numa.h"

int
ss_numa_pool_socket(const int *port_socket, unsigned int n, int fallback, bool *mixed)
{
	unsigned int i, j, best_count = 0;
	int best = fallback;

	*mixed = false;
	/* A few ports: counting each one's peers costs less than a table of sockets. */
	for (i = 0; i < n; i++) {
		unsigned int count = 0;

		if (port_socket[i] < 0)
			continue;
		for (j = 0; j < n; j++)
			count += port_socket[j] == port_socket[i];
		if (best_count > 0 && port_socket[i] != best)
			*mixed = true;
		if (count > best_count) {
			best_count = count;
			best = port_socket[i];
		}
	}
	return best;
}

int
ss_numa_worker_socket(const int *port_socket, unsigned int n, int lcore_socket)
{
	bool mixed;
	int s = ss_numa_pool_socket(port_socket, n, -1, &mixed);

	return s < 0 || mixed ? lcore_socket : s;
}

bool
ss_numa_worker_warning(unsigned int worker, unsigned int lcore, int lcore_socket,
		const int *port_socket, unsigned int n, char *buf, size_t size)
{
	size_t used;
	unsigned int i, remote = 0;
	int len;

	buf[0] = '\0';
	if (lcore_socket < 0)
		return false;
	len = snprintf(buf, size, "worker %u on lcore %u (socket %d) serves", worker, lcore,
			lcore_socket);
	used = len > 0 ? (size_t)len : 0;
	for (i = 0; i < n; i++) {
		if (port_socket[i] < 0 || port_socket[i] == lcore_socket)
			continue;
		if (used < size) {
			len = snprintf(buf + used, size - used, "%s port %u on socket %d",
					remote > 0 ? "," : "", i, port_socket[i]);
			used += len > 0 ? (size_t)len : 0;
		}
		remote++;
	}
	if (remote == 0) {
		buf[0] = '\0';
		return false;
	}
	if (used < size)
		snprintf(buf + used, size - used,
				": its frames cross between sockets (give -l lcores of the "
				"port's socket)");
	return true;
}
