/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_APP_H
#define SS_APP_H

/* The running appliance as the control side (telemetry, summary) sees it. */

#include <stdint.h>

#include "config.h"
#include "pkt.h"
#include "stats.h"
#include "worker.h"

struct ss_app {
	const struct ss_config *cfg;
	const struct ss_iface *ifaces;
	unsigned int n_ifaces;
	struct ss_worker *workers;
	unsigned int n_workers;
	uint64_t start_tsc;
};

/*
 * Sum the workers' counters for one iface, or for all of them with
 * iface < 0. Safe while the workers run.
 */
void ss_app_counters(const struct ss_app *app, int iface, struct ss_stats *out);

#endif /* SS_APP_H */
