/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_SUMMARY_H
#define SS_SUMMARY_H

#include <stdio.h>

#include "app.h"

/*
 * The counters at exit: per port, replies, services, every drop reason hit,
 * and the packet trace when one was armed.
 */
void ss_summary_print(FILE *f, const struct ss_app *app);

/*
 * A line per port with its offloads, then the "ready" line: ports, workers,
 * and per port its MAC, MTU, queues, link (speed and duplex) and addresses.
 */
void ss_summary_ready(FILE *f, const struct ss_app *app);

#endif /* SS_SUMMARY_H */
