/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What must hold between two ops of fuzz_tcp, whatever the peers did: each
 * appliance's connection table agrees with itself (fuzz_tcp_table.c), and
 * every mbuf of the pool is accounted for: held by a connection or by IP
 * reassembly (a fragment), waiting to be received, on the wire, or free.
 */
#include <rte_mempool.h>

#include "fuzz_tcp.h"

void
fz_check_tables(void)
{
	unsigned int i, held = 0, in_use;

	for (i = 0; i < FZ_APPS; i++) {
		const struct fz_app *a = &fz.app[i];

		if (!a->up)
			continue;
		held += fz_check_tcp_table(&a->w, 'A' + i) + a->w.reasm.n_held + a->n_burst +
			a->n_wire + rte_ring_count(a->ring);
	}
	in_use = rte_mempool_in_use_count(fz.var->pool);
	if (in_use != fz.baseline + held)
		fz_fail("%u mbufs in use, %u accounted for: %s", in_use, fz.baseline + held,
			in_use > fz.baseline + held ? "leaked" : "freed twice");
}
