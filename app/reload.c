/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The reload: a control thread waits for SIGHUP, reads the configuration
 * as at start (ss_cmdline_config: the same file, the same overrides), keeps
 * what cannot change while running (ss_config_restart_keys), and publishes
 * the result. The workers take it between bursts and report a quiescent
 * state once a loop (rte_rcu_qsbr); the old configuration is freed once
 * every worker has reported after the swap. Telemetry's threads, which
 * read it too, take a mutex that only the control side knows.
 */
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "addr.h"
#include "config_reload.h"
#include "daytime.h"
#include "reload.h"

/* How long the reload thread sleeps between two looks at the workers' reports. */
#define GRACE_POLL_US 100

static struct {
	struct ss_app *app;
	const struct ss_options *opts;
	struct ss_run *run;
	const struct ss_config *boot;
	struct rte_rcu_qsbr *qsbr;
	pthread_t thread;
	bool started;
	volatile bool stop;
	/* app->cfg and the counters, against telemetry's threads. */
	pthread_mutex_t lock;
	struct ss_reload_counters n;
} rl = { .lock = PTHREAD_MUTEX_INITIALIZER, .n = { .generation = 1 } };

static void
sighup_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGHUP);
}

void
ss_reload_block_signal(void)
{
	sigset_t set;

	sighup_set(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int
ss_reload_init(struct ss_app *app, const struct ss_options *opts, struct ss_run *run,
		const struct ss_config *boot)
{
	size_t size = rte_rcu_qsbr_get_memsize(app->n_workers);
	unsigned int i;

	rl.app = app;
	rl.opts = opts;
	rl.run = run;
	rl.boot = boot;
	app->cfg = boot;
	run->cfg = boot;
	rl.qsbr = rte_zmalloc("ss_reload_qsbr", size, RTE_CACHE_LINE_SIZE);
	if (rl.qsbr == NULL || rte_rcu_qsbr_init(rl.qsbr, app->n_workers) != 0)
		goto fail;
	/* Worker i is reader i; each goes online as its loop begins. */
	for (i = 0; i < app->n_workers; i++)
		if (rte_rcu_qsbr_thread_register(rl.qsbr, i) != 0)
			goto fail;
	run->qsbr = rl.qsbr;
	return 0;
fail:
	rte_free(rl.qsbr);
	rl.qsbr = NULL;
	return -1;
}

/* Wait until every worker online has reported since the swap, sleeping: it may share their core. */
static void
grace_period(void)
{
	uint64_t token = rte_rcu_qsbr_start(rl.qsbr);

	while (rte_rcu_qsbr_check(rl.qsbr, token, false) == 0)
		rte_delay_us_sleep(GRACE_POLL_US);
}

/* Make next the configuration in effect; free the old one once no one reads it. */
static uint64_t
publish(struct ss_config *next)
{
	const struct ss_config *old;
	uint64_t gen;

	pthread_mutex_lock(&rl.lock);
	old = rl.app->cfg;
	rl.app->cfg = next;
	gen = ++rl.n.generation;
	rl.n.applied++;
	pthread_mutex_unlock(&rl.lock);
	/* A telemetry reader of old held the lock: none is left. The workers: */
	__atomic_store_n(&rl.run->cfg, next, __ATOMIC_RELEASE);
	grace_period();
	if (old != rl.boot)
		free((void *)(uintptr_t)old);
	return gen;
}

static const char *
source_name(void)
{
	return rl.opts->config_file != NULL ? rl.opts->config_file :
					      "the configuration (defaults and command line)";
}

static void
refuse(const char *why)
{
	pthread_mutex_lock(&rl.lock);
	rl.n.failed++;
	pthread_mutex_unlock(&rl.lock);
	fprintf(stderr, "smallsrv: reload: %s (nothing changed)\n", why);
	fflush(stderr);
}

/* One SIGHUP: read, check, keep what cannot change, publish, say what happened. */
static void
reload_once(void)
{
	const struct ss_config *running = rl.app->cfg; /* only this thread changes it */
	char err[512], names[512];
	struct ss_config *next;
	unsigned int i, n_kept;
	uint64_t gen;

	next = malloc(sizeof(*next));
	if (next == NULL) {
		refuse("out of memory for a configuration");
		return;
	}
	if (ss_cmdline_config(rl.opts, next, err, sizeof(err)) < 0) {
		/* Its check formatted a line in the new zone, process-wide: the old one again. */
		ss_daytime_apply_timezone(&running->daytime);
		free(next);
		refuse(err);
		return;
	}
	/* As at start (main.c): the ports' sections compare as they are in effect. */
	for (i = 0; i < rl.app->n_ifaces && i < next->n_ports; i++)
		ss_ip6_link_local_add(&next->port[i], rl.app->ifaces[i].mac.addr_bytes);
	n_kept = ss_config_restart_keys(running, next, names, sizeof(names));
	gen = publish(next);
	if (n_kept > 0)
		printf("reload: not changed while running (restart to change): %s\n", names);
	printf("reload: %s applied (generation %" PRIu64 ")\n", source_name(), gen);
	fflush(stdout);
}

static void *
reload_thread(void *arg)
{
	sigset_t set;
	int sig;

	(void)arg;
	sighup_set(&set);
	while (!rl.stop) {
		if (sigwait(&set, &sig) != 0 || rl.stop)
			continue;
		reload_once();
	}
	return NULL;
}

int
ss_reload_start(void)
{
	if (rl.qsbr == NULL)
		return -1;
	if (rte_ctrl_thread_create(&rl.thread, "ss-reload", NULL, reload_thread, NULL) != 0)
		return -1;
	rl.started = true;
	return 0;
}

void
ss_reload_stop(void)
{
	unsigned int i;

	if (rl.started) {
		rl.stop = true;
		/* Blocked, so pending for its sigwait(); or it is reloading and sees stop after. */
		pthread_kill(rl.thread, SIGHUP);
		pthread_join(rl.thread, NULL);
		rl.started = false;
	}
	/* Workers stopped before a reload's swap still point at what it freed. */
	for (i = 0; rl.app != NULL && i < rl.app->n_workers; i++)
		if (rl.app->workers[i].cfg != rl.app->cfg)
			ss_worker_adopt(&rl.app->workers[i], rl.app->cfg);
}

void
ss_reload_free(void)
{
	const struct ss_config *last = NULL;

	/* Telemetry's threads run until EAL's clean-up: none may hold what goes. */
	pthread_mutex_lock(&rl.lock);
	if (rl.app != NULL && rl.app->cfg != rl.boot) {
		last = rl.app->cfg;
		rl.app->cfg = rl.boot;
	}
	pthread_mutex_unlock(&rl.lock);
	free((void *)(uintptr_t)last);
	rte_free(rl.qsbr);
	rl.qsbr = NULL;
}

const struct ss_config *
ss_reload_config_hold(void)
{
	pthread_mutex_lock(&rl.lock);
	return rl.app->cfg;
}

void
ss_reload_config_release(void)
{
	pthread_mutex_unlock(&rl.lock);
}

void
ss_reload_counters(struct ss_reload_counters *out)
{
	pthread_mutex_lock(&rl.lock);
	*out = rl.n;
	pthread_mutex_unlock(&rl.lock);
}
