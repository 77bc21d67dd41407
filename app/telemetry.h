/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_TELEMETRY_H
#define SS_TELEMETRY_H

#include "app.h"

/*
 * Register the /smallsrv/... telemetry commands, so that dpdk-telemetry.py
 * and its Prometheus exporter read our counters as they read the ports':
 *   /smallsrv/stats [,port]     traffic and replies
 *   /smallsrv/drops [,port]     packets not answered, by reason
 *   /smallsrv/services [,port]  per service, transport and family
 *   /smallsrv/workers           traffic per worker
 *   /smallsrv/pool              the mbuf pool: size, available, in use
 *   /smallsrv/config            addresses and services
 *   /smallsrv/trace [,w[,i]]    the packet trace (of worker w, from entry i)
 *   /smallsrv/trace_arm,N       trace the next N packets of every worker
 */
int ss_telemetry_register(const struct ss_app *app);

#endif /* SS_TELEMETRY_H */
