/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SS_RELOAD_H
#define SS_RELOAD_H

/*
 * SIGHUP re-reads the configuration, as inetd does: the same file and the
 * same command-line overrides as at start, read on a control thread into a
 * new configuration that the workers take between bursts (worker.h, struct
 * ss_run). What cannot change while running keeps its running value and is
 * named (config_reload.h); a configuration that does not parse or check
 * changes nothing.
 */

#include <stdint.h>

#include "app.h"
#include "cmdline.h"
#include "worker.h"

struct ss_reload_counters {
	uint64_t generation; /* of the configuration in effect: 1 the one read at start */
	uint64_t applied;    /* reloads that took effect */
	uint64_t failed;     /* reloads refused: the configuration did not parse or check */
};

/*
 * Block SIGHUP in this thread, and so in every thread it creates (EAL's
 * included): the reload thread takes it with sigwait(). First thing in
 * main(): a SIGHUP before the reload thread waits for it stays pending.
 */
void ss_reload_block_signal(void);

/*
 * Prepare reloads of boot, the configuration the appliance started with
 * (never freed: the ports point into it): app->cfg becomes the one in
 * effect, run->cfg and run->qsbr what the workers read. opts must last.
 * Returns 0, or -1 when memory is short (the appliance then runs without).
 */
int ss_reload_init(struct ss_app *app, const struct ss_options *opts, struct ss_run *run,
		const struct ss_config *boot);

/* Start the thread that waits for SIGHUP. Returns 0 or -1. */
int ss_reload_start(void);

/*
 * Once the workers have stopped: end the thread, and point every worker at
 * the configuration in effect (what the summary and the clean-up read).
 */
void ss_reload_stop(void);

/* Free the configuration in effect, unless it is boot, and the QSBR. */
void ss_reload_free(void);

/*
 * The configuration in effect, for a control-side reader (telemetry),
 * which holds it until ss_reload_config_release(): a reload swaps it and
 * frees the old one only in between. Never on a worker.
 */
const struct ss_config *ss_reload_config_hold(void);
void ss_reload_config_release(void);

void ss_reload_counters(struct ss_reload_counters *out);

#endif /* SS_RELOAD_H */
